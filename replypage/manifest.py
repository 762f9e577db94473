"""The output manifest: every path the build writes, each claimed by exactly one source.

Pages, legal pages, the site root, short-link stubs in every spelling, social cards, the
build's own files and every file of the owner's docs folder claim their output paths here,
before anything is written. Two sources claiming one path (compared without case, as a
case-insensitive file system or host would) is an error naming both. The names a new short
code must avoid come from the same claims.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .compose import Page, SitePlan
from .files import read_text
from .legal import LegalPage, legal_pages
from .library import display
from .links import Resolved, spellings
from .model import ConfigError
from .preview import card_path
from .settings import PREFIX, is_inside

# Files and folders the build itself writes at the top of site/ (theme, host files, search).
BUILD_FILES = ("index.html", "404.html", "sitemap.xml", "sitemap.xml.gz", "robots.txt",
               "_redirects", "_headers", ".htaccess", "nginx-include.conf")
BUILD_FOLDERS = ("assets", "search")
MARKDOWN = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
DESK_ICONS = (180, 192, 512)
DESK_FILES = ("index.html", "manifest.webmanifest", "sw.js",
              *(f"icon-{size}.png" for size in DESK_ICONS))


@dataclass(frozen=True)
class Claim:
    """One source's claim on an output path, and where the owner changes that source."""

    path: str  # relative to site/, e.g. "de/kaltakquise/index.html"
    what: str  # "the page of persona 'sales' in locale 'de'"
    where: str  # the file to change: "docs/personas/de.yml"
    key: str = ""  # the key in it: "sales.slug"

    @property
    def origin(self) -> str:
        return f"{self.where}: {self.key}" if self.key else self.where


@dataclass
class Manifest:
    """Output path (case-folded) => its one claim; folders the build owns entirely."""

    claims: dict[str, Claim]
    folders: dict[str, Claim]

    def top_level_names(self) -> set[str]:
        """The first segment of every claimed path: "de/x/index.html" => "de"."""
        names = {PurePosixPath(claim.path).parts[0] for claim in self.claims.values()}
        return {name.lower() for name in names} | set(self.folders)


def page_output(src_uri: str) -> str:
    """Where MkDocs writes a Markdown source with directory URLs: "de/x.md" => "de/x/index.html",
    "de/index.md" => "de/index.html", "README.md" => "index.html"."""
    path = PurePosixPath(src_uri)
    if path.stem in ("index", "README"):
        return str(path.parent / "index.html").lstrip("./") or "index.html"
    return str(path.parent / path.stem / "index.html").lstrip("./")


def owner_files(plan: SitePlan) -> list[tuple[Path, str]]:
    """The owner's own files MkDocs publishes from the docs folder, with their output paths:
    everything but the section library, hidden files and templates/ (MkDocs' default)."""
    settings = plan.settings
    docs = settings.docs_dir
    library = [settings.sections_dir, settings.personas_dir, settings.own_dir]
    found = []
    for folder, dirs, files in os.walk(docs, followlinks=True):
        rel_folder = Path(folder).relative_to(docs)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and not (rel_folder == Path(".") and d == "templates")
                         and not any(is_inside(Path(folder) / d, root) for root in library))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            if not is_inside(path.resolve(), docs):
                raise ConfigError(display(path, settings), "", "is a link to a file outside the "
                                  f"docs folder {docs.name!r}; copy the file instead")
            rel = (rel_folder / name).as_posix()
            if path.suffix.lower() in MARKDOWN:
                read_text(path, display(path, settings))  # MkDocs reads it as UTF-8 text
            output = page_output(rel) if path.suffix.lower() in MARKDOWN else rel
            found.append((path, output))
    return found


def _page_claim(plan: SitePlan, page: Page, path: str, what: str) -> Claim:
    if page.is_home:
        index = [loc.id for loc in plan.settings.locales].index(page.locale.id)
        return Claim(path, what, plan.settings.source, f"{PREFIX}.locales[{index}]")
    where, key = page.sources["slug"]
    return Claim(path, what, where, key)


def build_manifest(plan: SitePlan, resolved: list[Resolved], registry_name: str,
                   files: list[tuple[Path, str]], legal: list[LegalPage] | None = None
                   ) -> Manifest:
    """Claim every output path; a second claim on one path is a ConfigError naming both."""
    manifest = Manifest(claims={}, folders={})
    source = plan.settings.source

    def claim(new: Claim, *, generated: bool = True) -> None:
        """Claim new.path; a generated page or stub may not go into the build's own folders
        either (an owner's file may: MkDocs merges docs/assets/ with the theme's)."""
        key = new.path.casefold()
        top = PurePosixPath(key).parts[0]
        old = manifest.claims.get(key)
        if old is None and generated and "/" in key:
            old = manifest.folders.get(top)
        if old is not None and old.what != new.what:
            raise ConfigError(new.where, new.key, f"{new.what} would write {new.path}, which "
                              f"{old.what} ({old.origin}) writes too: rename or remove one "
                              "of them")
        manifest.claims.setdefault(key, new)

    for name in BUILD_FILES:
        what = "the site root" if name == "index.html" else f"the build's own {name}"
        claim(Claim(name, what, source, f"{PREFIX}.default_locale" if name == "index.html"
                    else ""))
    for name in BUILD_FOLDERS:
        manifest.folders[name] = Claim(f"{name}/", f"the build's own folder {name}/", source)
    for page in plan.pages:
        what = f"the page of persona {page.persona.id!r} in locale {page.locale.id!r}"
        claim(_page_claim(plan, page, page_output(page.src_uri), what))
    for page in plan.pages:
        what = f"the preview card of persona {page.persona.id!r} in locale {page.locale.id!r}"
        claim(_page_claim(plan, page, card_path(page), what), generated=False)
    for item in legal if legal is not None else legal_pages(plan.settings):
        claim(Claim(page_output(item.src_uri), f"the {item.kind} page in locale "
                    f"{item.locale.id!r}", source, f"{PREFIX}.legal"))
    if plan.settings.desk:
        for name in DESK_FILES:
            claim(Claim(f"{plan.settings.desk}/{name}", "your desk", source,
                        f"{PREFIX}.desk"))
    for path, output in files:
        where = display(path, plan.settings)
        claim(Claim(output, f"your file {where}", where), generated=False)
    for index, item in enumerate(resolved):
        for spelling in spellings(item.link.code):
            key = f"links[{index}].code" if item.issued else "new code"
            claim(Claim(f"{spelling}/index.html", f"short link {item.link.code!r}",
                        registry_name, key))
    return manifest
