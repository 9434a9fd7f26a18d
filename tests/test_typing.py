"""The package type-checks under mypy --strict (configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_package_type_checks() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "flowmap"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
