"""`flowmap import` on registers as people write them: headings in their own words,
names and citations as they say them, yes/no columns, a title row and notes below."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result

from flowmap.load.catalogue import load_catalogue
from flowmap.common.headings import heading_field
from flowmap.common.namematch import Matcher
from tests.test_import import problems, sections

HEADINGS = ["From organisation", "Recipient agency", "Information shared",
            "Purpose of sharing", "Legislation / authority", "De-identified? (Y/N)",
            "Overseas? (Y/N)", "Comments"]
#: (from, to, information, basis as written, de-identified, overseas)
ROWS = [
    ("Ministry of Social Development", "NZ Police", "Client identity details",
     "Privacy Act 2020 IPP 11(1)(a)", "N", "N"),
    ("Min. of Education", "MSD", "Enrolment record", "Disengaged youth AISA", "N", "N"),
    ("MSD", "Overseas research partner", "Outcome statistics", "TBC", "Y", "Y"),
    ("Oranga Tamariki", "Inland Revenue", "Client contact details", "IPP 12", "N", "N"),
    ("ACC", "IRD", "Claim details", "n/a", "n", "no"),
    ("Trust", "MSD", "Referral", "Section 999 of the Imaginary Act", "N", "N"),
]


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main_command(), [str(a) for a in args])


def main_command() -> Any:
    from flowmap.cli import main

    return main


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Ministry information sharing register 2025"])
    sheet.merge_cells("A1:H1")
    sheet.append([])
    sheet.append(HEADINGS)
    for row in ROWS:
        sheet.append([row[0], row[1], row[2], "", row[3], row[4], row[5], ""])
    sheet.append([])
    sheet.append(["Notes: compiled from agency returns."])
    sheet.append(["Source: privacy team, June 2025"])
    path = tmp_path / "register.xlsx"
    book.save(path)
    return path


def flows_by_information(directory: Path) -> dict[str, dict[str, Any]]:
    data = sections(directory)
    names = {i["id"]: i["name"] for i in data["information"]}
    return {names[f["information"][0]]: f for f in data["flows"]}


def test_a_register_in_its_own_words_imports_with_every_basis_matched_or_reported(
        tmp_path: Path, messy: Path) -> None:
    out = tmp_path / "map"
    result = invoke("import", messy, "-o", out, "--catalogue", "nz")
    assert result.exit_code == 0, result.output
    said = problems(result)
    data = sections(out)
    assert data["map"]["title"] == "Ministry information sharing register 2025"
    flows = flows_by_information(out)
    assert len(flows) == len(ROWS)  # the notes below the table are not flows
    assert sum("read as a note below the table" in line for line in said) == 2
    catalogue = load_catalogue("nz")
    for (_, _, information, written, _, _) in ROWS:
        if written == "n/a":  # the register says there is none
            continue
        basis = flows[information].get("basis", [])
        reported = [line for line in said if repr(written) in line]
        in_catalogue = all(b in catalogue.authorities for b in basis)
        assert (basis and in_catalogue) or reported, (written, basis)
    assert flows["Client identity details"]["basis"] == ["privacy-act-2020.ipp11-1-a"]
    assert flows["Enrolment record"]["basis"] == ["aisa.disengaged-youth"]
    assert flows["Client contact details"]["basis"] == ["privacy-act-2020.ipp12"]
    assert "basis" not in flows["Outcome statistics"] and "basis" not in flows["Claim details"]
    assert any("'TBC' is read as no basis" in line for line in said)
    assert any("'Section 999 of the Imaginary Act' is not a catalogue authority" in line
               for line in said)
    # names as people write them are the catalogue's organisations, each with a note
    assert flows["Client identity details"]["to"] == "police"
    assert flows["Enrolment record"]["from"] == "moe"
    assert any("'NZ Police' read as the catalogue's organisation police" in line
               for line in said)
    # yes/no columns: de-identified and overseas
    assert flows["Outcome statistics"]["identifiability"] == "de-identified"
    assert "identifiability" not in flows["Claim details"]
    partner = next(o for o in data["organisations"] if o["name"] == "Overseas research partner")
    assert partner["country"] == "ZZ"


@pytest.mark.parametrize("heading, field", [
    ("From organisation", "from"), ("Recipient agency", "to"),
    ("Information shared", "information"), ("Legislation / authority", "basis"),
    ("De-identified? (Y/N)", "identifiability"), ("Purpose of sharing", "purpose"),
    ("Information category", "category"), ("Recipient country", "country"),
    ("Disclosing agency", "from"), ("Shared with", "to"), ("Legal basis for disclosure", "basis"),
    ("Flow status", "status"), ("How often?", "frequency"), ("Date of birth", None),
])
def test_headings_are_read_by_their_words(heading: str, field: str | None) -> None:
    assert heading_field(heading) == field


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_a_column_that_looks_like_the_basis_is_refused_until_named(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "r.csv", [["From", "To", "Information", "Lawful grounds"],
                                            ["Trust", "Ministry", "Referral", "Consent"]])
    refused = invoke("import", source, "-o", tmp_path / "a")
    assert refused.exit_code == 1
    assert "column D ('Lawful grounds') looks like the legal basis" in refused.stderr
    assert "--column 'Lawful grounds=basis'" in refused.stderr
    assert not (tmp_path / "a").exists()
    named = invoke("import", source, "-o", tmp_path / "b", "--column", "Lawful grounds=basis")
    assert named.exit_code == 0, named.output
    [stub] = sections(tmp_path / "b")["authorities"]
    assert stub["title"] == "Consent"
    ignored = invoke("import", source, "-o", tmp_path / "c", "--column", "lawful  GROUNDS=ignore")
    assert ignored.exit_code == 0 and "basis" not in sections(tmp_path / "c")["flows"][0]


def test_column_option_names_a_field_flowmap_reads(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "r.csv", [["From", "To", "Information"], ["A", "B", "C"]])
    result = invoke("import", source, "-o", tmp_path / "m", "--column", "Thing=bsis")
    assert result.exit_code == 2 and "did you mean 'basis'" in result.stderr
    result = invoke("import", source, "-o", tmp_path / "m", "--column", "no equals sign")
    assert result.exit_code == 2 and "HEADING=FIELD" in result.stderr


def test_column_option_maps_a_heading_the_words_do_not(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "r.csv", [["Agency A", "Agency B", "What"],
                                            ["Trust", "Ministry", "Referral"]])
    result = invoke("import", source, "-o", tmp_path / "m", "--column", "Agency A=from",
                    "--column", "Agency B=to", "--column", "What=information")
    assert result.exit_code == 0, result.output
    assert sections(tmp_path / "m")["flows"][0]["information"] == ["referral"]


def test_no_heading_row_says_which_headings_were_not_understood(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "r.csv", [["Agency A", "Agency B", "Information shared"],
                                            ["Trust", "Ministry", "Referral"]])
    result = invoke("import", source, "-o", tmp_path / "m")
    assert result.exit_code == 1
    assert "the nearest is row 1" in result.stderr
    assert "'Agency A', 'Agency B' were not" in result.stderr
    assert "Information were understood" in result.stderr


def test_a_country_column_takes_codes_and_names(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "r.csv", [
        ["From", "To", "Information", "Recipient country"],
        ["Trust", "Reinsurer", "Claims", "Australia"], ["Trust", "Cloud", "Backups", "us"],
        ["Trust", "Ministry", "Referral", "New Zealand"], ["Trust", "Elsewhere", "X", "Narnia"]])
    result = invoke("import", source, "-o", tmp_path / "m")
    assert result.exit_code == 1  # Narnia is no country: that row is not imported
    assert "'Narnia' is not a country" in result.stderr
    countries = {o["name"]: o.get("country") for o in sections(tmp_path / "m")["organisations"]}
    assert countries == {"Trust": None, "Reinsurer": "AU", "Cloud": "US", "Ministry": "NZ"}


def test_matching_uses_only_the_catalogue_it_is_given() -> None:
    """Made-up entries: the same rules find them, so nothing is tied to one catalogue."""
    matcher = Matcher([
        ("ex.act.s5", "Example Act 1999, s 5", ("Example Act 1999", "s 5")),
        ("ex.act.s5-1-a", "Example Act 1999, s 5(1)(a)", ("Example Act 1999", "s 5(1)(a)")),
        ("ex.act.s5-1-b", "Example Act 1999, s 5(1)(b)", ("Example Act 1999", "s 5(1)(b)")),
        ("dept.widgets", "Department of Widgets", ("Department of Widgets", "DoW")),
        ("dept.gadgets", "Department of Gadgets", ("Department of Gadgets",)),
    ])
    assert matcher.match("Example Act s5(1)(b)").id == "ex.act.s5-1-b"
    assert matcher.match("Example Act 1999 section 5").id == "ex.act.s5"  # the general one
    assert matcher.match("Dept. of Widgets").id == "dept.widgets"
    unsure = matcher.match("Department")
    assert unsure.id is None and set(unsure.candidates) == {"dept.widgets", "dept.gadgets"}
    assert matcher.match("Ministry of Magic").id is None
