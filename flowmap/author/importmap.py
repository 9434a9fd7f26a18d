"""Rows of a register → a map directory that `flowmap validate` reads cleanly.

Organisations, information and purposes are made from the names in the
register, with stable ids: the same name (ignoring case and spacing) is the
same thing, and its id is the name as a slug. Two names with the same slug
are told apart with -2, -3, ... given in the order of the names, so that the
ids do not depend on the order of the rows. With a catalogue (``--catalogue
nz``), a name that is a catalogue organisation's or purpose's id, name or
short name is that entry, cited without being declared.

A legal basis is a catalogue authority when its text is the authority's id,
citation or title. Any other is declared as a stub authority: its title is
the register's text, ``type: other``, ``verified: false`` and a scope that
covers no information yet. A register's word that a flow is allowed is not
checked law: until someone checks the citation and writes its real type and
scope, every flow that rests on a stub alone is reported as not covered
(FM204), and the citation is kept, marked "(unverified)" in the register.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from flowmap.author.importer import (
    FlowRow,
    Severity,
    Problem,
    Reading,
    has_header,
    normalise_heading,
    own_key,
    read_rows,
)
from flowmap.author import roundtrip
from flowmap.author.importcatalogue import (
    catalogue_citations,
    catalogue_lookups,
    catalogue_matchers,
    catalogue_urls,
)
from flowmap.author.importitems import item_tables, read_items
from flowmap.author.importwrite import DEFAULT_KIND, write_files
from flowmap.model.entities import ID_PATTERN, MAX_ID_LENGTH, Authority
from flowmap.common.namematch import Matcher
from flowmap.author.scaffold import check_directory, slugify
from flowmap.common.sheet import read_tables

#: the files an import writes (and --force replaces)
FILES = ("map.yaml", "organisations.yaml", "information.yaml", "purposes.yaml",
         "authorities.yaml", "flows.yaml")
#: the category of an information item the register gives none for
DEFAULT_CATEGORY = "personal"
_ID = re.compile(ID_PATTERN)


@dataclass
class _Named:
    """An organisation, information item, purpose or legal basis the register names."""

    name: str
    row: int
    column: int
    id: str = ""
    catalogued: bool = False
    category: str | None = None
    url: str | None = None
    country: str | None = None
    #: the item as a sheet of the workbook gives it, written as it is
    given: dict[str, Any] | None = None


def _key(name: str) -> str:
    """Names that are the same thing: "Inland  revenue" and "Inland Revenue"."""
    return " ".join(re.sub(r"[\u2010-\u2015]", "-", name).casefold().split())


#: how a note says a name was read: (row, column, severity, message)
_Say = Callable[[int, int, Severity, str], None]


class _Names:
    """Names → stable ids (see the module's doc)."""

    def __init__(self, fallback: str, catalogue: Mapping[str, str] | None = None,
                 matcher: Matcher | None = None, say: _Say | None = None) -> None:
        self.fallback = fallback
        self.catalogue = catalogue or {}
        self.matcher = matcher
        self.say = say
        self.by_key: dict[str, _Named] = {}

    def add(self, name: str, row: int, column: int) -> _Named:
        key = _key(name)
        found = self.by_key.get(key)
        if found is None:
            found = self.by_key[key] = _Named(name, row, column)
            if key in self.catalogue:
                found.id, found.catalogued = self.catalogue[key], True
            elif self.matcher is not None:
                self._match(found)
        return found

    def cite(self, cid: str, text: str, row: int, column: int) -> _Named:
        """The catalogue entry or given item ``cid``, named by ``text``."""
        given = self.by_key.get(f"\0given\0{cid}")
        if given is not None:
            return given
        return self.by_key.setdefault(f"\0{cid}", _Named(text, row, column, cid, True))

    def stub(self, sid: str, text: str, row: int, column: int) -> _Named:
        """A legal basis of the map's own that a register names by id and citation."""
        named = self.by_key.setdefault(_key(text), _Named(text, row, column, sid))
        return named

    def seed(self, data: dict[str, Any], names: Iterable[str | None]) -> None:
        """An item a sheet of the workbook gives, known by its id and ``names``."""
        named = _Named(str(data.get("name") or data.get("title") or data["id"]), 0, 0,
                       str(data["id"]), given=data)
        self.by_key[f"\0given\0{named.id}"] = named
        for name in (named.id, *names):
            if name:
                self.by_key.setdefault(_key(name), named)

    def _match(self, named: _Named) -> None:
        """A name the catalogue writes differently: matched by its words, with a note;
        a did-you-mean when it could be several entries, or none is close."""
        assert self.matcher is not None
        found = self.matcher.match(named.name)
        say = self.say or (lambda *_: None)
        if found.id is not None:
            named.id, named.catalogued = found.id, True
            say(named.row, named.column, "note",
                f"{named.name!r} read as the catalogue's {self.fallback} {found.id} "
                f"({_shorten(found.label)})")
        elif found.candidates:
            say(named.row, named.column, "warning",
                f"{named.name!r} is not a catalogue {self.fallback}, so it is declared as "
                f"one of the map's own; did you mean {' or '.join(found.candidates)}? "
                "(write its name or id as the catalogue has it)")
        elif self.fallback == "authority":  # a citation no one has checked: say so
            say(named.row, named.column, "warning",
                f"{named.name!r} is not a catalogue authority, nor close to one, so it is "
                "declared as an unverified stub that covers nothing until it is checked")

    def assign(self) -> None:
        taken = set(self.catalogue.values()) | {n.id for n in self.by_key.values() if n.id}
        for key in sorted(k for k, n in self.by_key.items()
                          if not n.catalogued and n.given is None and not n.id):
            named = self.by_key[key]
            base = short_slug(named.name) or self.fallback
            candidate, n = base, 2
            while candidate in taken:
                candidate, n = f"{base}-{n}", n + 1
            named.id = candidate
            taken.add(candidate)

    def declared(self) -> list[_Named]:
        """The names to declare (not the catalogue's), in the order first named."""
        return list({id(n): n for n in self.by_key.values() if not n.catalogued}.values())


#: the longest id made from a name: readable, and with room for a flow id made of three
MAX_SLUG = 60


def short_slug(text: str, limit: int = MAX_SLUG) -> str:
    """:func:`slugify`, cut at a word boundary to at most ``limit`` characters."""
    slug = slugify(text)
    if len(slug) <= limit:
        return slug
    if slug[limit] == "-":
        return slug[:limit]
    cut = slug[:limit].rsplit("-", 1)[0]
    return (cut if len(cut) >= limit // 2 else slug[:limit]).strip("-")


@dataclass
class _Flow:
    row: FlowRow
    discloser: _Named
    recipient: _Named
    information: list[_Named]
    purpose: _Named | None
    basis: list[_Named]
    description: str
    id: str = ""


@dataclass
class Imported:
    """What an import read and wrote."""

    source: str
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    skipped: int = 0

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)


class _Builder:
    def __init__(self, reading: Reading, catalogue: str | None) -> None:
        self.reading = reading
        self.catalogue = catalogue
        orgs, purposes, authorities = catalogue_lookups(catalogue)
        matchers = catalogue_matchers(catalogue)
        self.orgs = _Names("organisation", orgs, matchers[0], reading.add)
        self.information = _Names("information")
        self.purposes = _Names("purpose", purposes, matchers[1], reading.add)
        self.bases = _Names("authority", authorities, matchers[2], reading.add)
        self.urls = catalogue_urls(catalogue)
        self.citations = catalogue_citations(catalogue)
        self.flows: list[_Flow] = []
        self.map_info: dict[str, Any] = {}  # the workbook's `map:` block, when it has one
        self.classes: list[dict[str, Any]] = []

    def seed(self, section: str, items: list[dict[str, Any]]) -> None:
        """The map's own items, as the workbook's item sheets give them."""
        for data in items:
            if section == "map":
                self.map_info = data
            elif section == "classes":
                self.classes.append(data)
            elif section == "organisations":
                self.orgs.seed(data, (data.get("name"), data.get("short")))
            elif section == "information":
                self.information.seed(data, (data.get("name"),))
            elif section == "purposes":
                self.purposes.seed(data, (data.get("name"),))
            else:
                cited = Authority.model_validate(data).citation
                self.citations[str(data["id"])] = cited
                self.bases.seed(data, (cited, data.get("title")))

    def warn(self, row: int, column: int, message: str) -> None:
        self.reading.add(row, column, "warning", message)

    def add(self, r: FlowRow) -> None:
        col = r.columns
        information = [self.information.add(name, r.row, col["information"])
                       for name in r.information]
        for item, category in zip(information, r.categories, strict=False):
            if item.category is None:
                item.category = category
            elif item.category != category:
                self.warn(r.row, col["category"],
                          f"information {item.name!r} already has category {item.category} "
                          f"(row {item.row}), so {category} is not imported")
        basis = self._basis_by_id(r) or [self.bases.add(text, r.row, col["basis"])
                                         for text in self._citations(r.basis)]
        discloser = self.orgs.add(r.discloser, r.row, col["from"])
        recipient = self.orgs.add(r.recipient, r.row, col["to"])
        if r.country and not recipient.catalogued:
            if recipient.country not in (None, r.country):
                self.warn(r.row, col["country"],
                          f"{recipient.name!r} is in {recipient.country} in row "
                          f"{recipient.row}, so {r.country} is not imported")
            else:
                recipient.country = r.country
        self.flows.append(_Flow(
            r, discloser, recipient, information,
            self.purposes.add(r.purpose, r.row, col["purpose"]) if r.purpose else None,
            basis, self._links(r, basis)))

    def _basis_by_id(self, r: FlowRow) -> list[_Named] | None:
        """The bases a register flowmap wrote names by id (its `basis` column), when they
        are catalogue authorities whose citations are the Legal basis cell's: several
        authorities can share one citation. None when the cell was changed since."""
        ids = [i.strip() for i in dict(r.extra).get("basis", "").split(";") if i.strip()]
        if not ids or not all(_ID.match(i) for i in ids):
            return None
        cited = self.citations.get
        column = r.columns.get("basis", 0)
        if all(cited(i) is not None for i in ids):
            if _key("; ".join(cited(i) or "" for i in ids)) != _key("; ".join(r.basis)):
                return None
            return [self.bases.cite(i, cited(i) or i, r.row, column) for i in ids]
        # some are the map's own, which a CSV does not carry: one citation per id
        if len(ids) != len(r.basis) or any(cited(i) is not None and _key(cited(i) or "") !=
                                           _key(text) for i, text in zip(ids, r.basis)):
            return None
        return [self.bases.cite(i, text, r.row, column) if cited(i) is not None
                else self.bases.stub(i, text, r.row, column) for i, text in zip(ids, r.basis)]

    def _citations(self, parts: tuple[str, ...]) -> list[str]:
        """The cell's entries, joining back up those that make one catalogue citation
        with a ';' of its own (the longest that does, at each place)."""
        found: list[str] = []
        start = 0
        while start < len(parts):
            end = next((e for e in range(len(parts), start + 1, -1)
                        if _key("; ".join(parts[start:e])) in self.bases.catalogue), start + 1)
            found.append("; ".join(parts[start:end]))
            start = end
        return found

    def _links(self, r: FlowRow, basis: list[_Named]) -> str:
        """Give each stub its URL from the Links cell; what cannot be matched → description."""
        description = r.notes
        if not r.links:
            return description
        pairs = self._align(list(r.links), basis)
        if pairs is None:
            self.warn(r.row, r.columns["links"],
                      "cannot tell which legal basis each link belongs to (the register lists "
                      "one link for each basis that has one, in the order of the bases); the "
                      "links are kept in the flow's description")
            return _append(description, "Links: " + " ".join(r.links))
        for stub, url in pairs:
            if _is_url(url):
                stub.url = url
            else:
                self.warn(r.row, r.columns["links"],
                          f"{url!r} is not an http(s) address, so it is kept in the flow's "
                          "description")
                description = _append(description, f"Link: {url}")
        return description

    def _url(self, basis: _Named) -> str | None:
        return self.urls.get(basis.id) if basis.catalogued else basis.url

    def _align(self, links: list[str], basis: list[_Named]) -> list[tuple[_Named, str]] | None:
        """(stub, link) for the stubs the links belong to, or None when that is unclear.

        The register lists one link for each basis that has a URL, in the order of the
        bases; catalogue authorities and stubs given a link by an earlier row have a
        known URL, the other stubs may or may not have one."""
        unknown = [b for b in basis if not b.catalogued and b.url is None]
        spare = len(links) - sum(self._url(b) is not None for b in basis)
        if spare not in (0, len(unknown)):
            return None
        pairs: list[tuple[_Named, str]] = []
        position = 0
        for b in basis:
            url = self._url(b)
            if url is None and (b.catalogued or spare == 0):
                continue
            if position >= len(links) or (url is not None and links[position] != url):
                return None
            if url is None:
                pairs.append((b, links[position]))
            position += 1
        return pairs if position == len(links) else None

    def finish(self) -> None:
        for names in (self.orgs, self.information, self.purposes, self.bases):
            names.assign()
        for item in self.information.declared():
            if item.category is None:
                item.category = DEFAULT_CATEGORY
                if self.reading.has("category"):
                    self.warn(item.row, item.column,
                              f"no category for information {item.name!r}; it is given "
                              f"`{DEFAULT_CATEGORY}`: set the right one in information.yaml")
        self._flow_ids()

    def _flow_ids(self) -> None:
        taken: set[str] = set()
        for flow in self.flows:
            given = flow.row.flow_id
            if not given:
                continue
            wanted = given if _ID.match(given) and len(given) <= MAX_ID_LENGTH \
                else short_slug(given, MAX_ID_LENGTH)
            if wanted != given:
                self.warn(flow.row.row, flow.row.columns["flow"],
                          f"flow id {given[:60]!r} is not a valid id (lower-case letters, "
                          f"digits, '.', '_', '-', at most {MAX_ID_LENGTH} characters); it "
                          f"is imported as {wanted or 'a new id'!r}")
            if wanted in taken:
                self.warn(flow.row.row, flow.row.columns["flow"],
                          f"flow id {wanted!r} is used by an earlier row; this row's flow "
                          "gets a new id")
                continue
            if wanted:
                flow.id = wanted
                taken.add(wanted)
        for flow in self.flows:
            if flow.id:
                continue
            base = "-".join([flow.discloser.id, flow.recipient.id,
                             *(i.id for i in flow.information[:1])])[:MAX_ID_LENGTH - 8]
            candidate, n = base, 2
            while candidate in taken:
                candidate, n = f"{base}-{n}", n + 1
            flow.id = candidate
            taken.add(candidate)

    # -- the map's data ----------------------------------------------------------

    def sections(self, map_id: str, title: str) -> dict[str, dict[str, Any]]:
        info: dict[str, Any] = {"id": map_id, "title": title,
                                "description": f"Imported from {self.reading.source} by "
                                               "flowmap import."}
        if self.catalogue:
            info["catalogues"] = [self.catalogue]
        info.update(self.map_info)
        if self.catalogue and self.catalogue not in info["catalogues"]:
            info["catalogues"] = [*info["catalogues"], self.catalogue]  # --catalogue too
        more = {"classes.yaml": {"flowmap": 1, "classes": self.classes}} if self.classes else {}
        return {
            "map.yaml": {"flowmap": 1, "map": info},
            "organisations.yaml": {"flowmap": 1, "organisations": [
                o.given or {"id": o.id, "name": o.name, "kind": DEFAULT_KIND,
                            **({"country": o.country} if o.country else {})}
                for o in self.orgs.declared()]},
            "information.yaml": {"flowmap": 1, "information": [
                i.given or {"id": i.id, "name": i.name, "category": i.category}
                for i in self.information.declared()]},
            "purposes.yaml": {"flowmap": 1, "purposes": [
                p.given or {"id": p.id, "name": p.name} for p in self.purposes.declared()]},
            "authorities.yaml": {"flowmap": 1, "authorities": [
                b.given or self._stub(b) for b in self.bases.declared()]},
            "flows.yaml": {"flowmap": 1, "flows": [self._flow(f) for f in self.flows]},
            **more,
        }

    def _stub(self, basis: _Named) -> dict[str, Any]:
        stub: dict[str, Any] = {"id": basis.id, "title": basis.name, "type": "other"}
        if basis.url:
            stub["url"] = basis.url
        stub["scope"] = {"information": []}  # covers nothing until its scope is written
        stub["verified"] = False
        stub["notes"] = (f"Imported from {self.reading.source} (first cited in row "
                         f"{basis.row}). Check the citation, then set its type, instrument, "
                         "provision and scope, and `verified: true`.")
        return stub

    def counts(self) -> dict[str, int]:
        return {"flows": len(self.flows), "organisations": len(self.orgs.declared()),
                "information": len(self.information.declared()),
                "purposes": len(self.purposes.declared()),
                "authorities": len(self.bases.declared())}

    def _flow(self, flow: _Flow) -> dict[str, Any]:
        r = flow.row
        data: dict[str, Any] = {"id": flow.id, "from": flow.discloser.id,
                                "to": flow.recipient.id,
                                "information": [i.id for i in flow.information]}
        if flow.purpose is not None:
            data["purpose"] = flow.purpose.id
        if flow.basis:
            data["basis"] = [b.id for b in flow.basis]
        if r.identifiability and r.identifiability != "identified":
            data["identifiability"] = r.identifiability
        if r.status and r.status != "active":
            data["status"] = r.status
        for key, value in (("frequency", r.frequency), ("channel", r.channel),
                           ("description", flow.description)):
            if value:
                data[key] = value
        known = {c.path: c for c in roundtrip.columns()}
        for path, text in r.extra:
            if path == "basis":
                continue  # read with the Legal basis column
            if own_key(path):
                data[path] = roundtrip.own_value(text)
                continue
            try:
                roundtrip.put(data, path, roundtrip.parse(known[path], text))
            except roundtrip.CellError as exc:
                self.warn(r.row, 0, f"{path}: {exc}, so it is not imported")
        return data


def _shorten(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _append(text: str, more: str) -> str:
    return f"{text}\n{more}" if text else more


def _is_url(text: str) -> bool:
    try:
        Authority.model_validate({"id": "x", "title": "x", "type": "other", "url": text})
    except ValidationError:
        return False
    return True


def import_register(path: Path, output: Path, *, sheet: str | None = None,
                    catalogue: str | None = None, title: str | None = None,
                    force: bool = False, columns: Mapping[str, str] | None = None) -> Imported:
    """Read the register at ``path`` and write its map into the directory ``output``.

    Raises :class:`~flowmap.common.sheet.SheetError` or
    :class:`~flowmap.author.scaffold.ScaffoldError` for a file or directory that cannot be used.
    """
    check_directory(output, hint=None if force else
                    "or give --force to replace the files flowmap import writes")
    tables = read_tables(path, sheet)
    table = next((t for t in tables if has_header(t, overrides=_normalised(columns))),
                 tables[0])
    reading = read_rows(table, columns)
    result = Imported(reading.source, reading.problems)
    if reading.header is None:
        return result
    items = {section: read_items(section, sheet_table, reading)
             for section, sheet_table in item_tables(tables).items()}
    given_map = next(iter(items.pop("map", [])), {})  # a register's own `map:` block
    builder = _Builder(reading, catalogue or next(iter(given_map.get("catalogues", [])), None))
    for section, found in (("map", [given_map] if given_map else []), *items.items()):
        builder.seed(section, found)
    for row in reading.rows:
        builder.add(row)
    builder.finish()
    if title:
        builder.map_info["title"] = title  # --title says what the map is called
    sections = builder.sections(slugify(output.resolve().name) or "imported",
                                title or reading.title or f"Register imported from {path.name}")
    write_files(output, sections, reading.source, result.files)
    result.skipped = reading.skipped
    result.counts = builder.counts()
    result.problems.sort(key=lambda p: (p.row, p.column))  # in the order of the sheet
    return result


def _normalised(columns: Mapping[str, str] | None) -> dict[str, str]:
    return {normalise_heading(h): f for h, f in (columns or {}).items()}
