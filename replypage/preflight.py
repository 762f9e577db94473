"""Everything that can fail on the owner's data, checked before anything is written.

The build (before MkDocs cleans site/) and the `shortlink` command both run the preflight:
configuration and library (the site plan), the site's address, every decline message with its
real link, new short codes chosen in memory, and the output manifest. Only when the run that
needs them has succeeded are new codes written to the registry (`commit`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .answers import FROZEN_ENV
from .compose import SitePlan
from .legal import LegalPage, legal_pages
from .links import Resolved, check_decline, check_greeted, resolve, short_url
from .manifest import Manifest, build_manifest, owner_files
from .model import ConfigError
from .settings import is_inside
from .shortlinks import Registry, ShortLink, default_link


@dataclass
class Preflight:
    """A checked site: its plan, address, short links (new ones not yet written) and outputs."""

    plan: SitePlan
    site_url: str
    links: list[ShortLink]  # the registry's entries followed by the new ones
    new: list[ShortLink]  # chosen in this run, not yet in the registry
    resolved: list[Resolved]
    legal: list[LegalPage]
    manifest: Manifest
    warnings: list[str]

    def url(self, persona_id: str, locale_id: str) -> str:
        """The short URL of a persona page's default code."""
        link = default_link(self.links, persona_id, locale_id)
        assert link is not None  # preflight gave every page a default code
        return short_url(self.site_url, link.code)

    def commit(self) -> None:
        """Write the new codes to the registry, once the run that used them succeeded."""
        Registry(self.plan.settings.registry).add(self.new)
        self.new = []


def reserved_names(plan: SitePlan, files: list[tuple[Path, str]]) -> set[str]:
    """Names a new code must not take: everything the manifest claims at the top of the site
    (pages, the build's own files and folders, the owner's files) and every locale path the
    section library knows. (Codes already issued are never reused either: see new_code.)"""
    claims = build_manifest(plan, [], plan.settings.registry.name, files)
    names = claims.top_level_names()
    return names | {locale.path for locale in plan.settings.known_locales.values()}


def preflight(plan: SitePlan, site_url: str) -> Preflight:
    """Check the whole site without writing anything; raise ConfigError at the first problem."""
    settings = plan.settings
    registry = Registry(settings.registry)
    if is_inside(settings.registry, settings.docs_dir):
        raise ConfigError(settings.source, "plugins.replypage.registry",
                          f"{settings.registry.name} is inside the docs folder "
                          f"{settings.docs_dir.name!r} and would be published; keep it beside "
                          "mkdocs.yml")
    files = owner_files(plan)
    existing = registry.read()
    targets = [(page.persona.id, page.locale.id) for page in plan.pages]
    new = Registry.missing_defaults(existing, targets, reserved_names(plan, files))
    if new and os.environ.get(FROZEN_ENV, "") not in ("", "0", "false"):
        missing = ", ".join(f"{link.persona} in {link.locale}" for link in new)
        raise ConfigError(registry.path.name, "", f"no code yet for {missing}; run "
                          "`shortlink list` where you edit the site and commit "
                          f"{registry.path.name} (a deploy never issues codes)")
    links = existing + new
    greeted = []
    for page in plan.pages:
        url = short_url(site_url, default_link(links, page.persona.id, page.locale.id).code)
        check_decline(plan, page, url)
        greeted.append(check_greeted(page, url))
    resolved, warnings = resolve(plan, links, new)
    warnings += [warning for warning in greeted if warning]
    legal = legal_pages(settings)
    manifest = build_manifest(plan, resolved, registry.path.name, files, legal)
    return Preflight(plan=plan, site_url=site_url, links=links, new=new, resolved=resolved,
                     legal=legal, manifest=manifest, warnings=warnings)
