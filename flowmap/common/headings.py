"""Which register column a heading names, read from its words.

People head a register's columns in their own words: `From organisation`,
`Recipient agency`, `Information shared`, `Legislation / authority`,
`De-identified? (Y/N)`. A heading names the field one of whose phrases it
holds as whole words, in order; the longest phrase wins, and between phrases
of the same length the field listed first in ``PHRASES`` (so `Information
category` is the category, `Recipient country` the country). A column whose
heading asks a yes/no question (`De-identified?`, `Overseas?`) says what a
yes and a no mean (``yes_no``).
"""

from __future__ import annotations

import re
import unicodedata

#: field → phrases a heading holds to name it (most specific fields first)
PHRASES: dict[str, tuple[str, ...]] = {
    "flow": ("flow id", "flow ref", "flow reference", "flow no", "flow number", "ref",
             "reference", "id", "flow"),
    "category": ("category", "categories", "type of information", "information type",
                 "classification"),
    "basis": ("legal basis", "legal bases", "basis", "legislation", "legal authority",
              "authority", "authorities", "statutory authority", "statute", "law",
              "mandate", "lawful basis"),
    "links": ("link", "links", "url", "urls", "web address"),
    "identifiability": ("identifiability", "identifiable", "de identified", "deidentified",
                        "anonymised", "anonymized", "anonymous", "aggregate", "aggregated",
                        "pseudonymised", "pseudonymized", "identified"),
    "status": ("lifecycle", "flow status", "live or proposed"),
    "frequency": ("frequency", "how often"),
    "channel": ("channel", "method", "how shared", "mechanism", "transfer method"),
    "country": ("country", "overseas", "offshore", "recipient country",
                "location of recipient"),
    "purpose": ("purpose", "purposes", "reason for sharing", "why shared"),
    "notes": ("notes", "note", "description", "comments", "comment", "remarks"),
    "from": ("from", "discloser", "disclosing", "source", "sender", "shared by",
             "disclosed by", "provided by", "supplier"),
    "to": ("to", "recipient", "recipients", "receiving", "receiver", "destination",
           "shared with", "disclosed to", "provided to"),
    "information": ("information", "data", "data items", "what is shared",
                    "what information"),
}
#: words that make an unread heading look like the legal basis (so it is not dropped)
BASIS_HINTS = frozenset({"legal", "law", "lawful", "legislation", "authority", "authorised",
                         "authorized", "basis", "act", "statute", "statutory", "section",
                         "provision", "mandate", "power", "aisa", "ipp", "principle",
                         "agreement", "grounds", "permitted", "allowed", "justification"})
#: a heading that asks a question: what a yes and a no mean for its field, by its words
YES_NO: dict[str, tuple[tuple[str, str, str], ...]] = {
    "identifiability": (("de identified", "de-identified", "identified"),
                        ("deidentified", "de-identified", "identified"),
                        ("anonymised", "de-identified", "identified"),
                        ("anonymized", "de-identified", "identified"),
                        ("anonymous", "de-identified", "identified"),
                        ("aggregate", "aggregate", "identified"),
                        ("aggregated", "aggregate", "identified"),
                        ("pseudonymised", "pseudonymised", "identified"),
                        ("pseudonymized", "pseudonymised", "identified"),
                        ("identifiable", "identified", "de-identified"),
                        ("identified", "identified", "de-identified")),
    "country": (("overseas", "overseas", "home"), ("offshore", "overseas", "home")),
}
YES = frozenset({"y", "yes", "true", "x", "\u2713", "\u2714"})
NO = frozenset({"n", "no", "false"})


def words(text: str) -> list[str]:
    """The words of a heading: case, accents and punctuation ignored; what is in
    brackets ('(Y/N)', '(optional)') left out."""
    text = re.sub(r"\([^)]*\)", " ", text.replace("\ufeff", ""))
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return re.findall(r"[a-z0-9]+", plain)


def _holds(heading: list[str], phrase: list[str]) -> bool:
    return any(heading[i:i + len(phrase)] == phrase
               for i in range(len(heading) - len(phrase) + 1))


def heading_field(text: str) -> str | None:
    """The field a heading names, or None."""
    heading = words(text)
    best: tuple[int, str] | None = None
    for field, phrases in PHRASES.items():
        for phrase in phrases:
            length = len(phrase.split())
            if _holds(heading, phrase.split()) and (best is None or length > best[0]):
                best = (length, field)
    return best[1] if best else None


def looks_like_basis(text: str) -> bool:
    return bool(BASIS_HINTS.intersection(words(text)))


def yes_no(field: str, text: str) -> tuple[str, str] | None:
    """(what yes means, what no means) for a column whose heading asks about its field."""
    heading = words(text)
    for phrase, yes, no in YES_NO.get(field, ()):
        if _holds(heading, phrase.split()):
            return yes, no
    return None
