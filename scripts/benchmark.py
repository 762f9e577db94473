#!/usr/bin/env python3
"""Benchmarks, measured side by side in one run (the machine may be shared and noisy).

    python scripts/benchmark.py weight   first-visit bytes per page vs a plain Material page
    python scripts/benchmark.py build    build time vs plain MkDocs + Material, same page count

Reports numbers and ratios; asserts only the page-weight budget (exit 1 when over it).
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from replypage.project import load_plan  # noqa: E402

BUDGET_GZIP = 32 * 1024  # a reply page's first visit
SITE_URL = "https://erika.example/"


def mkdocs_build(project: Path, site: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", str(site)],
                   cwd=project, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def example_project(parent: Path, copies: int = 1) -> Path:
    """The example site in a scratch folder; `copies` > 1 multiplies every persona."""
    project = parent / f"example-{copies}x"
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copy(REPO / "shortlinks.yml", project / "shortlinks.yml")
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(REPO / "overrides")
    if copies > 1:
        _, plan = load_plan(REPO / "mkdocs.yml")
        plugin = config["plugins"][0]["replypage"]
        personas = plugin.setdefault("personas", {})
        for copy in range(2, copies + 1):
            for persona in plan.settings.personas:
                if persona.id == "general":
                    continue
                pages = [p for p in plan.pages if p.persona.id == persona.id]
                personas[f"{persona.id}{copy}"] = {
                    "sections": list(persona.sections),
                    **{field: {p.locale.id: (p.slug + str(copy) if field == "slug" else
                                             getattr(p, field)) for p in pages}
                       for field in ("slug", "title", "intro", "description", "decline")}}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True))
    return project


def plain_project(parent: Path, pages: dict[str, str]) -> Path:
    """Plain MkDocs + Material (its defaults) with the given Markdown pages."""
    project = parent / "plain"
    for rel, markdown in pages.items():
        target = project / "docs" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    config = {"site_name": "Erika Mustermann", "site_url": SITE_URL,
              "theme": {"name": "material", "font": False},
              "markdown_extensions": ["attr_list", "md_in_html", "pymdownx.highlight",
                                      "pymdownx.superfences"]}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return project


def first_visit(site: Path, page_url: str) -> tuple[int, int, dict[str, int]]:
    """Bytes a first visit transfers: the HTML and every stylesheet, script, icon, image and
    font it references (raw and gzip as a host compresses text)."""
    html_path = site / page_url / "index.html"
    doc = BeautifulSoup(html_path.read_text(encoding="utf-8"), "lxml")
    files = {html_path}
    refs = [link.get("href") for link in doc.select("link[rel~=stylesheet], link[rel~=icon]")]
    refs += [script.get("src") for script in doc.select("script[src]")]
    refs += [img.get("src") for img in doc.select("img[src]")]
    for ref in filter(None, refs):
        target = urlsplit(urljoin(SITE_URL + page_url, ref))
        if target.netloc == urlsplit(SITE_URL).netloc:
            files.add(site / target.path.lstrip("/"))
    raw = gz = 0
    by_kind: dict[str, int] = {}
    for file in files:
        data = file.read_bytes()
        compressed = len(gzip.compress(data, 9)) if file.suffix in (
            ".html", ".css", ".js", ".svg") else len(data)
        raw += len(data)
        gz += compressed
        by_kind[file.suffix] = by_kind.get(file.suffix, 0) + compressed
    return raw, gz, by_kind


def weight(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        project = example_project(scratch)
        mkdocs_build(project, scratch / "site")
        _, plan = load_plan(project / "mkdocs.yml")
        sample = plan.page("sales", "de")
        plain = plain_project(scratch, {"index.md": sample.markdown})
        mkdocs_build(plain, scratch / "plain-site")
        base_raw, base_gz, base_kinds = first_visit(scratch / "plain-site", "")
        print(f"plain Material page (same Markdown): {base_raw / 1024:7.1f} KB raw "
              f"{base_gz / 1024:6.1f} KB gzip  {_kinds(base_kinds)}")
        print(f"budget for a reply page: {BUDGET_GZIP / 1024:.0f} KB gzip\n")
        print(f"{'page':28} {'raw KB':>7} {'gzip KB':>8} {'vs plain':>8}")
        worst = 0
        for page in plan.pages:
            raw, gz, kinds = first_visit(scratch / "site", page.url)
            worst = max(worst, gz)
            print(f"/{page.url:27} {raw / 1024:7.1f} {gz / 1024:8.1f} {gz / base_gz:8.2f}"
                  + (f"  {_kinds(kinds)}" if args.verbose else ""))
        print(f"\nheaviest reply page: {worst / 1024:.1f} KB gzip "
              f"({worst / base_gz:.2f} x plain Material, budget {BUDGET_GZIP / 1024:.0f} KB)")
        return 0 if worst <= BUDGET_GZIP else 1


def _kinds(kinds: dict[str, int]) -> str:
    return " ".join(f"{kind or '?'}={size / 1024:.1f}" for kind, size in sorted(kinds.items()))


def build(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        project = example_project(scratch)
        _, plan = load_plan(project / "mkdocs.yml")
        plain = plain_project(scratch, {page.src_uri: page.markdown for page in plan.pages})
        print(f"{len(plan.pages)} pages each; median of {args.repeat} runs, alternating\n")
        cold_reply, cold_plain, warm_reply, warm_plain = [], [], [], []
        for run in range(args.repeat):
            shutil.rmtree(project / ".cache", ignore_errors=True)
            cold_reply.append(mkdocs_build(project, scratch / f"r{run}"))
            cold_plain.append(mkdocs_build(plain, scratch / f"p{run}"))
            warm_reply.append(mkdocs_build(project, scratch / f"r{run}"))
            warm_plain.append(mkdocs_build(plain, scratch / f"p{run}"))
        for label, reply, base in (("cold (no card cache, empty site/)", cold_reply,
                                    cold_plain),
                                   ("warm (card cache, site/ exists)", warm_reply, warm_plain)):
            r, p = statistics.median(reply), statistics.median(base)
            print(f"{label:36} reply page {r:5.2f} s   plain Material {p:5.2f} s   "
                  f"ratio {r / p:4.2f}")
        print("\ngrowth with personas x locales (warm, median of 2):")
        base_time = None
        for copies in (1, 2, 3, 4):
            scaled = example_project(scratch / f"scale{copies}", copies)
            _, scaled_plan = load_plan(scaled / "mkdocs.yml")
            mkdocs_build(scaled, scratch / f"s{copies}")
            seconds = statistics.median(mkdocs_build(scaled, scratch / f"s{copies}")
                                        for _ in range(2))
            base_time = base_time or seconds
            print(f"  {copies}x: {len(scaled_plan.pages):4} pages  {seconds:5.2f} s  "
                  f"({seconds / base_time:4.2f} x the 1x time)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    weight_parser = sub.add_parser("weight", help="first-visit bytes per page")
    weight_parser.add_argument("-v", "--verbose", action="store_true")
    build_parser = sub.add_parser("build", help="build time against plain Material")
    build_parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    return weight(args) if args.command == "weight" else build(args)


if __name__ == "__main__":
    sys.exit(main())
