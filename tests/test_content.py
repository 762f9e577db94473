"""The shipped content: complete in every locale, within budget, each page in its language."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from conftest import REPO, make_project
from test_site import soup

from replypage.completeness import report
from replypage.compose import WORD_BUDGET, fill_placeholders, owner_values, word_count
from replypage.links import MAX_MESSAGE, decline_message, short_url
from replypage.shortlinks import parse

# Words that give a page away as written in another language. Each is common in its own
# language's page and must not appear on the others (checked on visible text, as whole words).
MARKERS = {
    "de": {"nicht", "Ihnen", "Ihre"}, "du": {"nicht", "dich", "dein", "deine"},
    "en": {"the", "your", "and"}, "fr": {"vous", "votre", "avec"},
    "es": {"usted", "pero", "también"}, "it": {"Lei", "della", "perché"},
    "nl": {"niet", "uw", "het"}, "pl": {"jest", "się", "dla", "Czy"},
    "pt": {"não", "uma", "seu"}, "ar": {"في", "من"},
}
TWINS = {"de", "du"}  # formal and informal German share most words


def test_every_shipped_locale_is_complete(example_plan):
    results = report(example_plan.settings, example_plan.library)
    assert {r.locale.id for r in results} == set(MARKERS)
    incomplete = ["\n".join(r.lines()) for r in results if not r.complete]
    assert not incomplete, "\n".join(incomplete)


def test_completeness_script_reports_a_missing_section(tmp_path):
    project = make_project(tmp_path, base=REPO)
    (project / "docs/sections/offline/fr.md").unlink()
    run = subprocess.run([sys.executable, str(REPO / "scripts/completeness.py"), "fr"],
                         cwd=project, capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stdout.splitlines()[:2] == ["fr: INCOMPLETE", "  missing sections: offline"]


def test_every_page_reads_in_under_a_minute(example_plan):
    over = {f"{p.locale.id}/{p.persona.id}": word_count(p) for p in example_plan.pages
            if word_count(p) > WORD_BUDGET}
    assert not over


# An owner's own domain of 30 characters and the longest code the registry issues by default.
LONG_LINK = "https://" + "kontakt.erika-mustermann-ab.de" + "/k7q2m"


def test_every_decline_fits_a_linkedin_note_on_a_long_domain(example_plan):
    assert len("kontakt.erika-mustermann-ab.de") == 30
    over = {f"{p.locale.id}/{p.persona.id}": len(decline_message(p, LONG_LINK))
            for p in example_plan.pages if len(decline_message(p, LONG_LINK)) > MAX_MESSAGE}
    assert not over


TYPICAL_NAME = "Anna Schneider"  # 14 characters, as an owner types a reader's name


def test_every_greeted_decline_fits_a_linkedin_note(example_plan):
    """With a greeting and a name of typical length, on a long domain: still 200 at most."""
    over = {f"{p.locale.id}/{p.persona.id}": len(decline_message(p, LONG_LINK, TYPICAL_NAME))
            for p in example_plan.pages
            if len(decline_message(p, LONG_LINK, TYPICAL_NAME)) > MAX_MESSAGE}
    assert not over


def test_every_locale_greets_by_name(example_plan):
    for page in example_plan.pages:
        assert page.greeting is not None, page.locale.id
        greeted = decline_message(page, LONG_LINK, TYPICAL_NAME)
        assert TYPICAL_NAME in greeted.split("\n", 1)[0], page.locale.id


def test_good_example_requests_fit_a_linkedin_note(example_plan):
    """The page says two or three sentences fit an invitation note: its own models do."""
    over = {}
    for page in example_plan.pages:
        values = owner_values(example_plan.settings, page.content_locale)
        for section in page.sections:
            for text in section.examples_for(page.persona.id).get("good", ()):
                filled = fill_placeholders(text, values, "", plain=True)
                if len(filled) > MAX_MESSAGE:
                    over[f"{page.locale.id}/{page.persona.id}"] = len(filled)
    assert not over


def test_every_decline_fits_a_linkedin_note_with_its_real_link(example_plan):
    links = parse((REPO / "shortlinks.yml").read_text(encoding="utf-8"), "shortlinks.yml")
    for page in example_plan.pages:
        link = next(x for x in links if x.default and (x.persona, x.locale) == (
            page.persona.id, page.locale.id))
        message = page.decline.replace("{link}", short_url("https://erika.example/", link.code))
        assert page.decline.count("{link}") == 1, page.src_uri
        assert len(message) <= MAX_MESSAGE, (page.src_uri, len(message))


@pytest.mark.parametrize("locale_id", sorted(MARKERS))
def test_pages_carry_no_other_language(example_site, example_plan, locale_id):
    for page in example_plan.pages:
        if page.locale.id != locale_id:
            continue
        article = soup(example_site, page.url).select_one("article")
        for reading in article.select("#reading ~ ul"):
            reading.decompose()  # the essays' German titles are cited as they are
        words = set(re.findall(r"[^\W\d_]+", article.get_text(" ")))
        assert MARKERS[locale_id] & words, (page.url, "own markers missing")
        for other, markers in MARKERS.items():
            if other == locale_id or {other, locale_id} <= TWINS:
                continue
            leaked = markers & words - MARKERS[locale_id]
            assert not leaked, (page.url, other, leaked)


def test_right_to_left_locale_end_to_end(example_site, example_plan):
    for page in example_plan.pages:
        if page.locale.id != "ar":
            continue
        doc = soup(example_site, page.url)
        assert doc.html["lang"] == "ar" and doc.body["dir"] == "rtl"
        if "examples" in page.persona.sections:
            assert doc.select(".rp-bubble figcaption")
        # Arabic punctuation in the further-reading list too: "(Jochen Mai، Karrierebibel)"
        if "reading" not in page.persona.sections:
            continue
        credits = doc.select("#reading ~ ul li")
        assert any("Jochen Mai\u060c Karrierebibel" in item.get_text() for item in credits)
        # Latin titles and names are isolated, so that their brackets and punctuation keep
        # their places on a right-to-left line.
        for item in credits:
            assert item.em["dir"] == "ltr" and item.em["lang"] == "de", item
            assert all(bdi.parent is item for bdi in item.select("bdi"))
        assert any(item.select("bdi") for item in credits)


def test_formal_and_informal_german_differ(example_plan):
    sie = example_plan.page("general", "de").markdown
    du = example_plan.page("general", "du").markdown
    assert re.search(r"\bSie\b", sie) and not re.search(r"\bdu\b|\bdich\b", sie)
    assert re.search(r"\bdu\b|\bdich\b|\bdein", du) and not re.search(r"\bIhnen\b", du)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_translation_older_than_its_source_is_reported_stale(tmp_path):
    """Staleness is reported (not a failure): the default text changed after a translation."""
    import os

    from replypage.project import load_plan

    project = make_project(tmp_path)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}

    def commit(message: str, when: str) -> None:
        stamp = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        subprocess.run(["git", "add", "-A"], cwd=project, check=True, env=env)
        subprocess.run(["git", "commit", "-qm", message], cwd=project, check=True,
                       env={**env, **stamp})

    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    commit("all", "2026-01-01T10:00:00Z")
    source = project / "docs/sections/closing/de.md"
    source.write_text(source.read_text() + "\nNeu.\n")
    commit("change the German closing", "2026-01-02T10:00:00Z")
    _, plan = load_plan(project / "mkdocs.yml")
    stale = {r.locale.id: r.stale_sections for r in report(plan.settings, plan.library)
             if r.locale.id in ("de", "du", "en")}
    assert stale == {"de": [], "du": ["closing"], "en": ["closing"]}
