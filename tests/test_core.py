"""The core's pure helpers, in process: table tests for the rules at the boundaries."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINI, make_project

from replypage.compose import _inline, markdown_text, no_break_spaces
from replypage.files import load_yaml, read_text, shown
from replypage.manifest import build_manifest, owner_files, page_output
from replypage.model import ConfigError
from replypage.plugin import compact_html
from replypage.preflight import preflight, reserved_names
from replypage.project import load_plan
from replypage.settings import is_inside, site_address


@pytest.mark.parametrize("src,out", [
    ("index.md", "index.html"), ("README.md", "index.html"), ("de/index.md", "de/index.html"),
    ("de/kaltakquise.md", "de/kaltakquise/index.html"), ("a/b/README.md", "a/b/index.html"),
    ("about.md", "about/index.html"),
])
def test_page_output_follows_directory_urls(src, out):
    assert page_output(src) == out


@pytest.mark.parametrize("text,typeset", [
    ("Zeit – und", "Zeit\u00a0– und"),
    ("15 Minuten", "15\u00a0Minuten"),
    ("- item – x", "- item\u00a0– x"),
    ("1. item", "1. item"),  # an ordered list stays one
    ("um 10 Uhr – gern", "um\u00a010\u00a0Uhr\u00a0– gern"),
    ("Art. 6 Abs. 1 lit. f", "Art.\u00a06\u00a0Abs.\u00a01\u00a0lit. f"),
    ("Musterweg 1\n12345 Ort", "Musterweg\u00a01\n12345\u00a0Ort"),
    ("in 2026 and 12345", "in\u00a02026\u00a0and 12345"),
])
def test_no_break_spaces(text, typeset):
    assert no_break_spaces(text) == typeset


@pytest.mark.parametrize("text,markdown", [
    ("Title {: onclick=alert(1) }", "Title \\{: onclick=alert(1) \\}"),
    ("# Not a heading <b>", "\\# Not a heading &lt;b&gt;"),
    ("a\nb", "a b"),
    ("Qui ?\u202f", "Qui ?"),  # no-break spaces are kept inside, trailing ones trimmed
])
def test_inline_strings_are_text_not_markup(text, markdown):
    assert _inline(text) == markdown


def test_markdown_text_escapes_links_and_attribute_lists():
    assert markdown_text("[x](y) {: .z}") == "\\[x\\](y) \\{: .z\\}"


@pytest.mark.parametrize("value,error", [
    (None, "required for link previews and short links"),
    ("ftp://x.example/", "must start with https: or http:"),
    ("https://x.example/?a=1", "must be a plain address without a query"),
    ("https://x.example/#top", "must be a plain address without a query"),
    ("https://user:pw@x.example/", "must be a plain address without a query"),
    ("https://x.example/\"", "has spaces, quotes or control characters"),
    ("https:///path", "has no host name"),
])
def test_site_address_refuses(value, error):
    with pytest.raises(ConfigError, match=error.replace("?", r"\?")):
        site_address(value, "mkdocs.yml")


@pytest.mark.parametrize("value,normal", [
    ("https://erika.example", "https://erika.example/"),
    ("https://example.org/kontakt/", "https://example.org/kontakt/"),
])
def test_site_address_normalises(value, normal):
    assert site_address(value, "mkdocs.yml") == normal


def test_shown_values_stay_short():
    text = shown("x" * 10_000)
    assert len(text) < 80
    nested = shown([[list(range(100))] * 100] * 100)
    assert len(nested) < 80


def test_yaml_alias_bomb_and_self_reference_are_refused():
    bomb = "a: &a [1,1,1,1,1,1,1,1,1,1]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n"
        for i in range(6))
    with pytest.raises(ConfigError, match="aliases expand to more than 100,000 values"):
        load_yaml(bomb, "x.yml")
    assert load_yaml("a: &a [1, 2]\nb: *a\n", "x.yml") == {"a": [1, 2], "b": [1, 2]}


def test_deeply_nested_yaml_is_one_line():
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_yaml("[" * 20_000 + "]" * 20_000, "x.yml")


def test_owner_files_are_read_as_utf8_with_or_without_bom(tmp_path):
    (tmp_path / "bom.md").write_bytes(b"\xef\xbb\xbfHallo")
    assert read_text(tmp_path / "bom.md", "bom.md") == "Hallo"
    (tmp_path / "latin1.md").write_bytes("Grüße\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="line 1 is not UTF-8 text"):
        read_text(tmp_path / "latin1.md", "latin1.md")
    (tmp_path / "folder.md").mkdir()
    with pytest.raises(ConfigError, match="is a folder; a file belongs here"):
        read_text(tmp_path / "folder.md", "folder.md")
    with pytest.raises(ConfigError, match="not found"):
        read_text(tmp_path / "missing.md", "missing.md")


@pytest.mark.parametrize("path,root,inside", [
    ("/x/docs/a.md", "/x/docs", True),
    ("/x/docs", "/x/docs", True),
    ("/x/docs-evil/a.md", "/x/docs", False),
    ("/x/docs/../secret", "/x/docs", False),
])
def test_is_inside_compares_path_parts(path, root, inside):
    assert is_inside(Path(path), Path(root)) is inside


def test_every_output_path_is_claimed_once(tmp_path):
    project = make_project(tmp_path, files={"about.md": "# About\n", "img/x.png": "png"})
    _, plan = load_plan(project / "mkdocs.yml")
    checked = preflight(plan, "https://owner.example/")
    claims = checked.manifest.claims
    assert claims["about/index.html"].what == "your file docs/about.md"
    assert claims["img/x.png"].what == "your file docs/img/x.png"
    assert claims["de/index.html"].what == "the page of persona 'general' in locale 'de'"
    stubs = [path for path, claim in claims.items() if claim.what.startswith("short link")]
    assert len(stubs) == len(checked.resolved)  # "k7q" and "K7Q" are one path, case folded
    names = reserved_names(plan, owner_files(plan))
    assert {"about", "img", "de", "du", "en", "assets", "search", "404.html"} <= names


def test_a_clash_names_both_sources(tmp_path):
    project = make_project(tmp_path, files={"de.md": "# Mine\n"})
    _, plan = load_plan(project / "mkdocs.yml")
    files = owner_files(plan)
    assert ("de/index.html" in dict((out, p) for p, out in files)) is True
    with pytest.raises(ConfigError) as error:
        build_manifest(plan, [], "shortlinks.yml", files)
    assert str(error.value) == (
        "docs/de.md: your file docs/de.md would write de/index.html, which the page of persona "
        "'general' in locale 'de' (mkdocs.yml: plugins.replypage.locales[0]) writes too: rename "
        "or remove one of them")


def test_the_core_reads_the_mini_fixture():
    _, plan = load_plan(MINI / "mkdocs.yml")
    assert [page.url for page in plan.homes] == ["de/", "du/", "en/"]


@pytest.mark.parametrize("html,compact", [
    ("<div>\n    <p>a</p>\n\n    <p>b</p>\n</div>", "<div>\n<p>a</p>\n<p>b</p>\n</div>"),
    ("<pre>  keep\n    this\n</pre>\n  <p>x</p>", "<pre>  keep\n    this\n</pre>\n<p>x</p>"),
    ("<a>x</a>  \n  <a>y</a>", "<a>x</a>\n<a>y</a>"),  # a space stays where one was
    ("<textarea>\n  t\n</textarea>", "<textarea>\n  t\n</textarea>"),
])
def test_compact_html_keeps_what_renders(html, compact):
    assert compact_html(html) == compact


@pytest.mark.parametrize("rtl", [False, True])
def test_any_name_or_role_stays_on_the_card(rtl):
    """A 500-character name, a 2,000-character role and a title of many long words are cut
    with an ellipsis inside the margins, never drawn past the card's edge."""
    from replypage.cards import MARGIN, Card, layout
    from replypage.preview import CARD_WIDTH

    word = "مستشارة" if rtl else "Kommunikationsberaterin"
    card = Card(title=" ".join([word * 3] * 12), owner="Erika " + "M" * 500,
                role=" ".join([word] * 300), host="kontakt.erika-mustermann.de",
                lang="ar" if rtl else "de", rtl=rtl)
    runs = layout(card)
    for run in runs:
        width = run.font.getlength(run.text, direction=run.direction)
        assert MARGIN - 1 <= run.x and run.x + width <= CARD_WIDTH - MARGIN + 1, run.text[:40]
    assert any(run.text.endswith("…") for run in runs)
    assert any("kontakt.erika-mustermann.de" in run.text for run in runs)  # the host stays whole
