"""The pure core: composing pages, owner overrides, fallbacks and tone, without MkDocs."""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import MINI, REPO, make_project, run_mkdocs, run_shortlink

from replypage.compose import plan_site
from replypage.model import ConfigError
from replypage.project import load_plan

GOLDEN = Path(__file__).resolve().parent / "golden"


def plan_for(project: Path, strict: bool = False):
    return load_plan(project / "mkdocs.yml", strict=strict)[1]


def test_plan_lists_every_page():
    plan = plan_for(MINI)
    assert [(p.locale.id, p.persona.id, p.url) for p in plan.pages] == [
        ("de", "general", "de/"), ("de", "sales", "de/sales-de/"),
        ("du", "general", "du/"), ("du", "sales", "du/sales-du/"),
        ("en", "general", "en/"), ("en", "sales", "en/sales-en/"),
    ]
    assert plan.root is plan.page("general", "de")


def test_core_does_not_import_mkdocs():
    code = ("import sys, pathlib; from replypage.project import load_plan; "
            f"load_plan(pathlib.Path({str(MINI / 'mkdocs.yml')!r})); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'mkdocs'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("locale_id,persona_id", [("de", "sales"), ("du", "general"),
                                                  ("en", "sales")])
def test_composed_markdown_matches_golden(request, locale_id, persona_id):
    page = plan_for(MINI).page(persona_id, locale_id)
    golden = GOLDEN / f"mini-{locale_id}-{persona_id}.md"
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(page.markdown, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run pytest --update-golden and review it"
    expected = golden.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), page.markdown.splitlines(True),
                                        str(golden), "composed"))
    assert not diff, diff


def test_examples_are_the_personas_and_escaped():
    markdown = plan_for(MINI).page("sales", "de").markdown
    assert "bad sales de &lt;b&gt;" in markdown
    assert "general de" not in markdown
    assert "So besser nicht" in markdown and "Besser so" in markdown


def test_owner_section_override_wins(tmp_path):
    project = make_project(tmp_path, files={
        "own/sections/intro/de.md": "---\ntitle: Meine Einleitung\n---\nMein eigener Text.\n",
        "own/personas/en.yml": "sales:\n  title: My own sales title\n",
    })
    plan = plan_for(project)
    assert "Mein eigener Text." in plan.page("sales", "de").markdown
    assert "Intro body de" not in plan.page("sales", "de").markdown
    assert "Intro body du" in plan.page("sales", "du").markdown
    assert plan.page("sales", "en").title == "My own sales title"
    assert plan.page("sales", "en").intro == "Sales lead en"
    run = run_mkdocs(project, "--strict")
    assert run.returncode == 0, run.stderr
    html = BeautifulSoup((project / "site/de/sales-de/index.html").read_text(), "lxml")
    assert html.select_one("#intro").get_text(strip=True) == "Meine Einleitung"


def test_owner_adds_a_section(tmp_path):
    files = {f"own/sections/pricing/{loc}.md": f"---\ntitle: Prices {loc}\n---\nRates {loc}.\n"
             for loc in ("de", "du", "en")}
    project = make_project(tmp_path, {"personas": {
        "sales": {"sections": ["intro", "pricing", "closing"]}}}, files)
    plan = plan_for(project, strict=True)
    assert "## Prices en" in plan.page("sales", "en").markdown
    assert "## Prices en" not in plan.page("general", "en").markdown


def test_missing_section_falls_back_with_a_visible_note(tmp_path):
    project = make_project(tmp_path, files={"sections/closing/du.md": None})
    with pytest.raises(ConfigError, match="missing translation of section 'closing'"):
        plan_for(project, strict=True)
    plan = plan_for(project)
    assert plan.page("general", "du").fallbacks == ["closing"]
    assert any("closing" in w for w in plan.warnings)
    run = run_mkdocs(project)
    assert run.returncode == 0, run.stderr
    assert "missing translation of section 'closing'" in run.stderr
    doc = BeautifulSoup((project / "site/du/index.html").read_text(), "lxml")
    fallback = doc.select_one(".rp-fallback")
    assert fallback["lang"] == "de"
    assert "Closing de" in fallback.get_text()
    assert fallback.select_one(".rp-fallback__note").get_text().startswith("Dieser Teil")
    assert doc.select(".rp-fallback") and not BeautifulSoup(
        (project / "site/de/index.html").read_text(), "lxml").select(".rp-fallback")


def test_persona_tone_override_uses_the_informal_texts(tmp_path):
    project = make_project(tmp_path, {"personas": {
        "sales": {"sections": ["intro", "closing"], "tone": "informal"}}})
    plan = plan_for(project, strict=True)
    page = plan.page("sales", "de")
    assert page.content_locale.id == "du" and page.locale.id == "de"
    assert "Intro body du (du)" in page.markdown
    assert page.url == "de/sales-du/"


def test_placeholders_are_filled_and_escaped(tmp_path):
    project = make_project(tmp_path, {"owner": {"name": "A *B* [C]", "contact": {
        "label": "Mail [me]", "url": "mailto:a@example.org"}}})
    markdown = plan_for(project).page("general", "en").markdown
    assert r"[Mail \[me\]](<mailto:a@example.org>)" in markdown
    assert r"A \*B\* \[C\]" in markdown


def test_new_locale_defined_by_the_owner(tmp_path):
    files = {f"sections/{s}/sv.md": f"---\ntitle: {s} sv\n---\nText sv.\n"
             for s in ("intro", "examples", "checklist", "closing", "reading")}
    files["personas/sv.yml"] = (MINI / "docs/personas/en.yml").read_text().replace(" en", " sv")
    project = make_project(tmp_path, {"locales": ["de", "en", {"id": "sv", "code": "sv"}]}, files)
    plan = plan_for(project, strict=True)
    locale = plan.settings.locale("sv")
    assert locale.name == "Svenska" and not locale.rtl
    assert plan.page("general", "sv").url == "sv/"


def test_site_plan_errors_name_the_file(tmp_path):
    with pytest.raises(ConfigError) as error:
        plan_site({"locales": "de"}, tmp_path)
    assert str(error.value) == ("mkdocs.yml: plugins.replypage.locales: expected a list, "
                                "got a string")


def test_an_empty_plural_entry_falls_back_like_a_single_one():
    """de_DE@informal leaves most strings to formal German, plural ones included."""
    from replypage.i18n import translations_for

    informal = translations_for("de_DE@informal")
    formal = translations_for("de")
    one, many = "The logs are deleted after {days} day.", "The logs are deleted after {days} days."
    assert informal.ngettext(one, many, 14) == formal.ngettext(one, many, 14) != many


def test_a_long_salutation_that_pushes_an_example_past_a_note_is_named(tmp_path):
    """The good examples model invitation notes; an owner whose salutation makes one longer
    than a note holds is told which file to shorten (a warning; --strict makes it an error)."""
    long_name = "Frau Prof. Dr. Mustermann-Lüdenscheid"
    project = make_project(tmp_path, {"locales": ["de"], "default_locale": "de", "owner": {
        "name": "Erika Mustermann", "salutation": {"de": long_name},
        "contact": {"label": "owner@example.org", "url": "mailto:owner@example.org"}}},
        base=REPO)
    run = run_mkdocs(project)
    assert run.returncode == 0, run.stderr
    assert ("docs/sections/examples/de.md: sales: the good example has 220 characters with "
            "your salutation, more than the 200 an invitation note holds; shorten it in "
            "docs/own/sections/examples/de.md") in run.stderr
    assert run_mkdocs(project, "--strict").returncode == 1


def test_a_decline_that_only_fits_without_a_greeting_is_named(tmp_path):
    """The desk and `--to` put a greeting with the reader's name before a decline: an owner's
    decline that fits alone but not after "Guten Tag Anna Schneider," is named (a warning, as
    the greeting is optional; --strict makes it an error)."""
    decline = ("Danke für Ihre Anfrage. "
               + "Ich nehme sie gern an, wenn Sie mir sagen, worum es geht. " * 2
               + "Mehr dazu: {link}")
    project = make_project(tmp_path, {"locales": ["de"], "default_locale": "de"}, base=REPO,
                           files={"own/personas/de.yml": f"sales:\n  decline: '{decline}'\n"})
    plain = run_shortlink(project, "sales", "--lang", "de", "--url-only")
    assert plain.returncode == 0, plain.stderr
    fits = len(decline.replace("{link}", plain.stdout.strip()))
    greeted = fits + len("Guten Tag Anna Schneider,\n")
    assert fits <= 200 < greeted
    run = run_mkdocs(project)
    assert run.returncode == 0, run.stderr
    assert (f"docs/own/personas/de.yml: sales.decline: {greeted} characters after a greeting "
            f"with a name such as 'Anna Schneider' (at most 200: shorten the decline or the "
            f"greeting by {greeted - 200})") in run.stderr
    assert run_mkdocs(project, "--strict").returncode == 1
    said = run_shortlink(project, "sales", "--lang", "de", "--to", "Anna Schneider")
    assert f"{greeted} characters" in said.stderr
