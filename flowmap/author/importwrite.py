"""Writing an imported map: its files, as `flowmap fmt` would write them, read back
before anything is written so that what was imported is what is on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from flowmap.author.scaffold import SCHEMA_FILE, ScaffoldError, modeline

#: the kind of an organisation the register names (a register does not say)
DEFAULT_KIND = "other"

_HEADERS = {
    "organisations.yaml": (
        "The register does not say what kind of organisation each one is, so each was\n"
        f"given `kind: {DEFAULT_KIND}`: set the right kind (government-department, "
        "crown-entity,\nngo, health-provider, private-sector, ...), since legal bases "
        "admit parties by it."),
    "authorities.yaml": (
        "Legal bases the register cites that are not in a catalogue, declared as stubs:\n"
        "`type: other`, a scope covering no information yet (so a flow resting on one\n"
        "alone is reported as not covered, FM204) and `verified: false`. Check each\n"
        "citation, then write its real type, scope and `verified: true`."),
}


class _Dumper(yaml.SafeDumper):
    """Block mappings, flow-style lists of plain values, dashes indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flat = all(not isinstance(v, (dict, list)) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flat)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    """Plain or a literal block where that reads back the same; else double-quoted, whose
    escapes keep what YAML would take as a line break (U+0085, U+2028, U+2029), a
    carriage return or a character that is not printable."""
    if any(c in _UNSAFE_IN_BLOCKS or not (c.isprintable() or c == "\n") for c in data):
        style: str | None = '"'
    else:
        style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_UNSAFE_IN_BLOCKS = frozenset("\r\x85\u2028\u2029\ufeff")


_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)


def file_text(name: str, data: dict[str, Any], source: str) -> str:
    """One file of the imported map: a header comment, then the data, written as
    `flowmap fmt` would write it."""
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096)
    lines: list[str] = []
    for line in body.splitlines():
        if line.startswith("  - ") and lines and not lines[-1].endswith(":"):
            lines.append("")  # a blank line between the items of a section
        lines.append(line)
    header = [modeline(SCHEMA_FILE), "#", f"# Imported from {source} by `flowmap import`."]
    if name in _HEADERS:
        header += ["#", *(f"# {h}" for h in _HEADERS[name].splitlines())]
    text = "\n".join([*header, *lines]) + "\n"
    try:
        same = yaml.load(text, Loader=_LOADER) == data  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        same = False
    if not same:
        raise ScaffoldError(f"{name} would not read back as what was imported, so nothing "
                            "was written; please report the register that did this")
    return text


def write_files(output: Path, sections: dict[str, dict[str, Any]], source: str,
           files: list[Path]) -> None:
    from flowmap.common.output import OutputError, write_atomic
    from flowmap.author.scaffold import write_schema

    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScaffoldError(f"cannot create directory {output}: {exc.strerror}") from exc
    texts = {name: file_text(name, data, source) for name, data in sections.items()}
    for name in (*texts, SCHEMA_FILE):
        if (output / name).is_symlink():  # --force replaces files, never what a link names
            raise ScaffoldError(f"{output / name} is a symbolic link; flowmap import writes "
                                "only its own files in the directory, so nothing was written "
                                "(remove the link, or import into a new directory)")
    for name, text in texts.items():
        try:
            write_atomic(output / name, text.encode("utf-8"))
        except OutputError as exc:
            raise ScaffoldError(str(exc)) from exc
        files.append(output / name)
    files.append(write_schema(output))

