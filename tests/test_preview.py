"""Link previews, privacy and hosting files of the built site."""

from __future__ import annotations

import base64
import hashlib
import re

from bs4 import BeautifulSoup
from conftest import make_project, run_mkdocs
from PIL import Image
from sitecheck import broken_links, external_urls
from test_site import SITE_URL, soup

OG_REQUIRED = ("og:type", "og:site_name", "og:title", "og:description", "og:url", "og:locale",
               "og:image", "og:image:width", "og:image:height", "og:image:alt")
TWITTER_REQUIRED = ("twitter:card", "twitter:title", "twitter:description", "twitter:image")


def tags(doc: BeautifulSoup) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in doc.select("meta[property^='og:'], meta[name^='twitter:']"):
        found.setdefault(meta.get("property") or meta["name"], []).append(meta["content"])
    return found


def test_every_page_has_a_complete_localized_preview(example_site, example_plan):
    for page in example_plan.pages:
        doc = soup(example_site, page.url)
        found = tags(doc)
        for name in OG_REQUIRED + TWITTER_REQUIRED:
            assert found.get(name), (page.url, name)
        assert found["og:url"] == [SITE_URL + page.url]
        assert found["og:title"] == [page.title]
        assert found["og:description"] == [page.description]
        assert doc.select_one("meta[name=description]")["content"] == page.description
        assert found["og:locale"] == [page.locale.og_locale]
        assert page.locale.og_locale.split("_")[0] == doc.html["lang"]
        assert page.locale.og_locale not in found["og:locale:alternate"]
        for name in ("og:image", "og:url", "twitter:image"):
            assert found[name][0].startswith("https://"), (page.url, name)
        assert found["og:image:alt"][0].startswith(page.title)


def test_every_page_has_its_card(example_site, example_plan):
    cards: dict[bytes, str] = {}
    for page in example_plan.pages:
        image_url = tags(soup(example_site, page.url))["og:image"][0]
        path = example_site / image_url.removeprefix(SITE_URL)
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert image.size == (1200, 630)
        assert path.stat().st_size < 5 * 1024 * 1024
        # Each card shows its page's title: another title never shares the picture.
        assert cards.setdefault(path.read_bytes(), page.title) == page.title, page.url


def test_no_request_to_another_host(example_site):
    assert external_urls(example_site, "erika.example") == []


def test_external_url_scan_finds_third_party_requests(tmp_path):
    """Guards the test above: the scanner does catch a font or CDN link."""
    (tmp_path / "a.html").write_text(
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<svg xmlns="http://www.w3.org/2000/svg"><!-- by https://licence.example --></svg>'
        '<a href="https://own.example/x">x</a>')
    (tmp_path / "b.css").write_text("@import url(https://cdn.example/x.css);")
    assert external_urls(tmp_path, "own.example") == [
        "a.html: https://fonts.googleapis.com/css?family=Roboto",
        "b.css: https://cdn.example/x.css"]


def test_no_cookies_analytics_or_web_fonts(example_site):
    for path in example_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert "document.cookie" not in html and "gtag(" not in html, path
        assert "@font-face" not in html
    css = next((example_site / "assets" / "stylesheets").glob("reply.*.css")).read_text()
    assert "@font-face" not in css
    assert "fonts.g" not in css


def test_content_security_policy_allows_exactly_the_inline_scripts(example_site):
    headers = (example_site / "_headers").read_text()
    csp = re.search(r"Content-Security-Policy: (.*)", headers).group(1)
    allowed = set(re.findall(r"'sha256-[^']+'", csp))
    present = set()
    for path in example_site.rglob("*.html"):
        for attrs, body in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>",
                                      path.read_text(encoding="utf-8"), re.S):
            if "application/json" not in attrs:
                digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
                present.add(f"'sha256-{digest}'")
    assert present and allowed == present
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp
    for name in ("Referrer-Policy", "X-Content-Type-Options", "Permissions-Policy"):
        assert f"  {name}: " in headers
    assert 'Header always set Content-Security-Policy "' in (example_site / ".htaccess").read_text()
    assert "add_header Content-Security-Policy" in (example_site / "nginx-include.conf").read_text()


def test_no_inline_style_attributes(example_site):
    """style-src 'self' forbids style attributes; none may be in the output."""
    for path in example_site.rglob("*.html"):
        assert not BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").select("[style]"), path


def test_sitemap_and_robots(example_site, example_plan):
    sitemap = BeautifulSoup((example_site / "sitemap.xml").read_text(), "xml")
    entries = {url.loc.text: url for url in sitemap.find_all("url")}
    assert set(entries) == {SITE_URL + page.url for page in example_plan.pages}
    page = example_plan.page("call", "fr")
    alternates = {link["hreflang"]: link["href"]
                  for link in entries[SITE_URL + page.url].find_all("link")}
    assert alternates == {code: SITE_URL + url
                          for code, url in page.hreflang(example_plan.settings.default_locale)}
    robots = (example_site / "robots.txt").read_text()
    assert "Disallow: /\n" not in robots
    assert f"Sitemap: {SITE_URL}sitemap.xml" in robots


def test_localized_404(example_site, example_plan):
    doc = BeautifulSoup((example_site / "404.html").read_text(encoding="utf-8"), "lxml")
    lines = {p["lang"]: p for p in doc.select("article p[lang]")}
    assert set(lines) == {loc.code for loc in example_plan.settings.locales}
    from replypage.i18n import translations

    german = translations(example_plan.settings.locale("de")).gettext
    assert lines["de"].get_text(" ", strip=True) == " ".join(
        [german("Sorry, this page does not exist."), german("Go to the home page")])
    assert lines["de"].get_text() != lines["en"].get_text()
    assert lines["fr"].a["href"] == "/fr/"
    assert lines["ar"]["dir"] == "rtl"


def test_site_url_is_required_for_previews(tmp_path):
    project = make_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(re.sub(r"site_url: .*\n", "", config.read_text()))
    run = run_mkdocs(project)
    assert run.returncode != 0
    assert ("mkdocs.yml: site_url: required for link previews and short links, e.g. site_url: "
            "https://erika.example/") in run.stderr


def test_hostile_owner_name_is_escaped_everywhere(tmp_path):
    hostile = '<script>alert(1)</script> & "Co" <b'
    project = make_project(tmp_path, {"owner": {"name": hostile, "role": hostile, "contact": {
        "label": hostile, "url": "mailto:a@example.org"}}})
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_name: Test Owner",
                                                 "site_name: '" + hostile.replace("'", "''")
                                                 + "'"))
    run = run_mkdocs(project)
    assert run.returncode == 0, run.stderr
    for path in (project / "site").rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in html, path
        assert "<b " not in html and "<b\n" not in html, path
    doc = BeautifulSoup((project / "site/en/index.html").read_text(), "lxml")
    assert hostile in doc.title.get_text()
    assert hostile in doc.select_one(".md-header__topic").get_text()
    assert doc.select_one("meta[property='og:site_name']")["content"] == hostile
    assert hostile in doc.select_one("#closing + p, article").get_text()
    assert doc.find("a", href="mailto:a@example.org").get_text() == hostile


def test_hostile_persona_strings_are_text_everywhere(tmp_path):
    """A title with markup or an attribute list stays text: in the header, the heading, the
    preview, the card and the other pages' list of personas."""
    title = '<script>alert(1)</script> Sales? {: onclick="alert(2)" }'
    project = make_project(tmp_path, files={"own/personas/en.yml": (
        f"sales: {{title: '{title}', summary: '{title}'}}\n")})
    run = run_mkdocs(project)
    assert run.returncode == 0, run.stderr
    for path in (project / "site").rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in html, path
        assert not BeautifulSoup(html, "lxml").find_all(attrs={"onclick": True}), path
    page = BeautifulSoup((project / "site/en/sales-en/index.html").read_text(), "lxml")
    assert page.select_one("article h1").get_text().strip() == title
    assert title in page.select(".md-header__topic")[-1].get_text()
    assert page.select_one("meta[property='og:title']")["content"] == title
    home = BeautifulSoup((project / "site/en/index.html").read_text(), "lxml")
    assert home.find("a", href="sales-en/") is None or title in home.get_text()


def test_a_multi_line_role_is_one_line_on_the_card(tmp_path):
    """A YAML block scalar keeps its newline; the card draws it as one line, and the build
    that used to crash after cleaning site/ now succeeds."""
    project = make_project(tmp_path, {"owner": {"name": "Test Owner", "role": {
        "en": "Communications\nconsultant\n", "de": "Beraterin"}, "contact": {
        "label": "owner@example.org", "url": "mailto:owner@example.org"}}})
    run = run_mkdocs(project)
    assert run.returncode == 0, run.stderr
    assert (project / "site/assets/cards/en/sales.png").is_file()


def test_cards_are_cached_by_content(tmp_path):
    project = make_project(tmp_path)
    first = run_mkdocs(project)
    assert "6 cards drawn, 0 from cache" in first.stderr
    second = run_mkdocs(project)
    assert "0 cards drawn, 6 from cache" in second.stderr
    own = project / "docs" / "own" / "personas"
    own.mkdir(parents=True)
    (own / "en.yml").write_text("sales:\n  title: A new title\n")
    third = run_mkdocs(project)
    assert "1 cards drawn, 5 from cache" in third.stderr


def test_no_broken_internal_link_at_the_root(example_site):
    assert broken_links(example_site, SITE_URL) == []


def test_no_broken_internal_link_under_a_sub_path(sub_path_site):
    assert broken_links(sub_path_site, "https://example.org/kontakt/") == []
    redirects = (sub_path_site / "_redirects").read_text().splitlines()
    assert redirects and all(line.startswith("/kontakt/") for line in redirects)
    assert (sub_path_site / "_headers").read_text().startswith("/kontakt/*")
    doc = BeautifulSoup((sub_path_site / "404.html").read_text(), "lxml")
    assert doc.select_one("article p[lang=en] a")["href"] == "/kontakt/en/"


def test_link_check_finds_a_broken_link(tmp_path):
    """Guards the link tests: a missing target is reported."""
    (tmp_path / "index.html").write_text('<a href="missing/">x</a><img src="a.png">')
    (tmp_path / "a.png").write_bytes(b"")
    assert broken_links(tmp_path, "https://e.example/") == ["index.html: missing/"]


def test_print_and_dark_styles_are_in_the_stylesheet(example_site):
    css = next((example_site / "assets" / "stylesheets").glob("reply.*.css")).read_text()
    assert "@media (prefers-color-scheme:dark){:root{color-scheme:dark" in css
    assert "@media print" in css
    assert len(css.encode()) < 80_000


def test_legal_pages_are_off_by_default(example_site):
    assert not (example_site / "de" / "legal").exists()
    assert not soup(example_site, "de/").select(".rp-legal")


def test_legal_notice_and_privacy_in_every_locale(tmp_path):
    project = make_project(tmp_path, {"legal": {
        "address": "Musterweg 1\n12345 Musterstadt <Hinterhaus>", "email": "owner@example.org",
        "phone": "+49 30 1234567", "vat_id": "DE123456789", "updated": "2026-11-22"}})
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("updated: '2026-11-22'", "updated: 2026-11-22"))
    run = run_mkdocs(project, "--strict")
    assert run.returncode == 0, run.stderr
    site = project / "site"
    impressum = soup(site, "de/legal/")
    assert impressum.html["lang"] == "de"
    assert impressum.select_one("article h1").get_text() == "Impressum"
    text = impressum.select_one("article").get_text(" ", strip=True)
    assert "Musterweg\u00a01" in text and "<Hinterhaus>" in text
    assert "USt-IdNr.: DE123456789" in text
    assert impressum.find("a", href="mailto:owner@example.org")
    privacy = soup(site, "en/privacy/")
    assert privacy.select_one("article h1").get_text() == "Privacy notice"
    assert "Last updated: 22\u00a0November\u00a02026" in privacy.get_text()  # British, unbroken
    assert "Stand: 22.\u00a0November\u00a02026" in soup(site, "de/privacy/").get_text()
    informal = soup(site, "du/privacy/")
    assert "deine IP-Adresse" in informal.get_text()  # the informal catalog's own string
    assert informal.select_one("article h1").get_text() == "Datenschutzhinweise"  # de
    for url, expected in (("de/sales-de/", ["Impressum", "Datenschutzhinweise"]),
                          ("en/", ["Legal notice", "Privacy notice"])):
        links = soup(site, url).select(".rp-legal a")
        assert [a.get_text(strip=True) for a in links] == expected
    selector = [a["href"] for a in impressum.select(".md-select__list a")]
    assert selector == ["./", "../../du/legal/", "../../en/legal/"]
