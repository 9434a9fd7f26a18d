"""`flowmap watch`: the map is checked and drawn again after each save.

Nothing here asserts how fast anything happens: each test edits a file and
polls (generously bounded) for the output to change, writing the file again
now and then in case the watcher was not listening yet when it was first
written.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from flowmap.common.findings import Finding, Location, Severity, Subject
from flowmap.author.scaffold import init_map
from flowmap.review.watch import difference, finding_key, watch_map, watched_roots

FLOWMAP = Path(sys.executable).parent / "flowmap"
TIMEOUT = 90.0
UNJUSTIFIED = """
  - id: us-ministry-unjustified
    from: our-organisation
    to: ministry
    information: [client-contact]
"""


def eventually(condition: Callable[[], bool], touch: Path | None = None,
               timeout: float = TIMEOUT) -> None:
    """Wait until ``condition`` holds, writing ``touch`` again every few seconds."""
    deadline = time.monotonic() + timeout
    last_touch = time.monotonic()
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {timeout} s")
        if touch is not None and time.monotonic() - last_touch > 3:
            touch.write_text(touch.read_text(encoding="utf-8"), encoding="utf-8")
            last_touch = time.monotonic()
        time.sleep(0.1)


@pytest.fixture
def starter(tmp_path: Path) -> Path:
    init_map(tmp_path / "map")
    return tmp_path / "map"


def test_watch_in_a_shell_reports_changes_and_stops_on_ctrl_c(starter: Path,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "map.svg"
    flows = starter / "flows.yaml"
    original = flows.read_text(encoding="utf-8")
    process = subprocess.Popen([str(FLOWMAP), "watch", str(starter), "-o", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")),
                              daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        eventually(lambda: out.is_file() and any(line.startswith("watching") for line in lines))
        first = out.read_bytes()
        assert not any("FM" in line for line in lines)  # the starter is clean

        flows.write_text(original + UNJUSTIFIED, encoding="utf-8")
        eventually(lambda: any(line.startswith("new: ") and "FM201" in line
                               for line in lines) and out.read_bytes() != first, touch=flows)
        assert "us-ministry-unjustified" in out.read_text(encoding="utf-8")

        flows.write_text(original, encoding="utf-8")
        eventually(lambda: any(line.startswith("resolved: ") and "FM201" in line
                               for line in lines), touch=flows)
        assert not any(line.startswith("new: ") and "FM201" not in line for line in lines)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=TIMEOUT)
        finally:
            if process.poll() is None:
                process.kill()
    reader.join(timeout=TIMEOUT)
    assert process.returncode == 0, (lines, process.stderr.read())  # type: ignore[union-attr]
    assert lines[-1].strip() == "stopped"


def test_watch_map_stops_when_asked(starter: Path, tmp_path: Path) -> None:
    lines: list[str] = []
    runs: list[int] = []
    stop = threading.Event()

    def render(result: object) -> list[tuple[str, Path]]:
        runs.append(len(runs))
        return [("svg", tmp_path / "map.svg")]

    thread = threading.Thread(target=watch_map, args=([starter], render, lines.append),
                              kwargs={"stop": stop}, daemon=True)
    thread.start()
    eventually(lambda: any(line.startswith("watching") for line in lines))
    purposes = starter / "purposes.yaml"
    purposes.write_text(purposes.read_text(encoding="utf-8")
                        + "\n  - id: spare\n    name: Never stated\n", encoding="utf-8")
    eventually(lambda: any(line.startswith("new: ") and "FM305" in line for line in lines),
               touch=purposes)
    stop.set()
    thread.join(timeout=TIMEOUT)
    assert not thread.is_alive()
    assert len(runs) >= 2
    assert any("wrote " in line for line in lines)


def test_a_bad_output_directory_is_a_usage_error(starter: Path, tmp_path: Path) -> None:
    run = subprocess.run([str(FLOWMAP), "watch", str(starter), "-o",
                          str(tmp_path / "no" / "such" / "map.svg")],
                         capture_output=True, text=True, timeout=TIMEOUT)
    assert run.returncode == 2
    assert "does not exist" in run.stderr


def _finding(code: str, line: int, message: str = "m") -> Finding:
    return Finding(code, Severity.ERROR, message, Subject("flow", "f"),
                   Location("flows.yaml", line, 3))


def test_a_finding_that_only_moved_is_neither_new_nor_resolved() -> None:
    before = {finding_key(f): f for f in [_finding("FM201", 3), _finding("FM202", 9)]}
    after = {finding_key(f): f for f in [_finding("FM201", 7), _finding("FM203", 9)]}
    new, resolved = difference(before, after)
    assert [f.code for f in new] == ["FM203"]
    assert [f.code for f in resolved] == ["FM202"]


def test_watched_roots_are_directories_without_repeats(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    file = tmp_path / "a" / "b" / "map.yaml"
    file.write_text("flows: []\n", encoding="utf-8")
    assert watched_roots([tmp_path / "a", file], None) == [(tmp_path / "a").resolve()]
    assert watched_roots([file], None) == [(tmp_path / "a" / "b").resolve()]
