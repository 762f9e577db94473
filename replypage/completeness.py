"""Translation completeness: per locale, what is missing or stale relative to the default locale."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.pofile import read_po

from .compose import persona_fields
from .i18n import CATALOG_DIR, catalog_path
from .library import Library
from .model import Locale, Settings

SOURCE_LANGUAGE = "en"  # msgids are English: an English catalog may leave them untranslated


@dataclass
class LocaleReport:
    locale: Locale
    missing_sections: list[str] = field(default_factory=list)
    missing_strings: list[str] = field(default_factory=list)  # "persona.field", "greeting"
    missing_messages: list[str] = field(default_factory=list)  # UI msgids
    stale_sections: list[str] = field(default_factory=list)  # older than the default's text

    @property
    def complete(self) -> bool:
        return not (self.missing_sections or self.missing_strings or self.missing_messages)

    def lines(self) -> list[str]:
        out = [f"{self.locale.id}: {'complete' if self.complete else 'INCOMPLETE'}"
               + (f", {len(self.stale_sections)} stale" if self.stale_sections else "")]
        for label, items in (("missing sections", self.missing_sections),
                             ("missing persona strings", self.missing_strings),
                             ("missing UI strings", self.missing_messages),
                             ("stale sections (default locale changed since)",
                              self.stale_sections)):
            if items:
                out.append(f"  {label}: {', '.join(items)}")
        return out


def commit_times(paths: list[Path], cwd: Path) -> dict[Path, int]:
    """Last commit time per file, from one `git log` call; empty when git is unavailable."""
    try:
        out = subprocess.run(["git", "log", "--format=@%ct", "--name-only", "--", "."],
                             cwd=cwd, capture_output=True, text=True, timeout=30, check=True)
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=cwd,
                             capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return {}
    root = Path(top.stdout.strip())
    wanted = {path.resolve() for path in paths}
    times: dict[Path, int] = {}
    stamp = 0
    for line in out.stdout.splitlines():
        if line.startswith("@"):
            stamp = int(line[1:])
        elif line:
            path = (root / line).resolve()
            if path in wanted and path not in times:
                times[path] = stamp  # newest first: the first mention is the last change
    return times


def missing_messages(locale: Locale) -> list[str]:
    """UI msgids without a translation in the locale's catalog or the one it falls back to."""
    language = locale.babel.split("_")[0].split("@")[0]
    if language == SOURCE_LANGUAGE:
        return []
    template = CATALOG_DIR / "messages.pot"
    with template.open("rb") as fh:
        msgids = [m.id for m in read_po(fh) if m.id]
    translated: set[str] = set()
    for candidate in dict.fromkeys([locale.babel, language]):
        path = catalog_path(candidate)
        if path.is_file():
            with path.open("rb") as fh:
                translated |= {m.id for m in read_po(fh) if m.id and m.string and not m.fuzzy}
    return [msgid for msgid in msgids if msgid not in translated]


def report(settings: Settings, library: Library, locales: list[Locale] | None = None
           ) -> list[LocaleReport]:
    """Completeness of each locale (default: every locale the library knows)."""
    default = settings.default_locale
    reference = sorted(sid for sid, loc in library.sections if loc == default.id)
    persona_ids = [p.id for p in settings.personas]
    sources = [s.path for s in library.sections.values()]
    times = commit_times(sources, settings.docs_dir)
    reports = []
    for locale in locales or list(settings.known_locales.values()):
        result = LocaleReport(locale)
        strings = library.persona_strings.get(locale.id, {})
        for section_id in reference:
            own = library.sections.get((section_id, locale.id))
            if own is None:
                result.missing_sections.append(section_id)
                continue
            base = library.sections[(section_id, default.id)]
            if locale.id != default.id and times.get(base.path.resolve(), 0) > times.get(
                    own.path.resolve(), 0):
                result.stale_sections.append(section_id)
        for persona_id in persona_ids:
            for name in persona_fields(persona_id):
                if name not in strings.get(persona_id, {}):
                    result.missing_strings.append(f"{persona_id}.{name}")
        if locale.id not in library.greetings:
            result.missing_strings.append("greeting")
        result.missing_messages = missing_messages(locale)
        reports.append(result)
    return reports
