#!/usr/bin/env python3
"""Benchmarks: every figure measured side by side with its baseline in one run.

    python scripts/benchmark.py              all five rows (a few minutes on two cores)
    python scripts/benchmark.py --rows cli   only some: weight, cli, cold, warm, growth

The machine may be shared and noisy, so each figure is a ratio against a baseline measured in
the same run, runs alternate between the two, and the median counts. Benchmarks report; the
tests assert behaviour. Rows and targets:

    weight  heaviest reply page, first visit, gzip (HTML, CSS, JS, favicon)  <= 12 KB
    cli     `shortlink sales --lang en --url-only` vs a bare `python -c pass` <= 100 ms, <= 6x
    cold    build with empty site/ and no card cache vs plain MkDocs + Material  <= 2x
    warm    build again (card cache, site/ exists) vs plain, same page count     <= 1.3x
    growth  warm build of 3.5x the pages vs the example site                     <= 3.5x
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
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from replypage.project import load_plan  # noqa: E402

SITE_URL = "https://erika.example/"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
ROWS = ("weight", "cli", "cold", "warm", "growth")
TARGETS = {"weight": 12 * 1024, "cli_ms": 100, "cli_ratio": 6, "cold": 2.0, "warm": 1.3,
           "growth": 3.5}


def timed(command: list[str], cwd: Path) -> float:
    """Wall time of one whole process, in seconds."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - start


def mkdocs(site: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", str(site)]


def side_by_side(first: Callable[[], float], second: Callable[[], float], repeat: int,
                 before: Callable[[], None] | None = None) -> tuple[float, float]:
    """Medians of `first` and `second`, run alternately (`before` runs ahead of each pair)."""
    a, b = [], []
    for _ in range(repeat):
        if before:
            before()
        a.append(first())
        b.append(second())
    return statistics.median(a), statistics.median(b)


def example_project(parent: Path, copies: int = 1) -> Path:
    """The example site in a scratch folder; `copies` > 1 adds that many sets of every persona
    but the general one (new slugs, same sections and text)."""
    project = parent / f"example-{copies}x"
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copy(REPO / "shortlinks.yml", project / "shortlinks.yml")
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(REPO / "overrides")
    if copies > 1:
        _, plan = load_plan(REPO / "mkdocs.yml")
        personas = config["plugins"][0]["replypage"].setdefault("personas", {})
        shown = {page.persona.id: page.persona for page in plan.pages}
        for copy in range(2, copies + 1):
            for persona in shown.values():
                if persona.id == "general":
                    continue
                pages = [p for p in plan.pages if p.persona.id == persona.id]
                personas[f"{persona.id}{copy}"] = {
                    "sections": list(persona.sections),
                    **{field: {p.locale.id: (p.slug + str(copy) if field == "slug" else
                                             getattr(p, field)) for p in pages}
                       for field in ("slug", "title", "summary", "intro", "description",
                                     "decline")}}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True),
                                        encoding="utf-8")
    # Codes for the added personas are issued once here, not inside a timed build.
    subprocess.run(mkdocs(parent / f"issue-{copies}x"), cwd=project, env=ENV, check=True,
                   capture_output=True)
    shutil.rmtree(parent / f"issue-{copies}x")
    return project


def plain_project(parent: Path, pages: dict[str, str]) -> Path:
    """Plain MkDocs + Material (its defaults, no web fonts) with the given Markdown pages."""
    project = parent / "plain"
    for rel, markdown in pages.items():
        target = project / "docs" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    config = {"site_name": "Erika Mustermann", "site_url": SITE_URL,
              "theme": {"name": "material", "font": False},
              "markdown_extensions": ["attr_list", "md_in_html", "pymdownx.highlight",
                                      "pymdownx.superfences"]}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return project


def first_visit(site: Path, page_url: str) -> tuple[int, dict[str, int]]:
    """Bytes (gzip, as a host compresses text) of a first visit: the HTML and every
    stylesheet, script, icon and image it references on its own host."""
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
    by_kind: dict[str, int] = {}
    for file in files:
        data = file.read_bytes()
        size = len(gzip.compress(data, 9)) if file.suffix in (".html", ".css", ".js",
                                                               ".svg") else len(data)
        by_kind[file.suffix] = by_kind.get(file.suffix, 0) + size
    return sum(by_kind.values()), by_kind


def kinds(sizes: dict[str, int]) -> str:
    return " + ".join(f"{kind.lstrip('.') or '?'} {size / 1024:.1f}"
                      for kind, size in sorted(sizes.items()))


class Report:
    def __init__(self) -> None:
        self.lines: list[tuple[str, str, str, str]] = []

    def add(self, what: str, measured: str, target: str, met: bool) -> None:
        self.lines.append((what, measured, target, "yes" if met else "NO"))
        print(f"  {what}: {measured}  (target {target})", flush=True)

    def table(self) -> str:
        head = ("what", "measured", "target", "met")
        rows = [head, *self.lines]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        out = []
        for number, row in enumerate(rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            out.append("| " + " | ".join(cells) + " |")
            if number == 0:
                out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        return "\n".join(out)


def weight(scratch: Path, report: Report) -> None:
    project = example_project(scratch / "weight")
    subprocess.run(mkdocs(scratch / "weight-site"), cwd=project, env=ENV, check=True,
                   capture_output=True)
    _, plan = load_plan(project / "mkdocs.yml")
    heaviest = max(plan.pages, key=lambda p: first_visit(scratch / "weight-site", p.url)[0])
    size, parts = first_visit(scratch / "weight-site", heaviest.url)
    plain = plain_project(scratch / "weight", {"index.md": heaviest.markdown})
    subprocess.run(mkdocs(scratch / "plain-weight"), cwd=plain, env=ENV, check=True,
                   capture_output=True)
    plain_size, _ = first_visit(scratch / "plain-weight", "")
    report.add(f"heaviest reply page (/{heaviest.url}), first visit, gzip",
               f"{size / 1024:.1f} KB ({kinds(parts)}); plain Material with the same text "
               f"{plain_size / 1024:.1f} KB", f"<= {TARGETS['weight'] // 1024} KB",
               size <= TARGETS["weight"])


def cli(scratch: Path, report: Report, repeat: int) -> None:
    project = example_project(scratch / "cli")
    # the command as installed (a console script), else the module
    script = Path(sys.executable).parent / "shortlink"
    command = ([str(script)] if script.is_file() else [sys.executable, "-m", "replypage.cli"]
               ) + ["sales", "--lang", "en", "--url-only"]
    bare = [sys.executable, "-c", "pass"]
    answers = project / ".cache" / "replypage" / "answers"

    def forget() -> None:
        shutil.rmtree(answers, ignore_errors=True)

    first, bare_first = side_by_side(lambda: timed(command, project),
                                     lambda: timed(bare, project), max(3, repeat // 3),
                                     before=forget)
    timed(command, project)  # the answer is now kept, as after the first use of a day
    again, bare_time = side_by_side(lambda: timed(command, project),
                                    lambda: timed(bare, project), repeat)
    ms, ratio = again * 1000, again / bare_time
    report.add("`shortlink sales --lang en --url-only`, wall",
               f"{ms:.0f} ms = {ratio:.1f}x a bare interpreter ({bare_time * 1000:.0f} ms); "
               f"first answer after a change {first * 1000:.0f} ms = "
               f"{first / bare_first:.1f}x", f"<= {TARGETS['cli_ms']} ms, "
               f"<= {TARGETS['cli_ratio']}x", ms <= TARGETS["cli_ms"]
               and ratio <= TARGETS["cli_ratio"])


def builds(scratch: Path, report: Report, rows: set[str], repeat: int) -> None:
    project = example_project(scratch / "build")
    _, plan = load_plan(project / "mkdocs.yml")
    plain = plain_project(scratch / "build", {page.src_uri: page.markdown
                                              for page in plan.pages})
    reply_site, plain_site = scratch / "reply-site", scratch / "plain-site"
    pages = len(plan.pages)

    def empty() -> None:
        shutil.rmtree(project / ".cache", ignore_errors=True)
        shutil.rmtree(reply_site, ignore_errors=True)
        shutil.rmtree(plain_site, ignore_errors=True)

    if "cold" in rows:
        reply, base = side_by_side(lambda: timed(mkdocs(reply_site), project),
                                   lambda: timed(mkdocs(plain_site), plain), repeat,
                                   before=empty)
        report.add(f"cold build, {pages} pages, vs plain MkDocs + Material",
                   f"{reply:.2f} s vs {base:.2f} s = {reply / base:.2f}x",
                   f"<= {TARGETS['cold']}x", reply / base <= TARGETS["cold"])
    timed(mkdocs(reply_site), project)
    timed(mkdocs(plain_site), plain)
    warm = None
    if rows & {"warm", "growth"}:
        warm, base = side_by_side(lambda: timed(mkdocs(reply_site), project),
                                  lambda: timed(mkdocs(plain_site), plain), repeat)
        if "warm" in rows:
            report.add(f"warm build, {pages} pages, vs plain",
                       f"{warm:.2f} s vs {base:.2f} s = {warm / base:.2f}x",
                       f"<= {TARGETS['warm']}x", warm / base <= TARGETS["warm"])
    if "growth" in rows:
        copies = 4  # 10 general pages + 60 per set of personas: 70 -> 250 pages
        big = example_project(scratch / "growth", copies)
        _, big_plan = load_plan(big / "mkdocs.yml")
        big_site = scratch / "big-site"
        timed(mkdocs(big_site), big)
        small, large = side_by_side(lambda: timed(mkdocs(reply_site), project),
                                    lambda: timed(mkdocs(big_site), big), repeat)
        grown = len(big_plan.pages) / pages
        report.add(f"growth {pages} -> {len(big_plan.pages)} pages ({grown:.1f}x), warm",
                   f"{small:.2f} s -> {large:.2f} s = {large / small:.2f}x",
                   f"<= {TARGETS['growth']}x", large / small <= TARGETS["growth"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default=",".join(ROWS),
                        help=f"comma-separated, from: {', '.join(ROWS)}")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    args = parser.parse_args()
    rows = set(args.rows.split(","))
    unknown = rows - set(ROWS)
    if unknown:
        parser.error(f"unknown rows: {', '.join(sorted(unknown))}")
    report = Report()
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, median of {args.repeat} "
          "runs each, alternating with the baseline", flush=True)
    with tempfile.TemporaryDirectory() as name:
        scratch = Path(name)
        if "weight" in rows:
            weight(scratch, report)
        if "cli" in rows:
            cli(scratch, report, args.repeat * 3)
        if rows & {"cold", "warm", "growth"}:
            builds(scratch, report, rows, args.repeat)
    print()
    print(report.table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
