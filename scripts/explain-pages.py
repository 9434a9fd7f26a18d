"""Write the README's `flowmap explain` pages and their pictures from the current tree.

    .venv/bin/python scripts/explain-pages.py

For each example service: docs/dpup/NAME.html and .md (the pages), docs/dpup/NAME.png
(headless Chromium's picture of the HTML page), and the page's reading level printed
(Flesch-Kincaid grade, as tests/test_explain.py measures it).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flowmap.cli import main  # noqa: E402
from tests.test_explain import grade  # noqa: E402

OUT = ROOT / "docs" / "dpup"
PAGES = [("youth-service", "social-sector", "youth-transition"),
         ("sexual-violence-helpline", "social-sector", "sv-helpline"),
         ("health-referral", "social-sector", "health-referral")]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def picture(page: Path, png: Path) -> None:
    """Headless Chromium's picture of the whole page, 820 pixels wide."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    with tempfile.TemporaryDirectory() as profile:
        for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                     f"--user-data-dir={profile}", "--window-size=820,800"):
            options.add_argument(flag)
        chrome = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        try:
            chrome.get(page.as_uri())
            height = chrome.execute_script("return document.documentElement.scrollHeight")
            chrome.set_window_size(820, int(height) + 140)  # the window's frame
            chrome.save_screenshot(str(png))
        finally:
            chrome.quit()


def write(name: str, example: str, subject: str) -> None:
    for suffix in (".html", ".md"):
        run = CliRunner().invoke(main, ["explain", str(ROOT / "flows" / example), "--for",
                                        subject, "-o", str(OUT / f"{name}{suffix}")])
        if run.exit_code != 0:
            raise SystemExit(run.output)
    page = OUT / f"{name}.html"
    picture(page, OUT / f"{name}.png")
    level = grade(page.read_text(encoding="utf-8"))
    print(f"{name}: flowmap explain flows/{example} --for {subject}: "
          f"Flesch-Kincaid grade {level}")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for args in PAGES:
        write(*args)
