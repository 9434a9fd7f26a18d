"""The JSON and SARIF reports' writer (``indented_json``) gives exactly the text of
``json.dumps(value, indent=2, ensure_ascii=False)``, for any JSON value: the reports'
bytes do not change for being written faster."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flowmap.report.json_report import indented_json

#: text with what JSON must escape: quotes, backslashes, control characters, line
#: and paragraph separators, non-ASCII and astral characters
TEXT = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ['"', "\\", "\x00", "\x1b[31m", "\u2028", "\ud7ff", "😀", "", " ", "\t\n\r"])
SCALARS = st.none() | st.booleans() | st.integers() | TEXT
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4)
    | st.tuples(inner, inner),
    max_leaves=40)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_the_same_text_as_json_dumps(value: Any) -> None:
    assert indented_json(value) == json.dumps(value, indent=2, ensure_ascii=False)


@given(st.dictionaries(st.integers() | st.floats() | st.booleans() | st.none(),
                       st.floats(allow_nan=True) | SCALARS, min_size=1, max_size=3))
def test_what_it_does_not_write_is_left_to_json(value: Any) -> None:
    """Keys that are not text and floats (NaN, infinities) come out as json writes them."""
    assert indented_json(value) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("bad", [{"a": {1, 2}}, [object()]])
def test_an_object_json_cannot_write_is_refused_as_json_refuses_it(bad: Any) -> None:
    with pytest.raises(TypeError) as expected:
        json.dumps(bad, indent=2, ensure_ascii=False)
    with pytest.raises(TypeError) as refused:
        indented_json(bad)
    assert str(refused.value) == str(expected.value)
