"""The MkDocs adapter: translates MkDocs events into calls of the pure core.

on_config runs the whole preflight (replypage.preflight) before MkDocs cleans site/; new short
codes reach the registry only in on_post_build, and only when the build will succeed.
"""

from __future__ import annotations

import logging
import re
import time
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

from .ahead import Ahead
from .ahead import start as start_ahead
from .cards import Card, check_cards, page_cards
from .compose import Page, plan_site
from .config import ReplyPageConfig
from .context import ROOT_URI, not_found_lines, page_context
from .desk import write_desk
from .hosting import build_host, write_host_files
from .i18n import translations
from .keep import CACHE
from .legal import LegalPage
from .links import CODE_SCRIPT, code_map
from .model import ConfigError, Locale
from .output import (
    OutputReport,
    base_path,
    discard,
    publish,
    staging_dir,
    write_cards,
    write_redirect_files,
    write_stubs,
)
from .preflight import Preflight, preflight
from .preview import preview
from .project import read_config
from .settings import check_directory_urls, site_address
from .stylesheet import write_stylesheet

log = logging.getLogger("mkdocs.plugins.replypage")

REQUIRED_EXTENSIONS = ("attr_list", "md_in_html")
OWN_CSS = "assets/replypage.css"
CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?)\s+autocomplete="off"')
# Material's files that no reply page loads: its script bundle (replaced by
# assets/replypage.js), the search worker and the palette (the dark scheme is derived from it).
UNUSED_THEME_FILES = ("assets/javascripts/bundle.", "assets/javascripts/lunr/",
                      "assets/javascripts/workers/", "assets/stylesheets/palette.")
DESK_ASSETS = ("assets/desk.css", "assets/desk.js")  # published only with a desk


def material_language(locale: Locale) -> str:
    """The Material UI language file for a locale: Babel "pt_BR" => "pt-BR", "en_GB" => "en",
    an unknown language => "en"."""
    languages = resources.files("material") / "templates" / "partials" / "languages"
    variant = locale.babel.split("@")[0].replace("_", "-")
    for candidate in (variant, locale.code, locale.code.split("-")[0]):
        if (languages / f"{candidate}.html").is_file():
            return candidate
    return "en"


PRESERVED = re.compile(r"(<(pre|textarea)\b.*?</\2>)", re.S | re.I)
INDENT = re.compile(r"[ \t]*\n\s*")


def compact_html(html: str) -> str:
    """Template indentation and blank lines go (a third of a page's bytes); one line break
    stays wherever there was whitespace, so nothing renders differently. <pre> and
    <textarea> keep theirs."""
    parts = PRESERVED.split(html)
    # split() returns text, whole element, its tag name, text, ...: the text parts are
    # compacted, the elements kept, the tag names (group 2) dropped.
    return "".join(INDENT.sub("\n", part) if index % 3 == 0 else part
                   for index, part in enumerate(parts) if index % 3 != 2)


class _WarningCount(logging.Handler):
    """Counts this build's warnings: with --strict, MkDocs aborts after on_post_build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _cache_dir(config: MkDocsConfig, name: str, *, create: bool = False) -> Path:
    """.cache/replypage/<name> beside mkdocs.yml: what a build keeps for the next one."""
    folder = Path(config.config_file_path or ".").parent / CACHE / name
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def check_build_folders(config: MkDocsConfig, config_file: str) -> None:
    """What a build needs beyond the owner's content, checked before anything is written: the
    reply page templates among the theme's folders, and a cache folder that is a folder."""
    if not any((Path(folder) / "replypage" / "stub.html").is_file()
               for folder in config.theme.dirs):
        raise ConfigError(config_file, "theme.custom_dir", "the reply page templates "
                          "(replypage/stub.html) are in none of the theme's folders; set "
                          "custom_dir: overrides")
    cache = Path(config.config_file_path or ".").parent / CACHE
    for folder in (cache.parent, cache):
        if folder.exists() and not folder.is_dir():
            raise ConfigError(folder.relative_to(cache.parent.parent).as_posix(), "",
                              "is a file; the build keeps its caches in this folder: delete "
                              "the file")


class ReplyPagePlugin(BasePlugin[ReplyPageConfig]):
    """Adapts the pure core to MkDocs."""

    def __init__(self) -> None:
        self.checked: Preflight | None = None
        self.by_uri: dict[str, Page | LegalPage] = {}
        self.host: str | None = None  # the host the build is for; None: every host
        self.cards: list[tuple[Page, Card]] = []  # every page with its preview card
        self.ahead: Ahead | None = None  # drawing cards and QR codes in a second process
        self.env: Any = None
        self.warnings = _WarningCount()
        self.stage = False  # build into a staging folder and swap it in at the end
        self.site_dir: Path | None = None  # the real site/ while MkDocs writes the staging one

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs serve` writes to a temporary folder and --dirty keeps the old files, so only
        # a full build or deploy is staged.
        self.stage = command in ("build", "gh-deploy") and not dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        self.warnings = _WarningCount()
        logging.getLogger("mkdocs").addHandler(self.warnings)
        # Everything is checked here, before MkDocs cleans site/: bad input leaves it intact.
        config_file = Path(config.config_file_path or "mkdocs.yml").name
        try:
            if config.config_file_path:
                # The command reads mkdocs.yml with this reader (aliases expanding beyond
                # reason are refused): read it the same way, so both give the same answer.
                read_config(Path(config.config_file_path))
            check_build_folders(config, config_file)
            plan = plan_site(self.config.core_options(), Path(config.docs_dir),
                             strict=bool(config.strict), source=config_file,
                             config_dir=Path(config.config_file_path or ".").parent)
            site_url = site_address(config.site_url, config_file)
            check_directory_urls(config.use_directory_urls, config_file)
            self.host = build_host()
            self.checked = preflight(plan, site_url)
            self.cards = page_cards(plan, site_url)
            check_cards(self.cards, _cache_dir(config, "cards"))
        except ConfigError as error:
            raise PluginError(str(error)) from None
        if self.stage:
            # MkDocs cleans and writes the staging folder; site/ is replaced only when the
            # whole build has succeeded (on_post_build), so a failure loses nothing.
            self.site_dir = Path(config.site_dir)
            discard(staging_dir(self.site_dir))
            config.site_dir = str(staging_dir(self.site_dir))
        # Everything is valid: a second process starts drawing the cards this build needs
        # while MkDocs renders the pages.
        self.stop_ahead()
        self.ahead = start_ahead([card for _, card in self.cards], _cache_dir(config, "cards"))
        for warning in [*plan.warnings, *self.checked.warnings]:
            log.warning(warning)
        for extension in REQUIRED_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        # The build writes its own sitemap, with every page's language versions (hosting.py):
        # rendering the theme's one first would be wasted work.
        config.theme.static_templates.discard("sitemap.xml")
        self.by_uri = {page.src_uri: page for page in [*plan.pages, *self.checked.legal]}
        # Material prints site_name raw in some places and escaped in others: Markup is
        # escaped once here and never again.
        config.site_name = Markup.escape(str(config.site_name))
        # Material's footer credit links to another host; a reply page links to no one
        # unasked. An owner may still set extra.generator: true.
        config.extra.setdefault("generator", False)
        config.theme["language"] = material_language(plan.settings.default_locale)
        # Material shows its language selector only when extra.alternate is set; the links
        # themselves are per page (rp.alternates, from on_page_context).
        config.extra["alternate"] = [
            {"name": home.locale.name, "link": home.url, "lang": home.locale.code}
            for home in plan.homes
        ]
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if self.checked is None:
            return files
        settings = self.checked.plan.settings
        # settings.is_inside, with the roots resolved once rather than for every file
        roots = [Path(root).resolve()
                 for root in (settings.sections_dir, settings.personas_dir, settings.own_dir)]
        for file in list(files):
            path = Path(file.abs_src_path).resolve() if file.abs_src_path else None
            in_library = path is not None and any(path.is_relative_to(root) for root in roots)
            unused = file.src_uri.startswith(UNUSED_THEME_FILES) or (
                not settings.desk and file.src_uri in DESK_ASSETS)
            if in_library or unused:
                files.remove(file)
        for src_uri, page in self.generated():
            content = self.checked.plan.root_markdown if src_uri == ROOT_URI else page.markdown
            files.append(File.generated(config, src_uri, content=content))
        return files

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        # Compiled templates are kept between builds (Jinja checks each against its source),
        # so a build does not compile the theme's templates anew.
        if env.bytecode_cache is None:
            env.bytecode_cache = FileSystemBytecodeCache(
                str(_cache_dir(config, "templates", create=True)))
        self.env = env
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.checked is None:
            return
        checked = self.checked
        site_dir, site_url = Path(config.site_dir), checked.site_url
        report = OutputReport()
        template = self.env.get_template("replypage/stub.html")

        def render(context: dict[str, Any]) -> str:
            gettext = translations(context["page"].content_locale).gettext
            return template.render({**context, "_": gettext})

        write_stubs(checked.plan, checked.resolved, site_url, site_dir, render, report)
        write_redirect_files(checked.resolved, site_url, site_dir, report, self.host)
        desk = checked.plan.settings.desk
        if desk:
            desk_template = self.env.get_template("replypage/desk.html")
            write_desk(checked, desk_template.render, site_dir, desk, base_path(site_url),
                       _cache_dir(config, "kept"))
        self.write_styles(site_dir, _cache_dir(config, "kept"))
        # The cards come last but one: the second process has had all the above to draw them.
        drawn_ahead: set[str] = set()
        if self.ahead is not None:
            started = time.perf_counter()
            self.ahead.wait()
            log.debug(f"replypage: waited {time.perf_counter() - started:.2f} s for the "
                      "cards drawn ahead")
            drawn_ahead, self.ahead = self.ahead.cards, None
        write_cards(self.cards, site_dir, _cache_dir(config, "cards"), report, drawn_ahead)
        # Last: the security policy hashes the inline scripts of everything written above.
        write_host_files(checked.plan, checked.resolved, site_url, base_path(site_url),
                         site_dir, self.host)
        for warning in report.warnings:
            log.warning(warning)
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if config.strict and self.warnings.count:
            # MkDocs aborts a strict build with warnings after this event: keep new codes out.
            log.info("replypage: new short codes are not recorded: the build has warnings")
        else:
            try:
                checked.commit()
            except ConfigError as error:
                raise PluginError(str(error)) from None
            if self.site_dir is not None:
                publish(site_dir, self.site_dir)
                config.site_dir, self.site_dir = str(self.site_dir), None  # for gh-deploy
        log.info(f"replypage: {len(checked.plan.pages)} pages, {report.stubs} short-link stubs, "
                 f"{report.cards_drawn} cards drawn, {report.cards_cached} from cache")

    def on_build_error(self, *, error: Exception) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        self.stop_ahead()
        if self.site_dir is not None:
            discard(staging_dir(self.site_dir))
            self.site_dir = None

    def stop_ahead(self) -> None:
        if self.ahead is not None:
            self.ahead.stop()
            self.ahead = None

    @staticmethod
    def write_styles(site_dir: Path, keep_in: Path | None = None) -> None:
        own = site_dir / OWN_CSS
        material = sorted((site_dir / "assets" / "stylesheets").glob("main.*.min.css"))
        palette = sorted((resources.files("material") / "templates" / "assets" /
                          "stylesheets").glob("palette.*.min.css"))
        if not material or not palette or not own.is_file():
            raise PluginError("replypage: Material's stylesheets or assets/replypage.css are "
                              "missing from the build; is theme.custom_dir set to 'overrides'?")
        write_stylesheet(site_dir, material[0], Path(str(palette[0])),
                         own.read_text(encoding="utf-8"), keep_in)
        own.unlink()

    def generated(self) -> list[tuple[str, Page | LegalPage]]:
        """Every generated source path with its page, the site root included."""
        assert self.checked is not None
        plan = self.checked.plan
        return ([(page.src_uri, page) for page in [*plan.pages, *self.checked.legal]]
                + [(ROOT_URI, plan.root)])

    def on_template_context(self, context: dict[str, Any], *, template_name: str,
                            config: MkDocsConfig) -> dict[str, Any] | None:
        """The 404 page: one line per locale, each in its own language, with its home link."""
        if self.checked is None or template_name != "404.html":
            return context
        plan = self.checked.plan
        locale = plan.settings.default_locale
        context["rp"] = self.page_context(None, locale, is_root=False)
        context["_"] = translations(locale).gettext
        prefix = base_path(self.checked.site_url)
        context["rp_not_found"] = not_found_lines(plan, prefix)
        # A code in a spelling that has no stub (/5Cc) lands here; a script sends it on.
        context["rp_codes"] = code_map(self.checked.resolved, prefix)
        context["rp_code_script"] = CODE_SCRIPT
        return context

    def on_page_markdown(self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig,
                         files: Files) -> str | None:
        """Material prints page titles raw (header, hidden navigation): a generated page's
        title, which is the owner's text, is escaped once here, as Markup, before any page is
        rendered."""
        if self.checked is not None and page.meta.get("title") and (
                page.file.src_uri == ROOT_URI or page.file.src_uri in self.by_uri):
            page.meta["title"] = Markup.escape(str(page.meta["title"]))
        return markdown

    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        # Material's hidden toggles are checkboxes with autocomplete="off", which HTML allows
        # only on text-like inputs; the HTML validator rejects it.
        return compact_html(CHECKBOX_AUTOCOMPLETE.sub(r"\1", output))

    def on_post_template(self, output_content: str, *, template_name: str,
                         config: MkDocsConfig) -> str:
        return compact_html(CHECKBOX_AUTOCOMPLETE.sub(r"\1", output_content))

    def on_page_context(self, context: dict[str, Any], *, page: MkDocsPage,
                        config: MkDocsConfig, nav: Any) -> dict[str, Any] | None:
        if self.checked is None:
            return context
        plan = self.checked.plan
        src_uri = page.file.src_uri
        generated = plan.root if src_uri == ROOT_URI else self.by_uri.get(src_uri)
        locale = generated.locale if generated else plan.settings.default_locale
        context["rp"] = self.page_context(generated, locale, is_root=src_uri == ROOT_URI)
        if isinstance(generated, Page):
            context["rp"]["preview"] = preview(plan, generated, self.checked.site_url)
        content_locale = generated.content_locale if isinstance(generated, Page) else locale
        context["_"] = translations(content_locale).gettext
        return context

    def page_context(self, page: Page | LegalPage | None, locale: Locale, *, is_root: bool
                     ) -> dict[str, Any]:
        assert self.checked is not None
        return page_context(self.checked.plan, self.checked.legal, page, locale,
                            is_root=is_root, material_language=material_language(locale))
