"""The Data Protection and Use Policy view of the HTML report: facts in the details,
a filter by the lens's findings, and the per-organisation summary."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.test_html import css, details, displayed, driver, open_page, render_html  # noqa: F401

WriteMap = Callable[..., Path]

LENS = """\
map: {id: lens, title: The lens, as_of: 2024-01-01}
organisations:
  - id: ngo
    name: An NGO
    kind: ngo
    privacy: {officer: {name: Aroha, email: privacy@ngo.org.nz}}
    x-region: Waikato
  - {id: msd, name: Ministry, kind: government-department, privacy: {officer: {email: p@msd.govt.nz}}}
  - {id: clinic, name: A clinic, kind: health-provider}
information:
  - {id: client, name: Client record, category: personal.benefit}
  - {id: counts, name: Counts, category: non-personal.aggregate}
purposes:
  - {id: monitoring, name: Monitoring funded services}
  - {id: referral, name: Referral}
authorities:
  - {id: ipp11, title: Privacy Act 2020 IPP 11, type: privacy-principle}
flows:
  - id: opted
    from: ngo
    to: msd
    information: [client]
    purpose: referral
    basis: [ipp11]
    privacy:
      notice: {how: Told at intake}
      choice: {offered: opt-out, how: Tell your worker}
    x-ticket: PRIV-12
  - {id: monitor, from: ngo, to: msd, information: [client], purpose: monitoring, basis: [ipp11]}
  - {id: back, from: msd, to: ngo, information: [counts], purpose: monitoring, identifiability: aggregate}
  - {id: refer, from: msd, to: clinic, information: [client], purpose: referral, basis: [ipp11]}
"""


def test_summary_table_counts_gives_receives_choices_and_insights(
        write_map: WriteMap, tmp_path: Path) -> None:
    text = render_html(write_map(LENS), tmp_path / "lens.html").read_text(encoding="utf-8")
    rows = {m[0]: [html.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", m[1])]
            for m in re.findall(r'<tr data-org="([^"]+)">(.*?)</tr>', text)}
    assert rows["ngo"] == ["An NGO", "2", "1", "can opt out", "1 returned"]
    assert rows["msd"] == ["Ministry", "2", "2", "—", "—"]
    assert rows["clinic"] == ["A clinic", "0", "1", "—", "—"]


def test_lens_filter_and_details_in_a_browser(driver: Any, write_map: WriteMap,  # noqa: F811
                                              tmp_path: Path) -> None:
    page = render_html(write_map(LENS), tmp_path / "lens.html", "--no-merge")
    open_page(driver, page)
    from selenium.webdriver.support.ui import Select

    Select(css(driver, "#fm-dpup")).select_by_value("FM602")
    time.sleep(0.1)
    assert {f for f in ("opted", "monitor", "back", "refer")
            if displayed(driver, f"flow-{f}")} == {"monitor"}
    stroke = driver.execute_script(
        "return getComputedStyle(document.querySelector('#flow-monitor path:not(.fm-hit)')).stroke")
    assert stroke == "rgb(106, 27, 154)"  # coloured by the lens while it filters
    Select(css(driver, "#fm-dpup")).select_by_value("any")
    time.sleep(0.1)
    assert {f for f in ("opted", "monitor", "back", "refer")
            if displayed(driver, f"flow-{f}")} == {"monitor", "refer"}
    Select(css(driver, "#fm-dpup")).select_by_value("")
    time.sleep(0.1)
    stroke = driver.execute_script(
        "return getComputedStyle(document.querySelector('#flow-monitor path:not(.fm-hit)')).stroke")
    assert stroke != "rgb(106, 27, 154)"  # its legal status's colour again
    driver.execute_script("document.getElementById('flow-opted')"
                          ".dispatchEvent(new MouseEvent('click', {bubbles: true}))")
    text = details(driver)
    assert "can opt out · Tell your worker" in text and "Told at intake" in text
    assert "x-ticket" in text and "PRIV-12" in text
    driver.execute_script("document.getElementById('org-ngo')"
                          ".dispatchEvent(new MouseEvent('click', {bubbles: true}))")
    text = details(driver)
    assert "Aroha · privacy@ngo.org.nz" in text and "Waikato" in text


def test_render_draws_only_the_flows_with_chosen_findings(write_map: WriteMap,
                                                          tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from flowmap.cli import main

    path = write_map(LENS)
    drawn = {}
    for codes in ("FM602", "fm6", "FM602,FM604"):
        out = tmp_path / "lens.json"
        run = CliRunner().invoke(main, ["render", str(path), "--finding", codes, "-o", str(out)])
        assert run.exit_code == 0, run.output
        drawn[codes] = {e["key"] for e in json.loads(out.read_text(encoding="utf-8"))["links"]}
    assert drawn == {"FM602": {"monitor"}, "fm6": {"monitor", "refer"},
                     "FM602,FM604": {"monitor", "refer"}}
