"""Files the build writes beside the pages: social cards, short-link stubs, host redirect files."""

from __future__ import annotations

import posixpath
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .cards import Card, write_card
from .compose import Page, SitePlan
from .hosting import host_files
from .links import (
    CLOUDFLARE_STATIC_RULES,
    Resolved,
    netlify_redirects,
    redirect_rules,
    spellings,
)
from .preview import Preview, card_path, preview

# The one inline script of a stub: constant, so one Content-Security-Policy hash allows it.
REDIRECT_SCRIPT = ('var a=document.getElementById("target");'
                   'if(a)location.replace(a.href+location.search+location.hash);')


@dataclass
class OutputReport:
    cards_drawn: int = 0
    cards_cached: int = 0
    stubs: int = 0
    warnings: list[str] = field(default_factory=list)


def base_path(site_url: str) -> str:
    """"https://example.org/kontakt/" => "/kontakt/"; "https://erika.example" => "/"."""
    path = urlsplit(site_url).path or "/"
    return path if path.endswith("/") else path + "/"


def write_cards(cards: list[tuple[Page, Card]], site_dir: Path, cache_dir: Path | None,
                report: OutputReport, drawn_ahead: set[str] | frozenset[str] = frozenset()
                ) -> None:
    """Every page's card, from the cache or drawn; `drawn_ahead` holds the keys of cards
    this build drew in a second process (see replypage.ahead), which count as drawn."""
    for page, card in cards:
        drawn = write_card(card, site_dir / card_path(page), cache_dir)
        if drawn or card.key() in drawn_ahead:
            report.cards_drawn += 1
        else:
            report.cards_cached += 1


def write_stubs(plan: SitePlan, resolved: list[Resolved], site_url: str, site_dir: Path,
                render: Callable[[dict], str], report: OutputReport) -> None:
    """One stub page per code and spelling, carrying its target's full preview."""
    for item in resolved:
        page_preview: Preview = preview(plan, item.page, site_url)
        for spelling in spellings(item.link.code):
            target = posixpath.relpath(item.page.url, spelling) + "/"
            html = render({"preview": page_preview, "target": target,
                           "dir": "rtl" if item.page.locale.rtl else "ltr",
                           "redirect_script": REDIRECT_SCRIPT, "page": item.page})
            stub = site_dir / spelling / "index.html"
            stub.parent.mkdir(parents=True, exist_ok=True)
            stub.write_text(html, encoding="utf-8")
            report.stubs += 1


def write_redirect_files(resolved: list[Resolved], site_url: str, site_dir: Path,
                         report: OutputReport, host: str | None) -> None:
    """`_redirects` when the host reads it, forced for Netlify (see links.netlify_redirects).
    Apache's and nginx's rules are part of their configuration (hosting.write_host_files)."""
    if "_redirects" not in host_files(host):
        return
    base = base_path(site_url)
    rules = redirect_rules(resolved, base)
    if len(rules) > CLOUDFLARE_STATIC_RULES:
        report.warnings.append(f"_redirects: {len(rules)} rules, more than Cloudflare Pages' "
                               f"{CLOUDFLARE_STATIC_RULES}; the stub pages still redirect")
    text = netlify_redirects(rules, force=host == "netlify",
                             hidden=(f"{base}_redirects", f"{base}_headers"),
                             not_found=f"{base}404.html")
    (site_dir / "_redirects").write_text(text, encoding="utf-8")


def staging_dir(site_dir: Path) -> Path:
    """Where a build writes before it replaces the previous site: "site" => ".site.new", beside
    it (one file system, so the swap is two renames)."""
    return site_dir.with_name(f".{site_dir.name}.new")


def publish(staging: Path, site_dir: Path) -> None:
    """Put a finished build in place of the previous site. Until here the previous site is
    untouched, whatever failed; after it, only the new one is left."""
    old = site_dir.with_name(f".{site_dir.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def discard(staging: Path) -> None:
    """A failed build's output goes; the previous site stays as it was."""
    shutil.rmtree(staging, ignore_errors=True)
