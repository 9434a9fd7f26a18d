"""`flowmap fmt`: canonical key order and layout, with every comment and value kept.

Every test works on copies in tmp_path: the repository's own files are never
rewritten.
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from flowmap.cli import main
from flowmap.author.fmt import _yaml, format_text
from flowmap.check.validate import check
from tests.conftest import EXAMPLES, TODAY

FLOWMAP = Path(sys.executable).parent / "flowmap"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def comments(text: str) -> Counter[str]:
    """Every comment in ``text`` (whole-line or after a value), one entry per line."""
    found: Counter[str] = Counter()
    for line in text.splitlines():
        match = re.search(r"(?:^|\s)(#.*)$", line)
        if match:
            found[match.group(1).strip()] += 1
    return found


def yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml"))


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    copy = tmp_path / "flows"
    shutil.copytree(EXAMPLES, copy)
    return copy


def _findings(path: Path) -> set[tuple[str, str, str]]:
    return {(f.code, f.subject.id, f.message) for f in check(path, today=TODAY).findings}


def _maps(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir())


def test_every_example_keeps_its_data_and_comments(examples: Path) -> None:
    before = {p: p.read_text(encoding="utf-8") for p in yaml_files(examples)}
    findings = {m: _findings(m) for m in _maps(examples)}
    result = invoke("fmt", *_maps(examples))
    assert result.exit_code == 0, result.output
    for path, text in before.items():
        after = path.read_text(encoding="utf-8")
        assert yaml.safe_load(after) == yaml.safe_load(text), path
        assert comments(after) == comments(text), path
    for m in _maps(examples):  # line numbers may move; what is found may not
        assert {(c, i, re.sub(r":\d+:\d+", "", msg)) for c, i, msg in _findings(m)} == \
            {(c, i, re.sub(r":\d+:\d+", "", msg)) for c, i, msg in findings[m]}, m
    check_again = invoke("fmt", "--check", *_maps(examples))
    assert check_again.exit_code == 0, check_again.output


def _shuffle(node: Any, rnd: random.Random) -> None:
    if isinstance(node, CommentedMap):
        keys = list(node.keys())
        rnd.shuffle(keys)
        for key in keys:
            node.move_to_end(key)
        for value in node.values():
            _shuffle(value, rnd)
    elif isinstance(node, CommentedSeq):
        for value in node:
            _shuffle(value, rnd)


@pytest.mark.parametrize("path", yaml_files(EXAMPLES), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_shuffled_keys_come_back_in_canonical_order(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    rt = _yaml()
    data = rt.load(text)
    _shuffle(data, random.Random(path.name))
    buffer = io.StringIO()
    rt.dump(data, buffer)
    shuffled = buffer.getvalue()
    formatted = format_text(shuffled)
    assert yaml.safe_load(formatted) == yaml.safe_load(text)
    assert comments(formatted) == comments(text)
    assert formatted == format_text(text)


MESSY = """\
# yaml-language-server: $schema=flowmap.model.schema.json
flows:   # the flows
    -   to: msd   # recipient
        id: referral
        from: ngo
        information: [client]
        review:
          - reason: Interim letter
            code: FM201   # accepted for now
        # before the next flow
    -   {to: msd, id: report, from: ngo, information: [stats], identifiability: aggregate}
organisations:
  - {kind: ngo, name: An NGO, id: ngo, health_agency: yes}
  - kind: government-department
    id: msd
    name: "Ministry"
    url: 'https://www.msd.govt.nz'
map: {title: Messy, id: messy, as_of: 2024-01-01}
flowmap: 1
"""

CANONICAL = """\
# yaml-language-server: $schema=flowmap.model.schema.json
flowmap: 1
map: {id: messy, title: Messy, as_of: 2024-01-01}
organisations:
  - {id: ngo, name: An NGO, kind: ngo, health_agency: yes}
  - id: msd
    name: "Ministry"
    kind: government-department
    url: 'https://www.msd.govt.nz'
flows:   # the flows
  - id: referral
    from: ngo
    to: msd       # recipient
    information: [client]
    review:
      - code: FM201       # accepted for now
        reason: Interim letter
        # before the next flow
  - {id: report, from: ngo, to: msd, information: [stats], identifiability: aggregate}
"""


def test_canonical_order_and_layout_keep_comments_quotes_and_flow_style() -> None:
    # comments stay in the column they were written in
    assert format_text(MESSY) == CANONICAL
    assert format_text(CANONICAL) == CANONICAL


def test_check_lists_files_that_would_change_and_writes_nothing(tmp_path: Path) -> None:
    messy, tidy = tmp_path / "map" / "messy.yaml", tmp_path / "map" / "tidy.yaml"
    messy.parent.mkdir()
    messy.write_text(MESSY, encoding="utf-8")
    tidy.write_text("purposes:\n  - id: p\n    name: P\n", encoding="utf-8")
    result = invoke("fmt", "--check", tmp_path / "map")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"would reformat {messy}"]
    assert "1 of 2 files would be reformatted" in result.stderr
    assert messy.read_text(encoding="utf-8") == MESSY
    result = invoke("fmt", tmp_path / "map")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"reformatted {messy}"]
    assert messy.read_text(encoding="utf-8") == CANONICAL
    assert invoke("fmt", "--check", messy).exit_code == 0


@pytest.mark.parametrize(("text", "where"), [
    ("flows:\n  - id: a\n    from: [b\n", r":4:1: .*not valid YAML"),
    ("flows:\n  - id: a\n    id: b\n", r":3:5: .*not valid YAML"),  # a key written twice
    ("flows: []\n---\nflows: []\n", r":2:1: .*not valid YAML"),  # two documents
])
def test_a_file_that_does_not_load_cleanly_is_left_alone(tmp_path: Path, text: str,
                                                         where: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("fmt", path)
    assert result.exit_code == 1
    assert re.match(f"flowmap: {re.escape(str(path))}{where}", result.stderr), result.stderr
    assert "cannot format" in result.stderr and "left as it is" in result.stderr
    assert path.read_text(encoding="utf-8") == text
    assert "Traceback" not in result.output


def test_line_ends_byte_order_mark_and_permissions_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    text = "\ufeff# note\r\npurposes:\r\n  - name: P\r\n    id: p\r\n"
    path.write_bytes(text.encode("utf-8"))
    path.chmod(0o600)
    assert invoke("fmt", path).exit_code == 0
    assert path.read_bytes().decode("utf-8") == \
        "\ufeff# note\r\npurposes:\r\n  - id: p\r\n    name: P\r\n"
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_yaml_1_1_words_and_numbers_keep_their_meaning(tmp_path: Path) -> None:
    text = ("organisations:\n  - name: A\n    id: a\n    kind: ngo\n    health_agency: yes\n"
            "    description: 010\n    short: 12:30\n    sector: 'on'\n")
    formatted = format_text(text)
    assert yaml.safe_load(formatted) == yaml.safe_load(text)
    assert "health_agency: yes" in formatted and "sector: 'on'" in formatted


def test_empty_and_comment_only_files_are_unchanged(tmp_path: Path) -> None:
    empty, note = tmp_path / "empty.yaml", tmp_path / "note.yaml"
    empty.write_text("", encoding="utf-8")
    note.write_text("# only a note\n", encoding="utf-8")
    result = invoke("fmt", "--check", empty, note)
    assert result.exit_code == 0, result.output


def test_fmt_check_in_a_shell_for_ci(examples: Path) -> None:
    target = _maps(examples)[0]
    assert subprocess.run([str(FLOWMAP), "fmt", str(target)], timeout=120).returncode == 0
    messy = target / "messy.yaml"
    messy.write_text(MESSY, encoding="utf-8")
    run = subprocess.run([str(FLOWMAP), "fmt", "--check", str(target)], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 1
    assert run.stdout == f"would reformat {messy}\n"
    run = subprocess.run([str(FLOWMAP), "fmt", str(target)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    run = subprocess.run([str(FLOWMAP), "fmt", "--check", str(target)], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_repository_maps_and_catalogue_are_in_fmt_form() -> None:
    """Examples and the built-in catalogue are kept as `flowmap fmt` writes them."""
    from tests.conftest import EXAMPLES, REPO

    maps = sorted(str(p) for p in EXAMPLES.iterdir() if p.is_dir())
    result = CliRunner().invoke(main, ["fmt", "--check", *maps,
                                       str(REPO / "flowmap" / "catalogues" / "nz")])
    assert result.exit_code == 0, result.output
