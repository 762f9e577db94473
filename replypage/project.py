"""Read the owner's mkdocs.yml without MkDocs, for the command line and the tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .compose import SitePlan, plan_site
from .model import ConfigError

PLUGIN = "replypage"


class _TolerantLoader(yaml.SafeLoader):
    """Safe YAML that reads MkDocs' own tags (!ENV, !!python/name:...) as plain values."""


def _any_tag(loader: _TolerantLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_TolerantLoader.add_multi_constructor("!", _any_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


@dataclass
class Project:
    """The parts of mkdocs.yml the reply page needs."""

    config_file: Path
    docs_dir: Path
    site_url: str
    plugin: dict[str, Any] | None


def read_project(config_file: Path) -> Project:
    """mkdocs.yml => its docs_dir, site_url and the plugin's options."""
    name = config_file.name
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except FileNotFoundError:
        raise ConfigError(str(config_file), "", "not found: run this in the folder of your "
                                                "mkdocs.yml or pass --config") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(name, "", f"invalid YAML{line}") from None
    if not isinstance(data, dict):
        raise ConfigError(name, "", "expected a mapping of MkDocs settings")
    plugin: dict[str, Any] | None = None
    found = False
    for entry in data.get("plugins") or []:
        if entry == PLUGIN:
            found = True
        elif isinstance(entry, dict) and PLUGIN in entry:
            found, plugin = True, entry[PLUGIN]
    if not found:
        raise ConfigError(name, "plugins", f"the '{PLUGIN}' plugin is not configured, e.g. "
                                           f"plugins: [{PLUGIN}]")
    site_url = data.get("site_url") or ""
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    return Project(config_file=config_file,
                   docs_dir=config_file.parent / (data.get("docs_dir") or "docs"),
                   site_url=site_url, plugin=plugin)


def load_plan(config_file: Path, *, strict: bool = False) -> tuple[Project, SitePlan]:
    """Read mkdocs.yml and compose the site plan, exactly as the build does."""
    project = read_project(config_file)
    options = {k: v for k, v in (project.plugin or {}).items() if k != "enabled"}
    plan = plan_site(options, project.docs_dir, strict=strict, source=config_file.name,
                     config_dir=config_file.parent)
    return project, plan
