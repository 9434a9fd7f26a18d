"""Hostile input (issue 7): YAML attacks, encodings, outputs, and hostile strings.

What the loader and the basic formats already prove (tests/test_loader.py,
tests/test_views_formats.py, tests/test_render.py) is not repeated here;
this file adds the other shapes of each attack, every command, and every
output format, checked by structure: it parses, it holds no element,
attribute, line or cell that the map injected, and the text reads back
literally.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import resource
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import flowmap.read.yamlsource
from flowmap.cli import main
from flowmap.render import FORMATS as RENDER_FORMATS

FLOWMAP = Path(sys.executable).parent / "flowmap"
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
SARIF_SCHEMA = Path(__file__).parent / "fixtures" / "sarif-schema-2.1.0.json"

OK_MAP = """\
map: {id: ok, title: OK, as_of: 2024-01-01}
organisations:
  - {id: a, name: Org A, kind: ngo}
  - {id: b, name: Org B, kind: ngo}
information:
  - {id: i, name: Stats, category: non-personal.aggregate}
flows:
  - {id: f, from: a, to: b, information: [i]}
"""


def invoke(*args: str | Path) -> tuple[int, str, str]:
    """A command in-process: a crash propagates with its trace; no exit 70 either."""
    result = CliRunner(env={"FLOWMAP_DEBUG": "1"}).invoke(
        main, [str(a) for a in args], catch_exceptions=False)
    # the bytes as written: click's Result.stdout turns CRLF into LF
    out, err = result.stdout_bytes.decode("utf-8"), result.stderr_bytes.decode("utf-8")
    assert "Traceback" not in out + err and "internal error" not in out + err, out + err
    return result.exit_code, out, err


def codes_of(path: Path) -> set[str]:
    code, out, _ = invoke("validate", path, "--format", "json", "--fail-on", "never")
    assert code == 0
    return {f["code"] for f in json.loads(out)["findings"]}


def every_command_survives(path: Path, out: Path) -> None:
    """Render and register a bad map: render refuses to draw part of a map unless
    allowed, and then stamps it; register lists what it can, exit 0."""
    code, _, err = invoke("render", path, "-o", out / "x.svg")
    assert code == 1 and "not drawn:" in err and not (out / "x.svg").exists(), err
    for target in (out / "x.svg", out / "x.dot"):
        code, _, err = invoke("render", path, "-o", target, "--allow-errors")
        assert code == 0, err
    assert ET.parse(out / "x.svg").getroot().tag == f"{SVG}svg"
    assert "INCOMPLETE" in (out / "x.svg").read_text(encoding="utf-8")
    for fmt in ("markdown", "csv"):
        code, _, err = invoke("register", path, "--format", fmt)
        assert code == 0, err


# -- YAML attacks -------------------------------------------------------------------

def laughs(levels: int = 9, width: int = 9) -> str:
    """The billion-laughs alias bomb: width ** levels strings from a few hundred bytes."""
    lines = ['l0: &l0 ["lol"' + ', "lol"' * (width - 1) + "]"]
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * width) + "]")
    lines.append(f"flows: *l{levels - 1}")
    return "\n".join(lines) + "\n"


BOMBS = {
    "billion-laughs": laughs(),
    # mappings merged into mappings: each level doubles nine times over
    "merge-keys": "a0: &a0 {k: v, l: w}\n" + "".join(
        f"a{n}: &a{n} {{" + ", ".join(f"x{m}: *a{n - 1}" for m in range(9)) + "}\n"
        for n in range(1, 9)) + "organisations:\n  - <<: *a8\n",
    # wide and shallow: one list of 20,000 items referred to 20,000 times (4e8 nodes)
    "quadratic": "a: &a [" + ",".join(["x"] * 20_000) + "]\nb: [" + ",".join(["*a"] * 20_000)
                 + "]\n",
    # the bomb hidden inside an otherwise valid item
    "inside-an-item": laughs(levels=8).replace("flows: *l7", "organisations:\n"
                                              "  - {id: a, name: *l7, kind: ngo}"),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_alias_bombs_are_refused_by_every_command(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(BOMBS[name], encoding="utf-8")
    assert "FM012" in codes_of(path)
    every_command_survives(path, tmp_path)


def test_billion_laughs_through_the_installed_program(tmp_path: Path) -> None:
    """A generous bound: the refusal takes well under a second of work."""
    path = tmp_path / "bomb.yaml"
    path.write_text(laughs(), encoding="utf-8")
    proc = subprocess.run([str(FLOWMAP), "validate", "--format", "json", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    assert {f["code"] for f in findings if f["severity"] == "error"} == {"FM012"}
    assert "Traceback" not in proc.stderr


TAGS = {
    "apply": "!!python/object/apply:os.system [touch {marker}]",
    "new": "!!python/object/new:os.system [touch {marker}]",
    "object": "!!python/object:os.system {{cmd: touch {marker}}}",
    "name": "!!python/name:os.system",
    "module": "!!python/module:os",
    "verbatim": "!<tag:yaml.org,2002:python/object/apply:os.system> [touch {marker}]",
    "tag-directive": None,  # a %TAG shorthand for the Python prefix, below
    "local": "!include /etc/passwd",
    "binary": "!!binary aGVsbG8=",
    "set": "!!set {{a, b}}",
    "omap": "!!omap [a: 1]",
}


@pytest.mark.parametrize("name", sorted(TAGS))
def test_tags_are_never_constructed_and_always_reported(name: str, tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    tag = TAGS[name]
    if tag is None:
        text = ("%TAG !py! tag:yaml.org,2002:python/object/apply:\n---\n"
                f"map: !py!os.system [touch {marker}]\n")
    else:
        text = (f"map: {tag.format(marker=marker)}\n"
                f"organisations:\n  - {tag.format(marker=marker)}\n")
    path = tmp_path / "tagged.yaml"
    path.write_text(text, encoding="utf-8")
    assert "FM012" in codes_of(path)
    every_command_survives(path, tmp_path)
    assert not marker.exists()


def test_a_python_tag_on_a_key_is_reported_as_fm012(tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    path = tmp_path / "key.yaml"
    path.write_text(f"? !!python/name:os.system ''\n: x\n"
                    f"? !!python/object/apply:os.system [touch {marker}]\n: y\n",
                    encoding="utf-8")
    try:
        assert "FM012" in codes_of(path)
    finally:
        assert not marker.exists()


@pytest.mark.parametrize("value", ["!!timestamp 'not a date'", "!!bool maybe"])
def test_an_explicit_scalar_tag_that_does_not_fit_is_a_finding(value: str,
                                                               tmp_path: Path) -> None:
    path = tmp_path / "tagged.yaml"
    path.write_text(f"map: {{id: t, title: T, as_of: {value}}}\n", encoding="utf-8")
    assert "FM007" in codes_of(path)


# -- size, encodings ------------------------------------------------------------------

def test_a_file_over_the_size_limit_is_refused_with_fm001(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flowmap.read.yamlsource, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.yaml"
    body = OK_MAP + "# padding\n"
    path.write_text(body + "#" * (1000 - len(body)) + "\n", encoding="utf-8")
    code, out, _ = invoke("validate", path, "--format", "json")
    assert code == 1
    findings = json.loads(out)["findings"]
    assert [f["code"] for f in findings if f["severity"] == "error"] == ["FM001"]
    assert "1,000" in next(f["message"] for f in findings if f["code"] == "FM001")
    every_command_survives(path, tmp_path)
    path.write_text(body + "#" * (999 - len(body)) + "\n", encoding="utf-8")  # 1000 bytes
    assert "FM001" not in codes_of(path)


def test_a_file_larger_than_memory_is_refused_with_fm001_not_read(tmp_path: Path) -> None:
    path = tmp_path / "sparse.yaml"
    with path.open("wb") as handle:
        handle.truncate(3 << 30)  # 3 GiB, sparse: no disk is used

    def limit_memory() -> None:  # the child may map at most 1 GiB
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    proc = subprocess.run([str(FLOWMAP), "validate", "--format", "json", str(path)],
                          capture_output=True, text=True, timeout=120,
                          preexec_fn=limit_memory)
    assert proc.returncode == 1, proc.stderr
    assert [f["code"] for f in json.loads(proc.stdout)["findings"]] == ["FM001"]


ENCODED = {
    "latin-1": ("map: {id: t, title: Café}\n".encode("latin-1"), "FM001"),
    "utf-16": ("map: {id: t, title: T}\n".encode("utf-16"), "FM001"),
    "utf-32": ("map: {id: t, title: T}\n".encode("utf-32"), "FM001"),
    "nul-byte": (OK_MAP.encode() + b"\x00", "FM001"),
    "nul-in-the-middle": (OK_MAP.encode().replace(b"Org A", b"Org\x00A"), "FM001"),
    "lone-continuation-byte": (OK_MAP.encode().replace(b"Org A", b"Org \x80"), "FM001"),
    "overlong-utf8": (OK_MAP.encode().replace(b"Org A", b"Org \xc0\xaf"), "FM001"),
    "encoded-surrogate": (OK_MAP.encode().replace(b"Org A", b"Org \xed\xa0\x80"), "FM001"),
}


@pytest.mark.parametrize("name", sorted(ENCODED))
def test_undecodable_files_are_fm001_in_every_command(name: str, tmp_path: Path) -> None:
    data, code = ENCODED[name]
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(data)
    assert code in codes_of(path)
    every_command_survives(path, tmp_path)


@pytest.mark.parametrize("variant", ["bom", "crlf", "bom+crlf", "cr-only"])
def test_bom_and_line_endings_change_nothing(variant: str, tmp_path: Path) -> None:
    """The same map with a BOM, CRLF or old Mac line ends: same findings, same drawing."""
    plain = tmp_path / "plain" / "map.yaml"
    other = tmp_path / variant / "map.yaml"
    for p in (plain, other):
        p.parent.mkdir()
    plain.write_bytes(OK_MAP.encode())
    data = OK_MAP.encode()
    if "crlf" in variant:
        data = data.replace(b"\n", b"\r\n")
    if variant == "cr-only":
        data = data.replace(b"\n", b"\r")
    if "bom" in variant:
        data = b"\xef\xbb\xbf" + data
    other.write_bytes(data)
    outputs = {}
    for p in (plain, other):
        _, out, _ = invoke("validate", p, "--format", "json", "--fail-on", "never")
        findings = [{**f, "location": {**f["location"], "file": None}}
                    for f in json.loads(out)["findings"]]
        invoke("render", p, "-o", p.parent / "map.svg")
        outputs[p] = (findings, (p.parent / "map.svg").read_bytes(),
                      invoke("register", p, "--format", "csv")[1])
    assert outputs[plain] == outputs[other]


def test_escaped_control_characters_in_strings_are_drawn_as_valid_svg(
        tmp_path: Path) -> None:
    r"""No NUL byte in the file, but "\0", "\x01", "\e" escapes in YAML strings: every
    output still parses (XML cannot hold them; they are drawn as U+FFFD)."""
    path = tmp_path / "escapes.yaml"
    path.write_text(
        'map: {id: t, title: "T\\0\\x01\\e\\t\\v\\uFFFE", as_of: 2024-01-01}\n'
        'organisations:\n'
        '  - {id: a, name: "A\\0B\\x08\\e", kind: ngo, sector: "S\\x1f", description: "\\f"}\n'
        '  - {id: b, name: "\\t", kind: ngo}\n'
        'information:\n  - {id: i, name: "I\\x7f\\x85", category: personal.identity}\n'
        'flows:\n  - {id: f, from: a, to: b, information: [i], channel: "\\0"}\n',
        encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = invoke("render", path, "-o", f"{out}/", *formats("svg", "graphml", "dot",
                                                                     "json", "mermaid"))
    assert code == 0, err
    root = ET.parse(out / "t.svg").getroot()
    assert "A\ufffdB\ufffd" in " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    ET.parse(out / "t.graphml")
    json.loads((out / "t.json").read_text(encoding="utf-8"))
    code, text, _ = invoke("validate", path)
    assert "\x1b" not in text and "\x00" not in text


def test_strings_past_graphvizs_16_kb_limit_are_clipped_not_fatal(tmp_path: Path) -> None:
    """Graphviz 2.43 cannot read a quoted string of 16 KB: long names and descriptions
    are clipped in the drawing (the accessible description keeps them whole)."""
    name, description = "n" * 20_000, "word & " * 6_000
    path = tmp_path / "long.yaml"
    title = 'word "quoted" \\ ' * 1_500  # in the HTML-like title label: 6x on escaping
    path.write_text(OK_MAP.replace("name: Org A,", f"name: {name}, description: "
                                   f"'{description}',").replace("title: OK", f"title: '{title}'"),
                    encoding="utf-8")
    code, _, err = invoke("render", path, "-o", tmp_path / "long.svg", "--format", "svg")
    assert code == 0, err
    root = ET.parse(tmp_path / "long.svg").getroot()
    org = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "org-a")
    assert name in (org.findtext(f"{SVG}desc") or "")
    assert description.strip() in (org.findtext(f"{SVG}desc") or "")
    tooltip = next(a.get(f"{XLINK}title", "") for a in org.iter(f"{SVG}a"))
    assert tooltip.endswith("\u2026") and len(tooltip) <= 3000
    assert root.findtext(f"{SVG}title") == title


@pytest.mark.parametrize("where", ["map", "organisation"])
def test_a_very_long_id_still_renders_or_is_refused(where: str, tmp_path: Path) -> None:
    long = "a" * 17_000
    text = OK_MAP.replace("id: ok", f"id: {long}") if where == "map" else \
        OK_MAP.replace("id: a,", f"id: {long},").replace("from: a", f"from: {long}")
    path = tmp_path / "long.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = invoke("render", path, "-o", tmp_path / "long.svg")
    assert code == 0 or "FM006" in codes_of(path), err


# -- outputs -------------------------------------------------------------------------

def formats(*names: str) -> list[str]:
    return [a for n in names for a in ("--format", n)]


@pytest.fixture
def map_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "map"
    (folder / "more").mkdir(parents=True)
    (folder / "map.yaml").write_text(OK_MAP, encoding="utf-8")
    (folder / "more" / "extra.yml").write_text("purposes: []\n", encoding="utf-8")
    return folder


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_register_never_overwrites_a_file_of_the_map(map_dir: Path, tmp_path: Path) -> None:
    before = snapshot(map_dir)
    link = tmp_path / "link.md"
    link.symlink_to(map_dir / "more" / "extra.yml")
    for source, target in [
        (map_dir / "map.yaml", map_dir / "map.yaml"),
        (map_dir, map_dir / "more" / "extra.yml"),
        (map_dir, map_dir / "more" / ".." / "map.yaml"),
        (map_dir, link),
    ]:
        for fmt in ("markdown", "csv"):
            code, _, err = invoke("register", source, "--format", fmt, "-o", target)
            assert code != 0 and "refusing to overwrite" in err, (target, err)
    assert snapshot(map_dir) == before
    assert not list(map_dir.rglob(".*.tmp"))


def test_a_hard_link_to_a_map_file_is_replaced_not_written_through(
        map_dir: Path, tmp_path: Path) -> None:
    """An output path that is another name of a map file: the map keeps its bytes."""
    before = snapshot(map_dir)
    alias = tmp_path / "alias.svg"
    os.link(map_dir / "map.yaml", alias)
    code, _, err = invoke("render", map_dir, "-o", alias)
    assert code == 0, err
    assert alias.read_bytes().startswith(b"<?xml")
    code, _, err = invoke("register", map_dir, "-o", alias)
    assert code == 0, err
    assert snapshot(map_dir) == before


UNWRITABLE = {
    "under-a-regular-file": lambda tmp: tmp / "file.txt" / "out.{ext}",
    "missing-directory": lambda tmp: tmp / "no" / "such" / "out.{ext}",
    "proc": lambda tmp: Path("/proc/flowmap-no-such/out.{ext}"),
    "proc-file": lambda tmp: Path("/proc/version"),
}


@pytest.mark.parametrize("where", sorted(UNWRITABLE))
@pytest.mark.parametrize("command", ["render", "register"])
def test_unwritable_outputs_give_a_clear_error(command: str, where: str,
                                               tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("keep me\n", encoding="utf-8")
    source = tmp_path / "map.yaml"
    source.write_text(OK_MAP, encoding="utf-8")
    target = str(UNWRITABLE[where](tmp_path)).format(ext="svg" if command == "render" else "md")
    code, out, err = invoke(command, source, "-o", target)
    assert code == 2, (code, out, err)  # the command could not do what was asked
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("flowmap: "), err
    assert (tmp_path / "file.txt").read_text(encoding="utf-8") == "keep me\n"
    assert source.read_text(encoding="utf-8") == OK_MAP


def test_register_into_a_directory_is_a_clear_error(tmp_path: Path) -> None:
    """(render writes one file per format into a directory; register writes one file.)"""
    source = tmp_path / "map.yaml"
    source.write_text(OK_MAP, encoding="utf-8")
    code, _, err = invoke("register", source, "-o", tmp_path)
    assert code == 2 and err.strip() == f"flowmap: {tmp_path} is a directory; give a file name"


def test_an_output_directory_under_a_regular_file_is_a_clear_error(tmp_path: Path) -> None:
    source = tmp_path / "map.yaml"
    source.write_text(OK_MAP, encoding="utf-8")
    code, _, err = invoke("render", source, "-o", f"{source}/out/", *formats("svg", "dot"))
    assert code == 2 and err.startswith("flowmap: cannot create directory"), err
    assert source.read_text(encoding="utf-8") == OK_MAP


@pytest.mark.parametrize("command", ["render", "register"])
def test_an_output_that_is_a_pipe_is_written_into_not_replaced(command: str,
                                                               tmp_path: Path) -> None:
    source = tmp_path / "map.yaml"
    source.write_text(OK_MAP, encoding="utf-8")
    fifo = tmp_path / "pipe.svg"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # so that a writer never blocks
    try:
        code, _, err = invoke(command, source, "-o", fifo)
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the pipe was replaced by a file"
        assert code != 0 or os.read(reader, 1 << 16), err
    finally:
        os.close(reader)


def graphviz_env(tmp_path: Path, dot_script: str | None) -> dict[str, str]:
    """An environment whose PATH has no Graphviz, or a `dot` that runs ``dot_script``."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    if dot_script is not None:
        for engine in ("dot", "sfdp", "neato"):
            (bin_dir / engine).write_text(f"#!/bin/sh\n{dot_script}\n", encoding="utf-8")
            (bin_dir / engine).chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "FLOWMAP_DEBUG"}
    env["PATH"] = str(bin_dir)
    return env


@pytest.mark.parametrize(("case", "script", "message"), [
    ("missing", None, "Graphviz's 'dot' program is not installed"),
    ("failing", 'echo "dot: out of memory" >&2; exit 3', "Graphviz failed: dot: out of memory"),
    ("killed", "kill -9 $$", "Graphviz failed"),
])
def test_a_failed_render_leaves_the_old_output_intact(case: str, script: str | None,
                                                      message: str, tmp_path: Path) -> None:
    source = tmp_path / "map.yaml"
    source.write_text(OK_MAP, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    old = {out / "map.svg": b"<svg>old drawing</svg>\n", out / "map.png": b"old png"}
    for path, data in old.items():
        path.write_bytes(data)
    for target in old:
        proc = subprocess.run([str(FLOWMAP), "render", str(source), "-o", str(target)],
                              capture_output=True, text=True, timeout=120,
                              env=graphviz_env(tmp_path, script))
        assert proc.returncode == 1, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), proc.stderr
        assert message in proc.stderr
    assert {p: p.read_bytes() for p in out.iterdir()} == old  # no temporary file left


# -- hostile strings, every format ----------------------------------------------------

#: each string is the name of an organisation, an information item and more
HOSTILE = [
    'say "hi" it\'s',
    "back\\slash \\N \\G \\L \\n \\",
    "{a|b} [c] <d>",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "]]> -- --> <!-- x",
    "line one\nline two\r\nline three",
    "a | b || c",
    '=HYPERLINK("http://evil.example","x")',
    "+SUM(1+1)",
    "-2+3",
    "@cmd",
    "%0A::error file=x::forged%25",
    "*bold* _em_ [x](javascript:alert(1)) ![i](x) `c` # h",
    "&amp; &lt; &#x3c; &",
    "\u202eevil\u202c e\u0301 🎉",
    "<<B>b</B>>",
    "${env:HOME} %s {0} \\\\server\\share",
]
TITLE = "Title " + " ".join(HOSTILE[:6])
REASON = "Reviewed <script>x</script> | =1+1 %0A::warning::forged"


def hostile_map(text: Callable[[int], str], title: str, reason: str) -> dict[str, Any]:
    """A map whose every string is ``text(n)``: the hostile strings, or plain twins."""
    n = len(HOSTILE)
    orgs = [{"id": f"o{i}", "name": text(i), "short": text(i), "kind": "ngo",
             "sector": text(i % 3), "description": text(i),
             "url": "https://example.org/a?b=1&c=2#x]]--{|}"} for i in range(n)]
    orgs.append({"id": "js", "name": "JS", "kind": "ngo", "url": "javascript:alert(1)"})
    flows = [{"id": f"f{i}", "from": f"o{i}", "to": f"o{(i + 1) % n}",
              "information": [f"i{i}"], "purpose": "p", "channel": text(i),
              "justification": text(i), "description": text(i),
              **({"basis": ["auth"]} if i % 2 else {})} for i in range(n)]
    flows[0]["review"] = [{"code": "FM201", "reason": reason, "by": text(1),
                           "until": dt.date(2099, 12, 31)}]
    return {
        "map": {"id": "hostile", "title": title, "description": text(2),
                "as_of": dt.date(2024, 1, 1)},
        "organisations": orgs,
        "information": [{"id": f"i{i}", "name": text(i), "category": "personal.benefit",
                         "description": text(i)} for i in range(n)],
        "purposes": [{"id": "p", "name": text(3), "description": text(4)}],
        "authorities": [{"id": "auth", "title": text(5), "type": "statute",
                         "instrument": text(6), "provision": text(7), "notes": text(8),
                         "url": "https://example.org/law?x=1&y=2"}],
        "flows": flows,
    }


def write_yaml(path: Path, doc: dict[str, Any]) -> Path:
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=1000)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The hostile map and its plain twin, validated and rendered in every format."""
    root = tmp_path_factory.mktemp("hostile")
    made: dict[str, Any] = {}
    twins = (("hostile", lambda i: HOSTILE[i], TITLE, REASON),
             ("twin", lambda i: f"Plain {i}", "Plain title", "Reviewed"))
    for name, text, title, reason in twins:
        source = write_yaml(root / name / "map.yaml", hostile_map(text, title, reason))
        out = root / f"{name}-out"
        render_formats = [f for f in RENDER_FORMATS if f not in ("png", "pdf")]
        # the organisation with a javascript: URL is refused (FM008): drawn, with a stamp
        code, _, err = invoke("render", source, "-o", f"{out}/", *formats(*render_formats),
                              "--allow-errors")
        assert code == 0, err
        code, _, err = invoke("render", source, "-o", out / "numbered.svg", "--labels",
                              "numbers", "--allow-errors")
        assert code == 0, err
        reports = {fmt: invoke("validate", source, "--format", fmt, "--fail-on", "never")[1]
                   for fmt in ("text", "json", "sarif", "github")}
        reports["markdown"] = invoke("register", source)[1]
        reports["csv"] = invoke("register", source, "--format", "csv")[1]
        made[name] = {"source": source, "out": out, **reports}
    return made


def test_hostile_map_is_read_as_intended(hostile: dict[str, Any]) -> None:
    document = json.loads(hostile["hostile"]["json"])
    codes = {f["code"] for f in document["findings"]}
    assert "FM008" in codes  # the javascript: URL is refused ...
    assert "FM201" in codes  # ... and half the flows cite no basis
    twin = json.loads(hostile["twin"]["json"])
    assert [f["code"] for f in document["findings"]] == [f["code"] for f in twin["findings"]]


def test_text_report_keeps_one_finding_a_line(hostile: dict[str, Any]) -> None:
    text = hostile["hostile"]["text"]
    findings = json.loads(hostile["hostile"]["json"])["findings"]
    lines = [line for line in text.split("\n") if line]
    assert len(lines) == len(findings) + 1  # one line each, then the summary
    for line in lines[:-1]:
        assert re.match(r"^\S+?(:\d+:\d+)?: FM\d{3} (error|warning|info): ", line), line
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text)  # no terminal escapes
    assert HOSTILE[3] in text and f"[accepted: {REASON} (" in text  # (by whom)


def test_json_and_sarif_carry_the_strings_literally(hostile: dict[str, Any]) -> None:
    findings = json.loads(hostile["hostile"]["json"])["findings"]
    messages = " ".join(f["message"] for f in findings)
    for s in (HOSTILE[3], HOSTILE[5], HOSTILE[12]):
        assert s in messages, s
    assert [f["review"].startswith(REASON) for f in findings if f["accepted"]] == [True]
    import jsonschema  # type: ignore[import-untyped]

    sarif = json.loads(hostile["hostile"]["sarif"])
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert sorted(r["message"]["text"] for r in results) == sorted(f["message"]
                                                                   for f in findings)
    assert [s["justification"].startswith(REASON)
            for r in results for s in r.get("suppressions", [])] == [True]


def unescape_github(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":") \
        .replace("%2C", ",").replace("%25", "%")


def test_github_annotations_cannot_be_forged(hostile: dict[str, Any]) -> None:
    findings = json.loads(hostile["hostile"]["json"])["findings"]
    lines = hostile["hostile"]["github"].split("\n")
    assert lines[-1] == "" and len(lines) == len(findings) + 2
    command = re.compile(r"^::(error|warning|notice) ((file|line|col|title)=[^:,]*,?)+::(.*)$")
    decoded = []
    for line in lines[:-2]:
        match = command.match(line)
        assert match, line
        assert "\r" not in line
        decoded.append(unescape_github(match.group(4)))
    assert lines[-2].startswith("flowmap: hostile: ")
    for f, message in zip(findings, decoded):
        assert f["message"] in message  # the literal message, back after unescaping
    assert any(f"[accepted: {REASON} (" in m for m in decoded)


def dot_structure(path: Path) -> dict[str, Any]:
    """The graph Graphviz reads from DOT: its objects, edges and attribute names."""
    proc = subprocess.run(["dot", "-Tjson0", str(path)], capture_output=True, text=True,
                          timeout=120, check=True)
    graph = json.loads(proc.stdout)
    objects = graph.get("objects", [])
    names = {o["_gvid"]: o["name"] for o in objects if "nodes" not in o}
    return {
        "graph": sorted(k for k in graph if not k.startswith("_")),
        "objects": sorted((o["name"], tuple(sorted(o))) for o in objects),
        "edges": sorted((e.get("id", ""), names[e["tail"]], names[e["head"]],
                         tuple(sorted(e))) for e in graph.get("edges", [])),
    }


def test_dot_has_the_twins_structure(hostile: dict[str, Any]) -> None:
    """Graphviz reads the same nodes, edges and attributes as from the plain twin:
    no string added, removed or renamed anything."""
    mine = dot_structure(hostile["hostile"]["out"] / "hostile.dot")
    twin = dot_structure(hostile["twin"]["out"] / "hostile.dot")
    assert mine == twin
    names = {name for name, _ in mine["objects"]}
    # the organisation with a javascript: URL is kept without it (FM008)
    assert {f"o{i}" for i in range(len(HOSTILE))} | {"js"} <= names
    assert len(mine["edges"]) == len(HOSTILE)


def svg_signature(root: ET.Element) -> set[tuple[str, frozenset[str]]]:
    return {(e.tag, frozenset(e.attrib)) for e in root.iter()}


@pytest.mark.parametrize("name", ["hostile.svg", "numbered.svg"])
def test_svg_has_no_injected_element_or_attribute(hostile: dict[str, Any], name: str) -> None:
    root = ET.parse(hostile["hostile"]["out"] / name).getroot()
    twin = ET.parse(hostile["twin"]["out"] / name).getroot()
    assert svg_signature(root) <= svg_signature(twin)
    for element in root.iter():
        for attr, value in element.attrib.items():
            if attr in ("href", f"{XLINK}href"):
                assert value.startswith("https://"), value
            assert not attr.lower().startswith("on"), attr


def test_svg_holds_the_strings_literally(hostile: dict[str, Any]) -> None:
    root = ET.parse(hostile["hostile"]["out"] / "hostile.svg").getroot()
    descs = {g.get("id"): g.findtext(f"{SVG}desc") or "" for g in root.iter(f"{SVG}g")}
    for i, s in enumerate(HOSTILE):  # the accessible description, character for character
        assert s.replace("\r\n", "\n") in descs[f"org-o{i}"], s  # (XML reads CRLF as LF)
    assert root.findtext(f"{SVG}title") == TITLE
    tooltips = " ".join(a.get(f"{XLINK}title", "") for a in root.iter(f"{SVG}a"))
    tooltips = tooltips.replace("\u29f5", "\\")  # node tooltips: see dotstr.node_tooltip
    for s in HOSTILE:
        assert " ".join(s.split()) in " ".join(tooltips.split()), s  # flows' tooltips
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert TITLE in texts  # the HTML-like title label


def test_numbered_key_table_holds_the_strings_literally(hostile: dict[str, Any]) -> None:
    """The key is an HTML-like label: each flow's label is one cell, read back whole."""
    root = ET.parse(hostile["hostile"]["out"] / "numbered.svg").getroot()
    key = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "key")
    cells = [t.text or "" for t in key.iter(f"{SVG}text")]
    for s in HOSTILE:  # (line breaks are spaces in an HTML-like label)
        assert any(" ".join(s.split()) in " ".join(c.split()) for c in cells), s


def test_graphml_and_json_hold_the_strings_literally(hostile: dict[str, Any]) -> None:
    out = hostile["hostile"]["out"]
    root = ET.parse(out / "hostile.graphml").getroot()
    values = {d.text for d in root.iter("{http://graphml.graphdrawing.org/xmlns}data")}
    graph = json.loads((out / "hostile.json").read_text(encoding="utf-8"))
    names = {n["name"] for n in graph["nodes"]}
    for s in HOSTILE:
        assert s in names, s
        assert s.replace("\r\n", "\n") in values or s in values, s


def test_mermaid_labels_cannot_break_out(hostile: dict[str, Any]) -> None:
    text = (hostile["hostile"]["out"] / "hostile.mmd").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[:4] == ["---", lines[1], "---", "flowchart LR"] and lines[-1] == ""
    shapes = re.compile(r'^    (o\d+\["[^"\n]*"\]:::\w+|o\d+ (-->|==>)\|"[^"|\n]*"\| o\d+'
                        r"|linkStyle \d+ [\w:#,.\- ]+|classDef \w+ [\w:#,]+)$")
    body = lines[4:-1]
    assert all(shapes.match(line) for line in body), [x for x in body if not shapes.match(x)]
    assert sum("-->" in line or "==>" in line for line in body) == len(HOSTILE)
    assert lines[1].startswith('title: "')
    assert isinstance(yaml.safe_load(lines[1])["title"], str)  # one YAML string, one line


def markdown_cells(line: str) -> list[str]:
    """The cells of a Markdown table row, split at unescaped pipes and unescaped."""
    cells, cell, chars = [], "", iter(line.strip()[1:-1])
    for char in chars:
        if char == "\\":
            cell += next(chars, "")
        elif char == "|":
            cells.append(cell.strip())
            cell = ""
        else:
            cell += char
    return [*cells, cell.strip()]


def test_markdown_register_reads_back_literally(hostile: dict[str, Any]) -> None:
    text = hostile["hostile"]["markdown"]
    table = [line for line in text.split("\n") if line.startswith("|")]
    header = markdown_cells(table[0])
    rows = [dict(zip(header, markdown_cells(line))) for line in table[2:]]
    assert all(len(markdown_cells(line)) == len(header) for line in table)
    assert {r["From"] for r in rows} == {" ".join(s.split()) for s in HOSTILE}
    without_escapes = re.sub(r"\\.", "", text)
    assert not re.search(r"<(?!https://)", without_escapes)  # no HTML, only autolinks
    assert not re.search(r"\]\(", without_escapes)  # no Markdown link of the map's making
    assert re.sub(r"\\(.)", r"\1", text.splitlines()[0]) == (
        f"# {' '.join(TITLE.split())}: register of flows")


def test_csv_register_reads_back_literally(hostile: dict[str, Any]) -> None:
    rows = list(csv.DictReader(io.StringIO(hostile["hostile"]["csv"], newline="")))
    assert len(rows) == len(HOSTILE)
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    disclosers = {row["From"] for row in rows}
    for s in HOSTILE:
        assert (("'" + s) if s.startswith(("=", "+", "-", "@")) else s) in disclosers, s


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.signature: set[tuple[str, frozenset[str]]] = set()
        self.scripts = 0
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.signature.add((tag, frozenset(name for name, _ in attrs)))
        self.scripts += tag == "script"
        self.links += [v or "" for k, v in attrs if k in ("href", "xlink:href", "src")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(path: Path) -> _Tags:
    parser = _Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def test_html_page_has_no_injected_element_attribute_or_link(hostile: dict[str, Any]) -> None:
    if "html" not in RENDER_FORMATS:
        pytest.skip("no html format yet")
    mine = parse_html(hostile["hostile"]["out"] / "hostile.html")
    twin = parse_html(hostile["twin"]["out"] / "hostile.html")
    assert mine.signature <= twin.signature
    assert mine.scripts == twin.scripts
    for link in mine.links:
        assert re.match(r"^(https://|#)", link), link
    raw = (hostile["hostile"]["out"] / "hostile.html").read_text(encoding="utf-8")
    assert HOSTILE[3] not in raw and HOSTILE[4] not in raw  # never markup, only text
    text = " ".join(" ".join(mine.text).split())
    assert " ".join(HOSTILE[3].split()) in text  # shown, as text


def iter_outputs(hostile: dict[str, Any]) -> Iterator[tuple[str, bytes]]:
    for path in sorted(hostile["hostile"]["out"].iterdir()):
        yield path.name, path.read_bytes()
    for fmt in ("text", "json", "sarif", "github", "markdown", "csv"):
        yield fmt, hostile["hostile"][fmt].encode("utf-8")


def test_no_output_links_to_a_javascript_url(hostile: dict[str, Any]) -> None:
    """The javascript: URL was refused (FM008): no output makes it a link."""
    for name, data in iter_outputs(hostile):
        text = data.decode("utf-8")
        assert not re.search(r"""(href|URL)\s*=\s*["']?\s*javascript:""", text, re.I), name
    markdown = re.sub(r"\\.", "", hostile["hostile"]["markdown"])
    assert "](javascript:" not in markdown and "<javascript:" not in markdown
