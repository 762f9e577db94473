#!/usr/bin/env python3
"""Take the README's pictures: one persona page on a phone and a desktop, light and dark.

Builds the example site, serves it on 127.0.0.1 and drives Debian's Chromium (the same layer
as tests/test_browser.py). Writes small PNGs to .github/readme/.

Usage: python scripts/screenshots.py [--persona sales] [--locale de]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from webserver import SiteServer  # noqa: E402

from replypage.project import load_plan  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = {"phone": ({"width": 360, "height": 740}, 2),
         "desktop": ({"width": 1100, "height": 760}, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persona", default="sales")
    parser.add_argument("--locale", default="de")
    parser.add_argument("--out", type=Path, default=REPO / ".github" / "readme")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    _, plan = load_plan(REPO / "mkdocs.yml")
    page = plan.page(args.persona, args.locale)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", str(site)],
                       cwd=REPO, check=True)
        with SiteServer(site) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                                 args=FLAGS)
            for name, (viewport, scale) in SHOTS.items():
                for scheme in ("light", "dark"):
                    context = browser.new_context(viewport=viewport, color_scheme=scheme,
                                                  device_scale_factor=scale)
                    tab = context.new_page()
                    tab.goto(server.url + page.url)
                    target = args.out / f"{name}-{scheme}.png"
                    tab.screenshot(path=str(target))
                    context.close()
                    _shrink(target)
                    print(f"{target.relative_to(REPO)}  {target.stat().st_size // 1024} KB")
            browser.close()
    return 0


def _shrink(path: Path) -> None:
    """Keep the committed pictures small: a palette PNG reads fine for a page of text."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
        small.save(path, optimize=True)


if __name__ == "__main__":
    sys.exit(main())
