"""The content is original: no run of 8+ words shared with the seed essays."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO, SHARED

TOOL = SHARED / "tools" / "originality.py"


@pytest.mark.skipif(not TOOL.is_file(), reason="../shared (the seed essays) is not beside the repo")
def test_no_run_of_words_is_shared_with_the_essays():
    run = subprocess.run([sys.executable, str(TOOL), "docs", "overrides"], cwd=REPO,
                         capture_output=True, text=True)
    assert run.stdout.strip().endswith("0 shared runs of 8+ words"), run.stdout
    assert run.returncode == 0
