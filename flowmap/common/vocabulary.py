"""Everyday words for the format's vocabulary values, for messages that say which
value a person meant (`anonymised` is written `de-identified`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

#: a word people write → the one value of the format that means the same
SAME_AS: dict[str, str] = {
    # identifiability
    "identifiable": "identified", "named": "identified",
    "pseudonymized": "pseudonymised", "pseudonymous": "pseudonymised",
    "deidentified": "de-identified", "anonymised": "de-identified",
    "anonymized": "de-identified", "anonymous": "de-identified",
    "non-identifiable": "de-identified",
    "aggregated": "aggregate", "statistical": "aggregate",
    # lifecycle
    "current": "active", "live": "active", "ongoing": "active",
    "planned": "proposed", "draft": "proposed",
    "historic": "historical", "ceased": "historical", "ended": "historical",
    "stopped": "historical", "former": "historical",
    # frequency
    "realtime": "real-time", "continuous": "real-time",
    "annually": "yearly", "annual": "yearly",
    "on-demand": "on-request", "as-requested": "on-request",
    "adhoc": "ad-hoc", "as-needed": "ad-hoc", "occasional": "ad-hoc",
    "once": "one-off", "one-time": "one-off",
}
#: a word people write that the format has no value for → the nearest values
NEAREST: dict[str, tuple[str, ...]] = {
    "fortnightly": ("weekly", "monthly"), "biweekly": ("weekly", "monthly"),
    "quarterly": ("monthly", "yearly"), "six-monthly": ("monthly", "yearly"),
    "hourly": ("real-time", "daily"),
}


def normal(word: str) -> str:
    """'On demand ' → 'on-demand': lower case, spaces and underscores as '-'."""
    return re.sub(r"[\s_]+", "-", word.strip().lower())


def meant(word: str, allowed: Sequence[str]) -> str:
    """What to say about ``word`` when it is not one of ``allowed``: which value it is
    written as, or the nearest ones; '' when it is no word flowmap knows."""
    key = normal(word)
    same = SAME_AS.get(key)
    if same in allowed:
        return f"; {word!r} is written {same!r}"
    near = [v for v in NEAREST.get(key, ()) if v in allowed]
    if near:
        return (f"; the format has no {word!r}: write the nearest, "
                f"{' or '.join(map(repr, near))}, and say {word!r} in the description")
    return ""
