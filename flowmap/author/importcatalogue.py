"""What a catalogue offers an import: its entries by exact name, by their words, and
their citations and links."""

from __future__ import annotations

from collections.abc import Iterable

from flowmap.common.namematch import Matcher


def _key(name: str) -> str:
    """Names that are the same thing: "Inland  revenue" and "Inland Revenue"."""
    import re

    return " ".join(re.sub(r"[\u2010-\u2015]", "-", name).casefold().split())


def _lookup(entries: Iterable[tuple[str, Iterable[str | None]]]) -> dict[str, str]:
    """key → catalogue id, for every unambiguous id, name or citation."""
    found: dict[str, set[str]] = {}
    for cid, names in entries:
        for name in (cid, *names):
            if name:
                found.setdefault(_key(name), set()).add(cid)
    return {k: next(iter(ids)) for k, ids in found.items() if len(ids) == 1}


def catalogue_lookups(name: str | None) -> tuple[dict[str, str], dict[str, str],
                                                  dict[str, str]]:
    if name is None:
        return {}, {}, {}
    from flowmap.load.catalogue import load_catalogue

    found = load_catalogue(name)
    return (
        _lookup((o.id, (o.name, o.short)) for o in found.organisations.values()),
        _lookup((p.id, (p.name,)) for p in found.purposes.values()),
        _lookup((a.id, (a.citation, a.title)) for a in found.authorities.values()),
    )


def catalogue_matchers(name: str | None) -> tuple[Matcher | None, Matcher | None,
                                                   Matcher | None]:
    """Organisations, purposes and authorities by the words of all they are known by."""
    if name is None:
        return None, None, None
    from flowmap.load.catalogue import load_catalogue

    found = load_catalogue(name)
    return (
        Matcher((o.id, o.name, (o.name, o.short)) for o in found.organisations.values()),
        Matcher((p.id, p.name, (p.name,)) for p in found.purposes.values()),
        Matcher((a.id, a.citation, (a.title, a.citation, a.instrument, a.provision,
                                    a.type.replace("-", " ")))
                for a in found.authorities.values()),
    )


def catalogue_citations(name: str | None) -> dict[str, str]:
    if name is None:
        return {}
    from flowmap.load.catalogue import load_catalogue

    return {a.id: a.citation for a in load_catalogue(name).authorities.values()}


def catalogue_urls(name: str | None) -> dict[str, str]:
    if name is None:
        return {}
    from flowmap.load.catalogue import load_catalogue

    return {a.id: a.url for a in load_catalogue(name).authorities.values() if a.url}
