"""The example site, built strictly with the real `mkdocs` command, checked on parsed HTML."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

SITE_URL = "https://erika.example/"


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "lxml")


def material_string(language: str, key: str) -> str:
    """A UI string from Material's own language file, e.g. ("de", "action.skip") => "Zum Inhalt"."""
    path = resources.files("material") / "templates" / "partials" / "languages" / (
        f"{language}.html")
    match = re.search(rf'"{re.escape(key)}":\s*"([^"]*)"', path.read_text(encoding="utf-8"))
    assert match, (language, key)
    return match.group(1)


def pages(plan):
    return [pytest.param(page, id=f"{page.locale.id}-{page.persona.id}") for page in plan.pages]


def test_example_has_every_persona_in_every_locale(example_site, example_plan):
    locales = {locale.id for locale in example_plan.settings.locales}
    personas = {persona.id for persona in example_plan.settings.personas}
    assert {"de", "du", "en"} <= locales
    assert len(personas - {"general"}) >= 5
    built = {(p.locale.id, p.persona.id) for p in example_plan.pages
             if (example_site / p.url / "index.html").is_file()}
    assert built == {(loc, per) for loc in locales for per in personas}


def test_section_library_is_not_published(example_site):
    assert not (example_site / "sections").exists()
    assert not (example_site / "personas").exists()
    assert not list(example_site.rglob("*.md"))


def test_each_page_speaks_its_own_language(example_site, example_plan):
    for page in example_plan.pages:
        doc = soup(example_site, page.url)
        assert doc.html["lang"] == page.locale.code, page.url
        assert doc.body["dir"] == ("rtl" if page.locale.rtl else "ltr"), page.url
        # Material's strings for the variant the text is written in: Brazilian for pt.
        variant = page.locale.babel.split("@")[0].replace("_", "-")
        language = variant if (resources.files("material") / "templates" / "partials" /
                               "languages" / f"{variant}.html").is_file() else doc.html["lang"]
        skip = doc.select_one("a.md-skip")
        assert skip.get_text(strip=True) == material_string(language, "action.skip"), page.url
        config = json.loads(doc.select_one("#__config").string)
        assert config["translations"]["clipboard.copy"] == material_string(
            language, "clipboard.copy"), page.url


def test_german_and_english_ui_strings_differ(example_site, example_plan):
    """Guards the test above: the UI string really changes with the page's language."""
    de = soup(example_site, example_plan.page("general", "de").url)
    en = soup(example_site, example_plan.page("general", "en").url)
    assert de.select_one("a.md-skip").get_text(strip=True) != en.select_one(
        "a.md-skip").get_text(strip=True)


def test_language_selector_leads_to_the_same_persona(example_site, example_plan):
    for page in example_plan.pages:
        doc = soup(example_site, page.url)
        links = doc.select(".md-select__list a[data-rp-locale]")
        assert [a["data-rp-locale"] for a in links] == [
            loc.id for loc in example_plan.settings.locales]
        for link in links:
            target = urljoin(SITE_URL + page.url, link["href"])
            other = example_plan.page(page.persona.id, link["data-rp-locale"])
            assert target == SITE_URL + other.url, (page.url, link["href"])
            assert (link.get("aria-current") == "page") == (other is page)


def test_hreflang_is_complete_and_reciprocal(example_site, example_plan):
    languages = list(dict.fromkeys(loc.code for loc in example_plan.settings.locales))
    for page in example_plan.pages:
        doc = soup(example_site, page.url)
        alternates = {link["hreflang"]: link["href"]
                      for link in doc.select('link[rel="alternate"][hreflang]')}
        assert list(alternates) == [*languages, "x-default"], page.url
        assert alternates["x-default"] == SITE_URL
        own = alternates[page.locale.code]
        if page.locale.tone != "informal":
            assert own == SITE_URL + page.url
        for code, href in alternates.items():
            if code == "x-default":
                continue
            target = next(p for p in example_plan.pages
                          if SITE_URL + p.url == href)
            assert target.persona.id == page.persona.id
            back = soup(example_site, target.url).select_one(
                f'link[rel="alternate"][hreflang="{page.locale.code}"]')
            assert back is not None


def test_root_serves_default_home_and_negotiates(example_site, example_plan):
    root = BeautifulSoup((example_site / "index.html").read_text(encoding="utf-8"), "lxml")
    home = soup(example_site, example_plan.root.url)
    assert root.html["lang"] == example_plan.settings.default_locale.code
    assert root.select_one("article h1").get_text() == home.select_one("article h1").get_text()
    assert root.select_one('link[rel="canonical"]')["href"] == SITE_URL + example_plan.root.url
    script = next(s.string for s in root.select("head script") if s.string and "rp-locale"
                  in s.string)
    data = json.loads(re.search(r"var m=(\{.*?\});", script).group(1))
    assert data["default"] == example_plan.settings.default_locale.id
    assert data["languages"]["en"] == example_plan.page("general", "en").url
    assert home.select_one("head script:-soup-contains('rp-locale')") is None


def test_reading_layout_has_no_navigation_toc_or_search(example_site, example_plan):
    doc = soup(example_site, example_plan.page("sales", "de").url)
    assert doc.select(".md-sidebar, .md-nav") == []
    assert doc.select_one(".md-search") is None
    assert not (example_site / "search").exists()


def test_further_reading_titles_carry_their_language(example_site, example_plan):
    doc = soup(example_site, example_plan.page("general", "fr").url)
    titles = doc.select("#reading ~ ul li em")
    assert len(titles) == 5
    assert all(title["lang"] == "de" for title in titles)
