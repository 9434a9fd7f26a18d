"""A map checked as on another date (`--as-of`): what changes when an agreement ends
or an Act commences.

The map's own `as_of` and the date reviews expire against both become the given
date, so every in-force check, proposed flow and acceptance is judged as on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from flowmap.load.loader import Loaded, load
from flowmap.check.validate import Result, validate


def on_date(loaded: Loaded, as_of: dt.date) -> Loaded:
    """The loaded map as of ``as_of`` instead of its own date."""
    m = loaded.map
    info = m.info.model_copy(update={"as_of": as_of})
    return replace(loaded, map=replace(m, as_of=as_of, info=info))


def check_as_of(path: Path | Sequence[Path], as_of: dt.date, *,
                tree: Path | None = None) -> Result:
    """Load and validate the map at ``path`` as on ``as_of`` (reading nothing outside
    ``tree``, as :func:`flowmap.check.validate.check`)."""
    return validate(on_date(load(path, today=as_of, tree=tree), as_of), today=as_of)
