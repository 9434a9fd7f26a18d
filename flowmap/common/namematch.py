"""Names and citations as people write them, matched to a catalogue's entries.

"NZ Police", "Min. of Education", "IPP 12", "Privacy Act 2020 IPP 11(1)(a)"
and "Disengaged youth AISA" are the catalogue's New Zealand Police, Ministry
of Education and authorities, though none is written as the catalogue
writes it. Everything here comes from the catalogue's own data: each entry is
known by the words of its id, names, title, citation, instrument, provision
and type; a text names the entry whose words hold all of the text's words
(abbreviations expanded, small words left out). When several entries do, the
one whose words every other's hold (the general provision rather than its
sub-clauses) is meant; otherwise the text is ambiguous and the candidates are
offered. Nothing is hard-coded about any one catalogue.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

#: abbreviations people write in registers, as the words they stand for
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "nz": ("new", "zealand"), "min": ("ministry",), "dept": ("department",),
    "govt": ("government",), "gov": ("government",), "natl": ("national",),
    "cttee": ("committee",), "assn": ("association",), "intl": ("international",),
    "svc": ("service",), "svcs": ("services",), "sec": ("s",), "section": ("s",),
    "ss": ("s",), "cl": ("clause",), "sch": ("schedule",), "reg": ("regulation",),
    "regs": ("regulations",), "principle": ("ipp",), "ipps": ("ipp",),
}
#: words that tell entries apart too little to count ('a' is kept: IPP 11(1)(a))
SMALL = frozenset({"of", "the", "and", "for", "an", "to", "in", "on", "by", "at", "or",
                   "under", "with", "&"})


def words(text: str) -> frozenset[str]:
    """A text's words for matching: no case, accents or punctuation; numbered parts
    split ('11(1)(a)' → 11, 1, a) and kept whole (11(1), 11(1)(a)); abbreviations
    expanded; small words left out."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    found: set[str] = set()
    for word in re.findall(r"[a-z]+|[0-9]+", plain):
        found.update(ABBREVIATIONS.get(word, (word,)))
    for numbered in _NUMBERED.finditer(plain.replace(" ", "")):
        parts = re.findall(r"\(\w+\)", numbered.group(0))  # 11(1)(a): 11(1) and 11(1)(a)
        found.update(numbered.group(1) + "".join(parts[:n]) for n in range(1, len(parts) + 1))
    return frozenset(found - SMALL)


#: a numbered provision with its sub-parts, such as 11(1)(a), kept whole as well
_NUMBERED = re.compile(r"([0-9]+[a-z]?)((?:\([0-9a-z]+\))+)")


@dataclass(frozen=True)
class Entry:
    id: str
    label: str  # how a note names it
    words: frozenset[str]


@dataclass(frozen=True)
class Match:
    """What a text was matched to: one entry, or the candidates when unsure."""

    id: str | None
    label: str = ""
    candidates: tuple[str, ...] = ()


class Matcher:
    """Finds the catalogue entry a name or citation means."""

    def __init__(self, entries: Iterable[tuple[str, str, Iterable[str | None]]]) -> None:
        """``entries``: (id, label, texts it is known by)."""
        self.entries = [Entry(eid, label, frozenset().union(
            words(eid.replace(".", " ").replace("-", " ")),
            *(words(t) for t in texts if t))) for eid, label, texts in entries]

    def match(self, text: str) -> Match:
        wanted = words(text)
        if not wanted:
            return Match(None)
        holding = [e for e in self.entries if wanted <= e.words]
        if len(holding) == 1:
            return Match(holding[0].id, holding[0].label)
        general = [e for e in holding if all(e.words <= o.words for o in holding)]
        if len(general) == 1:
            return Match(general[0].id, general[0].label)
        if holding:
            return Match(None, candidates=tuple(e.id for e in holding[:4]))
        return Match(None, candidates=self._close(wanted))

    def _close(self, wanted: frozenset[str]) -> tuple[str, ...]:
        """Entries sharing most of the text's words, for a did-you-mean."""
        scored = sorted(((len(wanted & e.words) / len(wanted | e.words), e.id)
                         for e in self.entries), reverse=True)
        best = [eid for score, eid in scored[:3] if score >= 0.34]
        if best:
            return tuple(best)
        key = " ".join(sorted(wanted))
        pool = {" ".join(sorted(e.words)): e.id for e in self.entries}
        return tuple(pool[k] for k in difflib.get_close_matches(key, pool, n=2, cutoff=0.6))
