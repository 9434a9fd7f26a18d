"""`flowmap import` on registers made to break it: each a clear message, never an
internal error, and nothing written outside the output directory."""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from flowmap.cli import main
from flowmap.model.entities import MAX_ID_LENGTH
from tests.test_import import sections, validate


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.mark.parametrize("odd", ["\u2028", "\u0085", "\u2029", "\r", "\ufeff", "\x7f"])
def test_line_separators_and_odd_characters_in_cells_import_as_written(
        tmp_path: Path, odd: str) -> None:
    source = write_csv(tmp_path / "r.csv", [
        ["From", "To", "Information", "Purpose", "Notes"],
        [f"Trust{odd}North", f"Ministry{odd}Two", f"Notes{odd}x", f"Help{odd}me", f"a{odd}b\nc"]])
    result = invoke("import", source, "-o", tmp_path / "map")
    assert result.exit_code == 0, result.output
    data = sections(tmp_path / "map")
    assert {o["name"] for o in data["organisations"]} == {f"Trust{odd}North", f"Ministry{odd}Two"}
    assert data["information"][0]["name"] == f"Notes{odd}x"
    assert data["flows"][0]["description"] == f"a{odd}b\nc"
    assert invoke("fmt", "--check", tmp_path / "map").exit_code == 0


def test_names_longer_than_an_id_make_ids_that_are_valid(tmp_path: Path) -> None:
    long = "Ministry of " + "Very Long Names " * 30
    source = write_csv(tmp_path / "r.csv", [
        ["Flow", "From", "To", "Information", "Purpose"],
        ["", long, "X" * 300, "I" * 250, "P " * 150],
        ["f-" * 150, "Z" * 201, "Y", "J", ""]])
    result = invoke("import", source, "-o", tmp_path / "map")
    assert result.exit_code == 0, result.output
    assert "is not a valid id" in result.stderr  # the register's own flow id was too long
    data = sections(tmp_path / "map")
    ids = [item["id"] for section in ("organisations", "information", "purposes", "flows")
           for item in data[section]]
    assert ids and all(0 < len(i) <= MAX_ID_LENGTH for i in ids)
    assert len(set(ids)) == len(ids)
    assert {f["code"] for f in validate(tmp_path / "map")["findings"]}.isdisjoint({"FM006"})


def good_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["From", "To", "Information"])
    sheet.append(["Trust", "Ministry", "Client record"])
    book.save(path)
    return path


def rewrite_part(source: Path, target: Path, part: str, change: Callable[[str], str]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == part:
                data = change(data.decode("utf-8")).encode("utf-8")
            new.writestr(info, data)
    return target


SHEET = "xl/worksheets/sheet1.xml"
LAUGHS = ('<!DOCTYPE worksheet [<!ENTITY a0 "lol">'
          + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)) + "]>")
XXE = '<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize("damage, said", [
    (lambda x: x[: len(x) // 2], "damaged or cut off"),
    (lambda x: LAUGHS + x.replace("<t>Trust</t>", "<t>&a9;</t>"), "declares XML entities"),
    (lambda x: XXE + x.replace("<t>Trust</t>", "<t>&x;</t>"), "declares XML entities"),
], ids=["truncated-xml", "billion-laughs", "xxe"])
def test_damaged_or_hostile_workbook_xml_is_refused_cleanly(
        tmp_path: Path, damage: Callable[[str], str], said: str) -> None:
    bad = rewrite_part(good_workbook(tmp_path / "good.xlsx"), tmp_path / "bad.xlsx", SHEET,
                       damage)
    result = invoke("import", bad, "-o", tmp_path / "map")
    assert result.exit_code == 2, result.output
    assert said in result.stderr and "internal error" not in result.stderr
    assert "root:" not in result.output  # nothing of /etc/passwd
    assert not (tmp_path / "map").exists()


def test_truncated_workbook_file_is_refused_cleanly(tmp_path: Path) -> None:
    good = good_workbook(tmp_path / "good.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(good[: len(good) // 2])
    result = invoke("import", tmp_path / "cut.xlsx", "-o", tmp_path / "map")
    assert result.exit_code == 2 and "damaged or cut off" in result.stderr


def test_force_does_not_write_through_a_symlinked_output_file(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "r.csv", [["From", "To", "Information"], ["A", "B", "C"]])
    out = tmp_path / "map"
    assert invoke("import", source, "-o", out).exit_code == 0
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me\n", encoding="utf-8")
    (out / "flows.yaml").unlink()
    (out / "flows.yaml").symlink_to(outside)
    result = invoke("import", source, "-o", out, "--force")
    assert result.exit_code == 2 and "symbolic link" in result.stderr
    assert outside.read_text(encoding="utf-8") == "keep me\n"
    assert (out / "flows.yaml").is_symlink()


def test_row_problems_go_to_stderr_and_stdout_stays_empty(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "r.csv", [["From", "To", "Information"], ["A", "", "C"]])
    result = invoke("import", source, "-o", tmp_path / "map")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "r.csv:2:2: error: column B (To): empty" in result.stderr

