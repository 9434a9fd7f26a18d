"""Files → Map: read every file of a map, validate each item, merge the sections.

A map is a file or a directory; several maps given together, or named by a
file's ``include:``, are composed into one. Everything wrong in the files
becomes a located finding (FM0xx; FM1xx for ids declared twice; FM501 for
composed maps that disagree); the items that are valid are kept, so that
later stages can still check the rest of the map.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from flowmap.common.findings import Finding, Location, Severity, SubjectKind
from flowmap.model.mapdata import Component, Loaded, Map, Origin
from flowmap.model.entities import FORMAT_VERSION, SECTIONS, TOP_LEVEL_KEYS, Authority, Item, MapInfo
from flowmap.model.entities import Organisation
from flowmap.common import loadcodes as codes
from flowmap.common.rule import Rule
from flowmap.load.schemaerrors import follows_from_item_errors, kind_of, schema_error, shown
from flowmap.common.suggest import suggest
from flowmap.read.yamlsource import Document, PathKey, read_cached, read_document

CATALOGUE_DIR = Path(__file__).parent.parent / "catalogues"
#: what a map may not change when it redeclares a catalogue organisation:
#: authorities admit organisations by these
_CATALOGUE_KEEPS = ("kind", "country", "health_agency")
#: what composed maps must agree on when they declare the same id (other fields,
#: such as descriptions, are taken from the first declaration)
MUST_AGREE: dict[str, tuple[str, ...]] = {
    "organisations": ("name", "kind", "country", "health_agency"),
    "information": ("category",),
    "purposes": ("name",),
    "classes": ("kinds", "members"),
    "authorities": ("type", "instrument", "provision", "url", "in_force", "scope", "onward",
                    "needs_justification", "needs_consent", "verified", "role", "applies_to",
                    "legs", "versions"),
}
MAP_SUFFIXES = (".yaml", ".yml")
#: the FM1xx and FM5xx codes the loader finds are declared with its FM0xx codes, apart
#: from the check stage's rules (the import ladder, tests/test_imports.py)
refcodes = composecodes = codes


#: directories of the running system, never part of a map: reading them never ends
#: (/proc/self/root), blocks (devices) or discloses the machine (/proc/self/status)
SYSTEM_DIRS = (Path("/proc"), Path("/sys"), Path("/dev"))


class MapPathError(Exception):
    """The map path does not exist or cannot be listed (a usage error)."""


def real(path: Path) -> Path:
    """``path`` with every symbolic link followed (never raising on a loop)."""
    return Path(os.path.realpath(path))


def is_system(path: Path) -> bool:
    """True for a path inside /proc, /sys or /dev (as written, or with links followed)."""
    return any(p.is_relative_to(d) for p in (Path(os.path.abspath(path)), real(path))
               for d in SYSTEM_DIRS)


def tree_of(path: Path) -> Path:
    """What a map may read by default: the git working tree that holds it (so that
    composed maps in one repository can include each other), else the current
    directory if it holds the map, else the map's own directory."""
    start = real(path)
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    here = real(Path.cwd())
    return here if folder.is_relative_to(here) and here != Path("/") else folder


def discover(path: Path) -> list[Path]:
    """The YAML files of a map: the file itself, or every one below a directory
    (only regular files; links to directories and system directories are not followed)."""
    try:
        if is_system(path):
            raise MapPathError(f"{path} is in a directory of the running system "
                               "(/proc, /sys, /dev), not a map")
        if path.is_file():
            return [path]
        if path.is_dir():
            return _walk(path)
        if path.exists():
            raise MapPathError(f"{path} is not a file or directory (a device, pipe or "
                               "socket); give the map's folder or a .yaml file")
    except OSError as exc:
        raise MapPathError(f"cannot read {path}: {exc.strerror}") from exc
    raise MapPathError(f"no such file or directory: {path}")


def _walk(folder: Path) -> list[Path]:
    return [p for p in _named_as_maps(folder) if p.is_file()]


def _named_as_maps(folder: Path) -> list[Path]:
    """Every entry below ``folder`` named like a map file (.yaml, .yml), sorted;
    system directories and links to directories are not entered."""
    found: list[Path] = []
    for here, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not is_system(Path(here, d))]
        found.extend(Path(here, n) for n in names if Path(n).suffix.lower() in MAP_SUFFIXES)
    return sorted(found)


def not_regular(folder: Path) -> list[Path]:
    """Entries below ``folder`` named like map files that are not regular files (pipes,
    devices, sockets, broken links): never read, since reading them may never end."""
    if not folder.is_dir() or is_system(folder):
        return []
    return [p for p in _named_as_maps(folder) if not p.is_file() and not p.is_dir()]


def map_files(paths: Path | Sequence[Path]) -> list[Path]:
    """Every file of the maps at ``paths`` (not following includes)."""
    return [f for p in _as_list(paths) for f in discover(p)]


def catalogue_files(name: str) -> list[Path]:
    folder = CATALOGUE_DIR / name
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def available_catalogues() -> list[str]:
    return sorted(p.name for p in CATALOGUE_DIR.iterdir() if p.is_dir())


def _as_list(paths: Path | Sequence[Path]) -> list[Path]:
    return [paths] if isinstance(paths, Path) else list(paths)


def _trees(roots: list[Path], tree: Path | None) -> tuple[Path, ...]:
    if tree is None:
        return tuple(dict.fromkeys(tree_of(r) for r in roots))
    if not tree.is_dir():
        raise MapPathError(f"--root {tree}: not a directory")
    inside = real(tree)
    for root in roots:
        if not real(root).is_relative_to(inside):
            raise MapPathError(f"{root} is not inside --root {tree}")
    return (inside,)


def load(paths: Path | Sequence[Path], *, today: dt.date | None = None,
         tree: Path | None = None, moved: tuple[Path, Path] | None = None) -> Loaded:
    """Read the map at ``paths``: one file or directory, or several to compose.

    Nothing outside ``tree`` is read (default: the tree of each map given, see
    :func:`tree_of`): an include or a linked file that leads out of it is reported.
    ``moved`` (where the tree was, where it is now) reads an absolute include into
    the old place from the new one (a map at a git revision, copied elsewhere).
    """
    roots = _as_list(paths)
    for root in roots:
        discover(root)  # a missing path is a usage error before anything is read
    trees = _trees(roots, tree)
    collector = _Collector(trees, moved)
    queue: list[tuple[Path, Location | None]] = [(root, None) for root in roots]
    seen: set[Path] = set()
    while queue:
        root, included_at = queue.pop(0)
        if real(root) in seen:
            continue
        seen.add(real(root))
        queue.extend(collector.read_component(root, included_at))
    collector.load_catalogues()
    for component in collector.components:
        for doc in component.documents:
            collector.merge(doc, component)
    return Loaded(collector.build(roots, today or dt.date.today()),
                  tuple(collector.findings))


@dataclass
class _Component:
    """One map being read: its files, its `map:` block, its valid items."""

    root: Path
    included: bool
    documents: list[Document] = field(default_factory=list)
    info: MapInfo | None = None
    info_origin: Origin | None = None
    #: a file not read, or an invalid `map:` block, may have held the block
    map_block_unknown: bool = False
    items: dict[int, list[tuple[str, Item, PathKey]]] = field(default_factory=dict)

    def as_value(self) -> Component:
        info = self.info or _default_info(self.root)
        owner_at = self.info_origin.at("owner") if self.info_origin and info.owner else None
        return Component(info.id, info.title, info.owner, tuple(d.file for d in self.documents),
                         str(self.root), owner_at)


def _default_info(root: Path) -> MapInfo:
    name = root.stem if root.is_file() else root.name
    return MapInfo(id=slug(name) or "map", title=name or "map")


class _Collector:
    def __init__(self, trees: tuple[Path, ...] = (),
                 moved: tuple[Path, Path] | None = None) -> None:
        #: the directories the map may read from
        self.trees = trees
        self.moved = moved
        self.findings: list[Finding] = []
        self.components: list[_Component] = []
        self.sections: dict[str, dict[str, Item]] = {s: {} for s in SECTIONS}
        self.origins: dict[tuple[str, str], Origin] = {}
        self.owner: dict[tuple[str, str], _Component | None] = {}
        self.catalogued: set[tuple[str, str]] = set()
        #: items declared with an id but refused for errors: (section, id) → where
        self.refused: dict[tuple[str, str], Location] = {}
        self.files_read: set[Path] = set()
        #: items kept without their wrong fields: (section, id) → the keys left out
        self.partial: dict[tuple[str, str], tuple[str, ...]] = {}
        #: where every item, file or included map that could not be read was written
        self.not_read: list[Location] = []
        #: catalogue items a map redeclared, as the catalogue has them
        self.catalogue_originals: dict[tuple[str, str], Item] = {}
        #: the valid items of catalogue documents, until they are merged
        self._catalogue_items: dict[int, list[tuple[str, Item, PathKey]]] = {}
        #: one set of given keys for every item that gave the same ones (see _shared)
        self._keys_given: dict[frozenset[str], set[str]] = {}

    def add(self, rule: Rule, kind: SubjectKind, id: str, message: str,
            location: Location | None, severity: Severity | None = None) -> None:
        self.findings.append(rule.finding(kind, id, message, location, severity))

    # -- reading one map, and one document -------------------------------------

    def _inside(self, path: Path) -> bool:
        """True when ``path`` (links followed) is inside a tree the map may read."""
        resolved = real(path)
        return not is_system(path) and any(resolved.is_relative_to(t) for t in self.trees)

    def _tree_names(self) -> str:
        return ", ".join(str(t) for t in self.trees)

    def read_component(self, root: Path, included_at: Location | None) -> list[
            tuple[Path, Location]]:
        """Read the map at ``root``; return the maps its files include."""
        files = discover(root)
        unread = [p for p in files if real(p) not in self.files_read]
        if files and not unread:
            return []  # every file is already part of another map given or included
        component = _Component(root, included_at is not None)
        self.components.append(component)
        if not files:
            self.add(codes.EMPTY, "map", root.name or str(root),
                     f"no .yaml or .yml files in {root}; point flowmap at the folder "
                     "that holds the map", included_at or Location(str(root)))
        includes: list[tuple[Path, Location]] = []
        for path in not_regular(root):
            if real(path) in self.files_read:
                continue
            self.files_read.add(real(path))
            self.add(codes.UNREADABLE, "map", path.stem,
                     f"{path} is not a regular file (a pipe, device, socket or broken "
                     "link); not read", Location(str(path)))
            self.not_read.append(Location(str(path)))
        for path in unread:
            self.files_read.add(real(path))
            if not self._inside(path):
                self.add(codes.UNREADABLE, "map", path.stem,
                         f"{path} is a link to {real(path)}, outside the map's tree "
                         f"({self._tree_names()}); not read: flowmap reads only the tree "
                         "of the map it is given", Location(str(path)))
                self.not_read.append(Location(str(path)))
                continue
            doc = read_document(path, str(path))
            component.documents.append(doc)
            includes.extend(self.read(doc, component))
            doc.data = None  # read into models; the raw values would only take memory
        return includes

    def read(self, doc: Document, component: _Component | None) -> list[tuple[Path, Location]]:
        """Check one document's shape and validate its items; return its includes."""
        subject = Path(doc.file).stem
        for p in doc.problems:
            self.add(p.rule, "map", subject, p.message, p.location)
        if doc.problems and doc.data is None:
            if component:
                component.map_block_unknown = True
            self.not_read.append(Location(doc.file))
            return []
        data = doc.data
        if data is None:
            self.add(codes.EMPTY, "map", subject, "file is empty; add sections or delete it",
                     Location(doc.file, 1, 1))
            return []
        if not isinstance(data, dict):
            self.add(codes.NOT_A_MAPPING, "map", subject,
                     f"the top level is {kind_of(data)}, not a mapping of sections "
                     "(organisations:, information:, purposes:, authorities:, flows:)",
                     doc.location(()))
            self.not_read.append(Location(doc.file))
            return []
        version = data.get("flowmap", FORMAT_VERSION)
        if version != FORMAT_VERSION or type(version) is not int:
            self.add(codes.BAD_VERSION, "map", subject,
                     f"format version {shown(version)} is not supported (this flowmap reads "
                     f"version {FORMAT_VERSION}); file skipped: write `flowmap: "
                     f"{FORMAT_VERSION}`, unquoted, or remove the key",
                     doc.location(("flowmap",)))
            if component:
                component.map_block_unknown = True
            self.not_read.append(Location(doc.file))
            return []
        items = (component.items if component else self._catalogue_items).setdefault(
            id(doc), [])
        includes: list[tuple[Path, Location]] = []
        for key, value in data.items():
            if key == "flowmap":
                continue
            if key == "map" and component is not None:
                self._read_map_block(doc, value, component)
            elif key == "include" and component is not None:
                includes.extend(self._read_include(doc, value))
            elif key in SECTIONS:
                self._read_section(doc, key, value, items)
            else:
                self.add(codes.UNKNOWN_KEY, "map", subject,
                         f"unknown section {key!r}{suggest(key, TOP_LEVEL_KEYS)}; "
                         f"sections are: {', '.join(TOP_LEVEL_KEYS)}",
                         doc.location((key,)))
                self.not_read.append(doc.location((key,)))
        return includes

    def _read_map_block(self, doc: Document, value: Any, component: _Component) -> None:
        name = value["id"] if isinstance(value, dict) and isinstance(value.get("id"), str) \
            else "map"
        info = self._validate(doc, MapInfo, value, ("map",), "map", name or "map")
        if info is None:
            component.map_block_unknown = True
            return
        assert isinstance(info, MapInfo)
        if component.info is not None and component.info_origin is not None:
            self.add(codes.SECOND_MAP_BLOCK, "map", info.id,
                     f"a second `map:` block; the first is at "
                     f"{component.info_origin.location}; keep one per map",
                     doc.location(("map",)))
            return
        component.info, component.info_origin = info, Origin(doc, ("map",))

    def _read_include(self, doc: Document, value: Any) -> list[tuple[Path, Location]]:
        entries = value if isinstance(value, list) else [value]
        found = []
        for index, entry in enumerate(entries):
            where = doc.location(("include", index) if isinstance(value, list) else
                                 ("include",))
            if not isinstance(entry, str) or not entry.strip() or "\x00" in entry:
                found_kind = "a NUL character" if isinstance(entry, str) and entry.strip() \
                    else kind_of(entry)
                self.add(codes.SCHEMA, "map", Path(doc.file).stem,
                         "`include:` lists paths of other maps, e.g. [../acc, ../msd]; "
                         f"found {found_kind}", where)
                self.not_read.append(where)
                continue
            target = Path(os.path.normpath(Path(doc.file).parent / entry))
            if self.moved and target.is_relative_to(self.moved[0]):
                target = self.moved[1] / target.relative_to(self.moved[0])
            problem = self._include_problem(entry, target)
            if problem:
                self.add(codes.BAD_INCLUDE, "map", Path(doc.file).stem, problem, where)
                self.not_read.append(where)
                continue
            found.append((target, where))
        return found

    def _include_problem(self, entry: str, target: Path) -> str:
        """Why the map ``entry`` names cannot be read ('' when it can)."""
        shown_entry = entry if len(entry) <= 120 else f"{entry[:60]}…{entry[-40:]}"
        try:
            if is_system(target):
                return (f"included map {shown_entry!r} is in a directory of the running "
                        "system; maps never are: remove it")
            if self.trees and not self._inside(target):
                return (f"included map {shown_entry!r} is outside the map's tree "
                        f"({self._tree_names()}); flowmap reads only that tree: move the "
                        "map inside it, or give a wider one with --root DIR")
            if not target.exists():
                return (f"included map {shown_entry!r} does not exist (looked for "
                        f"{target}); paths are relative to the including file")
            if not (target.is_file() or target.is_dir()):
                return (f"included map {shown_entry!r} is not a file or directory (a "
                        "device, pipe or socket); include a map's folder or .yaml file")
        except OSError as exc:
            return f"included map {shown_entry!r} cannot be read: {exc.strerror}"
        return ""

    def _read_section(self, doc: Document, section: str, value: Any,
                      items: list[tuple[str, Item, PathKey]]) -> None:
        model, kind = SECTIONS[section]
        if value is None:
            return
        if not isinstance(value, list):
            self.add(codes.SCHEMA, "map", Path(doc.file).stem,
                     f"`{section}:` must be a list of items (each starting with '- '), "
                     f"not {kind_of(value)}", doc.location((section,)))
            self.not_read.append(doc.location((section,)))
            return
        for index, raw in enumerate(value):
            path = (section, index)
            name = _item_name(section, index, raw)
            item = self._validate(doc, model, raw, path, kind, name)
            if item is not None:
                items.append((section, self._shared(item), path))  # type: ignore[arg-type]
            elif name != f"{section}[{index}]":
                self.refused.setdefault((section, name), doc.location(path))

    def _shared(self, item: BaseModel) -> BaseModel:
        """``item``, its set of the keys given shared with every item that gave the same.
        pydantic keeps one set per item (half of a flow's memory) to answer
        ``model_fields_set``, and never changes it on a frozen model (``model_copy``
        gives the copy its own)."""
        given = item.__pydantic_fields_set__
        shared = self._keys_given.setdefault(frozenset(given), given)
        object.__setattr__(item, "__pydantic_fields_set__", shared)
        return item

    def _validate(self, doc: Document, model: type[BaseModel], raw: Any, path: PathKey,
                  kind: str, name: str) -> BaseModel | None:
        """The item, or None when it cannot be read; a wrong optional field is left out
        (and reported), so that one bad value never hides a whole flow."""
        if not isinstance(raw, dict):
            self.add(codes.SCHEMA, kind, name,  # type: ignore[arg-type]
                     f"expected a mapping of keys (id:, name:, ...), found {kind_of(raw)}",
                     doc.location(path))
            self.not_read.append(doc.location(path))
            return None
        try:
            return model.model_validate(raw)
        except ValidationError as exc:
            errors = exc.errors()
        for error in errors:
            if follows_from_item_errors(error):
                continue
            rule, message, loc = schema_error(model, error)
            self.add(rule, kind, name, message, doc.location((*path, *loc)))  # type: ignore[arg-type]
        kept = without_wrong_optional_fields(model, raw, errors)
        item = None
        if kept is not None:
            try:
                item = model.model_validate(kept[0])
            except ValidationError:
                item = None
        if item is None or kept is None:
            self.not_read.append(doc.location(path))
            return None
        self.partial[(str(path[0]), name)] = kept[1]
        return item

    # -- catalogues --------------------------------------------------------------

    def catalogues(self) -> list[tuple[str, MapInfo, Origin | None]]:
        """Every catalogue some component asks for, once, in order of asking."""
        asked: dict[str, tuple[str, MapInfo, Origin | None]] = {}
        for component in self.components:
            if component.info is not None:
                for name in component.info.catalogues:
                    asked.setdefault(name, (name, component.info, component.info_origin))
        return list(asked.values())

    def load_catalogues(self) -> None:
        for name, info, origin in self.catalogues():
            paths = catalogue_files(name)
            if not paths:
                where = origin.at("catalogues", info.catalogues.index(name)) if origin \
                    else None
                self.add(refcodes.UNKNOWN_CATALOGUE, "map", info.id,
                         f"no built-in catalogue {name!r}"
                         f"{suggest(name, available_catalogues())}; "
                         f"available: {', '.join(available_catalogues())}", where)
                continue
            for path in paths:
                doc = read_cached(path, f"catalogue:{name}/{path.name}")
                self.read(doc, None)
                for section, item, item_path in self._catalogue_items.pop(id(doc), []):
                    self._merge_item(section, item, Origin(doc, item_path), None)

    # -- merging -----------------------------------------------------------------

    def merge(self, doc: Document, component: _Component) -> None:
        for section, item, path in component.items.get(id(doc), []):
            self._merge_item(section, item, Origin(doc, path), component)

    def _merge_item(self, section: str, item: Item, origin: Origin,
                    component: _Component | None) -> None:
        key = (section, item.id)
        existing = self.sections[section].get(item.id)
        kind = SECTIONS[section][1]
        if existing is None:
            self._keep(key, item, origin, component)
            return
        first = self.origins[key]
        first_component = self.owner[key]
        if key in self.catalogued and component is not None:
            self._override_catalogue(key, existing, item, origin, component)
        elif first_component is component or section == "flows" or component is None:
            self.add(refcodes.DUPLICATE_ID, kind, item.id,  # type: ignore[arg-type]
                     f"{kind} id {item.id!r} is declared twice; the first is at "
                     f"{first.location}; rename or remove one", origin.location)
        else:
            self._agree(section, existing, item, first, origin,
                        (first_component, component))

    def _keep(self, key: tuple[str, str], item: Item, origin: Origin,
              component: _Component | None) -> None:
        self.sections[key[0]][key[1]] = item
        self.origins[key] = origin
        self.owner[key] = component
        if component is None:
            self.catalogued.add(key)

    def _agree(self, section: str, first: Item, item: Item, first_origin: Origin,
               origin: Origin, components: tuple[_Component | None, _Component | None]
               ) -> None:
        """Two composed maps declare the same id: it is one thing, so they must agree
        on what each means, a value left out meaning its default (what the catalogue
        says, the map's jurisdiction), not something else."""
        a, b = (self._meaning(x, c) for x, c in zip((first, item), components, strict=True))
        differ = [f for f in MUST_AGREE.get(section, ()) if a.get(f) != b.get(f)]
        if differ:
            kind = SECTIONS[section][1]
            details = "; ".join(f"{f}: {shown(a.get(f))} there, {shown(b.get(f))} here"
                                for f in differ)
            self.add(composecodes.CONFLICT, kind, item.id,  # type: ignore[arg-type]
                     f"{kind} {item.id!r} is also declared at {first_origin.location}, and "
                     f"the two disagree ({details}); make them the same, or use two ids",
                     origin.location)

    def _meaning(self, item: Item, component: _Component | None) -> dict[str, Any]:
        """``item``'s fields as they are read: for an organisation, the catalogue's
        values where it has the id, and the country and health_agency that apply."""
        if isinstance(item, Organisation):
            original = self.catalogue_originals.get(("organisations", item.id))
            if isinstance(original, Organisation):
                item = item.model_copy(update={
                    f: getattr(original, f) for f in _CATALOGUE_KEEPS
                    if getattr(item, f) is None and getattr(original, f) is not None})
            info = component.info if component else None
            return {**item.model_dump(by_alias=True),
                    "country": item.country or (info.jurisdiction if info else "NZ"),
                    "health_agency": item.is_health_agency}
        return item.model_dump(by_alias=True)

    def _override_catalogue(self, key: tuple[str, str], existing: Item, item: Item,
                            origin: Origin, component: _Component) -> None:
        kind = SECTIONS[key[0]][1]
        if isinstance(item, Authority):
            self.add(refcodes.CATALOGUE_CLASH, kind, item.id,  # type: ignore[arg-type]
                     f"authority {item.id!r} is already defined by the built-in catalogue "
                     f"({self.origins[key].location}); cite it without declaring it, or "
                     "give yours another id", origin.location)
            return
        if isinstance(item, Organisation):
            assert isinstance(existing, Organisation)
            self.catalogue_originals.setdefault(key, existing)
            item = self._reconcile_organisation(existing, item, origin)
        self.catalogued.discard(key)
        self._keep(key, item, origin, component)

    def _reconcile_organisation(self, cat: Organisation, org: Organisation,
                                origin: Origin) -> Organisation:
        kept: dict[str, Any] = {}
        for field_name in _CATALOGUE_KEEPS:
            mine, theirs = getattr(org, field_name), getattr(cat, field_name)
            if field_name in org.model_fields_set and theirs is not None and mine != theirs:
                self.add(refcodes.CATALOGUE_DISAGREES, "organisation", org.id,
                         f"organisation {org.id!r} has {field_name} {shown(mine)} but the "
                         f"built-in catalogue says {shown(theirs)}; use {shown(theirs)} "
                         "or another id",
                         origin.at(field_name))
            kept[field_name] = theirs if theirs is not None else mine
        # classes the catalogue could not settle (a list it has not read) are the map's
        # to assert, on top of the catalogue's; FM212 shows each such assertion
        kept["classes"] = tuple(dict.fromkeys((*cat.classes, *org.classes)))
        return org.model_copy(update=kept)

    # -- the result ----------------------------------------------------------------

    def build(self, roots: list[Path], today: dt.date) -> Map:
        info, origin = self._info(roots, today)
        s = self.sections
        return Map(
            info=info,
            as_of=info.as_of or today,
            organisations=s["organisations"],  # type: ignore[arg-type]
            information=s["information"],  # type: ignore[arg-type]
            purposes=s["purposes"],  # type: ignore[arg-type]
            authorities=s["authorities"],  # type: ignore[arg-type]
            flows=s["flows"],  # type: ignore[arg-type]
            origins=self.origins,
            catalogued=frozenset(self.catalogued),
            map_origin=origin,
            refused=self.refused,
            components=tuple(c.as_value() for c in self.components),
            classes=s["classes"],  # type: ignore[arg-type]
            partial=self.partial,
            not_read=tuple(self.not_read),
        )

    def _info(self, roots: list[Path], today: dt.date) -> tuple[MapInfo, Origin | None]:
        """The composed map's own block: the first map's, or one made from all given."""
        top = [c for c in self.components if not c.included]
        for component in top:
            if component.info is None and not component.map_block_unknown:
                default = _default_info(component.root)
                self.add(codes.NO_MAP_BLOCK, "map", default.id,
                         f"no `map:` block; using title {default.title!r} and as_of {today}",
                         Location(str(component.root)))
        catalogues = tuple(name for name, _, _ in self.catalogues())
        if len(top) == 1:
            first = top[0]
            info = first.info or _default_info(first.root)
            return info.model_copy(update={"catalogues": catalogues}), first.info_origin
        infos = [c.info or _default_info(c.root) for c in top]
        dates = [i.as_of for i in infos if i.as_of]
        composed = MapInfo(
            id=slug("+".join(i.id for i in infos))[:80] or "map",
            title=" + ".join(i.title for i in infos),
            as_of=max(dates) if dates else None,
            jurisdiction=infos[0].jurisdiction,
            catalogues=catalogues,
        )
        return composed, None


# -- small helpers -------------------------------------------------------------

def without_wrong_optional_fields(model: type[BaseModel], raw: dict[str, Any],
                                  errors: Sequence[Any]) -> tuple[dict[str, Any],
                                                                  tuple[str, ...]] | None:
    """``raw`` without the optional keys (or list entries) that ``errors`` are about,
    and the keys touched; None when a required key is wrong (the item cannot be read).

    An unknown key is left out too: it means nothing to flowmap.
    """
    required = {f.alias or n for n, f in model.model_fields.items() if f.is_required()}
    kept = dict(raw)
    entries: dict[str, set[int]] = {}
    for error in errors:
        loc = tuple(error["loc"])
        if not loc or loc[0] in required or not isinstance(loc[0], str):
            return None
        key = loc[0]
        if len(loc) > 1 and isinstance(loc[1], int) and isinstance(raw.get(key), list):
            entries.setdefault(key, set()).add(loc[1])
        else:
            kept.pop(key, None)
    for key, bad in entries.items():
        if key in kept:
            kept[key] = [v for i, v in enumerate(raw[key]) if i not in bad]
    touched = sorted({str(tuple(e["loc"])[0]) for e in errors})
    return kept, tuple(touched)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._")


def _item_name(section: str, index: int, raw: Any) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"]:
        return str(raw["id"])
    return f"{section}[{index}]"


__all__ = ["Component", "Loaded", "Map", "MapPathError", "Origin", "discover", "load",
           "map_files"]
