"""Never a wrong picture in silence, in every output (issue 11): a map drawn or tabulated
although part of it could not be read says what is missing, in each format's own way."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner, Result

from flowmap.cli import main
from tests.conftest import CLEAN
from tests.svgflows import SVG

WriteMap = Callable[..., Path]

#: a flow whose `from` is not an id: refused, and named in what is missing
REFUSED = "  - {id: lost, from: Ministry, to: ngo, information: [client], basis: [ipp11]}\n"
#: a second file that cannot be parsed at all
BROKEN_FILE = "flows:\n  - {id: x, from: [\n"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def rendered(source: Path, out: Path) -> str:
    result = invoke("render", source, "-o", out, "--allow-errors")
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


@pytest.fixture
def refused(write_map: WriteMap) -> Path:
    return write_map(CLEAN + REFUSED)


@pytest.fixture
def unread(write_map: WriteMap) -> Path:
    return write_map({"map.yaml": CLEAN, "more.yaml": BROKEN_FILE})


def test_json_says_what_is_missing(refused: Path, write_map: WriteMap,
                                   tmp_path: Path) -> None:
    data = json.loads(rendered(refused, tmp_path / "map.json"))
    assert data["graph"]["incomplete"] is True
    assert "1 flow refused (lost)" in data["graph"]["missing"]
    assert [link["key"] for link in data["links"]] == ["referral"]  # the rest is drawn
    whole = json.loads(rendered(write_map(CLEAN), tmp_path / "whole.json"))
    assert whole["graph"]["incomplete"] is False and whole["graph"]["missing"] == ""


def test_json_names_a_file_not_read(unread: Path, tmp_path: Path) -> None:
    data = json.loads(rendered(unread, tmp_path / "map.json"))
    assert data["graph"]["incomplete"] is True
    assert "1 file not read in full" in data["graph"]["missing"]
    assert "more.yaml" in data["graph"]["missing"]


def test_graphml_carries_it_as_graph_attributes(refused: Path, tmp_path: Path) -> None:
    rendered(refused, tmp_path / "map.graphml")
    graph = nx.read_graphml(tmp_path / "map.graphml", force_multigraph=True)
    assert graph.graph["incomplete"] is True
    assert "INCOMPLETE: 1 flow refused (lost)" in graph.graph["missing"]


def test_mermaid_shows_it_in_the_title_and_a_comment(refused: Path, write_map: WriteMap,
                                                     tmp_path: Path) -> None:
    lines = rendered(refused, tmp_path / "map.mmd").splitlines()
    assert lines[0] == "---" and lines[2] == "---"
    title = json.loads(lines[1].removeprefix("title: "))
    assert title.startswith("Clean map — INCOMPLETE: 1 flow refused (lost)")
    comments = [line.strip() for line in lines if line.strip().startswith("%%")]
    assert comments == [f"%% {title.removeprefix('Clean map — ')}"]
    whole = rendered(write_map(CLEAN), tmp_path / "whole.mmd")
    assert "INCOMPLETE" not in whole and "%%" not in whole


def test_every_format_of_one_render_says_it(refused: Path, tmp_path: Path) -> None:
    formats = ("svg", "dot", "html", "json", "mermaid", "graphml")
    result = invoke("render", refused, "-o", f"{tmp_path}/out/", "--allow-errors",
                    *(a for f in formats for a in ("--format", f)))
    assert result.exit_code == 0, result.output
    written = sorted((tmp_path / "out").iterdir())
    assert len(written) == len(formats)
    for path in written:
        text = path.read_text(encoding="utf-8")
        said = "Not the whole map" if path.suffix == ".html" else "INCOMPLETE"
        assert said in text, path.name
    svg_text = [t.text or "" for t in ET.parse(tmp_path / "out" / "clean.svg").getroot()
                .iter(f"{SVG}text")]
    assert any(t.startswith("INCOMPLETE:") for t in svg_text)


def test_the_register_says_it_in_every_format(refused: Path, tmp_path: Path) -> None:
    markdown = invoke("register", refused)
    assert "Not the whole map" in markdown.stdout
    table = invoke("register", refused, "--format", "csv")
    assert table.exit_code == 0
    # the CSV stays the table `flowmap import` reads back; the warning is beside it
    assert [r["Flow"] for r in csv.DictReader(io.StringIO(table.stdout))] == ["referral"]
    assert "not the whole map" in table.stderr.lower()
    workbook = invoke("register", refused, "--format", "xlsx", "-o", tmp_path / "r.xlsx")
    assert workbook.exit_code == 0 and "not the whole map" in workbook.stderr.lower()


def test_a_whole_register_gives_no_warning(write_map: WriteMap) -> None:
    table = invoke("register", write_map(CLEAN), "--format", "csv")
    # (a CSV register may warn of what only XLSX keeps: tests/test_register_losses.py)
    assert table.exit_code == 0 and "not the whole map" not in table.stderr.lower()
