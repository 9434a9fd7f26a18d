"""Read one YAML file into plain Python values and the position of every item.

The file is composed once with PyYAML's C parser (the safe one), and the
node tree is turned into values here, so that each mapping key and list
item keeps its line and column. Nothing is ever constructed from a tag other
than the plain YAML ones, aliases cannot expand without bound, and every
problem is returned as a :class:`Problem` rather than raised.
"""

from __future__ import annotations

import gc
from sys import intern
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from flowmap.common.findings import Location
from flowmap.common import loadcodes as codes
from flowmap.common.rule import Rule

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 64
#: aliases may expand a file to at most this many nodes beyond ten times its own
ALIAS_EXPANSION_SLACK = 100_000

PathKey = tuple[str | int, ...]
#: a position is kept as one int, line * _LINE + column, in one array per file: a map
#: has hundreds of thousands of them (docs/performance.md)
_LINE = 1 << 32

_STR = "tag:yaml.org,2002:str"
_PLAIN_SCALARS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
}
#: the tags a mapping's key may have
_KEY_TAGS = frozenset({_STR, *_PLAIN_SCALARS})
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


@dataclass(frozen=True)
class Problem:
    rule: Rule
    message: str
    location: Location


class Layout:
    """Where the positions of one mapping's or list's children are in a file's array.

    A file's positions are kept in the order written: each key or list item, then
    everything inside it. A layout says how far from the start of the children each
    child's own position is, and the child's layout (None: a plain value). Items
    written alike (the same keys, lists of the same lengths) share one layout, so a map
    of thousands of flows has a few dozen layouts and one array of ints."""

    __slots__ = ("keys", "offsets", "inner", "size")

    def __init__(self, keys: tuple[str, ...] | None, inner: tuple[Layout | None, ...]) -> None:
        #: a mapping's keys → the index of each one's child (every index, in the order
        #: written, for a key written more than once); None for a list
        self.keys: dict[str, int | list[int]] | None = None
        if keys is not None:
            self.keys = {}
            for index, key in enumerate(keys):
                earlier = self.keys.get(key)
                self.keys[key] = index if earlier is None else [
                    *(earlier if isinstance(earlier, list) else [earlier]), index]
        self.inner = inner
        self.offsets = array("q")
        offset = 0
        for layout in inner:
            self.offsets.append(offset)
            offset += 1 + (layout.size if layout else 0)
        #: how many positions are inside this mapping or list, at every depth
        self.size: int = offset

    def index(self, key: str | int) -> int | list[int] | None:
        """Which child ``key`` names (None: none was written)."""
        if self.keys is not None:
            return self.keys.get(key) if isinstance(key, str) else None
        return key if isinstance(key, int) and 0 <= key < len(self.inner) else None


@dataclass
class Document:
    """One file: its values, the positions of its items, and its problems."""

    file: str
    data: Any = None
    problems: list[Problem] = field(default_factory=list)
    #: every key's and list item's position, in the order written (see :class:`Layout`)
    positions: array[int] = field(default_factory=lambda: array("q"))
    layout: Layout | None = None

    def location(self, path: PathKey) -> Location:
        """Where ``path`` was written, or its nearest written ancestor."""
        pos = self._find(self.layout, 0, path, 0, -1)[1]
        if pos < 0:
            return Location(self.file, 1, 1)
        return Location(self.file, *divmod(pos, _LINE))

    def _find(self, layout: Layout | None, start: int, path: PathKey, depth: int,
              pos: int) -> tuple[int, int]:
        """How much of ``path`` (from ``depth``) is written below ``layout``, whose
        children start at ``start``, and the position of the deepest part written."""
        while layout is not None and depth < len(path):
            index = layout.index(path[depth])
            if index is None:
                break
            if isinstance(index, list):  # a repeated key: where both wrote, the last wins
                best = (depth, pos)
                for each in index:
                    here = start + layout.offsets[each]
                    found = self._find(layout.inner[each], here + 1, path, depth + 1,
                                       self.positions[here])
                    if found[0] >= best[0]:
                        best = found
                return best
            here = start + layout.offsets[index]
            pos = self.positions[here]
            start, layout, depth = here + 1, layout.inner[index], depth + 1
        return depth, pos


class _TooBig(Exception):
    pass


class _Builder:
    def __init__(self, doc: Document, text: str) -> None:
        self.doc = doc
        self.positions = doc.positions
        self.constructor = yaml.constructor.SafeConstructor()
        #: only aliases can make a node appear twice (text with no '*' has none)
        self.aliased = "*" in text
        self.expanded = 0
        self.distinct: set[int] = set()
        self.active: set[int] = set()
        #: every layout made, so that items written alike share one
        self.layouts: dict[tuple[Any, ...], Layout] = {}

    def problem(self, rule: Rule, message: str, node: yaml.Node) -> None:
        mark = node.start_mark
        self.doc.problems.append(
            Problem(rule, message, Location(self.doc.file, mark.line + 1, mark.column + 1))
        )

    def build(self, node: yaml.Node, depth: int = 0) -> tuple[Any, Layout | None]:
        """The value of ``node`` and the layout of its positions (written as it goes)."""
        if self.aliased:
            self.expanded += 1
            self.distinct.add(id(node))
            if self.expanded > ALIAS_EXPANSION_SLACK and self.expanded > 10 * len(self.distinct):
                raise _TooBig
        if depth > MAX_DEPTH:
            self.problem(codes.UNSAFE_YAML, f"nesting deeper than {MAX_DEPTH} levels", node)
            return None, None
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node), None
        if id(node) in self.active:
            self.problem(codes.UNSAFE_YAML, "an alias refers to itself (a cycle)", node)
            return None, None
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
                return self.sequence(node, depth)
            if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
                return self.mapping(node, depth)
            self.problem(codes.UNSAFE_YAML, _tag_message(node.tag), node)
            return None, None
        finally:
            self.active.discard(id(node))

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _STR:
            return node.value
        if node.tag in _PLAIN_SCALARS:
            try:
                return self.constructor.construct_object(node)
            except (ValueError, OverflowError, AttributeError, KeyError, yaml.YAMLError):
                # e.g. 2019-02-30, or `!!bool maybe`: left as text for the model to reject
                return node.value
        self.problem(codes.UNSAFE_YAML, _tag_message(node.tag), node)
        return None

    def child(self, node: yaml.Node, depth: int) -> tuple[Any, Layout | None]:
        """``build(node, depth)``, with the common case first: plain text, read as is
        (a map is mostly ids and words; each one is interned, so an id written a
        thousand times is kept once)."""
        if node.tag == _STR and isinstance(node, yaml.ScalarNode) and not self.aliased \
                and depth <= MAX_DEPTH:
            return intern(node.value), None
        return self.build(node, depth)

    def sequence(self, node: yaml.SequenceNode, depth: int) -> tuple[list[Any], Layout | None]:
        items = []
        inner: list[Layout | None] = []
        positions = self.positions
        for child in node.value:
            mark = child.start_mark
            positions.append((mark.line + 1) * _LINE + mark.column + 1)
            value, layout = self.child(child, depth + 1)
            items.append(value)
            inner.append(layout)
        return items, self.layout(None, tuple(inner))

    def mapping(self, node: yaml.MappingNode, depth: int) -> tuple[dict[str, Any], Layout | None]:
        result: dict[str, Any] = {}
        keys: list[str] = []
        inner: list[Layout | None] = []
        first: dict[str, int] = {}
        positions = self.positions
        for key_node, value_node in node.value:
            if key_node.tag not in _KEY_TAGS:
                self.problem(codes.UNSAFE_YAML, _tag_message(key_node.tag), key_node)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(codes.SCHEMA, "a key must be a plain word, not a list or mapping",
                             key_node)
                continue
            key = intern(str(key_node.value))
            mark = key_node.start_mark
            here = (mark.line + 1) * _LINE + mark.column + 1
            if key in result:
                self.problem(
                    codes.DUPLICATE_KEY,
                    f"key {key!r} is repeated (first at line {first[key] // _LINE}); "
                    "YAML would keep only this one",
                    key_node,
                )
            first[key] = here
            positions.append(here)
            result[key], layout = self.child(value_node, depth + 1)
            keys.append(key)
            inner.append(layout)
        return result, self.layout(tuple(keys), tuple(inner))

    def layout(self, keys: tuple[str, ...] | None,
               inner: tuple[Layout | None, ...]) -> Layout | None:
        """The layout of a mapping's children (``keys``) or a list's (None), made once
        for each way of writing them."""
        if not inner:
            return None
        shape = (keys, inner)
        found = self.layouts.get(shape)
        if found is None:
            found = self.layouts[shape] = Layout(keys, inner)
        return found


def _tag_message(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return f"YAML tag {shown!r} is not read; remove it and write a plain value"


def _too_big(size: int) -> str:
    return f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}; split it"


def read_document(path: Path, display: str) -> Document:
    """Read and compose one YAML file; never raises for bad content."""
    doc = Document(display)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:  # refused before reading: it may not fit in memory
            doc.problems.append(Problem(codes.UNREADABLE, _too_big(size), Location(display)))
            return doc
        raw = path.read_bytes()
    except OSError as exc:
        doc.problems.append(
            Problem(codes.UNREADABLE, f"cannot read file: {exc.strerror}", Location(display))
        )
        return doc
    return parse_document(raw, display)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cyclic garbage collector paused. Reading a map makes hundreds of
    thousands of objects and no cycles, and the collector would walk them again and
    again: at 20,000 flows it took five sixths of the time composing the YAML
    (benchmarks/run.py)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_document(raw: bytes, display: str) -> Document:
    """Compose YAML text (bytes as read from a file) into a Document."""
    with paused_gc():
        return _parse(raw, display)


def _parse(raw: bytes, display: str) -> Document:
    doc = Document(display)
    if len(raw) > MAX_FILE_BYTES:
        doc.problems.append(Problem(codes.UNREADABLE, _too_big(len(raw)), Location(display)))
        return doc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        doc.problems.append(Problem(
            codes.UNREADABLE,
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
            Location(display, line, column),
        ))
        return doc
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        doc.problems.append(Problem(
            codes.UNREADABLE, "file contains a NUL byte; is it a binary file?",
            Location(display, line, 1),
        ))
        return doc
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        doc.problems.append(_syntax_problem(exc, display, text))
        return doc
    except yaml.YAMLError as exc:
        doc.problems.append(Problem(codes.YAML_SYNTAX, str(exc), Location(display, 1, 1)))
        return doc
    if node is None:
        return doc
    builder = _Builder(doc, text)
    try:
        doc.data, doc.layout = builder.build(node)
    except _TooBig:
        doc.data, doc.layout = None, None
        del doc.positions[:]
        doc.problems.append(Problem(
            codes.UNSAFE_YAML, "aliases expand into a huge structure; file not read",
            Location(display, 1, 1),
        ))
    return doc


def _syntax_problem(exc: yaml.MarkedYAMLError, display: str, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    context = exc.context_mark
    if exc.context:
        started = ""
        if context is not None and mark is not None and context.line != mark.line:
            started = f" started at line {context.line + 1}, column {context.column + 1}"
        problem = f"{problem} ({exc.context}{started})"
    if _char_at(text, line, column) == "\t" or "\\t" in problem:
        problem += "; a tab was found: indent with spaces, not tabs"
    return Problem(codes.YAML_SYNTAX, problem, Location(display, line, column))


def _char_at(text: str, line: int, column: int) -> str:
    """The character at a 1-based line and column of ``text`` ('' past the end)."""
    lines = text.split("\n")
    if line > len(lines):
        return ""
    row = lines[line - 1]
    return row[column - 1] if 0 < column <= len(row) else ""

