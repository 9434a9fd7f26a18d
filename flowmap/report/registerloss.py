"""What a CSV or XLSX register cannot give back, said before it is written.

A CSV register is one table with a row per flow: the map's `map:` block, its own
organisations, information, purposes, authorities and classes ride in it only as the
names (and, for authorities, ids and links) its flows show. `flowmap import` makes the
rest again from those names, so every other key of those items, and every item no flow
names, would be lost without a word. An XLSX register carries them on sheets of their
own, but like a CSV it is one map: a map composed of several agencies' maps (`include:`)
comes back as one map with one owner, so the reconciliation between the owners (FM502,
FM503, FM504: which map declares each flow) cannot be repeated on it.

:func:`losses` says what will not come back, one line per kind of loss, so that
`flowmap register` can warn on stderr (the register is still written: a CSV is what a
publication's appendix often needs).
"""

from __future__ import annotations

from collections.abc import Iterable

from flowmap.model.mapdata import Map

#: the sections of a map's own items, in the order the warning names them
SECTIONS = ("organisations", "information", "purposes", "authorities", "classes")
#: keys of an item a CSV register gives back (besides the id, see :func:`_carried`)
CARRIED = {"organisations": {"name"}, "information": {"name", "category"},
           "purposes": {"name"}, "authorities": {"id", "url"}, "classes": set()}
#: keys of the `map:` block any import makes again (its id from the directory it is
#: written to, its title from a title row or `--title`)
MAP_REMADE = ("id", "title")
#: how many ids a line names before "and N more"
SHOWN = 5


def losses(m: Map, fmt: str) -> list[str]:
    """What a ``fmt`` (csv or xlsx) register of ``m`` will not give back when imported."""
    found = [f"a CSV register does not give back {lost}; --format xlsx keeps them"
             for lost in _csv_losses(m)] if fmt == "csv" else []
    if len(m.components) > 1:
        found.append(
            f"the map is composed of {len(m.components)} maps "
            f"({_ids(c.id for c in m.components)}); a register is one map, so an import "
            "of it has one owner and no `include:`, and the reconciliation between the "
            "owners (FM502, FM503, FM504, which depend on the map that declares each "
            "flow) is not repeated on it: keep the agencies' own maps for that")
    return found


def _csv_losses(m: Map) -> list[str]:
    found = []
    block = [k for k in m.info.model_dump(by_alias=True, exclude_defaults=True)
             if k not in MAP_REMADE]
    if block:
        found.append(f"the map's {', '.join(block)} (the `map:` block)")
    used = _used(m)
    for section in SECTIONS:
        items = {i: x for i, x in getattr(m, section).items()
                 if not m.from_catalogue(section, i)}
        unused = [i for i in sorted(items) if i not in used.get(section, ())]
        if unused:
            found.append(f"{section} {_ids(unused)}, which no flow names")
        keys: dict[str, None] = {}
        shown = []
        for i in sorted(items):
            if i in unused:
                continue
            lost = _lost_keys(section, items[i])
            if lost:
                shown.append(i)
                keys.update(dict.fromkeys(lost))
        if shown:
            whose = "its" if len(shown) == 1 else "their"
            found.append(f"{section} {_ids(shown)}: {whose} {', '.join(keys)}")
    return found


def _used(m: Map) -> dict[str, set[str]]:
    """The items the flows name, by section: a CSV row holds only these."""
    used: dict[str, set[str]] = {s: set() for s in SECTIONS}
    for flow in m.flows.values():
        used["organisations"].update((flow.from_, flow.to))
        used["information"].update(flow.information)
        used["authorities"].update(flow.basis)
        if flow.purpose:
            used["purposes"].add(flow.purpose)
    return used


def _lost_keys(section: str, item: object) -> list[str]:
    """The keys of an item a CSV register does not carry: all but its name (and the
    like), and its id too when an import would not make the same id from its name."""
    from pydantic import BaseModel

    from flowmap.author.importmap import short_slug
    from flowmap.author.importwrite import DEFAULT_KIND

    assert isinstance(item, BaseModel)
    data = item.model_dump(by_alias=True, exclude_defaults=True)
    carried = set(CARRIED[section])
    if section == "authorities":
        if data.get("title") == getattr(item, "citation", None):
            carried.add("title")  # the Legal basis cell is its citation
    elif short_slug(str(data.get("name", ""))) == data.get("id"):
        carried.add("id")
    if section == "organisations" and data.get("kind") == DEFAULT_KIND:
        carried.add("kind")  # what an import gives an organisation it makes
    own = getattr(item, "own", {})
    return [k for k in (*data, *own) if k not in carried]


def _ids(ids: Iterable[str]) -> str:
    listed = list(ids)
    more = len(listed) - SHOWN
    return ", ".join(listed[:SHOWN]) + (f" and {more} more" if more > 0 else "")
