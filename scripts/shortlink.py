#!/usr/bin/env python3
"""Run the `shortlink` command from a checkout: python scripts/shortlink.py sales --lang de."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from replypage.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
