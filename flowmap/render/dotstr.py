"""Strings from a map, made safe for DOT.

:func:`text` is the one way map text enters DOT: backslash escapes and
HTML-like labels are disarmed; :func:`html_text` is for the inside of an
HTML-like label.
"""

from __future__ import annotations

import html
import re

from flowmap.render.dotsource import NoHtml

LABEL_WIDTH = 28
#: characters no XML document (so no SVG) may hold, even escaped; Graphviz refuses them
#: in HTML-like labels and copies them raw into SVG elsewhere: drawn as U+FFFD instead
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Graphviz 2.4x cannot read a quoted string of 16 KB or more: text drawn from a map is
#: clipped to this many characters (before escaping, which makes it at most five-fold)
MAX_TEXT = 3000
MAX_HTML_TEXT = 2000
#: in an HTML-like label Graphviz refuses text that is only tabs or line breaks
_XML_SPACE = str.maketrans("\t\n\r", "   ")


def _amp(value: str) -> str:
    """Graphviz reads '&amp;', '&#60;', '&copy;' in any label or tooltip as entities:
    an '&' from the map is written as '&amp;' so that it stays literal."""
    return value.replace("&", "&amp;")


def printable(value: str) -> str:
    """Map text without the characters XML cannot hold."""
    return NOT_XML.sub("\ufffd", value)


def _clipped(lines: tuple[str, ...]) -> list[str]:
    kept: list[str] = []
    room = MAX_TEXT
    for line in lines:
        if len(line) > room:
            kept.append(line[:max(room - 1, 0)] + "\u2026")
            break
        kept.append(line)
        room -= len(line) + 1
    return kept


#: any character :func:`text` has to change (the first test of its fast path)
_CHANGED = re.compile("[&\\\\\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text(*lines: str) -> str:
    """Map strings as one DOT escString: literal text, lines joined by DOT newlines."""
    together = "".join(lines)
    if len(together) + len(lines) <= MAX_TEXT + 1 and not _CHANGED.search(together):
        return NoHtml("\\n".join(lines))  # nothing to clip or escape
    return NoHtml("\\n".join(_amp(printable(line)).replace("\\", "\\\\")
                               for line in _clipped(lines)))


def node_tooltip(lines: list[str]) -> str:
    """A node tooltip. Graphviz 2.4x expands escapes in node tooltips a second time,
    so a backslash is shown as the look-alike U+29F5 rather than risk '\\N' turning
    into the node's name."""
    return text(*(line.replace("\\", "\u29f5") for line in lines))


def link(url: str) -> str:
    """A URL for Graphviz's URL attribute ('&' escaped by :func:`text`, as Graphviz's
    SVG output needs). Map URLs are validated to hold no quotes, angle brackets or
    spaces."""
    return text(url)


def html_text(value: str) -> str:
    """Map text inside an HTML-like label (quotes too, for attribute values). Graphviz
    expands '\\G', '\\N' ... in these labels' text as well: backslashes are doubled.
    The same 16 KB limit holds for one piece of text; escaping makes it up to six-fold."""
    if len(value) > MAX_HTML_TEXT:
        value = value[:MAX_HTML_TEXT - 1] + "\u2026"
    return html.escape(printable(value).translate(_XML_SPACE).replace("\\", "\\\\"),
                       quote=True)


def wrap(words: str, width: int = LABEL_WIDTH) -> list[str]:
    """Words broken into lines of at most ``width`` characters (long words kept whole)."""
    lines: list[str] = []
    for word in words.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]
