#!/usr/bin/env python3
"""Per locale, which sections, persona strings and UI strings are missing or stale.

Usage: python scripts/completeness.py [--config mkdocs.yml] [LOCALE ...]
Exit status 1 when a listed (default: every shipped) locale is incomplete.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from replypage.completeness import report  # noqa: E402
from replypage.model import ConfigError  # noqa: E402
from replypage.project import load_plan  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("locales", nargs="*", help="locale ids (default: all shipped)")
    args = parser.parse_args()
    try:
        _, plan = load_plan(args.config)
    except ConfigError as error:
        print(f"completeness: {error}", file=sys.stderr)
        return 2
    known = plan.settings.known_locales
    unknown = [loc for loc in args.locales if loc not in known]
    if unknown:
        print(f"completeness: unknown locale {unknown[0]!r} (known: {', '.join(known)})",
              file=sys.stderr)
        return 2
    results = report(plan.settings, plan.library, [known[loc] for loc in args.locales] or None)
    for result in results:
        print("\n".join(result.lines()))
    return 0 if all(result.complete for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
