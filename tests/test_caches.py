"""What one build keeps for the next (cards, QR codes, the stylesheet, compiled templates) and
what a second process draws ahead: never a stale result, always the same result."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import REPO, make_project, run_mkdocs

from replypage.cards import Card, write_card
from replypage.keep import kept

CARD = Card(title="Sie möchten mir etwas verkaufen?", owner="Erika Mustermann",
            role="Kommunikationsberaterin", host="erika.example", lang="de", rtl=False)
ARABIC = Card(title="هل تريد أن تبيعني شيئًا؟", owner="Erika Mustermann",
              role="مستشارة اتصال مؤسسي", host="erika.example", lang="ar", rtl=True)


def desk_project(tmp_path: Path) -> Path:
    return make_project(tmp_path, {"desk": "my-desk"})


def stylesheet(site: Path) -> str:
    [css] = (site / "assets" / "stylesheets").glob("reply.*.css")
    return css.read_text(encoding="utf-8")


def test_a_card_drawn_ahead_is_the_card_drawn_in_the_build(tmp_path):
    work = {"cards": [CARD.__dict__, ARABIC.__dict__], "card_dir": str(tmp_path / "ahead"),
            "qr": [], "site_url": "https://erika.example/", "keep_dir": str(tmp_path / "kept")}
    run = subprocess.run([sys.executable, "-m", "replypage.ahead"], input=json.dumps(work),
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    for card in (CARD, ARABIC):
        assert write_card(card, tmp_path / "here.png", None)
        assert (tmp_path / "ahead" / f"{card.key()}.png").read_bytes() == \
            (tmp_path / "here.png").read_bytes()
    assert not list((tmp_path / "ahead").glob(".tmp-*"))  # no half-written picture left


def test_a_kept_result_is_made_again_when_any_input_changes(tmp_path):
    made = []

    def make(text: str):
        return lambda: made.append(text) or text.encode()

    assert kept(tmp_path, ["a", "b"], make("first")) == b"first"
    assert kept(tmp_path, ["a", "b"], make("second")) == b"first"  # kept
    assert kept(tmp_path, ["a", "c"], make("third")) == b"third"  # one input changed
    assert kept(tmp_path, ["ab", ""], make("fourth")) == b"fourth"  # not the same as a, b
    assert made == ["first", "third", "fourth"]
    assert kept(None, ["a", "b"], make("fifth")) == b"fifth"  # nowhere to keep: made


def test_the_kept_stylesheet_follows_the_names_the_pages_use(tmp_path):
    project = make_project(tmp_path)
    assert run_mkdocs(project).returncode == 0
    assert "kbd" not in stylesheet(project / "site")
    closing = project / "docs" / "own" / "sections" / "closing"
    closing.mkdir(parents=True)
    (closing / "en.md").write_text("---\ntitle: Closing\n---\nPress <kbd>Ctrl</kbd>.\n",
                                   encoding="utf-8")
    assert run_mkdocs(project).returncode == 0
    assert "kbd" in stylesheet(project / "site")  # Material's kbd rules, purged before


def test_kept_qr_codes_follow_the_link(tmp_path):
    project = desk_project(tmp_path)
    assert run_mkdocs(project).returncode == 0
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("https://owner.example/",
                                                 "https://elsewhere.example/"))
    assert run_mkdocs(project).returncode == 0
    desk = BeautifulSoup((project / "site/my-desk/index.html").read_text(), "lxml")
    labels = [svg["aria-label"] for svg in desk.select("svg[role=img]")]
    assert labels and all("elsewhere.example" in label for label in labels), labels
    assert not any("owner.example/" in label for label in labels)


def test_compiled_templates_follow_their_source(tmp_path):
    overrides = tmp_path / "overrides"
    shutil.copytree(REPO / "overrides", overrides)
    project = make_project(tmp_path, config={"theme": {
        "name": "material", "custom_dir": str(overrides), "font": False,
        "features": ["content.code.copy"]}})
    assert run_mkdocs(project).returncode == 0
    assert (project / ".cache" / "replypage" / "templates").is_dir()
    partial = overrides / "partials" / "copyright.html"
    partial.write_text(partial.read_text() + "<p>changed-partial</p>\n")
    assert run_mkdocs(project).returncode == 0
    assert "changed-partial" in (project / "site/en/index.html").read_text()
