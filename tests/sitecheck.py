"""Checks over a built site folder: external URLs and broken internal links."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

URL = re.compile(r"""https?://[^\s"'<>)\\]+""")
COMMENT = re.compile(r"<!--.*?-->", re.S)  # e.g. licence notes inside inline SVG icons
TEXT_SUFFIXES = {".html", ".css", ".js", ".xml", ".txt", ".json", ".webmanifest", ".svg"}
# Identifiers that look like URLs but are never fetched.
NAMESPACES = ("http://www.w3.org/", "http://www.sitemaps.org/schemas/")
LINK_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src",
                   "iframe": "src", "video": "src", "audio": "src", "embed": "src",
                   "object": "data", "form": "action"}


def external_urls(site: Path, own_host: str, allowed: set[str] = frozenset()) -> list[str]:
    """'file: url' for every URL in the output that points at another host."""
    found = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix not in TEXT_SUFFIXES:
            continue
        text = COMMENT.sub("", path.read_text(encoding="utf-8", errors="replace"))
        for url in URL.findall(text):
            if url.startswith(NAMESPACES) or url in allowed:
                continue
            if urlsplit(url).hostname != own_host:
                found.append(f"{path.relative_to(site)}: {url}")
    return found


def internal_links(site: Path, site_url: str) -> list[tuple[Path, str]]:
    """(page, reference) for every link and asset reference in every HTML file."""
    refs = []
    for page in sorted(site.rglob("*.html")):
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for tag, attribute in LINK_ATTRIBUTES.items():
            for element in doc.find_all(tag):
                value = element.get(attribute)
                if value:
                    refs.append((page, value))
        for meta in doc.select("meta[http-equiv=refresh]"):
            refs.append((page, meta["content"].split("url=", 1)[1]))
    return refs


def broken_links(site: Path, site_url: str) -> list[str]:
    """References that do not resolve to a file in `site` (as a host serving it at
    `site_url` would map them). Other hosts, mailto: and tel: are not checked here."""
    base = urlsplit(site_url)
    broken = []
    for page, ref in internal_links(site, site_url):
        if ref.startswith(("mailto:", "tel:", "#", "data:")):
            continue
        page_url = site_url + page.relative_to(site).as_posix()
        target = urlsplit(urljoin(page_url, ref))
        if target.hostname != base.hostname:
            continue
        if not target.path.startswith(base.path):
            broken.append(f"{page.relative_to(site)}: {ref} (outside {base.path})")
            continue
        rel = unquote(target.path[len(base.path):])
        candidate = site / rel
        if rel == "" or rel.endswith("/") or candidate.is_dir():
            candidate = candidate / "index.html"  # a host answers "/k7q" with "/k7q/"
        if not candidate.is_file():
            broken.append(f"{page.relative_to(site)}: {ref}")
    return broken
