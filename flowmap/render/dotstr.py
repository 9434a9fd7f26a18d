"""Strings from a map, made safe for DOT.

:func:`text` is the one way map text enters DOT: backslash escapes and
HTML-like labels are disarmed; :func:`html_text` is for the inside of an
HTML-like label.
"""

from __future__ import annotations

import html

import graphviz

LABEL_WIDTH = 28


def text(*lines: str) -> str:
    """Map strings as one DOT escString: literal text, lines joined by DOT newlines."""
    joined: str = graphviz.nohtml("\\n".join(graphviz.escape(line) for line in lines))
    return joined


def node_tooltip(lines: list[str]) -> str:
    """A node tooltip. Graphviz 2.4x expands escapes in node tooltips a second time,
    so a backslash is shown as the look-alike U+29F5 rather than risk '\\N' turning
    into the node's name."""
    return text(*(line.replace("\\", "\u29f5") for line in lines))


def link(url: str) -> str:
    """A URL for Graphviz's URL attribute, which SVG output copies without escaping
    '&'. Map URLs are validated to hold no quotes, angle brackets or spaces."""
    return text(url.replace("&", "&amp;"))


def html_text(value: str) -> str:
    """Map text inside an HTML-like label (quotes too, for attribute values)."""
    return html.escape(value, quote=True)


def wrap(words: str, width: int = LABEL_WIDTH) -> list[str]:
    """Words broken into lines of at most ``width`` characters (long words kept whole)."""
    lines: list[str] = []
    for word in words.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]
