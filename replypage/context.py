"""What the templates need to render a page in its own language, computed without MkDocs."""

from __future__ import annotations

import json
from typing import Any

from .compose import Page, SitePlan, hreflang
from .i18n import translations
from .legal import LegalPage, titles
from .model import Locale

ROOT_URI = "index.md"


def page_context(plan: SitePlan, legal: list[LegalPage], page: Page | LegalPage | None,
                 locale: Locale, *, is_root: bool, material_language: str) -> dict[str, Any]:
    """The `rp` template variable: selector, hreflang, canonical, legal links, negotiation."""
    legal_titles = titles(locale)
    alternates = page.alternates if page else [(home.locale, home.url) for home in plan.homes]
    root = plan.root
    return {
        "material_language": material_language,
        "legal_links": [{"title": legal_titles[item.kind], "url": item.url}
                        for item in legal if item.locale.id == locale.id],
        "alternates": [
            {"name": other.name, "url": url, "lang": other.code, "locale_id": other.id,
             "current": other.id == locale.id}
            for other, url in alternates
        ],
        # The root repeats the default home (its canonical), the 404 page is no page:
        # neither belongs to a cluster of language versions.
        "hreflang": [] if is_root or page is None else [
            {"lang": code, "url": url}
            for code, url in hreflang(page.alternates, locale, plan.settings.default_locale)],
        "canonical": root.url if is_root else (page.url if page else ""),
        # Inside an inline script: "<" escaped, so no value can close the element.
        "negotiation": json.dumps(negotiation_map(plan)).replace("<", "\\u003c")
        if is_root else None,
    }


def not_found_lines(plan: SitePlan, prefix: str) -> list[dict[str, str]]:
    """The 404 page: one line per language, each in its own language, with its home link.
    An informal twin shares its language's line (de stands for de and du)."""
    first_of_language: dict[str, Page] = {}
    for home in plan.homes:
        first_of_language.setdefault(home.locale.code, home)
    return [
        {"lang": home.locale.code, "dir": "rtl" if home.locale.rtl else "ltr",
         "text": translations(home.locale).gettext("Sorry, this page does not exist."),
         "link": translations(home.locale).gettext("Go to the home page"),
         "url": prefix + home.url}
        for home in first_of_language.values()
    ]


def negotiation_map(plan: SitePlan) -> dict[str, Any]:
    """Data for the root page's language redirect: language tag => locale home URL."""
    languages: dict[str, str] = {}
    for home in plan.homes:
        languages.setdefault(home.locale.code.lower(), home.url)
    return {
        "default": plan.settings.default_locale.id,
        "languages": languages,
        "locales": {home.locale.id: home.url for home in plan.homes},
    }
