"""Property-based tests: random and mutated maps never crash any command (issue 7).

Maps are generated three ways: random YAML values, random text and bytes, and
valid maps mutated (fields deleted, retyped, renamed, duplicated, references
broken, huge and hostile unicode strings, deep nesting, lines duplicated,
files split, encodings changed). Every command runs on each through click's
CliRunner with ``FLOWMAP_DEBUG=1`` and ``catch_exceptions=False``, so a crash
fails with its traceback; a few maps also go through the installed program.

Whatever the map, every command must finish with exit status 0, 1 or 2 and
print no traceback; `validate --format json` and SARIF must parse; SVG must
parse as XML with the contract's groups; the register's CSV and Markdown must
keep their columns. Runs are derandomised (the same examples every time, no
example database) and bounded: set FLOWMAP_FUZZ_EXAMPLES to search longer.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowmap.cli import main

FLOWMAP = Path(sys.executable).parent / "flowmap"
SVG = "{http://www.w3.org/2000/svg}"
STATUSES = {"unjustified", "accepted", "warning", "justified"}
SEVERITIES = {"error", "warning", "info"}
#: examples per property; the file runs in well under a minute on 2 cores
EXAMPLES = int(os.environ.get("FLOWMAP_FUZZ_EXAMPLES", "0")) or None


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=EXAMPLES or examples,
        derandomize=True,  # the same examples on every run: CI is deterministic
        database=None,
        deadline=None,
        print_blob=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.large_base_example],
    )


# -- a valid map to start from ------------------------------------------------------

BASE: dict[str, Any] = {
    "flowmap": 1,
    "map": {"id": "fuzz", "title": "Fuzz map", "description": "A map to mutate",
            "as_of": dt.date(2024, 1, 1), "jurisdiction": "NZ"},
    "organisations": [
        {"id": "ngo", "name": "An NGO", "kind": "ngo", "sector": "community",
         "url": "https://example.org/ngo?a=1&b=2"},
        {"id": "msd", "name": "Ministry of Social Development", "short": "MSD",
         "kind": "government-department", "sector": "government"},
        {"id": "clinic", "name": "Clinic", "kind": "health-provider", "country": "AU",
         "description": "An overseas clinic"},
        {"id": "idle", "name": "Idle", "kind": "other"},
    ],
    "information": [
        {"id": "client", "name": "Client record", "category": "personal.benefit"},
        {"id": "notes", "name": "Clinical notes", "category": "personal.health.mental-health"},
        {"id": "stats", "name": "Statistics", "category": "non-personal.aggregate"},
    ],
    "purposes": [{"id": "support", "name": "Support", "description": "Helping people"}],
    "authorities": [
        {"id": "law", "title": "A law", "type": "statute", "instrument": "An Act 2020",
         "provision": "s 1", "url": "https://example.org/law",
         "in_force": {"from": dt.date(2010, 1, 1), "until": None},
         "scope": {"parties": ["ngo", "msd"], "information": ["personal.benefit"],
                   "purposes": ["support"], "cross_border": False},
         "onward": "forbidden"},
        {"id": "agreed", "title": "Client consent", "type": "consent",
         "needs_justification": True, "verified": False, "notes": "To check"},
    ],
    "flows": [
        {"id": "ngo-msd", "from": "ngo", "to": "msd", "information": ["client"],
         "purpose": "support", "basis": ["law"], "frequency": "daily", "channel": "api",
         "since": dt.date(2015, 1, 1)},
        {"id": "msd-clinic", "from": "msd", "to": "clinic", "information": ["client", "notes"],
         "basis": ["agreed"], "consent": {"obtained": "at intake", "opt_out": False},
         "justification": "Needed", "status": "proposed"},
        {"id": "clinic-ngo", "from": "clinic", "to": "ngo", "information": ["stats"],
         "identifiability": "aggregate", "status": "historical",
         "until": dt.date(2020, 1, 1)},
        {"id": "waived", "from": "msd", "to": "ngo", "information": ["client"],
         "review": [{"code": "FM201", "reason": "Interim", "by": "Officer",
                     "until": dt.date(2099, 12, 31)}]},
    ],
}

#: the same shape citing the built-in catalogue, so its merging is fuzzed too
CATALOGUE_BASE: dict[str, Any] = {
    "map": {"id": "fuzz-nz", "title": "Fuzz with the NZ catalogue",
            "as_of": dt.date(2024, 1, 1), "catalogues": ["nz"]},
    "organisations": [{"id": "acc", "name": "ACC", "kind": "crown-entity"}],
    "information": [{"id": "earnings", "name": "Earnings", "category": "personal.tax"}],
    "flows": [{"id": "ird-acc", "from": "ird", "to": "acc", "information": ["earnings"],
               "basis": ["ac-act-2001.s246"]}],
}

#: strings that have broken parsers, renderers and terminals
SPECIALS = [
    "\u202e", "\u202d", "\u200f", "\u2066", "\u0301", "e\u0301", "\u0336" * 5, "🎉",
    "👩\u200d👩\u200d👧", "\ufeff", "\u200b", "\u2028", "\u2029", "\x85", "\x7f", "\x1b[31m",
    "\x1b]0;title\x07", "\x01", "\x08", "\x0b", "\x0c", "\t", "\r", "\n", "\r\n", "\ufffe",
    "\uffff", "\U0010ffff", "\\N", "\\G", "\\L", "\\", '"', "'", "<", ">", "&", "]]>", "--",
    "-->", "<!--", "{", "}", "|", "`", "%", "%0A", "::error::x", "=", "+", "-", "@",
    "javascript:alert(1)", "<script>alert(1)</script>", "&amp;", "${x}", "%s", ";", "#",
    "*", "_", "[x](javascript:y)", "<<B>b</B>>", " ", "",
]
ALL_TEXT = st.characters(codec="utf-8", exclude_characters="\x00")
hostile_text = st.lists(
    st.one_of(st.sampled_from(SPECIALS), st.text(ALL_TEXT, max_size=6)), max_size=6,
).map("".join)
#: text that looks like an id, some of it near an existing one ("did you mean")
slugs = st.one_of(
    st.from_regex(r"[a-z0-9][a-z0-9._-]{0,12}", fullmatch=True),
    st.sampled_from(["ngo", "msd", "clinic", "client", "law", "support", "agreed", "ng0",
                     "msdd", "clinc", "personal", "personal.health", "unknown.root",
                     "FM201", "FM999", "nz", "ird", "acc", "ac-act-2001.s246"]),
)
#: past Graphviz's 16 KB limit on one quoted string
HUGE = ["x" * 20_000, "word " * 5_000, "é" * 20_000, "\u0301" * 20_000, "a-" * 10_000]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**30),
    st.floats(), hostile_text, slugs, st.dates(), st.datetimes(),
    st.sampled_from(["2019-02-30", "yes", "no", "null", "~", "1e400", "0x1F", "2024-01-01",
                     "NZ", "nz", "statute", "active", "identified"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(hostile_text, slugs), inner, max_size=4),
    ),
    max_leaves=12,
)

Path_ = tuple[str | int, ...]


def paths(value: Any, here: Path_ = ()) -> list[Path_]:
    """Every path into a nested value, the root included."""
    found = [here]
    if isinstance(value, dict):
        for key, child in value.items():
            found.extend(paths(child, (*here, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.extend(paths(child, (*here, index)))
    return found


def get(value: Any, path: Path_) -> Any:
    for part in path:
        value = value[part]
    return value


def put(doc: Any, path: Path_, new: Any) -> Any:
    if not path:
        return new
    get(doc, path[:-1])[path[-1]] = new
    return doc


def delete(doc: Any, path: Path_) -> Any:
    if path:
        del get(doc, path[:-1])[path[-1]]
    return doc


def rename(doc: Any, path: Path_, key: str) -> Any:
    """Give the key at ``path`` another name, keeping its place and value."""
    parent = get(doc, path[:-1])
    if isinstance(parent, dict):
        items = [(key if k == path[-1] else k, v) for k, v in parent.items()]
        parent.clear()
        parent.update(items)
    return doc


def nest(value: Any, depth: int, as_list: bool) -> Any:
    for _ in range(depth):
        value = [value] if as_list else {"x": value}
    return value


REFERENCE_KEYS = {"from", "to", "purpose", "basis", "information", "parties", "purposes",
                  "code", "catalogues", "category", "kind", "type", "status", "id"}


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A valid map with one to five mutations applied."""
    doc = copy.deepcopy(draw(st.sampled_from([BASE, BASE, BASE, CATALOGUE_BASE])))
    for _ in range(draw(st.integers(1, 5))):
        every = paths(doc)
        path = draw(st.sampled_from(every))
        op = draw(st.sampled_from(["delete", "retype", "duplicate", "reference", "huge",
                                   "unicode", "nest", "rename"]))
        target = get(doc, path)
        if op == "delete":
            doc = delete(doc, path)
        elif op == "retype":
            doc = put(doc, path, draw(values))
        elif op == "duplicate" and path and isinstance(get(doc, path[:-1]), list):
            get(doc, path[:-1]).insert(int(path[-1]), copy.deepcopy(target))
        elif op == "reference":
            refs = [p for p in every if p and p[-1] in REFERENCE_KEYS
                    or len(p) > 1 and p[-2] in REFERENCE_KEYS and isinstance(p[-1], int)]
            if refs:
                doc = put(doc, draw(st.sampled_from(refs)),
                          draw(st.one_of(slugs, st.lists(slugs, max_size=3), hostile_text)))
        elif op == "huge":
            strings = [p for p in every if isinstance(get(doc, p), str)]
            if strings:
                doc = put(doc, draw(st.sampled_from(strings)), draw(st.sampled_from(HUGE)))
        elif op == "unicode":
            strings = [p for p in every if isinstance(get(doc, p), str)]
            if strings:
                doc = put(doc, draw(st.sampled_from(strings)), draw(hostile_text))
        elif op == "nest":
            doc = put(doc, path, nest(target, draw(st.integers(1, 120)), draw(st.booleans())))
        elif op == "rename" and path and isinstance(path[-1], str):
            doc = rename(doc, path, draw(st.one_of(hostile_text, slugs, st.sampled_from(
                ["bassis", "nme", "form", "flowmap", "map", "id", "from_", "<<"]))))
    return doc if isinstance(doc, dict) else {"flows": doc}


def dump(value: Any, flow_style: bool | None = False) -> str:
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True,
                          default_flow_style=flow_style, width=80)


@st.composite
def files_of(draw: st.DrawFn, docs: st.SearchStrategy[Any]) -> dict[str, bytes]:
    """A map's files: a document split over one to three files, then mangled as text."""
    doc = draw(docs)
    parts: list[Any] = [doc]
    if isinstance(doc, dict) and len(doc) > 1 and draw(st.booleans()):
        keys = list(doc)
        cut = draw(st.integers(1, len(keys) - 1))
        parts = [{k: doc[k] for k in keys[:cut]}, {k: doc[k] for k in keys[cut:]}]
        if draw(st.booleans()):  # the same section (or map block) in two files
            parts.append({keys[0]: doc[keys[0]]})
    names = ["map.yaml", "sub/more.yml", "sub/deeper/again.yaml"]
    out = {}
    for name, part in zip(names, parts):
        text = dump(part, draw(st.sampled_from([False, None, True])))
        if draw(st.integers(0, 3)) == 0:
            text = draw(text_mangled(text))
        out[name] = draw(encoded(text))
    return out


@st.composite
def text_mangled(draw: st.DrawFn, text: str) -> str:
    """YAML text with a line duplicated (repeated keys), cut short, or tab-indented."""
    lines = text.splitlines(keepends=True) or [""]
    at = draw(st.integers(0, len(lines) - 1))
    how = draw(st.sampled_from(["duplicate", "truncate", "tab", "anchor"]))
    if how == "duplicate":
        lines.insert(at, lines[at])
    elif how == "truncate":
        return text[:draw(st.integers(0, len(text)))]
    elif how == "tab":
        lines[at] = "\t" + lines[at]
    else:
        lines.append("extra: &a [*a]\n" if draw(st.booleans()) else "x: &b 1\ny: *b\n")
    return "".join(lines)


@st.composite
def encoded(draw: st.DrawFn, text: str) -> bytes:
    how = draw(st.sampled_from(["utf-8"] * 6 + ["bom", "crlf", "utf-16", "latin-1", "flip"]))
    if how == "bom":
        return b"\xef\xbb\xbf" + text.encode()
    if how == "crlf":
        return text.replace("\n", "\r\n").encode()
    if how == "utf-16":
        return text.encode("utf-16")
    if how == "latin-1":
        return text.encode("latin-1", "replace")
    raw = bytearray(text.encode())
    if raw:
        raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(1, 255))
    return bytes(raw)


random_documents = st.one_of(
    values,
    st.dictionaries(st.sampled_from(["flowmap", "map", "organisations", "information",
                                     "purposes", "authorities", "flows", "other"]),
                    values, max_size=5),
)


# -- running every command -----------------------------------------------------------

def write(root: Path, files: dict[str, bytes]) -> Path:
    """The map's files under ``root``/map; the map path is the one file, or the folder."""
    folder = root / "map"
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder / "map.yaml" if len(files) == 1 else folder


def invoke(*args: str | Path) -> tuple[int, str, str]:
    """Run a command in-process; an unexpected exception propagates with its trace."""
    result = CliRunner(env={"FLOWMAP_DEBUG": "1"}).invoke(
        main, [str(a) for a in args], catch_exceptions=False)
    output = result.stdout + result.stderr
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, output[-2000:])
    assert "Traceback" not in output and "internal error" not in output, output[-2000:]
    return result.exit_code, result.stdout, result.stderr


def check_json(text: str) -> dict[str, Any]:
    document = json.loads(text)
    assert set(document) >= {"map", "findings", "summary"}
    for f in document["findings"]:
        assert re.fullmatch(r"FM\d{3}", f["code"]), f
        assert f["severity"] in SEVERITIES and f["message"]
        assert set(f["subject"]) == {"kind", "id"}
    assert sum(document["summary"].values()) == len(document["findings"])
    return document


def check_github(text: str, findings: int) -> None:
    lines = text.split("\n")
    assert lines[-1] == "" and len(lines) == findings + 2, text[-2000:]
    for line in lines[:-2]:
        assert re.match(r"::(error|warning|notice) [^:]*::", line), line
        assert "\r" not in line
    assert lines[-2].startswith("flowmap: ")


def check_svg(path: Path) -> None:
    root = ET.parse(path).getroot()  # well-formed XML, or this raises
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title") is not None
    for element in root.iter():
        assert element.tag.rpartition("}")[2] not in ("script", "foreignObject", "iframe")
        assert not any(name.lower().startswith("on") for name in element.attrib)
    for g in root.iter(f"{SVG}g"):
        classes = set(g.get("class", "").split())
        if g.get("id", "").startswith("flow-"):
            assert "flow" in classes and len(classes & STATUSES) == 1, classes
        if g.get("id", "").startswith("org-"):
            assert "org" in classes


def check_csv(text: str) -> None:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows and rows[0][0] == "Flow"
    for row in rows:
        assert len(row) == len(rows[0]), row
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def check_markdown(text: str) -> None:
    table = [line for line in text.split("\n") if line.startswith("|")]
    columns = table[0].count("|")
    for line in table:
        assert re.sub(r"\\.", "", line).count("|") == columns, line
    unescaped = re.sub(r"\\.", "", text)
    assert not re.search(r"<(?!https?://)", unescaped), text  # no HTML, only autolinks


def check_all_commands(root: Path, files: dict[str, bytes]) -> None:
    """Every command of FORMAT.md §3 on the map, each output checked by its structure."""
    source = write(root, files)
    before = {p: p.read_bytes() for p in (root / "map").rglob("*") if p.is_file()}
    code, out, _ = invoke("validate", source, "--format", "json", "--fail-on", "never")
    assert code == 0
    document = check_json(out)
    failing = any(f["severity"] == "error" for f in document["findings"])
    code, out, _ = invoke("validate", source)
    assert code == (1 if failing else 0)
    assert out.endswith("\n") and "checked as of" in out.rsplit("\n", 2)[-2]
    code, out, _ = invoke("validate", source, "--format", "sarif")
    assert len(json.loads(out)["runs"][0]["results"]) == len(document["findings"])
    code, out, _ = invoke("validate", source, "--format", "github")
    check_github(out, len(document["findings"]))
    out_dir = root / "out"
    out_dir.mkdir(exist_ok=True)
    code, _, err = invoke("render", source, "-o", out_dir / "map.dot")
    # a map with files not read or items refused is not drawn, and says why
    assert code in (0, 1), err
    assert (code == 1) == ("not drawn:" in err) == (not (out_dir / "map.dot").exists()), err
    code, _, err = invoke("render", source, "-o", out_dir / "map.dot", "--allow-errors")
    assert code == 0, err
    assert (out_dir / "map.dot").read_text(encoding="utf-8").startswith("digraph")
    code, _, err = invoke("render", source, "-o", out_dir / "map.svg", "--allow-errors")
    assert code == 0, err
    check_svg(out_dir / "map.svg")
    code, out, _ = invoke("register", source, "--format", "csv")
    assert code == 0
    check_csv(out)
    code, out, _ = invoke("register", source)
    assert code == 0
    check_markdown(out)
    assert {p: p.read_bytes() for p in before} == before  # no command touched the map


def run_on(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        check_all_commands(Path(tmp), files)


# -- properties ----------------------------------------------------------------------

@fuzz_settings(120)
@given(files_of(mutated()))
def test_mutated_maps_never_crash_any_command(files: dict[str, bytes]) -> None:
    run_on(files)


@fuzz_settings(50)
@given(files_of(random_documents))
def test_random_documents_never_crash_any_command(files: dict[str, bytes]) -> None:
    run_on(files)


@fuzz_settings(40)
@given(st.one_of(st.text(ALL_TEXT, max_size=300).map(str.encode),
                 st.binary(max_size=300)))
def test_random_text_and_bytes_never_crash_any_command(data: bytes) -> None:
    run_on({"map.yaml": data})


@fuzz_settings(50)
@given(st.dictionaries(st.sampled_from(["name", "short", "sector", "description"]),
                       hostile_text, min_size=1),
       st.dictionaries(st.sampled_from(["title", "description"]), hostile_text, min_size=1),
       st.dictionaries(st.sampled_from(["channel", "justification", "description"]),
                       hostile_text, min_size=1))
def test_hostile_text_in_valid_fields_renders_as_valid_svg(
        organisation: dict[str, str], map_block: dict[str, str], flow: dict[str, str]) -> None:
    """Strings that pass validation (so are drawn) never break the SVG or a report."""
    doc = copy.deepcopy(BASE)
    doc["organisations"][0].update({k: v or "x" for k, v in organisation.items()})
    doc["map"].update({k: v or "x" for k, v in map_block.items()})
    doc["flows"][0].update(flow)
    doc["information"][0]["name"] = map_block.get("title") or "x"
    run_on({"map.yaml": dump(doc).encode()})


# -- the installed program -----------------------------------------------------------

SAMPLES: dict[str, Callable[[], bytes]] = {
    "valid": lambda: dump(BASE).encode(),
    "catalogue": lambda: dump(CATALOGUE_BASE, None).encode(),
    "hostile": lambda: dump({**BASE, "map": {**BASE["map"], "title": "".join(SPECIALS)}}
                            ).encode(),
    "broken-refs": lambda: dump({**BASE, "flows": [
        {"id": "f", "from": "ng0", "to": "msdd", "information": ["clent"], "basis": ["lw"],
         "purpose": "suport"}]}).encode(),
    "huge": lambda: dump({**BASE, "purposes": [{"id": "p", "name": HUGE[1]}]}).encode(),
    "random-bytes": lambda: bytes(range(256)) * 4,
}


def test_the_installed_program_on_fuzzed_samples(tmp_path: Path) -> None:
    """A few maps through the console script itself: real exit codes, real streams."""
    env = {k: v for k, v in os.environ.items() if k != "FLOWMAP_DEBUG"}
    procs = []
    for name, make in SAMPLES.items():
        path = tmp_path / f"{name}.yaml"
        path.write_bytes(make())
        commands = [["validate", str(path), "--format", "json", "--fail-on", "never"]]
        if name in ("hostile", "huge"):
            commands.append(["render", str(path), "-o", str(tmp_path / f"{name}.svg")])
        for args in commands:
            procs.append((name, args, subprocess.Popen(
                [str(FLOWMAP), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                text=True, env=env)))
    for name, args, proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, (name, args, err)
        assert "Traceback" not in out + err and "internal error" not in err, (name, err)
        if args[0] == "validate":
            check_json(out)
        else:
            check_svg(tmp_path / f"{name}.svg")


def test_the_command_line_starts_without_the_heavy_libraries() -> None:
    """`flowmap --help` is fast because importing the CLI imports no pydantic, networkx
    or Graphviz (benchmarks/run.py, start-up); each command imports what it needs."""
    probe = ("import sys, flowmap.cli; "
             "print(sorted({'pydantic', 'networkx', 'graphviz', 'yaml'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_reading_a_map_leaves_the_garbage_collector_as_it_was() -> None:
    """The loader pauses the cyclic collector while it composes YAML, and restores it."""
    import gc

    from flowmap.read.yamlsource import parse_document

    assert gc.isenabled()
    parse_document(dump(BASE).encode(), "map.yaml")
    assert gc.isenabled()
    gc.disable()
    try:
        parse_document(b"map: {id: x, title: X}\n", "map.yaml")
        assert not gc.isenabled()
    finally:
        gc.enable()
