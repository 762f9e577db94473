#!/usr/bin/env python3
"""Lighthouse scores (mobile) for three reply pages, served from 127.0.0.1.

Needs Node's `lighthouse` (npm install lighthouse) and Debian's Chromium (CHROME_PATH).
The site is built with site_url set to the local address, so canonical URLs match the host.

Usage: python scripts/lighthouse.py [--lighthouse node_modules/.bin/lighthouse]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from webserver import SiteServer  # noqa: E402

from replypage.project import load_plan  # noqa: E402

PAGES = [("general", "de"), ("call", "en"), ("sales", "ar")]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
         "--disable-component-update --disable-sync --no-first-run")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lighthouse", default=shutil.which("lighthouse") or "lighthouse")
    args = parser.parse_args()
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium")
    port = free_port()
    site_url = f"http://127.0.0.1:{port}/"
    _, plan = load_plan(REPO / "mkdocs.yml")
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "project"
        shutil.copytree(REPO / "docs", project / "docs")
        shutil.copy(REPO / "shortlinks.yml", project / "shortlinks.yml")
        config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
        config = config.replace("https://erika.example/", site_url).replace(
            "custom_dir: overrides", f"custom_dir: {REPO / 'overrides'}")
        (project / "mkdocs.yml").write_text(config, encoding="utf-8")
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project, check=True,
                       env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        print(f"{'page':26} " + " ".join(f"{c:>15}" for c in CATEGORIES))
        with SiteServer(project / "site", port=port):
            for persona, locale in PAGES:
                url = site_url + plan.page(persona, locale).url
                report = Path(scratch) / "report.json"
                subprocess.run([args.lighthouse, url, "--quiet", "--output=json",
                                f"--output-path={report}", f"--chrome-flags={FLAGS}",
                                f"--only-categories={','.join(CATEGORIES)}"],
                               check=True, env={**os.environ, "CHROME_PATH": chrome})
                data = json.loads(report.read_text())
                scores = [round(data["categories"][c]["score"] * 100) for c in CATEGORIES]
                print(f"/{plan.page(persona, locale).url:25} "
                      + " ".join(f"{s:>15}" for s in scores))
                for category in CATEGORIES:
                    for ref in data["categories"][category]["auditRefs"]:
                        audit = data["audits"][ref["id"]]
                        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                            print(f"    {category}: {audit['id']} ({audit['score']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
