"""Commands say what they did: diff and trace name the file they wrote; register
refuses a layout its format cannot have; watch reports a finding whose words changed
as changed, not as one new finding and one resolved."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from flowmap.cli import main
from flowmap.common.findings import Finding, Location, Severity, Subject
from flowmap.review.watch import changes, difference, finding_key
from tests.conftest import EXAMPLES


def invoke(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_diff_with_output_says_what_it_wrote(tmp_path: Path) -> None:
    out = tmp_path / "changes.json"
    code, stdout, stderr = invoke("diff", EXAMPLES / "acc", EXAMPLES / "ird", "--format",
                                  "json", "-o", out)
    assert code == 0 and stdout == "" and out.is_file()
    assert stderr.startswith(f"wrote {out} (diff as json: ")
    assert "new findings" in stderr and "resolved" in stderr


def test_trace_with_output_says_what_it_wrote(tmp_path: Path) -> None:
    out = tmp_path / "trace.txt"
    code, stdout, stderr = invoke("trace", EXAMPLES / "acc", "--from", "acc", "-o", out)
    assert code == 0 and stdout == "" and out.is_file()
    assert stderr.strip().startswith(f"wrote {out} (trace as text: ")
    assert "from acc" in stderr


def test_without_output_nothing_extra_is_said() -> None:
    code, stdout, stderr = invoke("trace", EXAMPLES / "acc", "--from", "acc")
    assert code == 0 and stdout and "wrote" not in stderr


def test_register_by_organisation_is_refused_for_csv_and_xlsx(tmp_path: Path) -> None:
    for fmt in ("csv", "xlsx"):
        code, _, stderr = invoke("register", EXAMPLES / "acc", "--by", "organisation",
                                 "--format", fmt, "-o", tmp_path / f"r.{fmt}")
        assert code == 2 and "--by organisation is for the Markdown register" in stderr
        assert not (tmp_path / f"r.{fmt}").exists()
    code, stdout, _ = invoke("register", EXAMPLES / "acc", "--by", "organisation")
    assert code == 0 and stdout.count("\n## ") > 1


def _finding(message: str, severity: Severity = Severity.ERROR, code: str = "FM201",
             subject: str = "f") -> Finding:
    return Finding(code, severity, message, Subject("flow", subject),
                   Location("flows.yaml", 3, 3))


def test_a_finding_whose_words_changed_is_changed_not_new_and_resolved() -> None:
    before = {finding_key(f): f for f in [_finding("cites nothing (1 item)"),
                                          _finding("gone", code="FM303", subject="g")]}
    after = {finding_key(f): f for f in [_finding("cites nothing (2 items)", Severity.WARNING),
                                         _finding("fresh", code="FM202", subject="h")]}
    new, resolved, changed = changes(before, after)
    assert [f.code for f in new] == ["FM202"]
    assert [f.code for f in resolved] == ["FM303"]
    assert [(f.code, f.message) for f in changed] == [("FM201", "cites nothing (2 items)")]
    assert difference(before, after) == (new, resolved)
    seen = {f.message for f in [*new, *resolved]}
    assert not seen & {"cites nothing (1 item)", "cites nothing (2 items)"}


UNTIDY = "flows:\n- to: b\n  id: f\n  from: a   # sender\n  information: [x]\n"


def test_fmt_check_diff_shows_the_change_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(UNTIDY, encoding="utf-8")
    for options in (["--check", "--diff"], ["--diff"]):
        code, stdout, stderr = invoke("fmt", *options, path)
        assert code == 1, stderr
        assert path.read_text(encoding="utf-8") == UNTIDY
        lines = stdout.splitlines()
        assert lines[0] == f"--- {path} (now)" and lines[1] == f"+++ {path} (formatted)"
        assert "-- to: b" in lines and "+  - id: f" in lines
        assert "1 of 1 files would be reformatted" in stderr
    assert invoke("fmt", path)[0] == 0
    code, stdout, _ = invoke("fmt", "--check", "--diff", path)
    assert code == 0 and stdout == ""  # nothing left to change
