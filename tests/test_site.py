"""The example site, built strictly with the real `mkdocs` command, checked on parsed HTML."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from conftest import make_project, run_mkdocs

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


def hreflang_problems(site: Path, plan, site_url: str) -> list[str]:
    """What breaks the hreflang rules: each page of a cluster lists every language once,
    itself included, and x-default; every page it lists lists it back; a twin that shares
    its language tag with the cluster's member (du beside de) lists nothing."""
    default = plan.settings.default_locale
    languages = list(dict.fromkeys(loc.code for loc in plan.settings.locales))
    by_url = {site_url + page.url: page for page in plan.pages}
    links = {}
    for page in plan.pages:
        doc = soup(site, page.url)
        links[page.url] = [(link["hreflang"], link["href"])
                           for link in doc.select('link[rel="alternate"][hreflang]')]
    problems = []
    for page in plan.pages:
        found = dict(links[page.url])
        twin = page.locale.code == default.code and page.locale.id != default.id
        if twin:
            if found:
                problems.append(f"{page.url}: a twin of {default.id} lists {found}")
            continue
        if [code for code, _ in links[page.url]] != [*languages, "x-default"]:
            problems.append(f"{page.url}: languages {list(found)}")
        if found.get(page.locale.code) != site_url + page.url:
            problems.append(f"{page.url}: does not list itself")
        if found.get("x-default") != site_url + plan.page(page.persona.id, default.id).url:
            problems.append(f"{page.url}: x-default {found.get('x-default')}")
        for href in found.values():
            target = by_url.get(href)
            if target is None or target.persona.id != page.persona.id:
                problems.append(f"{page.url}: {href} is not this persona's page")
            elif dict(links[target.url]).get(page.locale.code) != site_url + page.url:
                problems.append(f"{page.url}: {href} does not list it back")
    return problems


def test_hreflang_is_complete_and_reciprocal(example_site, example_plan):
    assert hreflang_problems(example_site, example_plan, SITE_URL) == []
    root = BeautifulSoup((example_site / "index.html").read_text(encoding="utf-8"), "lxml")
    assert not root.select('link[rel="alternate"][hreflang]')  # its canonical is /de/


def test_hreflang_with_an_informal_twin(tmp_path):
    from replypage.project import load_plan

    project = make_project(tmp_path)  # de, du and en
    assert run_mkdocs(project).returncode == 0
    plan = load_plan(project / "mkdocs.yml")[1]
    site = project / "site"
    assert hreflang_problems(site, plan, "https://owner.example/") == []
    assert dict((link["hreflang"], link["href"]) for link in soup(site, "en/").select(
        'link[rel="alternate"][hreflang]')) == {
        "de": "https://owner.example/de/", "en": "https://owner.example/en/",
        "x-default": "https://owner.example/de/"}
    assert not soup(site, "du/").select('link[rel="alternate"][hreflang]')
    not_found = BeautifulSoup((site / "404.html").read_text(encoding="utf-8"), "lxml")
    assert not not_found.select('link[rel="canonical"], link[rel="alternate"][hreflang]')


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


def test_every_stub_keeps_its_pages_language_and_direction(example_site):
    """A short link's stub is shown for a moment (and to a reader without JavaScript): an
    Arabic page's stub reads right to left like the page."""
    directions = set()
    for stub_path in sorted(example_site.glob("*/index.html")):
        stub = BeautifulSoup(stub_path.read_text(encoding="utf-8"), "lxml")
        target = stub.select_one("#target")
        if target is None:
            continue  # a locale's home, not a stub
        page_path = (stub_path.parent / target["href"] / "index.html").resolve()
        page = BeautifulSoup(page_path.read_text(encoding="utf-8"), "lxml")
        assert stub.html["lang"] == page.html["lang"], stub_path
        assert stub.html["dir"] == page.body["dir"], stub_path
        directions.add(stub.html["dir"])
    assert directions == {"ltr", "rtl"}
