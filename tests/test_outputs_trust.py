"""What flowmap writes, and how it fails (issue 14, items 3-5, 9, 10, 12-14).

Outputs go only where -o says, atomically, keeping an existing file's mode or
honouring the umask; standard output and devices are written into, never
replaced; every failure is one line and a documented exit status, never an
internal error; nothing from a map reaches a terminal as a control character.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from flowmap.cli import main
from tests.conftest import CLEAN, FLOWMAP

WriteMap = Callable[..., Path]
LONG = "x" * 300


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def run(*args: str | Path, cwd: Path | None = None, **kwargs: object) -> \
        subprocess.CompletedProcess[bytes]:
    """The installed script as a user runs it (standard streams captured unless given)."""
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
    return subprocess.run([str(FLOWMAP), *map(str, args)], timeout=120, cwd=cwd,
                          check=False, **streams)  # type: ignore[call-overload]


def no_internal_error(text: str) -> None:
    assert "internal error" not in text and "Traceback" not in text, text


# -- item 3: standard output, devices, -o - ------------------------------------------------

def test_dev_stdout_appends_when_the_shell_appends(write_map: WriteMap, tmp_path: Path) -> None:
    path = write_map(CLEAN)
    log = tmp_path / "log.txt"
    log.write_text("kept line\n", encoding="utf-8")
    with log.open("ab") as handle:
        done = run("register", path, "-o", "/dev/stdout", stdout=handle,
                   stderr=subprocess.PIPE)
    assert done.returncode == 0, done.stderr
    text = log.read_text(encoding="utf-8")
    assert text.startswith("kept line\n") and "| referral |" in text


def test_dev_stdout_into_a_pipe_works(write_map: WriteMap) -> None:
    done = run("register", write_map(CLEAN), "-o", "/dev/stdout", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert b"referral" in done.stdout


def test_dash_is_standard_output(write_map: WriteMap, tmp_path: Path) -> None:
    result = invoke("register", write_map(CLEAN), "-o", "-", "--format", "csv")
    assert result.exit_code == 0
    assert "referral" in result.stdout
    assert not (tmp_path / "-").exists()
    done = run("render", write_map(CLEAN), "-o", "-", "--format", "mermaid", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith(b"---")
    assert not (tmp_path / "-").exists()


def test_closed_standard_output_is_quiet(write_map: WriteMap) -> None:
    big = write_map(CLEAN.replace("flows:\n", "flows:\n" + "".join(
        f"  - {{id: f{i}, from: ngo, to: msd, information: [client]}}\n"
        for i in range(3000))))
    reader = subprocess.Popen(["head", "-c", "10"], stdin=subprocess.PIPE,
                              stdout=subprocess.DEVNULL)
    done = run("register", big, "--format", "csv", "-o", "/dev/stdout", stdout=reader.stdin)
    assert reader.stdin is not None
    reader.stdin.close()
    reader.wait()
    # nothing but the warnings of what a CSV register does not carry (said before writing)
    assert all(line.startswith(b"flowmap: warning: a CSV register does not give back")
               for line in done.stderr.splitlines())
    assert done.returncode == 0


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["validate"], ["register"], ["validate", "--format", "json"]])
def test_a_full_disk_on_standard_output_is_one_line_and_exit_2(
        write_map: WriteMap, command: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        done = run(*command, write_map(CLEAN), stdout=full, stderr=subprocess.PIPE)
    err = done.stderr.decode()
    no_internal_error(err)
    assert done.returncode == 2
    assert err.count("\n") == 1 and "No space left on device" in err


# -- item 4: file modes -----------------------------------------------------------------

def test_an_existing_files_mode_is_kept(write_map: WriteMap, tmp_path: Path) -> None:
    out = tmp_path / "register.csv"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o600)
    assert invoke("register", write_map(CLEAN), "--format", "csv", "-o", out).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "referral" in out.read_text(encoding="utf-8")


def test_a_new_file_honours_the_umask(write_map: WriteMap, tmp_path: Path) -> None:
    path = write_map(CLEAN)
    for umask, mode in ((0o077, 0o600), (0o022, 0o644)):
        out = tmp_path / f"register-{umask:o}.md"
        done = run("register", path, "-o", out, preexec_fn=lambda u=umask: os.umask(u))
        assert done.returncode == 0, done.stderr
        assert stat.S_IMODE(out.stat().st_mode) == mode


# -- item 14: temporary files ------------------------------------------------------------

def test_a_killed_writes_temporary_file_is_cleaned(write_map: WriteMap, tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f".map.svg.flowmap-{dead.pid}-abc123.tmp"
    stale.write_bytes(b"x" * 1_000_000)
    other = tmp_path / ".notes.txt.flowmap-1-abc.tmp"  # another output's: left alone
    other.write_bytes(b"x")
    assert invoke("render", write_map(CLEAN), "-o", tmp_path / "map.svg").exit_code == 0
    assert not stale.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".map.svg")) == []


# -- item 5: fmt -------------------------------------------------------------------------

def _files(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


UNTIDY = "flows:\n  - {to: b, id: x, from: a, information: [i]}\n"


def test_fmt_writes_nothing_unless_every_file_can_be_formatted(tmp_path: Path) -> None:
    folder = _files(tmp_path / "m", {
        "a.yaml": UNTIDY,
        "b.yaml": "flows:\n  - {id: y, from: a, to: b, information: [i], since: 2024-02-30}\n"})
    result = invoke("fmt", folder)
    no_internal_error(result.output)
    assert result.exit_code == 1
    assert (folder / "a.yaml").read_text(encoding="utf-8") == UNTIDY
    assert "b.yaml" in result.stderr and "cannot format" in result.stderr


def test_fmt_shares_the_loaders_limits(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for name, prev in zip("bcdefgh", "abcdefg", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke("fmt", "--check", bomb)
    assert result.exit_code == 1
    assert "huge structure" in result.stderr


@pytest.mark.parametrize("special", ["/dev/null", "fifo"])
def test_fmt_on_a_device_or_pipe_is_a_usage_error(tmp_path: Path, special: str) -> None:
    target = Path(special) if special.startswith("/") else tmp_path / "pipe.yaml"
    if special == "fifo":
        os.mkfifo(target)
    result = invoke("fmt", target)
    no_internal_error(result.output)
    assert result.exit_code == 2


def test_fmt_leaves_a_read_only_file_alone(tmp_path: Path) -> None:
    folder = _files(tmp_path / "m", {"a.yaml": UNTIDY})
    (folder / "a.yaml").chmod(0o444)
    result = invoke("fmt", folder)
    assert result.exit_code == 1 and "read-only" in result.stderr
    assert (folder / "a.yaml").read_text(encoding="utf-8") == UNTIDY


def test_fmt_refuses_to_overwrite_a_file_changed_while_it_ran(tmp_path: Path) -> None:
    from flowmap.author.fmt import plan_file, write_planned

    path = _files(tmp_path / "m", {"a.yaml": UNTIDY}) / "a.yaml"
    planned = plan_file(path)
    assert planned.changed
    path.write_text(UNTIDY + "# an edit saved meanwhile\n", encoding="utf-8")
    outcome = write_planned(planned)
    assert outcome.error is not None and "changed while" in outcome.error.message
    assert path.read_text(encoding="utf-8").endswith("# an edit saved meanwhile\n")


# -- item 9: no internal error, a documented exit status ----------------------------------

@pytest.mark.parametrize("args", [
    ["render", "{map}", "-o", f"{LONG}.svg"],
    ["register", "{map}", "-o", f"{LONG}.md"],
    ["diff", LONG, "{map}"],
    ["diff", f"HEAD:{LONG}", "{map}"],
    ["validate", f"{LONG}"],
])
def test_names_too_long_are_a_clear_error(write_map: WriteMap, tmp_path: Path,
                                          args: list[str], monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    path = write_map(CLEAN)
    monkeypatch.chdir(tmp_path)
    result = invoke(*(a.replace("{map}", str(path)) for a in args))
    no_internal_error(result.output)
    assert result.exit_code == 2, result.output


def test_output_through_a_symlink_loop_is_a_clear_error(write_map: WriteMap,
                                                        tmp_path: Path) -> None:
    (tmp_path / "one").symlink_to(tmp_path / "two")
    (tmp_path / "two").symlink_to(tmp_path / "one")
    result = invoke("register", write_map(CLEAN), "-o", tmp_path / "one")
    no_internal_error(result.output)
    assert result.exit_code == 2


# -- item 10: --select / --ignore ----------------------------------------------------------

@pytest.mark.parametrize("option,value", [("--select", "FM2O1"), ("--select", "zz,,;"),
                                          ("--ignore", "FM9"), ("--select", ",")])
def test_unknown_codes_are_a_usage_error(write_map: WriteMap, option: str,
                                         value: str) -> None:
    result = invoke("validate", write_map(CLEAN), option, value)
    assert result.exit_code == 2
    assert option in result.stderr


def test_a_typo_of_a_code_suggests_the_code(write_map: WriteMap) -> None:
    assert "'FM201'" in invoke("validate", write_map(CLEAN), "--select", "FM2O1").stderr


def test_codes_and_prefixes_still_select(write_map: WriteMap) -> None:
    result = invoke("validate", write_map(CLEAN), "--select", "fm2, FM303", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["findings"] == []


# -- item 12: control characters and bidirectional text -----------------------------------

HOSTILE = CLEAN.replace("name: An NGO", 'name: "Clinic\\u202e\\x1b[31m\\x07"').replace(
    "title: Privacy Act 2020 IPP 11", 'title: "IPP\\x1b]0;pwned\\x07 11"')


def test_github_annotations_carry_no_escape_or_bell(write_map: WriteMap) -> None:
    # FM201's message names the flow's organisations: the hostile name is in it
    path = write_map(HOSTILE.replace("basis: [ipp11]", "basis: []"))
    out = invoke("validate", path, "--format", "github").stdout
    assert "::error" in out and "Clinic" in out
    assert "\x1b" not in out and "\x07" not in out


def test_markdown_register_and_mermaid_carry_no_control_characters(
        write_map: WriteMap, tmp_path: Path) -> None:
    path = write_map(HOSTILE)
    markdown = invoke("register", path).stdout
    mermaid = tmp_path / "m.mmd"
    assert invoke("render", path, "-o", mermaid).exit_code == 0
    for text in (markdown, mermaid.read_text(encoding="utf-8")):
        assert not any(c in text for c in "\x1b\x07\x00"), text


def test_markdown_urls_are_percent_encoded() -> None:
    from flowmap.report.register import md_url

    assert md_url("https://e.org/a b<c>\x1b\x00\u00e9") == \
        "https://e.org/a%20b%3Cc%3E%1B%00%C3%A9"


def test_a_url_with_control_characters_is_refused(write_map: WriteMap) -> None:
    path = write_map(CLEAN.replace("type: privacy-principle}",
                                   'type: privacy-principle, url: "https://e.org/\\x1b[2J"}'))
    result = invoke("validate", path, "--format", "json")
    assert "FM008" in {f["code"] for f in json.loads(result.stdout)["findings"]}


def test_html_register_isolates_names(write_map: WriteMap, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    invoke("render", write_map(HOSTILE), "-o", out)
    page = out.read_text(encoding="utf-8")
    assert "<bdi>Clinic\u202e" in page and "</bdi> → <bdi>" in page


# -- item 13: usage errors exit 2 ---------------------------------------------------------

def test_several_formats_into_one_file_is_a_usage_error(write_map: WriteMap,
                                                        tmp_path: Path) -> None:
    result = invoke("render", write_map(CLEAN), "-o", tmp_path / "x.svg",
                    "--format", "svg", "--format", "png")
    assert result.exit_code == 2
    assert "need a directory" in result.stderr
