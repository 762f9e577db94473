"""Shared fixtures: build sites through the real `mkdocs` command into tmp_path."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
SHARED = REPO.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current output")


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def run_shortlink(project: Path, *args: str, env: dict | None = None) -> Run:
    """The `shortlink` command through its real entry point, as the owner runs it."""
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "shortlink.py"), *args],
                          cwd=project, capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)
    return Run(proc.returncode, proc.stdout, proc.stderr)


# Variables that tell a build which host it is for; a test sets them, never the shell.
HOST_VARIABLES = ("REPLYPAGE_HOST", "NETLIFY", "CF_PAGES")


def run_mkdocs(project: Path, *args: str, env: dict | None = None) -> Run:
    """`mkdocs build` in `project`, as an owner runs it; `env` adds to the environment."""
    inherited = {k: v for k, v in os.environ.items() if k not in HOST_VARIABLES}
    env = {**inherited, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", *args], cwd=project,
                          capture_output=True, text=True, env=env, timeout=300)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def make_project(tmp_path: Path, plugin: dict | None = None, files: dict[str, str] | None = None,
                 base: Path = MINI, project_files: dict | None = None,
                 symlinks: dict[str, str] | None = None, config: dict | None = None) -> Path:
    """Copy a fixture site to tmp_path, merge `plugin` into its plugin config and `config` into
    mkdocs.yml, write `files` (under docs/) and `project_files` (beside mkdocs.yml; text, bytes,
    or None for a folder), and make `symlinks` (under docs/, to a path beside mkdocs.yml or an
    absolute one)."""
    project = tmp_path / "project"
    shutil.copytree(base / "docs", project / "docs")
    if (base / "shortlinks.yml").is_file():
        shutil.copy(base / "shortlinks.yml", project / "shortlinks.yml")
    extra = config
    config = yaml.safe_load((base / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(REPO / "overrides")
    entry = config["plugins"][0]["replypage"]
    for key, value in (plugin or {}).items():
        if value is None:
            entry.pop(key, None)
        elif isinstance(value, dict) and isinstance(entry.get(key), dict):
            entry[key] = {**entry[key], **value}
        else:
            entry[key] = value
    for key, value in (extra or {}).items():
        if value is None:
            config.pop(key, None)
        else:
            config[key] = value
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True),
                                        encoding="utf-8")
    for rel, text in (files or {}).items():
        target = project / "docs" / rel
        if text is None:
            target.unlink()
            continue
        _write(target, text)
    for rel, content in (project_files or {}).items():
        _write(project / rel, content)
    for rel, target in (symlinks or {}).items():
        link = project / "docs" / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target if Path(target).is_absolute() else project / target)
    return project


def _write(target: Path, content: str | bytes | None) -> None:
    """Text as UTF-8, bytes as they are, None: a folder where a file might be expected."""
    if content is None:
        target.mkdir(parents=True, exist_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site (the repository's own mkdocs.yml), built once per session, strictly."""
    site = tmp_path_factory.mktemp("example") / "site"
    run = run_mkdocs(REPO, "--strict", "--site-dir", str(site))
    assert run.returncode == 0, run.stderr
    return site


@pytest.fixture(scope="session")
def example_plan():
    """The example site's plan, composed by the core exactly as the build composes it."""
    from replypage.project import load_plan

    return load_plan(REPO / "mkdocs.yml", strict=True)[1]


SUB_PATH_URL = "https://example.org/kontakt/"


@pytest.fixture(scope="session")
def sub_path_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site built for a sub-path site_url, strictly."""
    project = make_project(tmp_path_factory.mktemp("subpath"), base=REPO)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("https://erika.example/", SUB_PATH_URL))
    run = run_mkdocs(project, "--strict")
    assert run.returncode == 0, run.stderr
    return project / "site"


# Debian's Chromium, driven by Playwright: one browser for the whole session (Playwright's
# synchronous API runs one event loop per process, so two launches would collide).
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if path is None or sync_playwright is None:
        reason = ("Debian's chromium is not installed (apt-get install chromium)" if path is None
                  else "playwright is not installed (pip install -e '.[test]')")
        if os.environ.get("REPLYPAGE_REQUIRE_BROWSER"):
            pytest.fail(f"browser tests are required here: {reason}")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=FLAGS)
        yield browser
        browser.close()
