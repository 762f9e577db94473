"""Bad input: one clear line naming the file and the key, non-zero exit, no traceback, and the
previous site left as it was. One corpus file per reason in tests/bad/."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml
from conftest import make_project, run_mkdocs, run_shortlink

BAD = Path(__file__).resolve().parent / "bad"
CASES = sorted(BAD.glob("*.yml"))
LEVEL = re.compile(r"^(ERROR|WARNING|INFO)\s+-\s+")


def load_case(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def message_lines(stderr: str) -> list[str]:
    """stderr as the owner reads it, without MkDocs' log-level prefix."""
    return [LEVEL.sub("", line).strip() for line in stderr.splitlines()]


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_corpus_is_not_empty():
    assert len(CASES) >= 15


def project_for(tmp_path: Path, spec: dict) -> Path:
    return make_project(tmp_path, spec.get("plugin"), spec.get("files"),
                        project_files=spec.get("project_files"), symlinks=spec.get("symlinks"),
                        config=spec.get("config"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_bad_input_is_reported_in_one_line(tmp_path, case):
    """Through `mkdocs build`, and through `shortlink list` where the case says so: the
    command checks what the build checks. Neither writes the registry."""
    spec = load_case(case)
    project = project_for(tmp_path, spec)
    registry = project / "shortlinks.yml"
    before = registry.read_bytes() if registry.exists() else None
    run = run_mkdocs(project, *spec.get("args", []))
    assert run.returncode != 0, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert spec["error"] in message_lines(run.stderr), run.stderr
    if spec.get("command", True):
        command = run_shortlink(project, "list", *spec.get("command_args", []))
        assert command.returncode == 1, command.stdout
        assert command.stderr.splitlines() == [f"shortlink: {spec['error']}"]
    assert (registry.read_bytes() if registry.exists() else None) == before


def test_the_good_fixture_builds(tmp_path):
    """Guards the corpus: each case fails for its own reason, not because the fixture is broken."""
    run = run_mkdocs(make_project(tmp_path), "--strict")
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("case", ["unknown-section", "malformed-front-matter",
                                  "missing-section-strict", "generated-page-clash"])
def test_bad_input_leaves_the_previous_site_intact(tmp_path, case):
    project = make_project(tmp_path)
    assert run_mkdocs(project).returncode == 0
    before = snapshot(project / "site")
    assert before
    spec = load_case(BAD / f"{case}.yml")
    bad = project_for(tmp_path / "bad", spec)
    (project / "mkdocs.yml").write_text((bad / "mkdocs.yml").read_text(encoding="utf-8"))
    for rel in (spec.get("files") or {}):
        source, target = bad / "docs" / rel, project / "docs" / rel
        if source.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
        else:
            target.unlink()
    run = run_mkdocs(project, *spec.get("args", []))
    assert run.returncode != 0
    assert snapshot(project / "site") == before


@pytest.mark.parametrize("late", ["registry-cannot-be-locked", "own-page-template-missing"])
def test_a_build_that_fails_after_writing_began_leaves_the_previous_site(tmp_path, late):
    """MkDocs writes into a staging folder that replaces site/ only when everything succeeded:
    a failure at the very end (the new code cannot be recorded) or in MkDocs itself (an own
    page asks for a template that does not exist) leaves site/ and the registry as they were."""
    project = make_project(tmp_path)
    assert run_mkdocs(project).returncode == 0
    before = snapshot(project / "site")
    registry = project / "shortlinks.yml"
    links = yaml.safe_load(registry.read_text(encoding="utf-8"))["links"]
    if late == "registry-cannot-be-locked":
        # One code fewer: the build issues it anew and must record it, which needs the lock.
        registry.write_text(yaml.safe_dump({"links": links[1:]}), encoding="utf-8")
        (project / "shortlinks.yml.lock").unlink(missing_ok=True)
        (project / "shortlinks.yml.lock").mkdir()
        expected = "shortlinks.yml.lock: cannot be used: Is a directory"
    else:
        (project / "docs" / "about.md").write_text("---\ntemplate: nope.html\n---\n# About\n",
                                                   encoding="utf-8")
        expected = None
    registry_before = registry.read_bytes()
    run = run_mkdocs(project)
    assert run.returncode != 0
    if expected:
        assert expected in message_lines(run.stderr), run.stderr
        assert "Traceback" not in run.stderr
    assert snapshot(project / "site") == before
    assert registry.read_bytes() == registry_before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []
