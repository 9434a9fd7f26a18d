"""The loader (files → Map) and the graph (Map → MultiDiGraph), on real files.

Every bad input must come back as a finding with its code and the exact line
and column it was written at; nothing is ever executed or expanded without
bound; one bad item never hides the findings of its siblings.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from flowmap.common.findings import Finding, Location
from flowmap.check.graph import build_graph
from flowmap.load.loader import Loaded, discover, load
from flowmap.model.entities import Authority, Flow, Information, Organisation, Purpose
from flowmap.check.validate import check
from flowmap.read.yamlsource import parse_document
from tests.conftest import CLEAN, FLOWMAP, TODAY

WriteMap = Callable[..., Path]



def _load(path: Path) -> Loaded:
    return load(path, today=TODAY)


def located(findings: tuple[Finding, ...] | list[Finding]) -> set[tuple[str, int, int]]:
    """(code, line, column) of every finding."""
    return {(f.code, f.location.line if f.location else 0,
             f.location.column if f.location else 0) for f in findings}


def only(findings: tuple[Finding, ...], code: str) -> Finding:
    matching = [f for f in findings if f.code == code]
    assert len(matching) == 1, [f"{f.location}: {f.code} {f.message}" for f in findings]
    return matching[0]


# -- bad values: each case states the one finding it must give, and where -------

BAD_INPUTS: list[tuple[str, str, str, int, int, str | None]] = [
    # (case id, file text, code, line, column, fragment the message must contain)
    ("tab-indent-in-item", """\
organisations:
  - id: a
    name: A
\tkind: ngo
""", "FM002", 4, 1, None),
    ("tab-indent-under-key", "map:\n\tid: x\n", "FM002", 2, 1, None),
    ("wrong-type-list-for-text", """\
map: {id: t, title: T, as_of: 2024-01-01}
organisations:
  - id: a
    name: [a]
    kind: ngo
""", "FM005", 4, 5, None),
    ("wrong-type-section-is-mapping", "flows: {}\n", "FM005", 1, 1, None),
    ("wrong-vocabulary-word", """\
organisations:
  - id: a
    name: A
    kind: Ngo
""", "FM005", 4, 5, "did you mean 'ngo'"),
    ("unknown-key", """\
organisations:
  - id: a
    nmae: A
    kind: ngo
""", "FM004", 3, 5, "did you mean 'name'"),
    ("unknown-nested-key", """\
authorities:
  - id: x
    title: X
    type: statute
    scope: {form: [a]}
""", "FM004", 5, 13, "did you mean 'from'"),
    ("unknown-section", "flow:\n  - {id: f}\n", "FM004", 1, 1, "did you mean 'flows'"),
    ("bad-id-upper-case", """\
organisations:
  - id: Upper Case
    name: A
    kind: ngo
""", "FM006", 2, 5, None),
    ("bad-id-in-reference", """\
flows:
  - id: f
    from: Bad Org
    to: b
    information: [x]
""", "FM006", 3, 5, None),
    ("bad-category", """\
information:
  - {id: i, name: I, category: Personal/Health}
""", "FM006", 2, 22, None),
    ("impossible-date", """\
map:
  id: t
  title: T
  as_of: 2019-02-30
""", "FM007", 4, 3, None),
    ("not-a-leap-year", "map: {id: t, title: T, as_of: 2019-02-29}\n", "FM007", 1, 24, None),
    ("non-date", """\
flows:
  - id: f
    from: a
    to: b
    information: [x]
    since: next tuesday
""", "FM007", 6, 5, None),
    ("date-as-number", "map: {id: t, title: T, as_of: 20200101}\n", "FM007", 1, 24, None),
    ("url-ftp", """\
organisations:
  - id: a
    name: A
    kind: ngo
    url: ftp://example.org/file
""", "FM008", 5, 5, None),
    ("url-javascript", """\
organisations:
  - {id: a, name: A, kind: ngo, url: "javascript:alert(1)"}
""", "FM008", 2, 33, None),
    ("url-relative", """\
authorities:
  - {id: x, title: X, type: statute, url: /act/1994}
""", "FM008", 2, 38, None),
    ("list-at-top-level", "- a\n- b\n", "FM003", 1, 1, None),
    ("text-at-top-level", "just some words\n", "FM003", 1, 1, None),
    ("format-version-2", "flowmap: 2\nmap: {id: t, title: T}\n", "FM009", 1, 1, None),
    ("format-version-true", "map: {id: t, title: T}\nflowmap: true\n", "FM009", 2, 1, None),
    ("duplicate-key", """\
organisations:
  - id: a
    name: A
    kind: ngo
    name: B
""", "FM010", 5, 5, "line 3"),
    ("duplicate-top-level-key", "map: {id: t, title: T}\nmap: {id: u, title: U}\n",
     "FM010", 2, 1, "line 1"),
    ("empty-file", "", "FM011", 1, 1, None),
    ("comment-only-file", "# nothing here yet\n", "FM011", 1, 1, None),
    ("python-tag", 'map: !!python/object/apply:os.system ["echo hi"]\n', "FM012", 1, 6, None),
    ("binary-tag", "map: !!binary aGVsbG8=\n", "FM012", 1, 6, None),
    ("alias-cycle", "a: &a [*a]\n", "FM012", 1, 4, None),
    ("nesting-too-deep", "organisations: " + "[" * 80 + "]" * 80 + "\n", "FM012", 1, 80, None),
    ("syntax-unclosed-quote", 'map: {id: t, title: "T}\n', "FM002", 2, 1, None),
    ("syntax-two-documents", "a: 1\n---\nb: 2\n", "FM002", 2, 1, None),
]


@pytest.mark.parametrize(
    ("text", "code", "line", "column", "fragment"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD_INPUTS],
)
def test_bad_input_gives_a_located_finding(write_map: WriteMap, text: str, code: str,
                                           line: int, column: int,
                                           fragment: str | None) -> None:
    path = write_map(text)
    findings = _load(path).findings
    assert (code, line, column) in located(findings), [
        f"{f.location}: {f.code} {f.message}" for f in findings]
    finding = next(f for f in findings
                   if (f.code, f.location and f.location.line) == (code, line))
    assert finding.location is not None and finding.location.file == str(path)
    assert finding.severity.value == "error"
    if fragment is not None:
        assert fragment in finding.message


def test_tab_message_says_to_indent_with_spaces(write_map: WriteMap) -> None:
    finding = only(_load(write_map("map:\n\tid: x\n")).findings, "FM002")
    assert "tab" in finding.message.lower()


def test_invalid_item_is_dropped_and_the_valid_ones_kept(write_map: WriteMap) -> None:
    path = write_map("""\
        organisations:
          - {id: Bad, name: A, kind: ngo}
          - {id: good, name: B, kind: ngo}
        """)
    loaded = _load(path)
    assert set(loaded.map.organisations) == {"good"}


# -- encodings and line endings ---------------------------------------------------

def test_non_utf8_file_is_located_at_the_bad_byte(tmp_path: Path) -> None:
    raw = b"map: {id: t, title: T}\norganisations:\n  - {id: a, name: \"caf\xe9\", kind: ngo}\n"
    path = tmp_path / "latin1.yaml"
    path.write_bytes(raw)
    findings = _load(path).findings
    third_line = raw.split(b"\n")[2]
    assert ("FM001", 3, third_line.index(b"\xe9") + 1) in located(findings)
    assert [f.code for f in findings if f.severity.value == "error"] == ["FM001"]


def test_nul_byte_is_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"map: {id: t, title: T}\n\x00\x01\x02")
    assert "FM001" in {f.code for f in _load(path).findings}


def test_utf8_with_bom_loads_clean(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + CLEAN.encode("utf-8"))
    loaded = _load(path)
    assert loaded.findings == ()
    assert loaded.map.info.title == "Clean map"
    assert set(loaded.map.flows) == {"referral"}


def test_bom_does_not_shift_columns(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfmap: {id: Bad, title: T}\n")
    assert ("FM006", 1, 7) in located(_load(path).findings)


def test_crlf_line_endings_load_clean(tmp_path: Path) -> None:
    path = tmp_path / "crlf.yaml"
    path.write_bytes(CLEAN.replace("\n", "\r\n").encode("utf-8"))
    loaded = _load(path)
    assert loaded.findings == ()
    assert set(loaded.map.organisations) == {"ngo", "msd"}
    assert loaded.map.info.title == "Clean map"  # no stray '\r'


def test_crlf_keeps_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "crlf.yaml"
    text = "map: {id: t, title: T}\r\norganisations:\r\n  - id: a\r\n    nme: A\r\n"
    path.write_bytes(text.encode("utf-8"))
    assert ("FM004", 4, 5) in located(_load(path).findings)


# -- empty maps -----------------------------------------------------------------------

def test_empty_directory_is_a_finding(tmp_path: Path) -> None:
    folder = tmp_path / "nothing"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a map\n", encoding="utf-8")
    finding = only(_load(folder).findings, "FM011")
    assert finding.location is not None and finding.location.file == str(folder)


def test_skipped_file_contributes_nothing(write_map: WriteMap) -> None:
    path = write_map("""\
        flowmap: 2
        organisations:
          - {id: a, name: A, kind: ngo}
        """)
    loaded = _load(path)
    assert "FM009" in {f.code for f in loaded.findings}
    assert dict(loaded.map.organisations) == {}


# -- hostile YAML -------------------------------------------------------------------

def test_python_tag_is_never_executed(write_map: WriteMap, tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    path = write_map(f"""\
        map: !!python/object/apply:os.system ["touch {marker}"]
        organisations:
          - !!python/object/apply:os.system ["touch {marker}"]
        flows: !!python/object/new:subprocess.Popen [["touch", "{marker}"]]
        """)
    findings = _load(path).findings
    assert {("FM012", 1, 6), ("FM012", 3, 5), ("FM012", 4, 8)} <= located(findings)
    # and through the installed program too
    proc = subprocess.run([str(FLOWMAP), "validate", str(path)], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly(write_map: WriteMap) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("flows: *i")
    path = write_map("\n".join(lines) + "\n")
    start = time.monotonic()
    findings = _load(path).findings
    assert time.monotonic() - start < 5
    assert "FM012" in {f.code for f in findings}


def test_small_aliases_are_fine(write_map: WriteMap) -> None:
    path = write_map("""\
        map: {id: t, title: T, as_of: 2024-01-01}
        organisations:
          - &org {id: a, name: A, kind: ngo}
          - {id: b, name: B, kind: ngo}
        information:
          - {id: i, name: I, category: non-personal.operational}
        flows:
          - {id: f, from: a, to: b, information: &items [i]}
          - {id: g, from: b, to: a, information: *items}
        """)
    loaded = _load(path)
    assert loaded.findings == ()
    assert set(loaded.map.flows) == {"f", "g"}


# -- references (checked after loading) ------------------------------------------------

def test_unknown_references_are_located_with_did_you_mean(write_map: WriteMap) -> None:
    path = write_map("""\
        map: {id: t, title: T, as_of: 2024-01-01}
        organisations:
          - {id: acc, name: ACC, kind: crown-entity}
          - {id: msd, name: MSD, kind: government-department}
        information:
          - {id: client, name: Client, category: personal.benefit}
        purposes:
          - {id: compensation, name: Compensation}
        authorities:
          - {id: ipp11, title: IPP 11, type: privacy-principle}
        flows:
          - id: f
            from: acx
            to: msd
            information: [client, clinet]
            purpose: compensaton
            basis: [ipp11, ipp1l]
        """)
    findings = check(path, today=TODAY).findings
    assert {("FM102", 13, 5), ("FM103", 15, 27), ("FM104", 16, 5),
            ("FM105", 17, 20)} <= located(findings)
    for code, wanted in (("FM102", "acc"), ("FM103", "client"), ("FM104", "compensation"),
                         ("FM105", "ipp11")):
        finding = only(findings, code)
        assert f"did you mean {wanted!r}" in finding.message
        assert (finding.subject.kind, finding.subject.id) == ("flow", "f")


def test_duplicate_id_across_files_names_the_other_file(write_map: WriteMap) -> None:
    folder = write_map({
        "a.yaml": """\
            map: {id: t, title: T, as_of: 2024-01-01}
            organisations:
              - {id: ngo, name: An NGO, kind: ngo}
            """,
        "b.yaml": """\
            organisations:
              - {id: other, name: Other, kind: ngo}
              - {id: ngo, name: Same id, kind: ngo}
            """,
    })
    finding = only(_load(folder).findings, "FM101")
    assert finding.location == Location(str(folder / "b.yaml"), 3, 5)
    assert f"{folder / 'a.yaml'}:3" in finding.message
    assert (finding.subject.kind, finding.subject.id) == ("organisation", "ngo")


# -- directories -------------------------------------------------------------------------

def test_directory_is_read_recursively_in_sorted_order(write_map: WriteMap) -> None:
    folder = write_map({
        "z.yaml": "organisations:\n  - {id: dup, name: From z, kind: ngo}\n",
        "a/deep/orgs.yml": "organisations:\n  - {id: dup, name: From a, kind: ngo}\n",
        "m.yml": "organisations:\n  - {id: m, name: M, kind: ngo}\n",
        "a/map.yaml": "map: {id: t, title: T, as_of: 2024-01-01}\n",
        "notes.txt": "organisations: [not, read]\n",
        "data.json": "{\"organisations\": 1}\n",
    })
    assert discover(folder) == [folder / "a/deep/orgs.yml", folder / "a/map.yaml",
                                folder / "m.yml", folder / "z.yaml"]
    loaded = _load(folder)
    assert loaded.map.info.id == "t"
    assert set(loaded.map.organisations) == {"dup", "m"}
    # the first file in path order wins; the later one is the duplicate
    assert loaded.map.organisations["dup"].name == "From a"
    duplicate = only(loaded.findings, "FM101")
    assert duplicate.location is not None
    assert duplicate.location.file == str(folder / "z.yaml")


def test_one_bad_flow_does_not_hide_the_others(write_map: WriteMap) -> None:
    path = write_map("""\
        map: {id: t, title: T, as_of: 2024-01-01}
        organisations:
          - {id: a, name: A, kind: ngo}
          - {id: b, name: B, kind: ngo}
        information:
          - {id: i, name: I, category: personal.benefit}
        flows:
          - {id: broken, from: a, to: b, information: [i], colour: red}
          - {id: sibling, from: a, to: nowhere, information: [i]}
          - {id: also-broken, from: a, to: b, information: [i], since: 2019-02-30}
          - {id: last, from: b, to: a, information: [i]}
        """)
    result = check(path, today=TODAY)
    assert {("FM004", 8, 52), ("FM102", 9, 28), ("FM007", 10, 57),
            ("FM201", 11, 5)} <= located(result.findings)
    # a wrong optional field is left out: the flow is still read, and drawn unjustified
    assert set(result.map.flows) == {"broken", "sibling", "also-broken", "last"}
    assert result.flow_status("broken") == result.flow_status("also-broken") == "unjustified"


# -- the graph ---------------------------------------------------------------------------

GRAPH_MAP = """\
map: {id: g, title: Graph, as_of: 2024-01-01}
organisations:
  - {id: ird, name: Inland Revenue, kind: government-department}
  - {id: acc, name: ACC, kind: crown-entity}
  - {id: lonely, name: Nobody, kind: other}
information:
  - {id: earnings, name: Earnings, category: personal.tax}
  - {id: stats, name: Statistics, category: non-personal.aggregate}
purposes:
  - {id: compensation, name: Compensation}
authorities:
  - {id: s18e, title: TAA s 18E, type: statute}
flows:
  - {id: ird-acc, from: ird, to: acc, information: [earnings, ghost], purpose: compensation,
     basis: [s18e, missing]}
  - {id: ird-acc-stats, from: ird, to: acc, information: [stats]}
  - {id: acc-ird, from: acc, to: ird, information: [stats]}
  - {id: to-nowhere, from: acc, to: nowhere, information: [stats]}
  - {id: from-nowhere, from: nowhere, to: ird, information: [stats]}
"""


def test_graph_has_one_node_per_organisation(write_map: WriteMap) -> None:
    m = _load(write_map(GRAPH_MAP)).map
    graph = build_graph(m)
    assert set(graph.nodes) == {"ird", "acc", "lonely"}
    for oid, data in graph.nodes(data=True):
        assert isinstance(data["org"], Organisation)
        assert data["org"] is m.organisations[oid]


def test_graph_has_one_edge_per_flow_keyed_by_id(write_map: WriteMap) -> None:
    m = _load(write_map(GRAPH_MAP)).map
    graph = build_graph(m)
    edges = {key: (u, v, data) for u, v, key, data in graph.edges(keys=True, data=True)}
    # parallel flows between the same pair stay separate; unknown ends are left out
    assert set(edges) == {"ird-acc", "ird-acc-stats", "acc-ird"}
    assert graph.number_of_edges("ird", "acc") == 2
    u, v, data = edges["ird-acc"]
    assert (u, v) == ("ird", "acc")
    assert isinstance(data["flow"], Flow) and data["flow"] is m.flows["ird-acc"]
    assert data["information"] == (m.information["earnings"],)
    assert all(isinstance(i, Information) for i in data["information"])
    assert isinstance(data["purpose"], Purpose) and data["purpose"].id == "compensation"
    assert data["bases"] == (m.authorities["s18e"],)
    assert all(isinstance(a, Authority) for a in data["bases"])
    _, _, plain = edges["ird-acc-stats"]
    assert plain["purpose"] is None and plain["bases"] == ()


def test_graph_is_built_in_id_order(write_map: WriteMap) -> None:
    graph = build_graph(_load(write_map(GRAPH_MAP)).map)
    assert list(graph.nodes) == sorted(graph.nodes)
    keys = [k for _, _, k in graph.edges(keys=True)]
    assert sorted(keys) == ["acc-ird", "ird-acc", "ird-acc-stats"]


def test_a_location_is_where_its_path_was_last_written() -> None:
    """Positions are kept compactly (an array per file, layouts shared by items written
    alike): a path finds where it was written, else its nearest written ancestor; for a
    key written twice, the value is the last one's and each path inside finds where it
    was written last."""
    text = ("flows:\n"
            "  - id: f\n"
            "    information:\n"
            "      - a\n"
            "      - b\n"
            "      - c\n"
            "    information:\n"
            "      - d\n"
            "  - {id: g, to: x}\n")
    doc = parse_document(text.encode(), "m.yaml")

    def where(*path: str | int) -> tuple[int, int]:
        found = doc.location(path)
        assert found.file == "m.yaml"
        return found.line, found.column

    assert doc.data["flows"][0]["information"] == ["d"]
    assert where("flows", 0) == (2, 5)
    assert where("flows", 0, "information") == (7, 5)
    assert where("flows", 0, "information", 0) == (8, 9)
    assert where("flows", 0, "information", 2) == (6, 9)  # written by the first only
    assert where("flows", 0, "to") == (2, 5)  # not written: the item
    assert where("flows", 1, "to") == (9, 13)
    assert where("flows", 1, "to", 0) == (9, 13)
    assert where("flows", 2) == where("flows", "0") == where("nothing", 0) == (1, 1)
