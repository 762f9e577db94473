#!/usr/bin/env python3
"""Proof sheets: every composed page and decline message of a locale, as a reader sees them.

Builds the example site (with a legal notice and privacy page switched on) into a temporary
folder and writes one Markdown file per locale: each page's browser title, link preview and
visible text, the page furniture (footer, 404 line, short-link fallback), the legal pages, and
every decline message as pasted, with a short link on a 30-character domain, with and without
a greeting. This is what a reviewer of a translation reads.

Usage: python scripts/proof.py [--out artifacts/proof] [LOCALE ...]
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from replypage.links import decline_message  # noqa: E402
from replypage.project import load_plan  # noqa: E402

# A long but ordinary owner domain (30 characters) and the longest code the registry issues.
PROOF_URL = "https://kontakt.erika-mustermann-ab.de/k7q2m"
LEGAL = {"address": "Musterweg 1\n12345 Musterstadt", "email": "erika@example.org",
         "phone": "+49 30 1234567", "vat_id": "DE123456789", "updated": datetime.date(2026, 11, 22)}
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
BLOCKS = ("h1", "h2", "h3", "p", "ul", "ol", "pre", "figure", "div")


def build(tmp: Path) -> Path:
    """The example site with legal pages, built (not strictly) into tmp/site."""
    for name in ("docs", "overrides"):
        shutil.copytree(REPO / name, tmp / name)
    shutil.copy(REPO / "shortlinks.yml", tmp / "shortlinks.yml")
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    options = config["plugins"][0]["replypage"]
    options["legal"] = {**LEGAL}
    (tmp / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=tmp, env=ENV,
                         capture_output=True, text=True)
    if run.returncode:
        sys.exit(f"proof: the build failed:\n{run.stderr}")
    return tmp


def text_of(node) -> str:
    """Visible text of an inline node, links shown as [text](href)."""
    from bs4 import NavigableString

    out = []
    for child in node.children:
        if isinstance(child, NavigableString):
            out.append(str(child))
        elif child.name == "a" and child.get("href", "").startswith(("http", "mailto", "tel")):
            out.append(f"[{text_of(child)}]({child['href']})")
        elif child.name == "a":
            out.append(f"[{text_of(child)}]")
        elif child.name == "br":
            out.append("\n")
        else:
            out.append(text_of(child))
    return "".join(out)


def article_text(article) -> list[str]:
    """The article as plain Markdown-like blocks, in reading order."""
    lines: list[str] = []
    for node in article.find_all(BLOCKS, recursive=False):
        if node.name in ("h1", "h2", "h3"):
            level = "#" * (int(node.name[1]) + 2)
            for link in node.select("a.headerlink"):
                link.decompose()
            lines.append(f"{level} {text_of(node).strip()}")
        elif node.name == "p":
            lines.append(text_of(node).strip())
        elif node.name in ("ul", "ol"):
            lines.append("\n".join(f"- {text_of(li).strip()}" for li in node.find_all("li")))
        elif node.name == "pre":
            lines.append("```\n" + node.get_text().rstrip() + "\n```")
        elif node.name == "div" and "rp-examples" in node.get("class", []):
            for figure in node.find_all("figure"):
                caption = figure.figcaption.get_text(strip=True)
                quote = " / ".join(p.get_text(" ", strip=True) for p in figure.find_all("p"))
                lines.append(f"> **{caption}:** {quote}")
        elif node.name == "div":
            lines += article_text(node)
    return [line for line in lines if line]


def page_sheet(html: Path, label: str) -> list[str]:
    from bs4 import BeautifulSoup

    doc = BeautifulSoup(html.read_text(encoding="utf-8"), "lxml")

    def meta(key: str, value: str) -> str:
        tag = doc.find("meta", attrs={key: value})
        return tag["content"] if tag else "(none)"

    article = doc.select_one("article")
    for copy in article.select("button"):
        copy.decompose()
    footer = doc.select_one("footer")
    out = [f"### {label}", "",
           f"- browser title: {doc.title.get_text(strip=True)}",
           f"- preview title: {meta('property', 'og:title')}",
           f"- preview description: {meta('property', 'og:description')}",
           f"- preview image text: {meta('property', 'og:image:alt')}", ""]
    out += ["\n\n".join(article_text(article)), ""]
    if footer is not None:
        out += [f"*footer:* {' · '.join(a.get_text(strip=True) for a in footer.select('a'))}", ""]
    return out


def sheet(site: Path, plan, locale) -> str:
    pages = [page for page in plan.pages if page.locale.id == locale.id]
    greeting = plan.library.greetings.get(locale.id)
    out = [f"# Proof sheet: {locale.name} (`{locale.id}`, lang={locale.code}, "
           f"{'right-to-left' if locale.rtl else 'left-to-right'})", "",
           "Everything a reader of this locale sees, composed from the section library.", "",
           "## Pages", ""]
    for page in pages:
        out += page_sheet(site / page.url / "index.html", f"/{page.url} ({page.persona.id})")
    out += ["## Decline messages", "",
            f"As the owner pastes them, with a short link on a 30-character domain "
            f"(`{PROOF_URL}`). Limit: 200 characters.", ""]
    for page in pages:
        message = decline_message(page, PROOF_URL)
        out += [f"- **{page.persona.id}** ({len(message)} characters): {message}"]
    if greeting is not None:
        out += ["", f"Greeting pattern: `{greeting.text}`"
                    + (" (the message then starts in lower case)" if greeting.lowercase else "")]
    out += ["", "## Page furniture", ""]
    stub = next(site.glob("*/index.html"), None)
    for code_dir in sorted(site.iterdir()):
        candidate = code_dir / "index.html"
        if candidate.is_file() and "http-equiv=\"refresh\"" in candidate.read_text("utf-8") \
                and f"/{locale.path}/" in candidate.read_text("utf-8"):
            stub = candidate
            break
    if stub is not None:
        from bs4 import BeautifulSoup

        link = BeautifulSoup(stub.read_text("utf-8"), "lxml").select_one("a#target")
        if link is not None:
            out.append(f"- short-link page without redirect: {link.get_text(strip=True)}")
    out += ["", "## Legal pages (when the owner configures them)", ""]
    for kind in ("legal", "privacy"):
        html = site / locale.path / kind / "index.html"
        if html.is_file():
            out += page_sheet(html, f"/{locale.path}/{kind}/")
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "artifacts" / "proof")
    parser.add_argument("locales", nargs="*", help="locale ids (default: every locale)")
    args = parser.parse_args()
    _, plan = load_plan(REPO / "mkdocs.yml")
    locales = [loc for loc in plan.settings.locales if not args.locales or loc.id in args.locales]
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = build(Path(tmp)) / "site"
        not_found = site / "404.html"
        for locale in locales:
            path = args.out / f"{locale.id}.md"
            text = sheet(site, plan, locale)
            if not_found.is_file():
                from bs4 import BeautifulSoup

                doc = BeautifulSoup(not_found.read_text("utf-8"), "lxml")
                lines = [li.get_text(" ", strip=True)
                         for li in doc.select(f'[lang="{locale.code}"]') if li.name in ("li", "p")]
                if lines:
                    text += "\n## 404 page line\n\n" + "\n".join(f"- {x}" for x in lines) + "\n"
            path.write_text(text, encoding="utf-8")
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
