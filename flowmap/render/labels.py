"""Words on edges besides the information: what was accepted, and short legal citations.

The ACC and sector originals print the legislation on each arrow; a citation in
full ("Tax Administration Act 1994, s 18D and Schedule 7") does not fit there, so
each authority has a short form: its own ``short:``, or one made from its
instrument and provision ("TAA 1994 s 18D").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from flowmap.model.entities import Authority, Flow
from flowmap.check.rules.registry import BY_CODE
from flowmap.check.validate import Result

#: an instrument name longer than this is shortened to its initials and year
SHORT_INSTRUMENT = 16
#: initials longer than this ('PISABIRMSDO') say less than the authority's id
MAX_INITIALS = 5
_YEAR = re.compile(r"\b(1[89]|20)\d\d\b")
_SMALL_WORDS = {"of", "the", "and", "for", "on", "in", "to", "a"}


def short_citation(auth: Authority) -> str:
    """An authority's citation short enough for an edge label."""
    if auth.short:
        return auth.short
    if not auth.instrument:
        return auth.title if len(auth.title) <= 2 * SHORT_INSTRUMENT else auth.id
    instrument = auth.instrument
    if len(instrument) > SHORT_INSTRUMENT:
        year = _YEAR.search(instrument)
        words = _YEAR.sub("", instrument).replace("(", " ").replace(")", " ").split()
        initials = "".join(w[0].upper() for w in words if w.lower() not in _SMALL_WORDS)
        if len(initials) > MAX_INITIALS:  # an order's long title: its id reads better
            return auth.id
        instrument = initials + (f" {year.group(0)}" if year else "")
    return f"{instrument} {auth.provision}" if auth.provision else instrument


def basis_lines(result: Result, flows: Sequence[Flow]) -> list[str]:
    """The short citations the flows rest on, each once; 'no basis cited' when none."""
    m = result.map
    cited = dict.fromkeys(short_citation(m.authorities[a]) if a in m.authorities else a
                          for f in flows for a in f.basis)
    return list(cited) or ["no basis cited"]


def _what_was_accepted(code: str) -> str:
    rule = BY_CODE.get(code)
    title = rule.title if rule else code
    title = title.removeprefix("Flow has ")
    return title[:1].lower() + title[1:]


def accepted_note(result: Result, flow: Flow) -> str:
    """'no legal basis — accepted until 2027-03-31': what a reviewer accepted on a flow."""
    notes = []
    for finding in result.for_flow(flow.id):
        if not finding.accepted:
            continue
        review = next((r for r in flow.review if r.code == finding.code), None)
        until = f" until {review.until}" if review and review.until else ""
        notes.append(f"{_what_was_accepted(finding.code)} — accepted{until}")
    return "; ".join(dict.fromkeys(notes)) or "accepted"
