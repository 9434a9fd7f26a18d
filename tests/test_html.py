"""The interactive HTML report: a self-contained page, checked as markup and in a browser.

The fast tests read the page as HTML and JSON. The browser tests open it from
disk in headless Chromium (Debian's `chromium` and `chromium-driver`, driven
by selenium) with no way to the network, and use it as a reviewer would.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from flowmap.cli import main
from flowmap.render.html import script_json
from flowmap.check.validate import check
from tests.conftest import EXAMPLES, TODAY

WriteMap = Callable[..., Path]

#: one flow of each status; 'waived' carries an acceptance a reviewer signed
STATUS_MAP = """\
map: {id: statuses, title: One flow of each status, as_of: 2024-01-01}
organisations:
  - {id: ngo, name: An NGO, kind: ngo, url: 'https://ngo.example.org/'}
  - {id: msd, name: Ministry, kind: government-department, sector: government}
  - {id: clinic, name: Clinic, kind: health-provider}
information:
  - {id: client, name: Client record, category: personal.benefit}
  - {id: notes, name: Clinical notes, category: personal.health}
authorities:
  - {id: ipp11, title: Privacy Act 2020 IPP 11, type: privacy-principle,
     instrument: Privacy Act 2020, provision: s 22 IPP 11,
     url: 'https://www.legislation.govt.nz/act/public/2020/0031/latest/LMS23342.html'}
flows:
  - {id: bad, from: ngo, to: msd, information: [client]}
  - id: waived
    from: ngo
    to: msd
    information: [client]
    review:
      - {code: FM201, reason: Interim arrangement, by: Privacy Officer, until: 2099-12-31}
  - {id: warn, from: clinic, to: msd, information: [notes], basis: [ipp11]}
  - {id: fine, from: msd, to: ngo, information: [client], basis: [ipp11]}
"""

#: strings that would end an element, open a comment or run script if pasted raw
HOSTILE = ["</script><script>window.pwned=1</script>", "<!-- <script>", "</style><b>x",
           "<img src=x onerror=window.pwned=2>", "]]> & \" ' `${1}`", "<svg onload=1>"]


def _yaml(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def hostile_map() -> str:
    orgs = "\n".join(f"  - {{id: o{i}, name: {_yaml(s)}, kind: ngo, description: {_yaml(s)}}}"
                     for i, s in enumerate(HOSTILE))
    info = "\n".join(f"  - {{id: i{i}, name: {_yaml(s)}, category: personal.benefit}}"
                     for i, s in enumerate(HOSTILE))
    flows = "\n".join(
        f"  - {{id: f{i}, from: o{i}, to: o{(i + 1) % len(HOSTILE)}, information: [i{i}], "
        f"basis: [a], purpose: p, description: {_yaml(s)}}}" for i, s in enumerate(HOSTILE))
    return f"""\
map: {{id: hostile, title: {_yaml(HOSTILE[0])}, as_of: 2024-01-01,
      description: {_yaml(HOSTILE[1])}}}
organisations:
{orgs}
information:
{info}
purposes:
  - {{id: p, name: {_yaml(HOSTILE[2])}}}
authorities:
  - {{id: a, title: {_yaml(HOSTILE[3])}, type: privacy-principle, notes: {_yaml(HOSTILE[0])},
     provision: {_yaml(HOSTILE[4])}, url: 'https://example.org/a?b=1&c=2'}}
flows:
{flows}
"""


#: what, in CSS or JS, would reach for the network
REMOTE = r"https?://|@import|url\(|fetch\(|XMLHttpRequest|sendBeacon|WebSocket|EventSource"


def render_html(map_path: Path, out: Path, *args: str) -> Path:
    result = CliRunner().invoke(main, ["render", str(map_path), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


# -- reading the page ----------------------------------------------------------------

class Page(HTMLParser):
    """Every start tag with its attributes, and the text of each <script> and <style>."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self._in: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag in self.raw:
            self._in = tag
            self.raw[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.raw[self._in][-1] += data

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for t, attrs in self.tags if t == tag]

    @property
    def data(self) -> Any:
        scripts = [(attrs, text) for attrs, text in zip(self.all("script"), self.raw["script"],
                                                       strict=True)]
        blobs = [text for attrs, text in scripts if attrs.get("type") == "application/json"]
        assert len(blobs) == 1
        return json.loads(blobs[0])


def page_of(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("html")
    return {name: render_html(EXAMPLES / name, out / f"{name}.html")
            for name in ("icld-2017", "acc")}


# -- fast tests: the page as markup ------------------------------------------------------

@pytest.mark.parametrize("name", ["icld-2017", "acc"])
def test_page_is_self_contained(examples: dict[str, Path], name: str) -> None:
    page = page_of(examples[name])
    result = check(EXAMPLES / name, today=TODAY)
    allowed = {a.url for a in result.map.authorities.values() if a.url} | {
        o.url for o in result.map.organisations.values() if o.url}
    assert not page.all("link") and not page.all("img") and not page.all("iframe")
    for tag, attrs in page.tags:
        assert "src" not in attrs and "srcset" not in attrs and "xlink:href" not in attrs, tag
        href = attrs.get("href")
        if href is not None:
            assert href.startswith("#") or href in allowed, href
            assert tag == "a", tag
    code = [t for a, t in zip(page.all("script"), page.raw["script"], strict=True)
            if a.get("type") != "application/json"]
    for text in page.raw["style"] + code:
        assert not re.search(REMOTE, text)
    assert len(page.all("svg")) == 1


@pytest.mark.parametrize("name", ["icld-2017", "acc"])
def test_content_security_policy_allows_only_the_page_itself(examples: dict[str, Path],
                                                             name: str) -> None:
    page = page_of(examples[name])
    metas = [m for m in page.all("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert len(metas) == 1
    policy = dict(part.strip().split(" ", 1) for part in metas[0]["content"].split(";"))
    assert policy["default-src"] == "'none'"
    code = [t for a, t in zip(page.all("script"), page.raw["script"], strict=True)
            if "type" not in a]
    assert len(code) == 1 and len(page.raw["style"]) == 1
    assert policy["script-src"] == _csp_hash(code[0])
    assert policy["style-src"] == _csp_hash(page.raw["style"][0])
    assert "unsafe" not in metas[0]["content"]


@pytest.mark.parametrize("name", ["icld-2017", "acc"])
def test_data_blob_holds_every_flow_and_finding(examples: dict[str, Path], name: str) -> None:
    page = page_of(examples[name])
    data = page.data
    groups = {g["id"]: g for g in page.all("g") if g.get("id")}
    result = check(EXAMPLES / name)
    assert set(data["flows"]) == set(result.map.flows)
    for fid, flow in data["flows"].items():
        assert flow["status"] == result.flow_status(fid)
        # the edge that draws it: its own, or a merged one that names it (docs/svg.md)
        assert flow["edge"] == f"flow-{fid}" or fid in groups[flow["edge"]]["data-flows"].split()
        assert flow["basis"] == list(result.map.flows[fid].basis)
    assert sorted((f["code"], f["subject"]["id"], f["message"]) for f in data["findings"]) == \
        sorted((f.code, f.subject.id, f.message) for f in result.findings)
    assert {f["code"] for f in data["findings"]} == set(data["rules"])
    assert all(data["rules"][c]["what"] and data["rules"][c]["fix"] for c in data["rules"])


def test_every_flow_and_organisation_is_focusable(examples: dict[str, Path]) -> None:
    page = page_of(examples["acc"])
    data = page.data
    focusable = {a["id"]: a for a in page.all("g") if a.get("tabindex") == "0"}
    assert {f["edge"] for f in data["flows"].values()} \
        | {f"org-{o}" for o in data["organisations"]} == set(focusable)
    assert all(a["role"] == "button" and a["aria-label"] for a in focusable.values())


def test_page_is_byte_identical_for_the_same_map(tmp_path: Path) -> None:
    first = render_html(EXAMPLES / "acc", tmp_path / "a.html").read_bytes()
    second = render_html(EXAMPLES / "acc", tmp_path / "b.html").read_bytes()
    assert first == second


def test_html_extension_chooses_the_format(tmp_path: Path) -> None:
    out = render_html(EXAMPLES / "icld-2017", tmp_path / "report.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_merged_view_names_pairs_of_organisations(tmp_path: Path) -> None:
    page = page_of(render_html(EXAMPLES / "acc", tmp_path / "m.html", "--merge"))
    data = page.data
    assert data["map"]["merged"] is True
    edges = {g["id"]: g["data-flows"].split() for g in page.all("g")
             if g.get("tabindex") == "0" and g["id"].startswith("flows-")}
    assert edges, "the ACC map has flows both ways between two organisations"
    assert {f["edge"] for f in data["flows"].values() if f["edge"].startswith("flows-")} \
        == set(edges)
    for edge, carried in edges.items():
        assert len(carried) > 1 and all(data["flows"][f]["edge"] == edge for f in carried)
    assert all(re.fullmatch(r"flows-[a-z0-9._-]+--[a-z0-9._-]+", e) for e in edges)


def test_hostile_strings_stay_inside_their_elements(write_map: WriteMap,
                                                    tmp_path: Path) -> None:
    out = render_html(write_map(hostile_map()), tmp_path / "hostile.html")
    text = out.read_text(encoding="utf-8")
    page = Page(text)
    assert len(page.all("script")) == 2 and len(page.all("style")) == 1
    assert not page.all("img") and len(page.all("svg")) == 1
    assert text.lower().count("<script") == 2 and text.count("<!--") == 0
    data = page.data
    assert data["map"]["title"] == HOSTILE[0] and data["map"]["description"] == HOSTILE[1]
    assert [data["organisations"][f"o{i}"]["name"] for i in range(len(HOSTILE))] == HOSTILE
    assert data["authorities"]["a"]["notes"] == HOSTILE[0]
    blob = text.split('<script type="application/json" id="fm-data">', 1)[1]
    blob = blob.split("</script>", 1)[0]
    assert "<" not in blob and ">" not in blob and "&" not in blob


# -- browser tests ------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path(shutil.which("chromedriver") or "/usr/bin/chromedriver")
SHOTS = Path(tempfile.gettempdir())


def _missing_browser() -> str | None:
    if importlib.util.find_spec("selenium") is None:
        return "selenium is not installed: pip install -e '.[test]'"
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        return ("no headless browser: install Debian's chromium and chromium-driver "
                "(bash scripts/dev test does, where apt-get is available)")
    return None


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    missing = _missing_browser()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests, but: {missing}")
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tempfile.mkdtemp(prefix="flowmap-chromium-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-extensions",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                 "--window-size=1500,950"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    chrome = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield chrome
    finally:
        chrome.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_page(driver: Any, path: Path) -> Any:
    driver.get(path.resolve().as_uri())
    driver.get_log("browser")  # start each page with empty logs
    driver.get_log("performance")
    driver.get(path.resolve().as_uri())
    return driver


def css(driver: Any, selector: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, selector)


def displayed(driver: Any, element_id: str) -> bool:
    return bool(driver.execute_script(
        "return getComputedStyle(document.getElementById(arguments[0])).display !== 'none'",
        element_id))


def edges(data: dict[str, Any], flows: Any) -> set[str]:
    """The drawn edges (SVG ids) that carry ``flows``: several flows may share one."""
    return {data["flows"][f]["edge"] for f in flows}


def shown_edges(driver: Any, data: dict[str, Any]) -> set[str]:
    return {e for e in edges(data, data["flows"]) if displayed(driver, e)}


def details(driver: Any) -> str:
    return str(css(driver, "#fm-details-body").text)


def click_element(driver: Any, element_id: str) -> None:
    """A real mouse click on an SVG group: on its label, or on its shape."""
    from selenium.webdriver.common.action_chains import ActionChains

    target = css(driver, f"#{element_id} text")
    ActionChains(driver).move_to_element(target).click().perform()


def requests_made(driver: Any, page: Path) -> list[str]:
    """Every URL the page asked the browser for, besides the page itself."""
    uri = page.resolve().as_uri()
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent" and params["documentURL"] == uri:
            urls.append(params["request"]["url"])
    assert uri in urls  # the log did record the page's own load
    return [u for u in urls if u != uri]


@pytest.mark.parametrize("name", ["icld-2017", "acc"])
def test_opens_from_disk_without_errors_or_requests(driver: Any, examples: dict[str, Path],
                                                    name: str) -> None:
    path = examples[name]
    open_page(driver, path)
    time.sleep(0.3)
    assert driver.title.endswith("flowmap report")
    assert driver.execute_script(
        "return performance.getEntriesByType('resource').length") == 0
    assert requests_made(driver, path) == []
    problems = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert problems == []
    driver.save_screenshot(str(SHOTS / f"flowmap-html-{name}.png"))


def test_the_policy_blocks_a_request_and_the_test_would_see_it(
        driver: Any, examples: dict[str, Path]) -> None:
    """The checks above are not vacuous: a request the page tried is refused and logged."""
    path = examples["icld-2017"]
    open_page(driver, path)
    driver.execute_script("const i = document.createElement('img');"
                          "i.src = 'https://example.invalid/x.png'; document.body.append(i);")
    time.sleep(0.3)
    assert any("Content Security Policy" in e["message"] for e in driver.get_log("browser"))
    assert requests_made(driver, path) == ["https://example.invalid/x.png"]  # seen, refused


def test_clicking_the_unjustified_flow_shows_its_basis_and_finding(
        driver: Any, examples: dict[str, Path]) -> None:
    open_page(driver, examples["icld-2017"])
    click_element(driver, "flow-ngo-msd-icld")
    shown = details(driver)
    assert "Funded NGOs → MSD" in shown
    assert "Unjustified" in shown
    assert "MSD social service funding contract" in shown  # the basis
    assert "FM204" in shown and "Basis does not cover the information" in shown
    assert "How to fix it" in shown  # the rule's explanation, open for an error
    assert "Client identity details" in shown and "identified" in shown
    assert "fm-selected" in css(driver, "#flow-ngo-msd-icld").get_attribute("class")
    related = driver.execute_script(
        "return Array.from(document.querySelectorAll('#fm-findings tr.fm-related'),"
        " r => r.dataset.id)")
    assert related and set(related) == {"ngo-msd-icld"}
    driver.save_screenshot(str(SHOTS / "flowmap-html-icld-selected.png"))


def test_acc_unjustified_flow_says_why(driver: Any, examples: dict[str, Path]) -> None:
    open_page(driver, examples["acc"])
    css(driver, "#fm-only-unjustified").click()
    assert displayed(driver, "flow-acc-reinsurer-claims-illustrative")
    assert not displayed(driver, "flow-acc-msd-benefit-eligibility")
    click_element(driver, "flow-acc-reinsurer-claims-illustrative")
    shown = details(driver)
    assert "No legal basis cited." in shown
    assert "FM201" in shown and "Flow has no legal basis" in shown


def test_status_filter_hides_the_other_flows(driver: Any, examples: dict[str, Path]) -> None:
    open_page(driver, examples["acc"])
    data = page_of(examples["acc"]).data
    css(driver, 'label.fm-st-justified input[name="status"]').click()
    for fid, flow in data["flows"].items():
        shown = any(f["status"] != "justified" for f in data["flows"].values()
                    if f["edge"] == flow["edge"])
        assert displayed(driver, flow["edge"]) == shown, fid
    ends = {e for f in data["flows"].values() if f["status"] != "justified"
            for e in (f["from"], f["to"])}
    for oid in data["organisations"]:
        assert displayed(driver, f"org-{oid}") == (oid in ends), oid
    rows = driver.execute_script(
        "return Array.from(document.querySelectorAll('#fm-register tbody tr'))"
        ".filter(r => getComputedStyle(r).display !== 'none').map(r => r.dataset.flow)")
    unjustified = [fid for fid, f in data["flows"].items() if f["status"] != "justified"]
    assert "acc-reinsurer-claims-illustrative" in unjustified
    assert sorted(rows) == sorted(unjustified)
    assert f"{len(unjustified)} of {len(data['flows'])} flows shown" in css(
        driver, "#fm-shown").text
    css(driver, "#fm-reset").click()
    time.sleep(0.1)
    assert all(displayed(driver, flow["edge"]) for flow in data["flows"].values())


def test_select_filters_by_organisation_category_and_authority(
        driver: Any, examples: dict[str, Path]) -> None:
    from selenium.webdriver.support.ui import Select

    open_page(driver, examples["acc"])
    data = page_of(examples["acc"]).data

    def shown() -> set[str]:
        return shown_edges(driver, data)

    Select(css(driver, "#fm-org")).select_by_value("corrections")
    assert shown() == edges(data, (f for f, v in data["flows"].items()
                                   if "corrections" in (v["from"], v["to"])))
    Select(css(driver, "#fm-org")).select_by_value("")
    Select(css(driver, "#fm-cat")).select_by_value("personal.health")
    health = {f for f, v in data["flows"].items()
              if any(data["information"][i]["category"].startswith("personal.health")
                     for i in v["information"])}
    assert shown() == edges(data, health) and 0 < len(health) < len(data["flows"])
    Select(css(driver, "#fm-cat")).select_by_value("")
    Select(css(driver, "#fm-auth")).select_by_value("-")
    assert shown() == edges(data, (f for f, v in data["flows"].items() if not v["basis"]))


def test_search_box_filters_flows_and_tables(driver: Any, examples: dict[str, Path]) -> None:
    open_page(driver, examples["acc"])
    css(driver, "#fm-q").send_keys("reinsurer")
    time.sleep(0.1)
    data = page_of(examples["acc"]).data
    assert shown_edges(driver, data) == edges(data, ["acc-reinsurer-claims-illustrative"])
    assert displayed(driver, "org-acc") and not displayed(driver, "org-ird")
    findings = driver.execute_script(
        "return Array.from(document.querySelectorAll('#fm-findings tbody tr'))"
        ".filter(r => getComputedStyle(r).display !== 'none').map(r => r.dataset.id)")
    assert findings == ["acc-reinsurer-claims-illustrative"]


def test_clicking_a_finding_highlights_its_edge(driver: Any, examples: dict[str, Path]) -> None:
    open_page(driver, examples["acc"])
    row = css(driver, '#fm-findings tr[data-id="acc-reinsurer-claims-illustrative"] button')
    row.click()
    edge = css(driver, "#flow-acc-reinsurer-claims-illustrative")
    assert "fm-selected" in edge.get_attribute("class")
    assert "fm-has-selection" in css(driver, "#fm-svg").get_attribute("class")
    time.sleep(0.3)  # the fade's transition
    data = page_of(examples["acc"]).data
    others = driver.execute_script(
        "return getComputedStyle(document.getElementById(arguments[0])).opacity",
        data["flows"]["ird-acc-earnings-levies"]["edge"])
    assert float(others) < 0.5  # the rest of the map steps back
    assert "Flow has no legal basis" in details(driver)
    driver.save_screenshot(str(SHOTS / "flowmap-html-acc-finding.png"))


def test_keyboard_tab_to_a_flow_and_enter_opens_its_details(
        driver: Any, examples: dict[str, Path]) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    open_page(driver, examples["icld-2017"])
    css(driver, "#fm-viewport").click()  # start in the map, as a keyboard user would reach it
    target = "flow-ngo-msd-icld"
    for _ in range(10):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if driver.execute_script("return document.activeElement.id") == target:
            break
    assert driver.execute_script("return document.activeElement.id") == target
    outline = driver.execute_script(
        "return getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # focus is visible
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    assert "MSD social service funding contract" in details(driver)
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    assert "Select a flow or organisation" in details(driver)


def test_zoom_and_pan(driver: Any, examples: dict[str, Path]) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.wheel_input import ScrollOrigin

    open_page(driver, examples["acc"])

    def box() -> list[float]:
        view = driver.execute_script(
            "return document.getElementById('fm-svg').getAttribute('viewBox')")
        return [float(v) for v in view.split()]

    home = box()
    css(driver, "#fm-viewport").click()
    ActionChains(driver).send_keys("+").perform()
    zoomed = box()
    assert zoomed[2] < home[2] and zoomed[3] < home[3]
    ActionChains(driver).click_and_hold(css(driver, "#fm-viewport")).move_by_offset(80, 40) \
        .release().perform()
    panned = box()
    assert panned[0] < zoomed[0] and panned[1] < zoomed[1] and panned[2] == zoomed[2]
    css(driver, "#fm-zoom-in").click()
    assert box()[2] < panned[2]
    ActionChains(driver).send_keys("0").perform()
    assert box() == pytest.approx(home, abs=0.01)
    wheel_at_map = ScrollOrigin.from_element(css(driver, "#fm-viewport"))
    ActionChains(driver).scroll_from_origin(wheel_at_map, 0, -300).perform()
    assert box()[2] < home[2]  # the wheel zooms in
    assert driver.execute_script("return window.scrollY") == 0  # and does not scroll the page


def test_hovering_previews_details_and_leaving_restores_the_selection(
        driver: Any, examples: dict[str, Path]) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    open_page(driver, examples["acc"])
    click_element(driver, "flow-acc-reinsurer-claims-illustrative")
    driver.execute_script("document.getElementById('fm-details').scrollTop = 120")
    kept = driver.execute_script("return document.getElementById('fm-details').scrollTop")
    assert kept > 0
    ActionChains(driver).move_to_element(css(driver, "#org-corrections text")).perform()
    time.sleep(0.5)
    assert "Department of Corrections" in details(driver) and "Preview" in details(driver)
    ActionChains(driver).move_to_element(css(driver, "#fm-register")).perform()
    time.sleep(0.6)
    assert "ACC → Overseas reinsurer" in details(driver)
    assert "Preview" not in details(driver)
    # back where the reader was, and passing over the empty map changes nothing
    assert driver.execute_script("return document.getElementById('fm-details').scrollTop") == kept
    ActionChains(driver).move_to_element_with_offset(css(driver, "#fm-viewport"), 5, 5).perform()
    time.sleep(0.4)
    assert driver.execute_script("return document.getElementById('fm-details').scrollTop") == kept


def test_clicking_an_organisation_lists_its_flows(driver: Any,
                                                   examples: dict[str, Path]) -> None:
    open_page(driver, examples["acc"])
    click_element(driver, "org-corrections")
    shown = details(driver)
    assert "Department of Corrections" in shown and "FLOWS OUT (1)" in shown.upper()
    assert "fm-selected" in css(driver, "#org-corrections").get_attribute("class")


def test_merged_edge_lists_its_flows(driver: Any, tmp_path: Path) -> None:
    open_page(driver, render_html(EXAMPLES / "acc", tmp_path / "merged.html", "--merge"))
    click_element(driver, "flows-acc--claimant")
    assert "fm-selected" in css(driver, "#flows-acc--claimant").get_attribute("class")
    shown = details(driver)
    data = page_of(tmp_path / "merged.html").data
    carried = [f for f in data["flows"].values() if f["edge"] == "flows-acc--claimant"]
    assert f"FLOWS BETWEEN THEM ({len(carried)})" in shown.upper()
    assert "ACC ↔ CLAIMANT" in shown.upper()  # its flows go both ways
    css(driver, "#fm-details-body li button").click()
    assert "Legal basis".upper() in details(driver).upper()
    assert "fm-selected" in css(driver, "#flows-acc--claimant").get_attribute("class")
    assert driver.execute_script(
        "return document.querySelectorAll('#fm-register tr.fm-selected').length") == 1


def test_accepted_finding_shows_the_review(driver: Any, write_map: WriteMap,
                                           tmp_path: Path) -> None:
    out = render_html(write_map(STATUS_MAP), tmp_path / "statuses.html")
    open_page(driver, out)
    click_element(driver, "flow-waived")
    shown = details(driver)
    assert "Accepted" in shown and "Interim arrangement" in shown
    assert "Privacy Officer" in shown and "2099-12-31" in shown
    click_element(driver, "flow-fine")
    link = css(driver, "#fm-details-body a")
    assert link.get_attribute("href").startswith("https://www.legislation.govt.nz/")
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert "Privacy Act 2020" in details(driver) and "s 22 IPP 11" in details(driver)


def test_script_json_escapes_what_could_end_the_element() -> None:
    value = {"k": "</script><!-- \u2028\u2029 & <b>"}
    text = script_json(value)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == value


def test_hostile_strings_are_shown_as_text(driver: Any, write_map: WriteMap,
                                           tmp_path: Path) -> None:
    out = render_html(write_map(hostile_map()), tmp_path / "hostile.html")
    open_page(driver, out)
    time.sleep(0.2)
    assert driver.execute_script("return window.pwned === undefined")
    assert css(driver, "#fm-title").text == HOSTILE[0]
    for i, text in enumerate(HOSTILE):
        driver.execute_script(
            "document.getElementById(arguments[0]).dispatchEvent("
            "new MouseEvent('click', {bubbles: true}))", f"org-o{i}")
        assert text in details(driver)
        assert driver.execute_script("return window.pwned === undefined")
    assert driver.execute_script("return document.querySelectorAll('img').length") == 0
    problems = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert problems == []


def test_print_shows_the_map_and_tables_without_controls(
        driver: Any, examples: dict[str, Path]) -> None:
    open_page(driver, examples["acc"])
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        for hidden in ("fm-filters", "fm-details"):
            assert not displayed(driver, hidden), hidden
        for shown in ("fm-svg", "fm-findings", "fm-register"):
            assert displayed(driver, shown), shown
        order = driver.execute_script(
            "const y = id => document.getElementById(id).getBoundingClientRect().top;"
            "return [y('fm-svg'), y('fm-findings'), y('fm-register')]")
        assert order == sorted(order)
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


LEGAL_MODEL_MAP = """\
map: {id: legal, title: Conditions and agents, as_of: 2024-01-01}
organisations:
  - {id: msd, name: Ministry, kind: government-department}
  - {id: host, name: Cloud host, kind: private-sector, country: AU}
  - {id: uni, name: Overseas university, kind: international, country: AU}
information:
  - {id: client, name: Client record, category: personal.benefit}
authorities:
  - {id: ipp11a, title: IPP 11(1)(a), type: privacy-principle,
     use_limits: ["Not to be used to investigate offences"]}
  - {id: ipp12, title: IPP 12 overseas, type: privacy-principle, role: condition,
     applies_to: [ipp11a], scope: {cross_border: true}, verified: false,
     unsettled: ["which comparable-safeguards ground applies"]}
flows:
  - {id: stored, from: msd, to: host, information: [client], transfer: agent}
  - {id: abroad, from: msd, to: uni, information: [client], basis: [ipp12]}
"""


def test_details_show_conditions_limits_and_agents(driver: Any, write_map: WriteMap,
                                                    tmp_path: Path) -> None:
    open_page(driver, render_html(write_map(LEGAL_MODEL_MAP), tmp_path / "legal.html"))
    click_element(driver, "flow-abroad")
    shown = details(driver)
    assert "FM211" in shown
    assert "a condition on ipp11a; authorises nothing alone" in shown
    assert "which comparable-safeguards ground applies" in shown
    click_element(driver, "flow-stored")
    shown = details(driver)
    assert "held by an agent, not a disclosure" in shown
    assert "Justified" in shown
