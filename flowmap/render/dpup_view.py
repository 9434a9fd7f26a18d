"""The Data Protection and Use Policy view of the HTML report.

Three pieces, each called once from render/html.py: the privacy-review facts
and own (`x-`) fields of a flow or organisation as rows for its details; a
filter by the lens's findings (FM6xx); and a per-organisation summary table
(gives, receives, choices offered, insights returned). Every string is escaped
here (the details rows are set as text by the page's script).
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from flowmap.check.dpup import LENS_PREFIX, summaries
from flowmap.model.entities import Flow, Organisation
from flowmap.check.rules.registry import BY_CODE
from flowmap.check.validate import Result

_CHOICE_WORDS = {"none": "no choice", "opt-out": "can opt out", "consent": "asked for consent",
                 "not-needed": "no personal information needed"}


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def privacy_rows(item: Flow | Organisation) -> list[list[str]]:
    """[label, text] rows of an item's privacy-review facts, then its own fields."""
    rows: list[list[str]] = []
    if isinstance(item, Flow) and item.privacy is not None:
        f = item.privacy
        c = f.choice
        maori = f.maori
        rows += [
            ["Necessity", f.necessity or ""],
            ["Notice", " · ".join(x for x in (f.notice.how, f.notice.statement or "") if x)
             if f.notice else ""],
            ["Choice", " · ".join(x for x in (_CHOICE_WORDS[c.offered], c.how or "",
                                              c.why or "") if x) if c else ""],
            ["Privacy impact assessment", f.pia or ""],
            ["Agreement", f.agreement or ""],
            ["Safeguards", "; ".join(f.safeguards)],
            ["Retention", f.retention or ""],
            ["Māori data", ("no" if f.maori_data is False else "") if maori is None else
             " · ".join(x for x in ("yes", maori.governed_by or "governance not recorded",
                                    maori.arrangement or "") if x)],
        ]
    elif isinstance(item, Organisation) and item.privacy is not None:
        o = item.privacy
        officer = o.officer
        rows += [
            ["Privacy officer", " · ".join(x for x in (
                officer.name, officer.email, officer.phone, officer.url, officer.post) if x)
             if officer else ""],
            ["Privacy statement", o.statement or ""],
            ["Seeing and correcting", o.access or ""],
        ]
    rows += [[key, _text(value)] for key, value in sorted(item.own.items())]
    return [r for r in rows if r[1]]


def lens_codes(result: Result, flow_id: str) -> list[str]:
    """The lens's finding codes on a flow, sorted."""
    return sorted({f.code for f in result.for_flow(flow_id) if f.code.startswith(LENS_PREFIX)})


def lens_filter(result: Result, flows: Sequence[Flow]) -> str:
    """A select that keeps only the flows with one of the lens's findings."""
    counts: dict[str, int] = {}
    for flow in flows:
        for code in lens_codes(result, flow.id):
            counts[code] = counts.get(code, 0) + 1
    if not counts:
        return ""
    options = "".join(
        f'<option value="{_e(c)}">{_e(c)} {_e(BY_CODE[c].title)} ({n})</option>'
        for c, n in sorted(counts.items()))
    return ('<div class="fm-field"><label for="fm-dpup">Data Protection and Use Policy'
            '</label><select id="fm-dpup"><option value="">All flows</option>'
            f'<option value="any">Any policy finding</option>{options}</select></div>\n')


def summary_section(result: Result, organisations: Sequence[str]) -> str:
    """Per organisation: flows given and received, choices offered, insights returned."""
    m = result.map
    rows = []
    ordered = sorted(organisations, key=lambda o: (m.organisations[o].name.lower(), o))
    for oid, s in summaries(m, ordered).items():
        if not (s.gives or s.receives):
            continue
        choices = sorted({_CHOICE_WORDS[c] for _, c in s.choices})
        insight = (f"{len(s.insights_returned)} returned" if s.insights_returned else "")
        if s.insights_missing:
            insight += ("; " if insight else "") + f"none for {len(s.insights_missing)} given"
        rows.append(
            f'<tr data-org="{_e(oid)}"><th scope="row">{_e(m.organisations[oid].name)}</th>'
            f"<td>{len(s.gives)}</td><td>{len(s.receives)}</td>"
            f"<td>{_e(', '.join(choices) or '—')}</td><td>{_e(insight or '—')}</td></tr>")
    if not rows:
        return ""
    return (
        '<section class="fm-section" aria-labelledby="fm-dpup-h">'
        '<h2 id="fm-dpup-h">Data Protection and Use Policy: organisations</h2>'
        '<table class="fm-table" id="fm-dpup-summary"><thead><tr>'
        '<th scope="col">Organisation</th><th scope="col">Gives</th>'
        '<th scope="col">Receives</th><th scope="col">Choices offered</th>'
        '<th scope="col">Insights returned</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></section>\n")
