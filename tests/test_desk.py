"""The desk's place in the site: reachable only by its address, and out of every index."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from conftest import REPO, make_project, run_mkdocs, run_shortlink
from test_site import soup

from replypage.links import decline_message
from replypage.preflight import preflight
from replypage.project import load_plan


def test_no_reader_page_links_to_the_desk(example_site, example_plan):
    desk = example_plan.settings.desk
    assert desk and (example_site / desk / "index.html").is_file()
    for path in example_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".txt", ".gz") and \
                desk not in path.relative_to(example_site).parts:
            data = path.read_bytes()
            text = data.decode("utf-8", "replace") if path.suffix != ".gz" else ""
            assert desk not in text, path


def test_the_desk_is_noindex_and_in_no_list(example_site, example_plan):
    desk = example_plan.settings.desk
    page = BeautifulSoup((example_site / desk / "index.html").read_text(), "lxml")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    home = soup(example_site, "de/")
    assert not any(desk in (link.get("href") or "") for link in home.select("link, a"))
    assert desk not in (example_site / "sitemap.xml").read_text()
    assert desk not in (example_site / "404.html").read_text()


def test_command_desk_and_text_expander_agree(example_site, example_plan, tmp_path):
    """One core function makes every message: the command, the desk's data and the export."""
    import json
    import shutil

    import yaml

    desk = example_plan.settings.desk
    page_html = (example_site / desk / "index.html").read_text(encoding="utf-8")
    data = json.loads(BeautifulSoup(page_html, "lxml").select_one("#desk-data").string)
    _, plan = load_plan(REPO / "mkdocs.yml")
    checked = preflight(plan, "https://erika.example/")
    project = tmp_path / "project"
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copy(REPO / "shortlinks.yml", project / "shortlinks.yml")
    export = run_shortlink(project, "export", "espanso", "-o", "m.yml")
    assert export.returncode == 0, export.stderr
    exported = {m["replace"] for m in yaml.safe_load((project / "m.yml").read_text())["matches"]}
    for page in plan.pages[::7]:
        url = checked.url(page.persona.id, page.locale.id)
        entry = data["messages"][f"{page.persona.id}-{page.locale.id}"]
        assert entry["message"] == decline_message(page, url) in exported
        command = run_shortlink(project, page.persona.id, "--lang", page.locale.id,
                                "--to", "Jonas Berg")
        greeted = command.stdout.rsplit("\n", 2)[0]
        assert greeted == entry["named"][0] + "Jonas Berg" + entry["named"][1]


def test_a_site_without_desk_publishes_none_of_it(tmp_path):
    project = make_project(tmp_path)
    run = run_mkdocs(project)
    assert run.returncode == 0, run.stderr
    assert not list((project / "site").rglob("desk*"))
    assert not re.search(r"desk", (project / "site" / "_headers").read_text())
