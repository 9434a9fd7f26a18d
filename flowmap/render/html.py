"""A checked map as one self-contained, interactive HTML page: the reviewer's report.

The page holds everything it needs and asks the network for nothing: the SVG
drawing inline, the data its script reads as one JSON blob, and the CSS and
JS of ``assets/`` inline. Its Content-Security-Policy allows exactly that CSS
and JS (by their hashes) and nothing else, so it works emailed or opened from
disk, and a string in the map cannot turn into a request or a script.

The header, filters and tables are written here, so that the page reads
(and prints) even where scripts are off; the script adds pan and zoom,
the details panel, filtering and the links between map and tables.

Every string from the map is escaped for where it goes: ``html.escape`` in
the markup, ``\\u003c``-style escapes in the JSON blob (so that ``</script>``
or ``<!--`` in a map string cannot end the element), and ``textContent`` in
the script. Everything is emitted in a fixed order: the same map gives the
same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from importlib import resources
from string import Template
from typing import Any

from flowmap.common.findings import Finding
from flowmap.render import dpup_view
from flowmap.model.entities import Authority, Flow
from flowmap.render.dot import Drawing, edges_of
from flowmap.report.register import rows
from flowmap.check.rules.registry import BY_CODE
from flowmap.check.validate import FLOW_STATUSES, Result

JSON = dict[str, Any]

#: how each status is named in the page, with a mark that does not rest on colour
STATUS_LABELS = {"unjustified": "✗ Unjustified", "accepted": "✓ Accepted",
                 "warning": "! Warning", "justified": "✓ Justified"}
#: the value of the legal-basis filter that keeps flows citing no authority
NO_BASIS = "-"
#: the script's parts, joined in this order inside one function (they share its scope)
SCRIPT_PARTS = ("report-data.js", "report-dom.js", "report-details.js", "report-map.js",
                "report.js")
_SAFE_URL = re.compile(r"^https?://", re.I)


def _asset(name: str) -> str:
    return resources.files("flowmap.render").joinpath("assets", name).read_text("utf-8")


def page_script() -> str:
    """The page's one script: its parts inside a function, in strict mode."""
    parts = "\n".join(_asset(name) for name in SCRIPT_PARTS)
    return f'\n(function () {{\n"use strict";\n\n{parts}}})();\n'


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(style: str, script: str) -> str:
    """No request of any kind; only this page's own style and script may run."""
    return (f"default-src 'none'; style-src {_hash(style)}; script-src {_hash(script)}; "
            "base-uri 'none'; form-action 'none'")


def script_json(data: JSON) -> str:
    """``data`` as JSON that cannot end the <script> element holding it.

    JSON syntax never uses ``<``, ``>`` or ``&``, so they only occur inside
    strings, where their ``\\u`` escapes mean the same to ``JSON.parse``.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def to_html(result: Result, drawing: Drawing, svg: bytes) -> bytes:
    """The report page for ``drawing`` of ``result``, around its SVG rendering ``svg``."""
    style, script = _asset("report.css"), page_script()
    shown = shown_findings(result, drawing)
    page = Template(_asset("report.html")).substitute(
        csp=_e(content_security_policy(style, script)),
        title=_e(result.map.info.title),
        style=style,
        header=_header(result, drawing, shown),
        filters=_filters(result, drawing),
        svg=embed_svg(svg, result, drawing),
        findings=_findings_table(result, shown),
        finding_count=len(shown),
        register=_register_table(result, drawing),
        dpup=dpup_view.summary_section(result, _organisations(result, drawing)),
        flow_count=len(drawing.view.flows),
        data=script_json(page_data(result, drawing, shown)),
        script=script,
        map_id=_e(result.map.info.id),
    )
    return page.encode("utf-8")


# -- which findings the page shows ------------------------------------------------

def shown_findings(result: Result, drawing: Drawing) -> list[Finding]:
    """The findings about what the drawing shows, and about things it cannot show
    (authorities, information, the map); not those about flows and organisations
    that the view leaves out."""
    m = result.map
    flows, orgs = set(drawing.view.flows), set(_organisations(result, drawing))

    def kept(f: Finding) -> bool:
        if f.subject.kind == "flow" and f.subject.id in m.flows:
            return f.subject.id in flows
        if f.subject.kind == "organisation" and f.subject.id in m.organisations:
            return f.subject.id in orgs
        return True
    # the most serious first; within a severity, in the order of the files
    return sorted((f for f in result.findings if kept(f)),
                  key=lambda f: (-f.severity.rank, f.accepted))


def _organisations(result: Result, drawing: Drawing) -> list[str]:
    m = result.map
    ends = {end for f in drawing.view.flows for end in (m.flows[f].from_, m.flows[f].to)}
    return sorted({*drawing.view.organisations, *ends} & set(m.organisations))


def edge_ids(result: Result, drawing: Drawing) -> dict[str, str]:
    """Flow id → the id of the SVG group that draws it."""
    return {f.id: e.id for e in edges_of(result, drawing) for f in e.flows}


# -- the JSON blob --------------------------------------------------------------

def page_data(result: Result, drawing: Drawing, shown: Sequence[Finding]) -> JSON:
    """Everything the script needs, as JSON-ready values keyed by declared ids."""
    m = result.map
    flows = [m.flows[f] for f in drawing.view.flows]
    edges = edge_ids(result, drawing)
    cited = sorted({a for f in flows for a in f.basis if a in m.authorities}
                   | {f.subject.id for f in shown if f.subject.kind == "authority"
                      and f.subject.id in m.authorities})
    items = sorted({i for f in flows for i in f.information if i in m.information})
    purposes = sorted({f.purpose for f in flows if f.purpose and f.purpose in m.purposes})
    about: dict[tuple[str, str], list[int]] = {}
    for index, finding in enumerate(shown):
        about.setdefault((finding.subject.kind, finding.subject.id), []).append(index)
    return {
        "map": {"id": m.info.id, "title": m.info.title, "description": m.info.description,
                "as_of": m.as_of.isoformat(), "jurisdiction": m.info.jurisdiction,
                "merged": drawing.plan.merge},
        "flows": {f.id: _flow(result, f, edges[f.id], about.get(("flow", f.id), []))
                  for f in flows},
        "organisations": {
            o: _organisation(result, o, about.get(("organisation", o), []))
            for o in _organisations(result, drawing)},
        "information": {i: {"name": m.information[i].name,
                            "category": m.information[i].category,
                            "description": m.information[i].description} for i in items},
        "purposes": {p: {"name": m.purposes[p].name,
                         "description": m.purposes[p].description} for p in purposes},
        "authorities": {a: _authority(m.authorities[a], m.from_catalogue("authorities", a))
                        for a in cited},
        "findings": [_finding(f) for f in shown],
        "rules": {code: {"title": r.title, "severity": r.severity.value, "what": r.what,
                         "why": r.why, "fix": r.fix}
                  for code in sorted({f.code for f in shown})
                  if (r := BY_CODE.get(code)) is not None},
    }


def _date(value: object) -> str | None:
    return None if value is None else str(value)


def _flow(result: Result, flow: Flow, edge: str, findings: list[int]) -> JSON:
    consent = flow.consent
    return {
        "from": flow.from_, "to": flow.to, "information": list(flow.information),
        "purpose": flow.purpose, "basis": list(flow.basis),
        "identifiability": flow.identifiability, "lifecycle": flow.status,
        "transfer": flow.transfer,
        "frequency": flow.frequency, "channel": flow.channel,
        "since": _date(flow.since), "until": _date(flow.until),
        "consent": None if consent is None else {"obtained": _date(consent.obtained),
                                                 "opt_out": consent.opt_out},
        "justification": flow.justification, "description": flow.description,
        "review": [{"code": r.code, "reason": r.reason, "by": r.by, "until": _date(r.until)}
                   for r in flow.review],
        "status": result.flow_status(flow.id), "edge": edge,
        "findings": findings,
        "privacy": dpup_view.privacy_rows(flow), "dpup": dpup_view.lens_codes(result, flow.id),
    }


def _organisation(result: Result, oid: str, findings: list[int]) -> JSON:
    m = result.map
    org = m.organisations[oid]
    country = m.country(org)
    return {"name": org.name, "label": org.label, "kind": org.kind, "sector": org.sector,
            "country": country, "overseas": country != m.info.jurisdiction,
            "url": org.url, "description": org.description, "findings": findings,
            "privacy": dpup_view.privacy_rows(org)}


def _authority(auth: Authority, catalogued: bool) -> JSON:
    return {"title": auth.title, "type": auth.type, "instrument": auth.instrument,
            "provision": auth.provision, "citation": auth.citation, "url": auth.url,
            "from": _date(auth.in_force.from_), "until": _date(auth.in_force.until),
            "verified": auth.verified, "notes": auth.notes, "onward": auth.onward,
            "catalogue": catalogued, "role": auth.role, "applies_to": list(auth.applies_to),
            "use_limits": list(auth.use_limits), "unsettled": list(auth.unsettled),
            "legs": [leg.title for leg in auth.legs or ()],
            "checked": _date(auth.provenance.checked) if auth.provenance else None}


def _finding(f: Finding) -> JSON:
    return {"code": f.code, "severity": f.severity.value, "message": f.message,
            "subject": {"kind": f.subject.kind, "id": f.subject.id},
            "location": None if f.location is None else str(f.location),
            "accepted": f.accepted, "review": f.review_reason}


# -- the embedded drawing -----------------------------------------------------------

_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.S)
_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)
_ROOT = re.compile(r'<svg width="[^"]*" height="[^"]*"')
_LINK = re.compile(r"<a\b[^>]*>")
_GROUP = re.compile(r'<g id="((?:org|flows?)&#45;[^"]*)" class="([^"]*)"([^>]*)>')


def embed_svg(svg: bytes, result: Result, drawing: Drawing) -> str:
    """Graphviz's SVG made ready to sit inside the page.

    The prologue and comments go; the root sizes to its box; links become
    plain groups (the details panel carries every link); each organisation
    and flow becomes focusable, with a name for assistive technology.
    """
    text = _COMMENT.sub("", _PROLOGUE.sub("", svg.decode("utf-8"), count=1))
    text = _ROOT.sub('<svg id="fm-svg" class="fm-svg" focusable="false"', text, count=1)
    text = text.replace(' role="img" aria-labelledby="map-title map-desc"',
                        ' role="group" aria-labelledby="map-title map-desc"', 1)
    text = _LINK.sub("<a>", text)
    names = _element_names(result, drawing)

    def focusable(match: re.Match[str]) -> str:
        element = html.unescape(match.group(1))
        name = names.get(element)
        if name is None:
            return match.group(0)
        name = _name_with_visible_text(name, _visible_text(text, match.end()))
        return (f'<g id="{match.group(1)}" class="{match.group(2)} fm-item"{match.group(3)} '
                f'tabindex="0" role="button" aria-label="{_e(name)}">')
    return _GROUP.sub(focusable, text).strip() + "\n"


_GROUP_TAG = re.compile(r"<g\b|</g>")
_TEXT = re.compile(r"<text\b[^>]*>(.*?)</text>", re.S)


def _visible_text(svg: str, start: int) -> str:
    """The words drawn inside the group whose opening tag ends at ``start``."""
    depth = 1
    for tag in _GROUP_TAG.finditer(svg, start):
        depth += 1 if tag.group(0) == "<g" else -1
        if depth == 0:
            drawn = (html.unescape(t) for t in _TEXT.findall(svg, start, tag.start()))
            return " ".join(" ".join(drawn).split())
    return ""


_PARENTHETICAL = re.compile(r"\([^()]*\)")


def _words(text: str) -> list[str]:
    """The words of a name as a label-in-name check compares them: parentheticals
    left out (they are asides), case and accents ignored."""
    previous = None
    while previous != text:
        previous, text = text, _PARENTHETICAL.sub("", text)
    return re.findall(r"\w+", unicodedata.normalize("NFKD", text).casefold())


def _name_with_visible_text(name: str, visible: str) -> str:
    """An accessible name holding the words the eye reads on the element, in order,
    so a speech user can say what they see (WCAG 2.5.3, label in name)."""
    seen, named = _words(visible), _words(name)
    if any(named[i:i + len(seen)] == seen for i in range(len(named) - len(seen) + 1)):
        return name
    return f"{visible}, {name}"


def _element_names(result: Result, drawing: Drawing) -> dict[str, str]:
    """A short accessible name for each organisation and flow element."""
    m = result.map
    names = {f"org-{o}": f"Organisation: {m.organisations[o].name}"
             for o in _organisations(result, drawing)}
    for edge in edges_of(result, drawing):
        if len(edge.flows) > 1:
            names[edge.id] = (f"{len(edge.flows)} flows between {m.label(edge.tail)} and "
                              f"{m.label(edge.head)}")
        else:
            flow = edge.flows[0]
            names[edge.id] = (
                f"Flow, {result.flow_status(flow.id)}: {m.label(flow.from_)} to "
                f"{m.label(flow.to)}: {_items(result, flow)}")
    return names


def _items(result: Result, flow: Flow) -> str:
    m = result.map
    return ", ".join(m.information[i].name if i in m.information else i
                     for i in flow.information)


# -- markup written here ---------------------------------------------------------

def _header(result: Result, drawing: Drawing, shown: Sequence[Finding]) -> str:
    m = result.map
    view = drawing.view
    statuses = [result.flow_status(f) for f in view.flows]
    counts = ", ".join(f"{statuses.count(s)} {s}" for s in FLOW_STATUSES if s in statuses)
    errors = sum(1 for f in shown if f.severity.value == "error")
    description = (f'<p class="fm-desc">{_e(m.info.description)}</p>\n'
                   if m.info.description else "")
    return (f'<h1 id="fm-title">{_e(m.info.title)}</h1>\n'
            f'<p class="fm-meta">As of <time datetime="{m.as_of}">{m.as_of}</time> · '
            f"jurisdiction {_e(m.info.jurisdiction)} · "
            f"{len(_organisations(result, drawing))} organisations · {len(view.flows)} flows"
            f"{f' ({counts})' if counts else ''} · {len(shown)} findings, {errors} "
            f"error{'' if errors == 1 else 's'}</p>\n{description}{_alert(statuses, m.completeness_note())}")


def _alert(statuses: Sequence[str], incomplete: str = "") -> str:
    """The one thing a reviewer must not miss: flows with no valid legal basis, and
    (never hidden behind an "all justified") a map that could not be read in full."""
    n = statuses.count("unjustified")
    partial = (f'<p class="fm-alert fm-st-unjustified"><strong>✗ Not the whole map:'
               f"</strong> {_e(incomplete)}.</p>\n" if incomplete else "")
    if not n and not incomplete:
        return ('<p class="fm-alert fm-st-justified">✓ No flow in this view lacks a valid '
                "legal basis.</p>")
    if not n:
        return partial.rstrip("\n")
    flows = "1 flow has" if n == 1 else f"{n} flows have"
    return (f'{partial}<p class="fm-alert fm-st-unjustified"><strong>✗ {flows} no valid legal '
            'basis.</strong> <button type="button" class="fm-link" id="fm-only-unjustified">'
            "Show only the unjustified</button></p>")


def _options(pairs: Iterable[tuple[str, str]]) -> str:
    return "".join(f'<option value="{_e(v)}">{_e(label)}</option>' for v, label in pairs)


def _filters(result: Result, drawing: Drawing) -> str:
    m = result.map
    flows = [m.flows[f] for f in drawing.view.flows]
    statuses = [result.flow_status(f.id) for f in flows]
    boxes = "".join(
        f'<label class="fm-toggle fm-st-{s}"><input type="checkbox" name="status" '
        f'value="{s}" checked> {_e(STATUS_LABELS[s])} <span class="fm-n">'
        f"{statuses.count(s)}</span></label>" for s in FLOW_STATUSES if s in statuses)
    ends = Counter(end for f in flows for end in {f.from_, f.to})  # linear in flows
    touching = {o: ends[o] for o in _organisations(result, drawing)}
    orgs = sorted(touching, key=lambda o: (m.organisations[o].name.lower(), o))
    org_options = _options((o, f"{m.organisations[o].name} ({touching[o]})") for o in orgs)
    categories: dict[str, int] = {}
    for flow in flows:
        found = {c for i in flow.information if i in m.information
                 for c in _prefixes(m.information[i].category)}
        for c in found:
            categories[c] = categories.get(c, 0) + 1
    cat_options = _options(
        (c, "\u00a0\u00a0" * c.count(".") + f"{c} ({categories[c]})") for c in sorted(categories))
    cited = sorted({a for f in flows for a in f.basis if a in m.authorities},
                   key=lambda a: (m.authorities[a].citation.lower(), a))
    auth_options = _options((a, m.authorities[a].citation) for a in cited)
    if any(not f.basis for f in flows):
        auth_options += _options([(NO_BASIS, "(none cited)")])
    return (
        '<div class="fm-field fm-search"><label for="fm-q">Search</label>'
        '<input type="search" id="fm-q" autocomplete="off" spellcheck="false" '
        'placeholder="Organisation, information, basis, code…"></div>\n'
        f'<fieldset class="fm-statuses"><legend>Status</legend>{boxes}</fieldset>\n'
        '<div class="fm-field"><label for="fm-org">Organisation</label>'
        f'<select id="fm-org"><option value="">All organisations</option>{org_options}'
        "</select></div>\n"
        '<div class="fm-field"><label for="fm-cat">Information category</label>'
        f'<select id="fm-cat"><option value="">All categories</option>{cat_options}'
        "</select></div>\n"
        '<div class="fm-field"><label for="fm-auth">Legal basis</label>'
        f'<select id="fm-auth"><option value="">All authorities</option>{auth_options}'
        "</select></div>\n"
        f"{dpup_view.lens_filter(result, flows)}"
        '<button type="reset" id="fm-reset" class="fm-button">Reset</button>')


def _prefixes(category: str) -> list[str]:
    parts = category.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts) + 1)]


def _subject_label(result: Result, f: Finding) -> str:
    m = result.map
    kind, sid = f.subject.kind, f.subject.id
    if kind == "flow" and sid in m.flows:
        return _ends(result, m.flows[sid])
    if kind == "organisation" and sid in m.organisations:
        return f"<bdi>{_e(m.organisations[sid].name)}</bdi>"
    return _e(f"{kind} {sid}")


def _ends(result: Result, flow: Flow) -> str:
    """'A → B' as HTML, each name isolated: right-to-left text (or a U+202E
    override) in one name cannot reorder the arrow or the other name."""
    label = result.map.label
    return f"<bdi>{_e(label(flow.from_))}</bdi> → <bdi>{_e(label(flow.to))}</bdi>"


def _findings_table(result: Result, shown: Sequence[Finding]) -> str:
    if not shown:
        return '<p class="fm-empty">No findings: every flow has a legal basis that covers it.</p>'
    body = []
    for index, f in enumerate(shown):
        rule = BY_CODE.get(f.code)
        accepted = (f'<p class="fm-accepted"><span class="fm-badge fm-st-accepted">accepted'
                    f"</span> {_e(f.review_reason or '')}</p>" if f.accepted else "")
        where = f" · {f.location}" if f.location else ""
        body.append(
            f'<tr data-finding="{index}" data-kind="{_e(f.subject.kind)}" '
            f'data-id="{_e(f.subject.id)}" class="fm-sev-{f.severity.value}">'
            f'<td><span class="fm-sev fm-sev-{f.severity.value}">{f.severity.value}</span>'
            f'<span class="fm-sub"><code>{_e(f.code)}</code></span></td>'
            f'<td><p class="fm-f-head"><strong>{_e(rule.title if rule else f.code)}</strong>'
            f' — <button type="button" class="fm-link" data-finding="{index}">'
            f"{_subject_label(result, f)}</button></p>"
            f'<p class="fm-msg">{_e(f.message)}</p>{accepted}'
            f'<span class="fm-sub">{_e(f.subject.kind)} <code>{_e(f.subject.id)}</code>'
            f"{_e(where)}</span></td></tr>")
    return ('<table class="fm-table" id="fm-findings">'
            '<thead><tr><th scope="col">Severity</th><th scope="col">Finding</th></tr>'
            "</thead>\n<tbody>\n"
            + "\n".join(body) + "\n</tbody></table>")


def _link(url: str | None, text: str) -> str:
    if url and _SAFE_URL.match(url):
        return (f'<a href="{_e(url)}" rel="noopener noreferrer" target="_blank">'
                f"{_e(text)}</a>")
    return _e(text)


def _basis_cell(result: Result, flow: Flow) -> str:
    m = result.map
    parts = []
    for aid in flow.basis:
        auth = m.authorities.get(aid)
        if auth is None:
            parts.append(f"<li>{_e(aid)} <em>(unknown)</em></li>")
            continue
        mark = "" if auth.verified else ' <span class="fm-sub">(unverified)</span>'
        parts.append(f"<li>{_link(auth.url, auth.citation)}{mark}</li>")
    if not parts:
        return '<span class="fm-none">none cited</span>'
    return '<ul class="fm-plain">' + "".join(parts) + "</ul>"


def _register_table(result: Result, drawing: Drawing) -> str:
    m = result.map
    body = []
    for row in rows(result, drawing.view.flows):
        flow = m.flows[row.flow]
        lifecycle = "" if flow.status == "active" else f" · {flow.status}"
        body.append(
            f'<tr data-flow="{_e(row.flow)}" class="fm-st-{row.status}">'
            f'<td><button type="button" class="fm-link" data-flow="{_e(row.flow)}">'
            f"{_ends(result, flow)}</button>"
            f'<span class="fm-sub">{_e(row.flow)}</span></td>'
            f"<td>{_e(row.information)}"
            f'<span class="fm-sub">{_e(row.purpose)}</span></td>'
            f"<td>{_basis_cell(result, flow)}</td>"
            f'<td><span class="fm-badge fm-st-{row.status}">{_e(STATUS_LABELS[row.status])}'
            f'</span><span class="fm-sub">{_e(flow.identifiability)}{_e(lifecycle)}</span>'
            f'<span class="fm-sub">{_e(row.findings)}</span></td></tr>')
    if not body:
        return '<p class="fm-empty">No flows in this view.</p>'
    return ('<table class="fm-table" id="fm-register">'
            '<thead><tr><th scope="col">Flow</th><th scope="col">Information · purpose</th>'
            '<th scope="col">Legal basis</th><th scope="col">Status</th></tr></thead>\n'
            "<tbody>\n" + "\n".join(body) + "\n</tbody></table>")
