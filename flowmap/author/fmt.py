"""`flowmap fmt`: rewrite map files in a canonical key order and layout, keeping comments.

Canonical means: top-level sections in the order of FORMAT.md (``flowmap``,
``map``, ``include``, ``organisations``, ``information``, ``purposes``,
``authorities``, ``flows``); the keys of every item in the order of the
model's fields (``id`` first); two-space indentation with list dashes
indented under their key; plain text on one line. Everything else is the
user's: the order of the items in a list, comments, blank lines, quoting,
flow style (``[a, b]``) or block style, and keys flowmap does not know (kept
after the known ones, in their order).

The file is read and written with a round-trip YAML library (ruamel.yaml),
and a rewrite is refused unless the new text loads (with the same YAML
reader flowmap uses) to exactly the same data and holds every comment of the
old one. Files are replaced atomically, keeping their permissions, byte order
mark and line endings.
"""

from __future__ import annotations

import io
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedBase, CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, MarkedYAMLError, YAMLError
from ruamel.yaml.tokens import CommentToken

from flowmap.model.entities import SECTIONS, TOP_LEVEL_KEYS, MapInfo, nested_model
from flowmap.common.output import OutputError, write_atomic
from flowmap.common import loadcodes as codes
from flowmap.read.yamlsource import MAX_FILE_BYTES, parse_document

#: no line is ever wrapped below this width (long titles and URLs stay on one line)
LINE_WIDTH = 4096
#: slot of a mapping key's comment after its value, and of a list item's comment
_MAP_SLOT, _SEQ_SLOT = 2, 0


class FormatError(Exception):
    """A file cannot be formatted without risk: it is left as it is."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column

    def where(self, file: str) -> str:
        return f"{file}:{self.line}:{self.column}" if self.line else file


@dataclass(frozen=True)
class Outcome:
    """What fmt did, or would do, to one file."""

    path: Path
    changed: bool = False
    error: FormatError | None = None
    #: the bytes read and the bytes to write (when changed), until written
    old: bytes = field(default=b"", repr=False, compare=False)
    new: bytes = field(default=b"", repr=False, compare=False)
    #: changed, but not written because another file could not be formatted
    held: bool = False

    def describe(self, check: bool) -> str:
        if self.error is not None:
            return (f"{self.error.where(str(self.path))}: cannot format: {self.error.message}; "
                    "the file is left as it is")
        if self.held:
            return f"would reformat {self.path} (not written: no file is until all can be)"
        if self.changed:
            return f"{'would reformat' if check else 'reformatted'} {self.path}"
        return f"unchanged {self.path}"


def _yaml() -> YAML:
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.width = LINE_WIDTH
    return rt


# -- the canonical order ---------------------------------------------------------

def _key_order(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _nested_model(model: type[BaseModel], key: Any) -> type[BaseModel] | None:
    """The model of the value under ``key`` (a nested mapping or a list of them)."""
    for name, f in model.model_fields.items():
        if key in (name, f.alias):
            return nested_model(f.annotation)
    return None


def _canonical_document(data: Any) -> None:
    if not isinstance(data, CommentedMap):
        return
    _reorder(data, TOP_LEVEL_KEYS)
    for key, value in data.items():
        if key == "map":
            _canonical_value(value, MapInfo)
        elif key in SECTIONS:
            _canonical_value(value, SECTIONS[key][0])


def _canonical_value(value: Any, model: type[BaseModel]) -> None:
    """Order the keys of ``value`` (one item, or a list of items) as ``model``'s fields."""
    if isinstance(value, CommentedSeq):
        for item in value:
            _canonical_value(item, model)
        return
    if not isinstance(value, CommentedMap):
        return
    _reorder(value, _key_order(model))
    for key, sub in value.items():
        nested = _nested_model(model, key)
        if nested is not None:
            _canonical_value(sub, nested)


def _reorder(mapping: CommentedMap, order: Sequence[str]) -> None:
    """Put the keys of ``mapping`` in ``order``; keys not in it follow, as they were."""
    keys = list(mapping.keys())
    rank = {k: i for i, k in enumerate(order)}
    wanted = sorted(keys, key=lambda k: (0, rank[k], 0) if k in rank else (1, 0, keys.index(k)))
    if wanted == keys:
        return
    # comment lines after the last key (before the next item) belong where the
    # mapping ends, not to whichever key they were attached to
    trailing = _pop_trailing_lines(mapping)
    for key in wanted:
        mapping.move_to_end(key)
    if trailing:
        _push_trailing_lines(mapping, trailing)


def _last_entries(node: Any) -> list[tuple[CommentedBase, Any, int]]:
    """The chain of last entries of a block collection, outermost first."""
    chain: list[tuple[CommentedBase, Any, int]] = []
    while (isinstance(node, (CommentedMap, CommentedSeq)) and len(node)
           and not node.fa.flow_style()):
        if isinstance(node, CommentedMap):
            key: Any = list(node.keys())[-1]
            chain.append((node, key, _MAP_SLOT))
        else:
            key = len(node) - 1
            chain.append((node, key, _SEQ_SLOT))
        node = node[key]
    return chain


def _pop_trailing_lines(node: Any) -> str:
    """Detach the full comment lines after the last entry's own line; return them."""
    for container, key, slot in reversed(_last_entries(node)):
        comments = container.ca.items.get(key)
        token = comments[slot] if comments and len(comments) > slot else None
        if not isinstance(token, CommentToken):
            continue
        end = token.value.find("\n")
        if end == -1 or not token.value[end + 1:]:
            continue
        own, rest = token.value[:end + 1], token.value[end + 1:]
        if own.strip():
            token.value = own
        else:
            comments[slot] = None
        return str(rest)
    return ""


def _push_trailing_lines(node: Any, lines: str) -> None:
    chain = _last_entries(node)
    if not chain:
        return
    container, key, slot = chain[-1]
    comments = container.ca.items.setdefault(key, [None, None, None, None])
    while len(comments) <= slot:
        comments.append(None)
    token = comments[slot]
    if isinstance(token, CommentToken):
        token.value = token.value + lines
    else:
        comments[slot] = CommentToken("\n" + lines, CommentMark(0), None)


# -- checks: same data, same comments --------------------------------------------

def _comment_lines(node: Any) -> Counter[str]:
    """Every comment held in a round-trip tree, one entry per comment line."""
    found: Counter[str] = Counter()

    def tokens(value: Any) -> Iterator[CommentToken]:
        if isinstance(value, CommentToken):
            yield value
        elif isinstance(value, (list, tuple)):
            for v in value:
                yield from tokens(v)

    def walk(value: Any) -> None:
        if isinstance(value, CommentedBase):
            ca = value.ca
            for token in [*tokens(ca.comment), *tokens(list(ca.items.values())),
                          *tokens(getattr(ca, "end", None))]:
                for line in token.value.splitlines():
                    if line.strip().startswith("#"):
                        found[line.strip()] += 1
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(node)
    return found


def _plain_data(text: str) -> Any:
    """What flowmap's own YAML reader makes of ``text``, with its limits (size, depth,
    aliases): a file the loader refuses is never formatted."""
    doc = parse_document(text.encode("utf-8"), "")
    refused = [p for p in doc.problems if p.rule is codes.UNSAFE_YAML]
    problem = refused[0] if refused else (doc.problems[0] if doc.data is None and
                                          doc.problems else None)
    if problem is not None:
        syntax = "not valid YAML: " if problem.rule is codes.YAML_SYNTAX else ""
        raise FormatError(syntax + problem.message, problem.location.line,
                          problem.location.column)
    return doc.data


# -- formatting text and files ---------------------------------------------------

def format_text(text: str) -> str:
    """``text`` (one map file) in canonical order and layout.

    Raises :class:`FormatError` when the text is not YAML that loads cleanly, or
    when the result would not hold exactly the same data and comments.
    """
    rt = _yaml()
    try:
        before = _plain_data(text)
        data = rt.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        raise FormatError(f"not valid YAML: {exc.problem or exc.context}", line, column) from exc
    except (YAMLError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        raise FormatError(f"not valid YAML: {_first_line(exc)}", line, column) from exc
    except (ValueError, OverflowError) as exc:  # e.g. 2024-02-30: no such day
        raise FormatError(f"a value YAML cannot read ({_first_line(exc)}); correct it "
                          "(`flowmap validate` shows where)") from exc
    if data is None:
        return text  # empty, or comments only: nothing to order
    comments = _comment_lines(data)
    _canonical_document(data)
    buffer = io.StringIO()
    rt.dump(data, buffer)
    result = buffer.getvalue()
    if text.lstrip().startswith("---") and not result.startswith("---"):
        result = "---\n" + result
    _verify(before, comments, result)
    return result


def _verify(before: Any, comments: Counter[str], result: str) -> None:
    try:
        after = _plain_data(result)
        kept = _comment_lines(_yaml().load(result))
    except (YAMLError, yaml.YAMLError, ValueError) as exc:
        raise FormatError(f"the formatted text would not load ({_first_line(exc)}); "
                          "please report this") from exc
    if after != before:
        raise FormatError("formatting would change the data; please report this")
    if kept != comments:
        lost = sorted((comments - kept).elements())
        raise FormatError("formatting would lose comments"
                          + (f" ({lost[0]!r})" if lost else "") + "; please report this")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def format_file(path: Path, *, check: bool = False) -> Outcome:
    """Format one file in place (or, with ``check``, only say whether it would change)."""
    planned = plan_file(path, check=check)
    return planned if check else write_planned(planned)


def plan_file(path: Path, *, check: bool = False) -> Outcome:
    """What formatting would make of one file, without writing it."""
    try:
        if not path.is_file():
            return Outcome(path, error=FormatError("not a regular file (a pipe or device)"))
        if path.stat().st_size > MAX_FILE_BYTES:
            return Outcome(path, error=FormatError(
                f"over the size limit of {MAX_FILE_BYTES:,} bytes"))
        raw = path.read_bytes()
    except OSError as exc:
        return Outcome(path, error=FormatError(f"cannot read it: {exc.strerror}"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Outcome(path, error=FormatError(
            f"not UTF-8 text (byte {exc.start}); save it as UTF-8"))
    bom = text.startswith("\ufeff")
    body = text.removeprefix("\ufeff")
    crlf = "\r\n" in body
    try:
        formatted = format_text(body.replace("\r\n", "\n"))
    except FormatError as exc:
        return Outcome(path, error=exc)
    if crlf:
        formatted = formatted.replace("\n", "\r\n")
    new = ("\ufeff" if bom else "") + formatted
    if new == text:
        return Outcome(path)
    if not check and not os.stat(path).st_mode & 0o222:
        return Outcome(path, error=FormatError(
            "the file is read-only; make it writable to let fmt rewrite it"))
    return Outcome(path, changed=True, old=raw, new=new.encode("utf-8"))


def write_planned(outcome: Outcome) -> Outcome:
    """Write a planned change, unless the file changed since it was read."""
    if not outcome.changed or outcome.held or outcome.error is not None:
        return outcome
    path = outcome.path
    try:
        if path.read_bytes() != outcome.old:
            return Outcome(path, error=FormatError(
                "the file changed while fmt was running; not rewritten: run fmt again"))
        write_atomic(path, outcome.new)  # keeps the file's permissions
    except OSError as exc:
        return Outcome(path, error=FormatError(f"cannot write it: {exc.strerror}"))
    except OutputError as exc:
        return Outcome(path, error=FormatError(str(exc)))
    return Outcome(path, changed=True)


def map_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files of the maps at ``paths`` (files as given, directories searched),
    each once, in order."""
    from flowmap.load.loader import discover

    seen: dict[Path, Path] = {}
    for path in paths:
        for file in discover(path):
            seen.setdefault(file.resolve(), file)
    return list(seen.values())


def format_paths(paths: Iterable[Path], *, check: bool = False) -> list[Outcome]:
    """Format every file of the maps: each is checked first, and none is written
    unless every one can be (a directory is never left half formatted)."""
    planned = [plan_file(f, check=check) for f in map_files(paths)]
    if check:
        return planned
    if any(o.error is not None for o in planned):
        return [replace(o, held=True) if o.changed else o for o in planned]
    return [write_planned(o) for o in planned]
