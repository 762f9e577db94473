"""Read the owner's mkdocs.yml as MkDocs reads it, without MkDocs: for the command line.

The same YAML tags (`!ENV`, `!relative`, Python names), `INHERIT`, the plugin list written as a
list or a mapping, and the same checks as the build: the plugin's options go through the same
core validation, `site_url` and `use_directory_urls` through the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
import yaml_env_tag

from .compose import SitePlan, plan_site
from .files import SafeLoader, load_yaml, read_text, shown
from .model import ConfigError
from .settings import check_directory_urls, site_address

PLUGIN = "replypage"


class MkDocsLoader(SafeLoader):
    """MkDocs' YAML: `!ENV` resolved as MkDocs resolves it; `!relative` and `!!python/...`
    values (which MkDocs turns into paths and objects for Markdown extensions) kept as text,
    since the reply page needs none of them."""


def _as_text(loader: MkDocsLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


MkDocsLoader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)
MkDocsLoader.add_multi_constructor("!relative", _as_text)
MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", _as_text)


@dataclass
class Project:
    """The parts of mkdocs.yml the reply page needs."""

    config_file: Path
    docs_dir: Path
    site_url: str  # absolute, ending in "/"
    plugin: dict[str, Any]
    config_files: list[Path]  # mkdocs.yml and every file it INHERITs from


def read_config(config_file: Path, seen: tuple[Path, ...] = (),
                files: list[Path] | None = None) -> dict[str, Any]:
    """mkdocs.yml as a mapping, with `INHERIT`ed files merged in as MkDocs merges them; the
    files read are appended to `files`."""
    from mergedeep import merge

    name = config_file.name if not seen else str(config_file)
    if not config_file.exists():
        raise ConfigError(name, "", "not found: run this in the folder of your mkdocs.yml or "
                                    "pass --config")
    data = load_yaml(read_text(config_file, name), name, loader=MkDocsLoader)
    if files is not None:
        files.append(config_file)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(name, "", "expected a mapping of MkDocs settings")
    if "INHERIT" in data:
        parent = config_file.parent / str(data.pop("INHERIT"))
        if parent.resolve() in seen:
            raise ConfigError(name, "INHERIT", "inherits from itself")
        data = merge(read_config(parent, (*seen, config_file.resolve()), files), data)
    return data


def plugin_options(data: dict[str, Any], source: str) -> dict[str, Any]:
    """The replypage plugin's options, whether `plugins:` is a list or a mapping."""
    plugins = data.get("plugins")
    entries = plugins.items() if isinstance(plugins, dict) else [
        (entry, None) if isinstance(entry, str) else next(iter(entry.items()), (None, None))
        for entry in plugins or [] if isinstance(entry, (str, dict))]
    for name, options in entries:
        if name != PLUGIN:
            continue
        options = {} if options is None else options
        if not isinstance(options, dict):
            raise ConfigError(source, f"plugins.{PLUGIN}", f"expected a mapping of options, got "
                                                           f"{shown(options)}")
        enabled = options.get("enabled", True)
        if not isinstance(enabled, bool):
            raise ConfigError(source, f"plugins.{PLUGIN}.enabled", f"expected true or false, "
                                                                   f"got {shown(enabled)}")
        if not enabled:
            raise ConfigError(source, f"plugins.{PLUGIN}.enabled", "the plugin is switched off")
        return {key: value for key, value in options.items() if key != "enabled"}
    raise ConfigError(source, "plugins", f"the '{PLUGIN}' plugin is not configured, e.g. "
                                         f"plugins: [{PLUGIN}]")


def read_project(config_file: Path) -> Project:
    """mkdocs.yml => its docs_dir, site_url and the plugin's options, checked as the build
    checks them."""
    files: list[Path] = []
    data = read_config(config_file, files=files)
    source = config_file.name
    options = plugin_options(data, source)
    check_directory_urls(data.get("use_directory_urls", True), source)
    docs_dir = data.get("docs_dir") or "docs"
    if not isinstance(docs_dir, str):
        raise ConfigError(source, "docs_dir", f"expected a folder name, got {shown(docs_dir)}")
    return Project(config_file=config_file, docs_dir=config_file.parent / docs_dir,
                   site_url=site_address(data.get("site_url"), source), plugin=options,
                   config_files=files)


def load_plan(config_file: Path, *, strict: bool = False) -> tuple[Project, SitePlan]:
    """Read mkdocs.yml and compose the site plan, exactly as the build does."""
    project = read_project(config_file)
    plan = plan_site(project.plugin, project.docs_dir, strict=strict, source=config_file.name,
                     config_dir=config_file.parent)
    return project, plan
