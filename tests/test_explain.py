"""`flowmap explain`: a page a service user can read, made from the map.

Checked the way its readers meet it: the Markdown as text, the HTML in headless
Chromium (landmarks, headings, link names, contrast, and axe-core where the
test clients are installed), and the words for their reading level.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import textstat
from click.testing import CliRunner

from flowmap.cli import main
from tests.conftest import EXAMPLES
from tests.test_html import driver, open_page  # noqa: F401  (driver: a fixture)

WriteMap = Callable[..., Path]

#: Flesch-Kincaid grade a general audience can follow (about a 13-year-old's reading)
READING_GRADE_MAX = 8.0
#: the same for any page of the example maps, whose names of laws, purposes and
#: information (the map's words, not the page's) can be long
EXAMPLE_GRADE_MAX = 9.0

SERVICE = """\
map: {id: youth, title: Youth service, as_of: 2024-01-01}
organisations:
  - id: school
    name: Your school
    kind: education-provider
    privacy: {officer: {email: privacy@school.nz}}
  - id: msd
    name: Ministry of Social Development
    kind: government-department
    privacy:
      officer: {name: Privacy Officer, email: privacy@msd.govt.nz, phone: 0800 559 009}
      statement: https://www.msd.govt.nz/about-msd-and-our-work/tools/privacy/
      access: Ask your case manager, or call us.
  - {id: coach, name: Your youth coach, kind: ngo, privacy: {officer: {phone: 0800 000 000}}}
  - {id: stats, name: Stats NZ, kind: government-department}
information:
  - {id: contact, name: Your name and phone number, category: personal.contact}
  - {id: counts, name: How many young people got help, category: non-personal.aggregate}
purposes:
  - {id: youth-service, name: Helping you find work or training}
  - {id: research, name: Research into what works}
authorities:
  - id: ipp11
    title: Privacy Act 2020 IPP 11(1)(a)
    type: privacy-principle
    instrument: Privacy Act 2020
    url: https://www.legislation.govt.nz/act/public/2020/0031/latest/LMS23223.html
  - {id: stats-act, title: Data and Statistics Act 2022, type: statute, instrument: Data and Statistics Act 2022}
flows:
  - id: school-msd
    from: school
    to: msd
    information: [contact]
    purpose: youth-service
    basis: [ipp11]
    privacy:
      notice: {how: A letter from your school}
      choice: {offered: opt-out, how: Tell your school you do not want this.}
  - id: msd-coach
    from: msd
    to: coach
    information: [contact]
    purpose: youth-service
    basis: [ipp11]
    consent: {obtained: when you meet us}
  - {id: msd-stats, from: msd, to: stats, information: [counts], purpose: research, identifiability: aggregate}
"""


def explain(path: Path, subject: str, *options: str) -> str:
    run = CliRunner().invoke(main, ["explain", str(path), "--for", subject, *options])
    assert run.exit_code == 0, run.output
    return run.output


class _Text(HTMLParser):
    """The text a reader reads: everything outside <style> and <head>'s title."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self.skip and data.strip():
            self.parts.append(data.strip())


def reading_text(page: str) -> str:
    """Sentences to measure: each block of the page ends a sentence."""
    parser = _Text()
    parser.feed(page)
    return " ".join(p if p.endswith((".", "?", "!", ":")) else p + "." for p in parser.parts)


def grade(page: str) -> float:
    return float(textstat.flesch_kincaid_grade(reading_text(page)))


@pytest.fixture
def service(write_map: WriteMap) -> Path:
    return write_map(SERVICE)


def test_markdown_page_says_where_why_law_choice_and_contact(service: Path) -> None:
    page = explain(service, "msd")
    headings = re.findall(r"^(#+) (.+)$", page, re.M)
    assert [t for level, t in headings if level == "##"] == [
        "Where your information goes", "Information that does not name you",
        "Where information about you comes from", "See and correct your information",
        "Who to contact"]
    goes = page.split("## Where your information goes")[1].split("\n## ")[0]
    assert "### Your youth coach" in goes and "Helping you find work or training" in goes
    assert "You are asked first. You can say no." in goes
    assert "[Privacy Act 2020 (its rules on sharing information)](<https://www" in goes
    comes = page.split("## Where information about you comes from")[1].split("\n## ")[0]
    assert "### Your school" in comes and "Tell your school you do not want this." in comes
    assert "Email: privacy@msd.govt.nz" in page and "Ask your case manager, or call us." in page
    assert "Office of the Privacy Commissioner" in page
    for identifier in ("ipp11", "msd-coach", "school-msd", "privacy-principle"):
        assert identifier not in page, f"an id is shown to service users: {identifier}"


def test_a_service_is_explained_by_its_purpose(service: Path) -> None:
    page = explain(service, "youth-service")
    assert page.startswith("# What happens to your information: Helping you find work")
    assert "### Ministry of Social Development" in page and "### Your youth coach" in page
    assert "Stats NZ" not in page  # the research flow is not part of this service


def test_unknown_subject_is_a_usage_error_with_a_suggestion(service: Path) -> None:
    run = CliRunner().invoke(main, ["explain", str(service), "--for", "msdd"])
    assert run.exit_code == 2
    assert "'msdd' is not an organisation or purpose" in run.output
    assert "did you mean 'msd'?" in run.output


def test_text_from_the_map_is_escaped(write_map: WriteMap) -> None:
    path = write_map(SERVICE.replace("name: Your youth coach",
                                     "name: '<script>x</script> *coach* [a](b)'"))
    page = explain(path, "msd", "--format", "html")
    assert "<script>x" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    markdown = explain(path, "msd")
    assert r"\<script\>x\</script\> \*coach\* \[a\](b)" in markdown


def test_as_of_dates_the_page(service: Path) -> None:
    assert "as of 2030-05-01" in explain(service, "msd", "--as-of", "2030-05-01")


@pytest.mark.parametrize("subject", ["msd", "youth-service", "school"])
def test_reading_level_is_for_a_general_audience(service: Path, subject: str) -> None:
    page = explain(service, subject, "--format", "html")
    assert grade(page) <= READING_GRADE_MAX, reading_text(page)


#: the example services pictured in the README (flows/social-sector)
EXAMPLE_PAGES = [("social-sector", "youth-transition"), ("social-sector", "sv-helpline"),
                 ("social-sector", "health-referral")]


@pytest.mark.parametrize(("example", "subject"), EXAMPLE_PAGES)
def test_example_pages_read_at_a_general_level(example: str, subject: str,
                                                tmp_path: Path) -> None:
    page = explain(EXAMPLES / example, subject, "--format", "html")
    assert grade(page) <= READING_GRADE_MAX, reading_text(page)


def test_every_example_page_renders_and_reads_at_a_general_level() -> None:
    from flowmap.review.explain import explain as make_page
    from flowmap.review.explain import subjects
    from flowmap.report.explain import markdown, to_html
    from flowmap.check.validate import check

    grades = {}
    for example in sorted(p for p in EXAMPLES.iterdir() if p.is_dir()):
        result = check(example)
        for subject in subjects(result.map):
            page = make_page(result, subject)
            assert markdown(page).startswith("# What happens to your information: ")
            grades[f"{example.name}/{subject}"] = grade(to_html(page))
    assert grades, "no example maps"
    too_hard = {k: g for k, g in grades.items() if g > EXAMPLE_GRADE_MAX}
    assert not too_hard, too_hard


# -- in a browser ---------------------------------------------------------------------

def _luminance(rgb: str) -> float:
    values = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
    lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(fg: str, bg: str) -> float:
    a, b = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_html_page_in_a_browser(driver: Any, service: Path, tmp_path: Path) -> None:  # noqa: F811
    page = tmp_path / "msd.html"
    explain(service, "msd", "-o", str(page))
    open_page(driver, page)
    found = driver.execute_script("""
        const text = el => getComputedStyle(el);
        const bgOf = el => { for (; el; el = el.parentElement) {
            const c = getComputedStyle(el).backgroundColor;
            if (c !== 'rgba(0, 0, 0, 0)') return c; } return 'rgb(255, 255, 255)'; };
        return {
          lang: document.documentElement.lang,
          landmarks: ['header', 'main', 'footer'].map(t => document.querySelectorAll(t).length),
          headings: [...document.querySelectorAll('h1,h2,h3')].map(h => +h.tagName[1]),
          unnamedLinks: [...document.links].filter(a => !a.textContent.trim()).length,
          pairs: [...document.querySelectorAll('p,dt,dd,li,a,h1,h2,h3')].map(
              el => [text(el).color, bgOf(el)]),
          scripts: document.scripts.length,
          external: [...document.querySelectorAll('[src],link[href]')].length,
        };""")
    assert found["lang"] == "en-NZ"
    assert found["landmarks"] == [1, 1, 1]
    levels = found["headings"]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert found["unnamedLinks"] == 0
    assert min(contrast(fg, bg) for fg, bg in found["pairs"]) >= 4.5
    assert (found["scripts"], found["external"]) == (0, 0)  # self-contained, nothing runs


def test_html_page_has_no_axe_violations(driver: Any, service: Path,  # noqa: F811
                                         tmp_path: Path) -> None:
    try:
        from tests.test_clients import axe_violations, describe  # type: ignore[import-not-found]
    except ImportError:
        pytest.skip("the axe-core client (tests/test_clients.py) is not in this tree yet")
    page = tmp_path / "msd.html"
    explain(service, "msd", "-o", str(page))
    driver.get(page.as_uri())
    violations = axe_violations(driver, page)
    assert violations == [], describe(violations)
