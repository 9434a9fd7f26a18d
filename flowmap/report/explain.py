"""An :class:`~flowmap.review.explain.Explanation` as Markdown or as one self-contained HTML page.

Every string from the map is escaped here, for the format it goes into. The
HTML page has landmarks (header, main, footer), one h1 and ordered headings,
lists for lists, dark text on white (contrast above 7:1), no script, and a
print style; it is checked in headless Chromium by tests/test_explain.py.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from flowmap.review.explain import PRIVACY_COMMISSIONER, Entry, Explanation, Law, Who

# -- the words, shared by both formats ------------------------------------------

SEE_AND_CORRECT = (
    "You can ask any organisation on this page to show you the information it holds "
    "about you. If something is wrong, you can ask them to fix it. This is your right "
    "under the Privacy Act 2020. You do not have to say why you want to see it.")
COMPLAIN = ("If you are not happy with the answer, you can talk to the {name}. It is free.")
NONE_SHARED = "This map shows no information that names you going anywhere from here."


def _what(entry: Entry) -> str:
    return "; ".join(entry.what)


def _contact_parts(who: Who) -> list[tuple[str, str | None]]:
    """(label, link) pairs: how to reach the organisation about your information."""
    parts: list[tuple[str, str | None]] = []
    c = who.contact
    if c is not None:
        if c.name:
            parts.append((f"Ask for: {c.name}", None))
        if c.email:
            parts.append((f"Email: {c.email}", f"mailto:{c.email}"))
        if c.phone:
            parts.append((f"Phone: {c.phone}", f"tel:{re.sub(r'[^0-9+]', '', c.phone)}"))
        if c.post:
            parts.append((f"Post: {c.post}", None))
        if c.url:
            parts.append(("Web page", c.url))
    else:
        parts.append(("Ask to talk to their Privacy Officer.", None))
    if who.access:
        parts.append((who.access, None))
    if who.statement:
        parts.append(("Their privacy statement", who.statement))
    return parts


# -- Markdown -------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")


def md(text: str) -> str:
    """Map text as Markdown that shows it literally, on one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_link(label: str, url: str | None) -> str:
    if not url:
        return md(label)
    return f"[{md(label)}](<{url.replace('>', '%3E').replace(' ', '%20')}>)"


def _md_entry(entry: Entry, verb: str) -> list[str]:
    lines = [f"### {md(entry.heading)}", ""]
    if entry.giver:
        lines.append(f"- **Who gives it:** {md(entry.giver)}")
    lines.append(f"- **{verb}:** {md(_what(entry))}")
    if entry.why:
        lines.append(f"- **Why:** {md(entry.why)}")
    if entry.laws:
        lines.append("- **The law that allows it:** "
                     + "; ".join(_md_link(law.name, law.url) for law in entry.laws))
    lines.append(f"- **Your choice:** {md(entry.choice)}")
    if entry.how:
        lines.append(f"- **How to choose:** {md(entry.how)}")
    if entry.told:
        lines.append(f"- **How you are told:** {md(entry.told)}")
    return [*lines, ""]


def markdown(page: Explanation) -> str:
    lines = [f"# {md(page.title)}", "", md(page.intro), ""]
    if page.given:
        lines += ["## What you give", ""]
        for entry in page.given:
            lines += _md_entry(entry, "What you give")
    lines += ["## Where your information goes", ""]
    for entry in page.goes:
        lines += _md_entry(entry, "What they get")
    if not page.goes:
        lines += [NONE_SHARED, ""]
    if page.unnamed:
        lines += ["## Information that does not name you", ""]
        for entry in page.unnamed:
            lines += _md_entry(entry, "What they get, without your name")
    if page.comes:
        lines += ["## Where information about you comes from", ""]
        for entry in page.comes:
            lines += _md_entry(entry, "What they give")
    lines += ["## See and correct your information", "", md(SEE_AND_CORRECT), ""]
    lines += ["## Who to contact", ""]
    for who in page.contacts:
        lines += [f"### {md(who.name)}", ""]
        lines += [f"- {_md_link(label, link)}" for label, link in _contact_parts(who)]
        lines.append("")
    name, url = PRIVACY_COMMISSIONER
    lines += [md(COMPLAIN.format(name=name)) + f" {_md_link(name, url)}", ""]
    lines += [f"*This page was made from the organisation's information map as of "
              f"{page.as_of}.*", ""]
    return "\n".join(lines)


# -- HTML -------------------------------------------------------------------------

def h(text: str) -> str:
    return html.escape(text, quote=True)


def _a(label: str, url: str | None) -> str:
    return f'<a href="{h(url)}">{h(label)}</a>' if url else h(label)


def _laws(laws: tuple[Law, ...]) -> str:
    if len(laws) == 1:
        return _a(laws[0].name, laws[0].url)
    return "<ul>" + "".join(f"<li>{_a(law.name, law.url)}</li>" for law in laws) + "</ul>"


def _html_entry(entry: Entry, verb: str) -> str:
    rows = [("Who gives it", h(entry.giver))] if entry.giver else []
    rows.append((verb, h(_what(entry))))
    if entry.why:
        rows.append(("Why", h(entry.why)))
    if entry.laws:
        rows.append(("The law that allows it", _laws(entry.laws)))
    rows.append(("Your choice", h(entry.choice)))
    if entry.how:
        rows.append(("How to choose", h(entry.how)))
    if entry.told:
        rows.append(("How you are told", h(entry.told)))
    items = "".join(f"<dt>{h(k)}</dt><dd>{v}</dd>" for k, v in rows)
    # a div, not a section: two entries may name the same organisation, and
    # landmarks must have unique names
    return (f'<div class="entry" id="flow-{h(entry.flow)}">'
            f'<h3>{h(entry.heading)}</h3><dl>{items}</dl></div>')


def _html_section(title: str, sid: str, body: str) -> str:
    return (f'<section aria-labelledby="{sid}"><h2 id="{sid}">{h(title)}</h2>{body}'
            "</section>")


def _html_who(who: Who) -> str:
    items = "".join(f"<li>{_a(label, link)}</li>" for label, link in _contact_parts(who))
    return f"<h3>{h(who.name)}</h3><ul>{items}</ul>"


CSS = """
:root { color: #1a1a1a; background: #fff; font: 1.125rem/1.6 system-ui, sans-serif; }
body { margin: 0 auto; max-width: 42rem; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.9rem; line-height: 1.25; }
h2 { margin-top: 2.5rem; border-bottom: 3px solid #005a9c; padding-bottom: .25rem; }
.entry { border-left: 6px solid #005a9c; padding: .25rem 1rem; margin: 1.25rem 0;
  background: #f4f8fb; }
dt { font-weight: 700; }
dd { margin: 0 0 .5rem 0; }
dd ul { margin: 0; padding-left: 1.25rem; }
a { color: #004a80; text-decoration: underline; }
a:focus { outline: 3px solid #1a1a1a; outline-offset: 2px; }
footer { margin-top: 3rem; font-size: 1rem; color: #333; }
@media print {
  :root { font-size: 11pt; }
  .entry { break-inside: avoid; background: none; border-left-color: #000; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .85em; }
}
"""


def to_html(page: Explanation) -> str:
    parts = [_html_section("What you give", "given",
                           "".join(_html_entry(e, "What you give") for e in page.given))
             ] if page.given else []
    parts += [_html_section("Where your information goes", "goes",
                           "".join(_html_entry(e, "What they get") for e in page.goes)
                           or f"<p>{h(NONE_SHARED)}</p>")]
    if page.unnamed:
        parts.append(_html_section(
            "Information that does not name you", "unnamed",
            "".join(_html_entry(e, "What they get, without your name") for e in page.unnamed)))
    if page.comes:
        parts.append(_html_section("Where information about you comes from", "comes",
                                   "".join(_html_entry(e, "What they give")
                                           for e in page.comes)))
    parts.append(_html_section("See and correct your information", "access",
                               f"<p>{h(SEE_AND_CORRECT)}</p>"))
    name, url = PRIVACY_COMMISSIONER
    parts.append(_html_section(
        "Who to contact", "contact",
        "".join(_html_who(w) for w in page.contacts)
        + f"<p>{h(COMPLAIN.format(name=name))} {_a(name, url)}</p>"))
    return (
        '<!DOCTYPE html>\n<html lang="en-NZ"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{h(page.title)}</title><style>{CSS}</style></head><body>"
        f'<header><h1>{h(page.title)}</h1><p>{h(page.intro)}</p></header>'
        f'<main>{"".join(parts)}</main>'
        f"<footer><p>This page was made from the organisation's information map as of "
        f'<time datetime="{page.as_of}">{page.as_of}</time>.</p></footer>'
        "</body></html>\n")


EXPLAIN_FORMATS: dict[str, Callable[[Explanation], str]] = {
    "html": to_html, "markdown": markdown,
}
