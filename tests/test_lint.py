"""The code follows the project's lint rules (pyproject.toml, [tool.ruff])."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_ruff_is_clean():
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "replypage", "scripts", "tests"],
                         cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
