"""The MkDocs adapter: generate every persona x locale page and give each page its language."""

from __future__ import annotations

import json
import logging
import re
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

from .compose import Page, SitePlan, hreflang, plan_site
from .config import ReplyPageConfig
from .hosting import build_host, write_host_files
from .i18n import translations
from .legal import LegalPage, legal_pages, titles
from .links import CODE_SCRIPT, Resolved, code_map, ensure_links
from .model import ConfigError, Locale
from .output import OutputReport, base_path, write_cards, write_redirect_files, write_stubs
from .preview import preview
from .settings import is_inside
from .stylesheet import write_stylesheet

log = logging.getLogger("mkdocs.plugins.replypage")

REQUIRED_EXTENSIONS = ("attr_list", "md_in_html")
ROOT_URI = "index.md"
OWN_CSS = "assets/replypage.css"
CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?)\s+autocomplete="off"')
# Material's files that no reply page loads: its script bundle (replaced by
# assets/replypage.js), the search worker and the palette (the dark scheme is derived from it).
UNUSED_THEME_FILES = ("assets/javascripts/bundle.", "assets/javascripts/lunr/",
                      "assets/javascripts/workers/", "assets/stylesheets/palette.")


def material_language(locale: Locale) -> str:
    """The Material UI language file for a locale: Babel "pt_BR" => "pt-BR", "en_GB" => "en",
    an unknown language => "en"."""
    languages = resources.files("material") / "templates" / "partials" / "languages"
    variant = locale.babel.split("@")[0].replace("_", "-")
    for candidate in (variant, locale.code, locale.code.split("-")[0]):
        if (languages / f"{candidate}.html").is_file():
            return candidate
    return "en"


class ReplyPagePlugin(BasePlugin[ReplyPageConfig]):
    """Adapts the pure core (replypage.compose) to MkDocs."""

    def __init__(self) -> None:
        self.plan: SitePlan | None = None
        self.by_uri: dict[str, Page | LegalPage] = {}
        self.legal: list[LegalPage] = []
        self.resolved: list[Resolved] = []
        self.host: str | None = None  # the host the build is for; None: every host
        self.env: Any = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        # Validate everything before MkDocs cleans site/, so bad input leaves the old site intact.
        config_file = Path(config.config_file_path or "mkdocs.yml").name
        try:
            self.plan = plan_site(self.config.core_options(), Path(config.docs_dir),
                                  strict=bool(config.strict), source=config_file,
                                  config_dir=Path(config.config_file_path or ".").parent)
        except ConfigError as error:
            raise PluginError(str(error)) from None
        for warning in self.plan.warnings:
            log.warning(warning)
        if not config.site_url:
            # Previews need absolute URLs; `mkdocs serve` always has one (its own address).
            raise PluginError(f"{config_file}: site_url: required for link previews and short "
                              "links, e.g. site_url: https://erika.example/")
        try:
            self.host = build_host()
            _, self.resolved, link_warnings = ensure_links(self.plan, self.site_url(config))
        except ConfigError as error:
            raise PluginError(str(error)) from None
        for warning in link_warnings:
            log.warning(warning)
        if not config.use_directory_urls:
            raise PluginError(f"{config_file}: use_directory_urls: must be true for the reply "
                              "pages' URLs (/<locale>/<persona>/)")
        for extension in REQUIRED_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        self.legal = legal_pages(self.plan.settings)
        self.by_uri = {page.src_uri: page for page in [*self.plan.pages, *self.legal]}
        docs_dir = Path(config.docs_dir)
        for src_uri, page in self.generated():
            for clash in same_url_sources(src_uri):
                if (docs_dir / clash).is_file():
                    what = (f"persona {page.persona.id!r}" if isinstance(page, Page)
                            else f"the {page.kind} page")
                    raise PluginError(f"{docs_dir.name}/{clash}: this page is generated for "
                                      f"{what} in locale {page.locale.id!r}; move your file "
                                      "or change the slug")
        # Material prints site_name raw in some places and escaped in others: Markup is
        # escaped once here and never again.
        config.site_name = Markup.escape(str(config.site_name))
        # Material's footer credit links to another host; a reply page links to no one
        # unasked. An owner may still set extra.generator: true.
        config.extra.setdefault("generator", False)
        config.theme["language"] = material_language(self.plan.settings.default_locale)
        # Material shows its language selector only when extra.alternate is set; the links
        # themselves are per page (rp.alternates, from on_page_context).
        config.extra["alternate"] = [
            {"name": home.locale.name, "link": home.url, "lang": home.locale.code}
            for home in self.plan.homes
        ]
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if self.plan is None:
            return files
        settings = self.plan.settings
        library_roots = [settings.sections_dir, settings.personas_dir, settings.own_dir]
        for file in list(files):
            in_library = file.abs_src_path and any(
                is_inside(Path(file.abs_src_path), root) for root in library_roots)
            if in_library or file.src_uri.startswith(UNUSED_THEME_FILES):
                files.remove(file)
        for src_uri, page in self.generated():
            files.append(File.generated(config, src_uri, content=page.markdown))
        return files

    @staticmethod
    def site_url(config: MkDocsConfig) -> str:
        url = config.site_url or ""
        return url if url.endswith("/") else url + "/"

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        self.env = env
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.plan is None:
            return
        site_dir, site_url = Path(config.site_dir), self.site_url(config)
        report = OutputReport()
        cache = Path(config.config_file_path or ".").parent / ".cache" / "replypage" / "cards"
        write_cards(self.plan, site_url, site_dir, cache, report)
        template = self.env.get_template("replypage/stub.html")

        def render(context: dict[str, Any]) -> str:
            gettext = translations(context["page"].content_locale).gettext
            return template.render({**context, "_": gettext})

        write_stubs(self.plan, self.resolved, site_url, site_dir, render, report)
        write_redirect_files(self.resolved, site_url, site_dir, report, self.host)
        self.write_styles(site_dir)
        # Last: the security policy hashes the inline scripts of everything written above.
        write_host_files(self.plan, self.resolved, site_url, base_path(site_url), site_dir,
                         self.host)
        for warning in report.warnings:
            log.warning(warning)
        log.info(f"replypage: {len(self.plan.pages)} pages, {report.stubs} short-link stubs, "
                 f"{report.cards_drawn} cards drawn, {report.cards_cached} from cache")

    @staticmethod
    def write_styles(site_dir: Path) -> None:
        own = site_dir / OWN_CSS
        material = sorted((site_dir / "assets" / "stylesheets").glob("main.*.min.css"))
        palette = sorted((resources.files("material") / "templates" / "assets" /
                          "stylesheets").glob("palette.*.min.css"))
        if not material or not palette or not own.is_file():
            raise PluginError("replypage: Material's stylesheets or assets/replypage.css are "
                              "missing from the build; is theme.custom_dir set to 'overrides'?")
        write_stylesheet(site_dir, material[0], Path(str(palette[0])),
                         own.read_text(encoding="utf-8"))
        own.unlink()

    def generated(self) -> list[tuple[str, Page | LegalPage]]:
        """Every generated source path with its page, the site root included."""
        assert self.plan is not None
        return ([(page.src_uri, page) for page in [*self.plan.pages, *self.legal]]
                + [(ROOT_URI, self.plan.root)])

    def on_template_context(self, context: dict[str, Any], *, template_name: str,
                            config: MkDocsConfig) -> dict[str, Any] | None:
        """The 404 page: one line per locale, each in its own language, with its home link."""
        if self.plan is None or template_name != "404.html":
            return context
        locale = self.plan.settings.default_locale
        context["rp"] = self.page_context(None, locale, is_root=False)
        context["_"] = translations(locale).gettext
        prefix = base_path(self.site_url(config))
        first_of_language: dict[str, Page] = {}  # de stands for de and du
        for home in self.plan.homes:
            first_of_language.setdefault(home.locale.code, home)
        context["rp_not_found"] = [
            {"lang": home.locale.code, "dir": "rtl" if home.locale.rtl else "ltr",
             "text": translations(home.locale).gettext("This page does not exist."),
             "link": translations(home.locale).gettext("Go to the start page"),
             "url": prefix + home.url}
            for home in first_of_language.values()
        ]
        # A code in a spelling that has no stub (/5Cc) lands here; a script sends it on.
        context["rp_codes"] = code_map(self.resolved, prefix)
        context["rp_code_script"] = CODE_SCRIPT
        return context

    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        # Material's hidden toggles are checkboxes with autocomplete="off", which HTML allows
        # only on text-like inputs; the HTML validator rejects it.
        return CHECKBOX_AUTOCOMPLETE.sub(r"\1", output)

    def on_post_template(self, output_content: str, *, template_name: str,
                         config: MkDocsConfig) -> str:
        return CHECKBOX_AUTOCOMPLETE.sub(r"\1", output_content)

    def on_page_context(self, context: dict[str, Any], *, page: MkDocsPage,
                        config: MkDocsConfig, nav: Any) -> dict[str, Any] | None:
        if self.plan is None:
            return context
        src_uri = page.file.src_uri
        generated = self.plan.root if src_uri == ROOT_URI else self.by_uri.get(src_uri)
        locale = generated.locale if generated else self.plan.settings.default_locale
        context["rp"] = self.page_context(generated, locale, is_root=src_uri == ROOT_URI)
        if isinstance(generated, Page):
            context["rp"]["preview"] = preview(self.plan, generated, self.site_url(config))
        content_locale = generated.content_locale if isinstance(generated, Page) else locale
        context["_"] = translations(content_locale).gettext
        return context

    def page_context(self, page: Page | LegalPage | None, locale: Locale, *, is_root: bool
                     ) -> dict[str, Any]:
        """What the templates need to render a page in its own language."""
        assert self.plan is not None
        legal_titles = titles(locale)
        legal_links = [{"title": legal_titles[item.kind], "url": item.url}
                       for item in self.legal if item.locale.id == locale.id]
        alternates = page.alternates if page else [
            (home.locale, home.url) for home in self.plan.homes]
        default_home = self.plan.root
        return {
            "material_language": material_language(locale),
            "legal_links": legal_links,
            "alternates": [
                {"name": other.name, "url": url, "lang": other.code, "locale_id": other.id,
                 "current": other.id == locale.id}
                for other, url in alternates
            ],
            # The root repeats the default home (its canonical), the 404 page is no page:
            # neither belongs to a cluster of language versions.
            "hreflang": [] if is_root or page is None else [
                {"lang": code, "url": url}
                for code, url in hreflang(page.alternates, locale,
                                          self.plan.settings.default_locale)],
            "canonical": default_home.url if is_root else (page.url if page else ""),
            "negotiation": json.dumps(self.negotiation_map()) if is_root else None,
        }

    def negotiation_map(self) -> dict[str, Any]:
        """Data for the root page's language redirect: language tag => locale home URL."""
        assert self.plan is not None
        homes = self.plan.homes
        languages: dict[str, str] = {}
        for home in homes:
            languages.setdefault(home.locale.code.lower(), home.url)
        return {
            "default": self.plan.settings.default_locale.id,
            "languages": languages,
            "locales": {home.locale.id: home.url for home in homes},
        }


def same_url_sources(src_uri: str) -> list[str]:
    """Source paths MkDocs maps to the same URL: "de/x.md" => ["de/x.md", "de/x/index.md", ...]."""
    stem = src_uri[: -len(".md")]
    if stem == "index":
        return ["index.md", "README.md"]
    if stem.endswith("/index"):
        folder = stem[: -len("/index")]
        return [src_uri, f"{folder}/README.md", f"{folder}.md"]
    return [src_uri, f"{stem}/index.md", f"{stem}/README.md"]

