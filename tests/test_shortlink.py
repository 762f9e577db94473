"""The short-link command and registry, through the real entry point; stubs and redirects."""

from __future__ import annotations

import json
import plistlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import REPO, Run, make_project, run_mkdocs, run_shortlink

from replypage.links import MAX_MESSAGE
from replypage.model import ConfigError
from replypage.shortlinks import ALPHABET, Registry, new_code, parse

BAD_REGISTRY = Path(__file__).resolve().parent / "bad_registry"
REGISTRY_CASES = sorted(BAD_REGISTRY.glob("*.yml"))


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path)


def registry_of(project: Path) -> list:
    return parse((project / "shortlinks.yml").read_text(encoding="utf-8"), "shortlinks.yml")


def test_prints_message_and_url(project):
    run = run_shortlink(project, "sales", "--lang", "en")
    assert run.returncode == 0, run.stderr
    message, url = run.stdout.splitlines()
    assert re.fullmatch(rf"https://owner\.example/[{ALPHABET}]{{3}}", url)
    assert message == f"No sales en: {url}"
    assert run.stderr == ""
    again = run_shortlink(project, "sales", "--lang", "en")
    assert again.stdout == run.stdout  # the code is stable


def test_default_language_and_url_only(project):
    run = run_shortlink(project, "sales", "--url-only")
    assert run.returncode == 0
    [url] = run.stdout.splitlines()
    code = url.rsplit("/", 1)[1]
    entry = next(link for link in registry_of(project) if link.code == code)
    assert (entry.persona, entry.locale, entry.default) == ("sales", "de", True)


@pytest.mark.parametrize("args,error", [
    (["salse"], "shortlink: unknown persona 'salse' (known: general, sales)"),
    (["sales", "--lang", "xx"], "shortlink: unknown locale 'xx' (known: de, du, en)"),
    (["sales", "--colour"], "shortlink: unrecognized arguments: --colour (see --help)"),
    ([], "shortlink: the following arguments are required: persona (see --help)"),
    (["export", "word"], "shortlink: unknown format 'word' (known: espanso, macos)"),
], ids=["persona", "locale", "option", "nothing", "exporter"])
def test_usage_errors_exit_2_with_one_line(project, args, error):
    run = run_shortlink(project, *args)
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.splitlines() == [error]


def test_help_has_examples(project):
    run = run_shortlink(project, "--help")
    assert run.returncode == 0 and "shortlink sales --qr" in run.stdout


def test_list_table_and_json(project):
    table = run_shortlink(project, "list")
    assert table.returncode == 0
    lines = table.stdout.splitlines()
    assert lines[0].split()[:4] == ["persona", "locale", "code", "short"]
    assert len(lines) == 1 + 6
    data = json.loads(run_shortlink(project, "list", "--json").stdout)
    assert {(r["persona"], r["locale"]) for r in data["defaults"]} == {
        (p, loc) for p in ("general", "sales") for loc in ("de", "du", "en")}
    for row in data["defaults"]:
        assert row["length"] == len(f"No sales {row['locale']}: {row['url']}") or \
            row["persona"] == "general"
        assert row["url"].endswith("/" + row["code"])


def test_new_code_and_alias(project):
    run = run_shortlink(project, "new", "sales", "--lang", "en", "--note", "Newsletter")
    assert run.returncode == 0, run.stderr
    url = run.stdout.strip()
    alias = run_shortlink(project, "new", "sales", "--lang", "de", "--alias", "Vertrieb")
    assert alias.stdout.strip() == "https://owner.example/vertrieb"
    links = registry_of(project)
    extra = [link for link in links if not link.default]
    assert [(x.code, x.locale, x.note) for x in extra] == [
        (url.rsplit("/", 1)[1], "en", "Newsletter"), ("vertrieb", "de", None)]
    taken = run_shortlink(project, "new", "general", "--alias", "vertrieb")
    assert taken.returncode == 1
    assert taken.stderr.strip() == ("shortlink: shortlinks.yml: alias: 'vertrieb' is already "
                                    "taken (codes are never reused)")
    reserved = run_shortlink(project, "new", "general", "--alias", "de")
    assert reserved.returncode == 1
    assert reserved.stderr.strip() == ("shortlink: shortlinks.yml: alias: 'de' is a name the "
                                       "site already uses")


def test_clipboard_fallback_prints_and_succeeds(project):
    env = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "PATH": str(Path(sys.executable).parent)}
    run = run_shortlink(project, "sales", "--copy", env=env)
    assert run.returncode == 0
    assert len(run.stdout.splitlines()) == 2
    [note] = run.stderr.splitlines()
    assert note.startswith("shortlink: not copied, no clipboard available")


def test_qr_is_a_full_qr_that_decodes_to_the_url(project, tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    from replypage.qr import make_qr

    run = run_shortlink(project, "sales", "--lang", "en", "--qr", "--qr-svg",
                        str(tmp_path / "qr.svg"))
    assert run.returncode == 0, run.stderr
    url = run.stdout.splitlines()[1]
    assert "█" in run.stdout or "▀" in run.stdout
    qr = make_qr(url, "https://owner.example/")
    assert not qr.is_micro and qr.mode == "alphanumeric"
    qr.save(str(tmp_path / "qr.png"), scale=6)
    [decoded] = zxingcpp.read_barcodes(Image.open(tmp_path / "qr.png"))
    assert decoded.text == url.upper()
    svg = (tmp_path / "qr.svg").read_text()
    assert svg.startswith("<?xml") and "<svg" in svg


def test_qr_keeps_case_under_a_sub_path():
    from replypage.qr import qr_text

    assert qr_text("https://e.example/k7q", "https://e.example/") == "HTTPS://E.EXAMPLE/K7Q"
    assert qr_text("https://e.example/kontakt/k7q", "https://e.example/kontakt/") == (
        "https://e.example/kontakt/k7q")


def test_espanso_and_macos_exports(project):
    run = run_shortlink(project, "export", "espanso", "-o", "matches.yml")
    assert run.returncode == 0, run.stderr
    data = yaml.safe_load((project / "matches.yml").read_text(encoding="utf-8"))
    triggers = {m["trigger"]: m for m in data["matches"]}
    assert {";sales;", ";sales-en;", ";sales-du;", ";general;", ";general-de;"} <= set(triggers)
    assert all(m["force_mode"] == "clipboard" and m["label"] for m in data["matches"])
    assert triggers[";sales;"]["replace"] == triggers[";sales-de;"]["replace"]
    assert triggers[";sales-en;"]["replace"].startswith("No sales en: https://owner.example/")
    run = run_shortlink(project, "export", "macos", "-o", "subs.plist")
    entries = plistlib.loads((project / "subs.plist").read_bytes())
    assert {"phrase", "shortcut"} == set(entries[0])
    assert len(entries) == len(data["matches"])
    # `-o -` is standard output, not a file named "-"
    run = run_shortlink(project, "export", "espanso", "-o", "-")
    assert run.returncode == 0, run.stderr
    assert yaml.safe_load(run.stdout) == data and not (project / "-").exists()


WORD_BREAKS = set(" \t\n.,;:!?-'\"()[]{}<>/")


def espanso_expansion(triggers: list[str], typed: str) -> tuple[int, str] | None:
    """Espanso's matcher (espanso-match, rolling/matcher.rs): it follows every trigger that
    the characters typed so far could still become, and the first trigger to be complete
    fires at once; when two complete on the same key, the longer one (started earlier) wins.
    Returns (characters typed, trigger) at the first expansion."""
    for end in range(1, len(typed) + 1):
        complete = [t for t in triggers if typed[:end].endswith(t)]
        if complete:
            return end, max(complete, key=len)
    return None


def word_break_expansion(triggers: list[str], typed: str) -> tuple[int, str] | None:
    """An expander that replaces only at a word break, as macOS text replacements do (the
    suggestion is taken with a space or punctuation). Modelled cautiously: at any space or
    punctuation key, the text since the last space, with or without that key, may be taken
    as a shortcut."""
    for end, key in enumerate(typed, start=1):
        if key not in WORD_BREAKS:
            continue
        start = max(typed.rfind(space, 0, end - 1) for space in " \t\n") + 1
        for candidate in (typed[start:end - 1], typed[start:end]):
            if candidate in triggers:
                return end, candidate
    return None


@pytest.mark.parametrize("rule", [espanso_expansion, word_break_expansion],
                         ids=["espanso", "word-break"])
def test_every_exported_trigger_expands_to_its_own_message(tmp_path, rule):
    """Typed after a space, each trigger of the example site fires itself, on its last key
    (or the space after it), never another trigger on the way."""
    project = make_project(tmp_path, base=REPO)
    assert run_shortlink(project, "export", "espanso", "-o", "m.yml").returncode == 0
    matches = yaml.safe_load((project / "m.yml").read_text(encoding="utf-8"))["matches"]
    assert run_shortlink(project, "export", "macos", "-o", "m.plist").returncode == 0
    shortcuts = [(e["shortcut"], e["phrase"])
                 for e in plistlib.loads((project / "m.plist").read_bytes())]
    assert shortcuts == [(m["trigger"], m["replace"]) for m in matches]
    triggers = [m["trigger"] for m in matches]
    assert len(triggers) == len(set(triggers)) > 60
    problems = []
    for match in matches:
        typed = "Hallo " + match["trigger"] + " "
        fired = rule(triggers, typed)
        expected_end = len(typed) - (1 if rule is espanso_expansion else 0)
        if fired is None or fired[1] != match["trigger"]:
            problems.append(f"{match['trigger']}: {fired}")
        elif fired[0] > expected_end or dict(
                (m["trigger"], m["replace"]) for m in matches)[fired[1]] != match["replace"]:
            problems.append(f"{match['trigger']}: fired late or with another message")
    assert not problems, "\n".join(problems)


def test_the_expansion_models_see_a_trigger_hidden_by_another():
    """Guards the test above: the old scheme (;sales beside ;sales-en) fails both models."""
    for rule in (espanso_expansion, word_break_expansion):
        fired = rule([";sales", ";sales-en"], "Hallo ;sales-en ")
        assert fired is not None and fired[1] == ";sales"


def test_colliding_triggers_are_refused(tmp_path):
    project = make_project(tmp_path, {"personas": {
        "sales-de": {"sections": ["intro"], "slug": {"de": "vd", "du": "vd", "en": "vd"},
                     "title": {"de": "T", "du": "T", "en": "T"},
                     "intro": {"de": "I", "du": "I", "en": "I"},
                     "summary": {"de": "S", "du": "S", "en": "S"},
                     "description": {"de": "D", "du": "D", "en": "D"},
                     "decline": {"de": "{link}", "du": "{link}", "en": "{link}"}}}})
    run = run_shortlink(project, "export", "espanso", "-o", "m.yml")
    assert run.returncode == 1
    assert run.stderr.strip() == (
        "shortlink: mkdocs.yml: plugins.replypage.personas: the trigger ;sales-de; would stand "
        "for sales in de and for sales-de in de; rename one of the personas")


def test_twenty_concurrent_processes_get_twenty_codes(project):
    assert run_shortlink(project, "list").returncode == 0  # defaults exist first
    procs = [subprocess.Popen([sys.executable, str(REPO / "scripts" / "shortlink.py"), "new",
                               "sales", "--note", f"run {i}"], cwd=project,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(20)]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0] * 20, outputs
    urls = {out.strip() for out, _ in outputs}
    assert len(urls) == 20
    links = registry_of(project)
    notes = sorted(link.note for link in links if link.note)
    assert notes == sorted(f"run {i}" for i in range(20))
    assert len({link.code for link in links}) == len(links) == 6 + 20


def test_interrupted_write_leaves_the_old_file(project):
    assert run_shortlink(project, "list").returncode == 0
    before = (project / "shortlinks.yml").read_bytes()
    crash = (f"import os, sys; sys.path.insert(0, {str(REPO)!r}); "
             "import replypage.shortlinks as s; s.os.replace = lambda *a: os._exit(9); "
             "from replypage.cli import main; main(['new', 'sales'])")
    proc = subprocess.run([sys.executable, "-c", crash], cwd=project, capture_output=True)
    assert proc.returncode == 9
    assert (project / "shortlinks.yml").read_bytes() == before
    assert run_shortlink(project, "new", "sales").returncode == 0  # the lock was released


@pytest.mark.parametrize("case", REGISTRY_CASES, ids=[c.stem for c in REGISTRY_CASES])
def test_broken_registry_is_reported_and_untouched(project, case):
    text = case.read_text(encoding="utf-8")
    expected = yaml.safe_load(text.splitlines()[0].lstrip("# "))["error"]
    (project / "shortlinks.yml").write_text(text, encoding="utf-8")
    run = run_shortlink(project, "sales")
    assert run.returncode == 1
    assert run.stdout == ""
    assert run.stderr.splitlines() == [f"shortlink: {expected}"]
    assert (project / "shortlinks.yml").read_text(encoding="utf-8") == text
    build = run_mkdocs(project)
    assert build.returncode != 0 and expected in build.stderr
    assert "Traceback" not in build.stderr


def test_decline_over_200_characters_is_refused_before_writing(project):
    long = "x" * 190
    (project / "docs/own/personas").mkdir(parents=True)
    (project / "docs/own/personas/en.yml").write_text(f"sales:\n  decline: \"{long} {{link}}\"\n")
    run = run_shortlink(project, "general")
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        "shortlink: docs/own/personas/en.yml: sales.decline: 216 characters with the link "
        f"{re.search(r'https://owner.example/[a-z0-9]+', run.stderr).group(0)} (at most "
        f"{MAX_MESSAGE}: shorten it by 16)"]
    assert not (project / "shortlinks.yml").exists()


def test_new_codes_avoid_taken_and_reserved_names():
    three = {a + b + c for a in ALPHABET for b in ALPHABET for c in ALPHABET}
    free = sorted(three)[:500]
    reserved = three - set(free)
    for _ in range(50):
        code = new_code([], reserved)
        assert code not in reserved
        assert code in free or len(code) == 4
    assert len(new_code([], three)) == 4


def test_retired_persona_still_resolves(tmp_path):
    project = make_project(tmp_path)
    (project / "shortlinks.yml").write_text(
        "links:\n- {code: old, persona: quiz, locale: en, created: 2026-01-01}\n")
    run = run_mkdocs(project)
    assert run.returncode == 0, run.stderr
    assert "code 'old': quiz in en is no longer on the site; it leads to general in en" in (
        run.stderr)
    stub = BeautifulSoup((project / "site/old/index.html").read_text(), "lxml")
    assert stub.select_one("#target")["href"] == "../en/"


def test_registry_write_is_atomic_in_process(tmp_path, monkeypatch):
    registry = Registry(tmp_path / "shortlinks.yml")
    registry.issue("sales", "en", set())
    before = registry.path.read_bytes()
    import replypage.shortlinks as module

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(module.os, "fsync", broken_fsync)
    with pytest.raises(ConfigError) as error:  # one line for the owner, not a traceback
        registry.issue("sales", "en", set())
    assert str(error.value) == "shortlinks.yml: cannot be written: disk full"
    assert registry.path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".shortlinks")] == []


def stub_and_page(site: Path, code: str) -> tuple[BeautifulSoup, BeautifulSoup, Path]:
    stub = BeautifulSoup((site / code / "index.html").read_text(encoding="utf-8"), "lxml")
    target = (site / code / stub.select_one("#target")["href"] / "index.html").resolve()
    return stub, BeautifulSoup(target.read_text(encoding="utf-8"), "lxml"), target


def preview_tags(doc: BeautifulSoup) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for meta in doc.select("meta[property^='og:'], meta[name^='twitter:']"):
        tags.setdefault(meta.get("property") or meta["name"], []).append(meta["content"])
    return tags


@pytest.mark.parametrize("site_url,base", [("https://owner.example/", "/"),
                                           ("https://example.org/kontakt/", "/kontakt/")],
                         ids=["root", "sub-path"])
def test_every_code_resolves_in_the_build(tmp_path, site_url, base):
    project = make_project(tmp_path)
    config = (project / "mkdocs.yml").read_text().replace("https://owner.example/", site_url)
    (project / "mkdocs.yml").write_text(config)
    assert run_shortlink(project, "new", "sales", "--alias", "vertrieb").returncode == 0
    run = run_mkdocs(project, "--strict")
    assert run.returncode == 0, run.stderr
    site = project / "site"
    links = registry_of(project)
    expected_rules = []
    for link in links:
        for spelling in dict.fromkeys([link.code, link.code.upper()]):
            stub, page, target = stub_and_page(site, spelling)
            assert preview_tags(stub) == preview_tags(page)
            assert stub.select_one("link[rel=canonical]")["href"] == page.select_one(
                "link[rel=canonical]")["href"]
            assert stub.html["lang"] == page.html["lang"]
            assert stub.select_one("meta[http-equiv=refresh]")["content"].endswith(
                stub.select_one("#target")["href"])
            url = target.parent.relative_to(site).as_posix() + "/"
            expected_rules.append(f"{base}{spelling} {base}{url} 302")
    assert (site / "_redirects").read_text().splitlines() == expected_rules
    assert preview_tags(stub)["og:image"][0].startswith(site_url)


def test_a_deploy_build_never_issues_codes(tmp_path):
    project = make_project(tmp_path)
    import os

    env_run = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project,
                             capture_output=True, text=True,
                             env={**os.environ, "REPLYPAGE_FROZEN_REGISTRY": "1",
                                  "NO_MKDOCS_2_WARNING": "1"})
    assert env_run.returncode != 0
    assert ("shortlinks.yml: no code yet for general in de, sales in de, general in du, sales "
            "in du, general in en, sales in en; run `shortlink list` where you edit the site "
            "and commit shortlinks.yml (a deploy never issues codes)") in env_run.stderr
    assert not (project / "shortlinks.yml").exists()
    assert run_shortlink(project, "list").returncode == 0
    env_run = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project,
                             capture_output=True, text=True,
                             env={**os.environ, "REPLYPAGE_FROZEN_REGISTRY": "1",
                                  "NO_MKDOCS_2_WARNING": "1"})
    assert env_run.returncode == 0, env_run.stderr


# Ordinary mistakes and hostile input at the command line: one line, no traceback, nothing
# written that the command did not finish.

def test_unknown_persona_writes_nothing(project):
    run = run_shortlink(project, "salse")
    assert run.returncode == 2
    assert not (project / "shortlinks.yml").exists()


def test_output_into_a_missing_folder_is_a_usage_error(project):
    for args in (["export", "espanso", "-o", "nowhere/m.yml"],
                 ["sales", "--qr-svg", "nowhere/qr.svg"]):
        run = run_shortlink(project, *args)
        assert run.returncode == 2, run.stderr
        path = args[-1]
        assert run.stderr.splitlines() == [
            f"shortlink: {'-o' if '-o' in args else '--qr-svg'} {path}: the folder 'nowhere' "
            "does not exist"]
        assert not (project / "shortlinks.yml").exists()


def test_a_closed_pipe_ends_quietly(project):
    """`shortlink list | head -1`: the reader closes the pipe after one line."""
    proc = subprocess.Popen([sys.executable, str(REPO / "scripts" / "shortlink.py"), "list"],
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert first.startswith(b"persona")
    assert stderr == ""
    assert (project / "shortlinks.yml").exists()  # the codes were written before the output


def test_a_terminal_without_utf8_gets_the_message_and_one_note(project):
    (project / "docs/own/personas").mkdir(parents=True)
    (project / "docs/own/personas/en.yml").write_text(
        "sales: {decline: \"Nein – danke: {link}\"}\n", encoding="utf-8")
    run = run_shortlink(project, "sales", "--lang", "en", env={"PYTHONIOENCODING": "ascii"})
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0].startswith("Nein ? danke: https://owner.example/")
    assert run.stderr.splitlines() == [
        "shortlink: this terminal (ascii) cannot show every character; use --copy, or a "
        "UTF-8 terminal (e.g. LANG=C.UTF-8)"]


def test_control_characters_never_reach_the_terminal(project):
    (project / "shortlinks.yml").write_text(
        "links:\n- {code: k7q, persona: sales, locale: en, created: 2026-11-01, "
        "note: \"Campaign\\e[2J\\e]0;owned\\a\"}\n", encoding="utf-8")
    run = run_shortlink(project, "list")
    assert run.returncode == 0, run.stderr
    assert "\x1b" not in run.stdout and "\x07" not in run.stdout
    assert "(Campaign[2J]0;owned)" in run.stdout


def test_registry_keeps_its_mode(project):
    assert run_shortlink(project, "list").returncode == 0
    registry = project / "shortlinks.yml"
    for mode in (0o644, 0o664):
        registry.chmod(mode)
        assert run_shortlink(project, "new", "sales").returncode == 0
        assert registry.stat().st_mode & 0o777 == mode
    assert [p.name for p in project.iterdir() if p.name.startswith(".shortlinks")] == []


def test_sigterm_during_a_write_leaves_the_old_file_and_no_temporary_file(project):
    assert run_shortlink(project, "list").returncode == 0
    before = (project / "shortlinks.yml").read_bytes()
    crash = (f"import os, signal, sys; sys.path.insert(0, {str(REPO)!r}); "
             "import replypage.shortlinks as s; real = s.os.fsync; "
             "s.os.fsync = lambda fd: (real(fd), os.kill(os.getpid(), signal.SIGTERM)); "
             "from replypage.cli import main; main(['new', 'sales'])")
    proc = subprocess.run([sys.executable, "-c", crash], cwd=project, capture_output=True)
    assert proc.returncode != 0
    assert (project / "shortlinks.yml").read_bytes() == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".shortlinks")] == []


def test_a_locked_registry_is_one_line(project, monkeypatch, capsys):
    from filelock import FileLock

    import replypage.shortlinks as shortlinks
    from replypage.cli import main

    assert run_shortlink(project, "list").returncode == 0
    monkeypatch.chdir(project)
    monkeypatch.setattr(shortlinks, "LOCK_TIMEOUT", 0.2)
    with FileLock(str(project / "shortlinks.yml.lock")):
        assert main(["new", "sales"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "shortlink: shortlinks.yml: is locked by another shortlink command or build "
        "(shortlinks.yml.lock); try again in a moment"]


def test_a_registry_folder_without_write_permission_is_one_line(project, monkeypatch, capsys):
    import filelock

    from replypage.cli import main

    assert run_shortlink(project, "list").returncode == 0
    monkeypatch.chdir(project)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(filelock.FileLock, "acquire", refuse)
    assert main(["new", "sales"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"shortlink: shortlinks.yml: cannot be changed: no permission to write in its folder "
        f"{str(project)!r}"]


def test_registry_alias_bomb_is_one_line(project):
    rows = "\n".join(f"r{i}: &r{i} [{', '.join([f'*r{i - 1}'] * 10)}]" for i in range(1, 8))
    (project / "shortlinks.yml").write_text(f"r0: &r0 [x, x, x, x, x, x, x, x, x, x]\n{rows}\n")
    run = run_shortlink(project, "sales")
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        "shortlink: shortlinks.yml: invalid YAML: aliases expand to more than 100,000 values"]


@pytest.mark.parametrize("plugins", [
    "plugins:\n  replypage:\n    locales: [en]\n    default_locale: en\n",
    "plugins:\n  - search\n  - replypage:\n      locales: [en]\n      default_locale: en\n",
], ids=["mapping", "list"])
def test_the_command_reads_mkdocs_yml_as_mkdocs_does(project, plugins):
    """Plugins as a list or a mapping, !ENV values, INHERIT: the command and the build agree."""
    (project / "base.yml").write_text("site_url: !ENV [REPLYPAGE_TEST_SITE, "
                                      "'https://fallback.example/']\n")
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    options = config["plugins"][0]["replypage"]
    text = yaml.safe_dump({k: v for k, v in config.items() if k not in ("plugins", "site_url")})
    extra = yaml.safe_dump({"x": options}).split("\n", 1)[1]
    body = plugins.replace("    locales: [en]\n    default_locale: en\n",
                           "".join(f"    {line}\n" for line in extra.splitlines()))
    body = body.replace("      locales: [en]\n      default_locale: en\n",
                        "".join(f"      {line}\n" for line in extra.splitlines()))
    (project / "mkdocs.yml").write_text("INHERIT: base.yml\n" + text + body)
    run = run_shortlink(project, "sales", "--lang", "en", "--url-only",
                        env={"REPLYPAGE_TEST_SITE": "https://env.example/"})
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("https://env.example/")
    build = run_mkdocs(project)
    assert build.returncode == 0, build.stderr


def test_the_command_refuses_what_the_build_refuses(project):
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_url: https://owner.example/\n", ""))
    run = run_shortlink(project, "sales")
    build = run_mkdocs(project)
    message = ("mkdocs.yml: site_url: required for link previews and short links, e.g. "
               "site_url: https://erika.example/")
    assert run.returncode == 1 and run.stderr.splitlines() == [f"shortlink: {message}"]
    assert build.returncode != 0 and message in build.stderr
    assert not (project / "shortlinks.yml").exists()


def test_new_codes_never_reuse_an_issued_one():
    import datetime as dt

    from replypage.shortlinks import ShortLink

    three = sorted(a + b + c for a in ALPHABET for b in ALPHABET for c in ALPHABET)
    issued = [ShortLink(code, "sales", "en", dt.date(2026, 1, 1)) for code in three[:-3]]
    for _ in range(30):
        code = new_code(issued, set())
        assert code in three[-3:] or len(code) == 4


def test_build_names_are_never_codes(project):
    for alias in ("assets", "search", "de", "du", "fr"):
        run = run_shortlink(project, "new", "sales", "--alias", alias)
        assert run.returncode == 1, alias
        assert run.stderr.splitlines() == [
            f"shortlink: shortlinks.yml: alias: '{alias}' is a name the site already uses"]


def test_greeting_the_reader_by_name(project):
    de = run_shortlink(project, "sales", "--to", "Herr Weber")
    assert de.returncode == 0, de.stderr
    url = de.stdout.splitlines()[-1]
    assert de.stdout.splitlines() == ["Guten Tag Herr Weber,", f"no sales de: {url}", url]
    en = run_shortlink(project, "sales", "--lang", "en", "--to", " Jonas\n\x1b[2J ")
    url = en.stdout.splitlines()[-1]
    assert en.stdout.splitlines() == ["Hello Jonas [2J,", f"No sales en: {url}", url]


def test_an_over_long_greeted_message_is_shown_whole_with_a_note(project):
    name = "Frau Professorin Dr. " + "Maximiliane " * 16
    run = run_shortlink(project, "sales", "--to", name)
    assert run.returncode == 0
    assert name.strip() in run.stdout
    [note] = run.stderr.splitlines()
    assert note.startswith("shortlink: ") and "more than the 200 an invitation note holds" in note


# Kept answers: the daily question is answered at once, and never from stale inputs.

def replayed(project, monkeypatch, capsys, *argv) -> str | None:
    """The answer main() gives without working it out, or None when it had to."""
    import replypage.cli as cli

    def worked_out(args):
        raise AssertionError("worked out")

    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        patch.setattr(cli, "run", worked_out)
        try:
            assert cli.main(list(argv)) == 0
        except AssertionError:
            return None
    return capsys.readouterr().out


@pytest.mark.parametrize("change", ["decline", "registry", "site_url", "env", "own file"])
def test_a_kept_answer_is_given_only_while_its_inputs_are_unchanged(project, monkeypatch,
                                                                   capsys, change):
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "site_url: https://owner.example/", "site_url: !ENV [SHORTLINK_TEST_URL, "
        "'https://owner.example/']"))
    assert run_shortlink(project, "list").returncode == 0  # codes issued: nothing to keep yet
    first = run_shortlink(project, "sales", "--lang", "en")
    assert first.returncode == 0, first.stderr
    assert replayed(project, monkeypatch, capsys, "sales", "--lang", "en") == first.stdout
    assert replayed(project, monkeypatch, capsys, "sales", "--lang", "de") is None
    if change == "decline":
        persona = project / "docs/personas/en.yml"
        persona.write_text(persona.read_text().replace("No sales en", "No pitches en"))
    elif change == "registry":
        registry = project / "shortlinks.yml"
        registry.write_text(registry.read_text().replace("default: true", "default: true",
                                                         1) + "\n")
    elif change == "site_url":
        config.write_text(config.read_text().replace("owner.example", "owner.example.org"))
    elif change == "env":
        monkeypatch.setenv("SHORTLINK_TEST_URL", "https://elsewhere.example/")
    else:
        (project / "docs/about.md").write_text("# About\n")
    assert replayed(project, monkeypatch, capsys, "sales", "--lang", "en") is None
    again = run_shortlink(project, "sales", "--lang", "en")
    assert again.returncode == 0
    if change in ("decline", "site_url", "env"):
        assert again.stdout != first.stdout
    monkeypatch.delenv("SHORTLINK_TEST_URL", raising=False)


def test_answers_with_side_effects_are_not_kept(project, monkeypatch, capsys):
    assert run_shortlink(project, "list").returncode == 0
    assert run_shortlink(project, "sales", "--url-only").returncode == 0
    assert replayed(project, monkeypatch, capsys, "sales", "--url-only") is not None
    for args in (["list"], ["sales", "--copy"], ["sales", "--qr"]):
        run_shortlink(project, *args)
        assert replayed(project, monkeypatch, capsys, *args) is None


def test_an_unreadable_site_url_is_one_line(project):
    """urlsplit raises on an unclosed IPv6 address; the command says which key is wrong.
    (MkDocs' own validation of site_url raises there too, before any plugin runs.)"""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("https://owner.example/", "http://[::1/"))
    run = run_shortlink(project, "sales", "--lang", "en")
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        "shortlink: mkdocs.yml: site_url: 'http://[::1/' is not a valid address (its host or "
        "port cannot be read), e.g. 'https://erika.example/'"]
    assert not (project / "shortlinks.yml").exists()  # no code was issued


@pytest.mark.parametrize("case", ["lock-folder", "long-config", "full-disk"])
def test_a_system_error_is_one_line(project, case):
    """What the system refuses (a lock file that is a folder, a name too long, a full disk) is
    told in one line naming the file, with exit 1 and the registry untouched."""
    assert run_shortlink(project, "list").returncode == 0  # the registry has its codes
    registry = project / "shortlinks.yml"
    before = registry.read_bytes()
    if case == "lock-folder":
        (project / "shortlinks.yml.lock").unlink(missing_ok=True)
        (project / "shortlinks.yml.lock").mkdir()
        run = run_shortlink(project, "new", "sales", "--lang", "en")
        expected = "shortlinks.yml.lock: cannot be used: Is a directory"
    elif case == "long-config":
        run = run_shortlink(project, "--config", "x" * 5000, "sales")
        expected = "File name too long"
    else:
        with open("/dev/full", "w") as full:
            proc = subprocess.run([sys.executable, str(REPO / "scripts" / "shortlink.py"),
                                   "list"], cwd=project, stdout=full, stderr=subprocess.PIPE,
                                  text=True, timeout=60)
        run = Run(proc.returncode, "", proc.stderr)
        expected = "No space left on device"
    assert run.returncode == 1, run.stderr
    [line] = run.stderr.splitlines()
    assert line.startswith("shortlink: ") and line.endswith(expected) and len(line) < 300, line
    assert registry.read_bytes() == before


def test_a_qr_code_on_a_terminal_without_unicode(project):
    """Half blocks cannot be encoded in ASCII: the code is drawn with ANSI-coloured spaces."""
    run = run_shortlink(project, "sales", "--lang", "en", "--qr",
                        env={"PYTHONIOENCODING": "ascii", "LC_ALL": "C", "LANG": "C"})
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert "\x1b[" in run.stdout and run.stdout.isascii()


@pytest.mark.parametrize("change", [
    {"theme": {"name": "nonexistent"}},
    {"markdown_extensions": ["attr_list", "md_in_html", "no_such_extension"]},
    {"site_dir": "docs/site"},
])
def test_no_code_is_issued_for_a_configuration_the_build_refuses(tmp_path, change):
    """MkDocs validates the theme, the extensions and site_dir before any plugin runs: where
    it refuses, the command refuses too, in one line, and writes nothing."""
    project = make_project(tmp_path, config=change)
    build = run_mkdocs(project)
    assert build.returncode != 0
    run = run_shortlink(project, "list")
    assert run.returncode == 1, run.stdout
    [line] = run.stderr.splitlines()
    key = next(iter(change))
    assert line.startswith(f"shortlink: mkdocs.yml: Config value '{key}': "), line
    assert f"Config value '{key}': " in build.stderr  # the value the build names
    assert not (project / "shortlinks.yml").exists()
