"""The section library: one Markdown file per section and locale, plus persona strings per locale.

Layout under the docs folder (folder names configurable)::

    sections/<section>/<locale>.md      the shipped text of a section
    personas/<locale>.yml               slug, title, summary, intro, description, decline per
                                        persona, and the locale's greeting
    own/sections/<section>/<locale>.md  the owner's text: replaces or adds a section
    own/personas/<locale>.yml           the owner's persona strings: override field by field
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .files import load_yaml, read_text, shown
from .model import ConfigError, Settings
from .settings import is_inside

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)
SECTION_KEYS = {"title", "heading", "examples"}
EXAMPLE_KINDS = ("bad", "good")
PERSONA_STRING_KEYS = {"slug", "title", "summary", "intro", "description", "decline"}
# Per locale, beside the personas: how a decline message greets a reader by name.
GREETING, GREETING_LOWERCASE = "greeting", "greeting_lowercase"
ID = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")


@dataclass(frozen=True)
class Section:
    """One section's text in one locale."""

    id: str
    locale_id: str
    title: str
    body: str
    path: Path
    heading: bool = True
    examples: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    own: bool = False

    def examples_for(self, persona_id: str) -> dict[str, tuple[str, ...]]:
        """The persona's example requests, or the general ones: {"bad": (...), "good": (...)}."""
        return self.examples.get(persona_id) or self.examples.get("general") or {}


@dataclass(frozen=True)
class Greeting:
    """How a decline message opens with the reader's name: "Guten Tag {name}," and whether the
    message then continues in lower case, as after a German or Polish salutation."""

    text: str
    lowercase: bool
    path: Path


@dataclass
class Library:
    sections: dict[tuple[str, str], Section]
    persona_strings: dict[str, dict[str, dict[str, str]]]  # locale => persona => field => text
    persona_files: dict[str, list[Path]]  # locale => files the strings came from
    persona_sources: dict[tuple[str, str, str], Path] = field(default_factory=dict)
    # (locale, persona, field) => the file that set it last (the owner's wins)
    greetings: dict[str, Greeting] = field(default_factory=dict)  # locale => greeting

    def section_ids(self) -> list[str]:
        return sorted({section_id for section_id, _ in self.sections})


def display(path: Path, settings: Settings) -> str:
    """A path as the owner sees it: relative to the project folder where possible."""
    root = resolved_folder(str(settings.docs_dir)).parent
    path = Path(path)
    try:  # the link itself, not its target: "docs/x.md", even where x.md is a link
        return str((resolved_folder(str(path.parent)) / path.name).relative_to(root))
    except ValueError:
        return str(path)


@lru_cache(maxsize=1024)
def resolved_folder(folder: str) -> Path:
    """Path(folder).resolve(), asked once per folder and plan (plan_site clears it): every
    file of the library is shown to the owner through its folder."""
    return Path(folder).resolve()


def split_front_matter(text: str, where: str) -> tuple[dict[str, Any], str]:
    """'---\\ntitle: X\\n---\\nBody' => ({'title': 'X'}, 'Body')."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta = load_yaml(match.group(1) or "", where, "front matter", line_offset=1) or {}
    if not isinstance(meta, dict):
        raise ConfigError(where, "front matter", "expected a mapping such as 'title: Closing'")
    return meta, text[match.end():]


def library_files(root: Path, pattern: str, settings: Settings, *,
                  required: bool = False) -> list[Path]:
    """The files of one library folder; a link that leads out of the docs folder is refused,
    since its target would be read into the site. The owner's folders may be missing; the
    library's own (`required`) may not."""
    if root.exists() and not root.is_dir():
        raise ConfigError(display(root, settings), "", "is a file; a folder belongs here")
    if required and not root.exists():
        raise ConfigError(display(root, settings), "", "not found: the section library "
                          "belongs here (see sections_dir and personas_dir)")
    paths = sorted(root.glob(pattern)) if root.is_dir() else []
    for path in paths:
        if not is_inside(path.resolve(), settings.docs_dir):
            raise ConfigError(display(path, settings), "", "is a link to a file outside the "
                              f"docs folder {settings.docs_dir.name!r}; copy the file instead")
    return paths


def load_library(settings: Settings, persona_ids: set[str]) -> Library:
    """Read the shipped library and the owner's overrides; validate every file."""
    sections: dict[tuple[str, str], Section] = {}
    for root, own in ((settings.sections_dir, False), (settings.own_dir / "sections", True)):
        for path in library_files(root, "*/*.md", settings, required=not own):
            section = _read_section(path, settings, persona_ids, own)
            sections[(section.id, section.locale_id)] = section

    strings: dict[str, dict[str, dict[str, str]]] = {}
    files: dict[str, list[Path]] = {}
    sources: dict[tuple[str, str, str], Path] = {}
    greetings: dict[str, Greeting] = {}
    for root in (settings.personas_dir, settings.own_dir / "personas"):
        for path in library_files(root, "*.yml", settings,
                                  required=root == settings.personas_dir):
            locale_id = path.stem
            per_locale = strings.setdefault(locale_id, {})
            files.setdefault(locale_id, []).append(path)
            personas, greeting = _read_persona_strings(path, settings, persona_ids)
            for persona_id, values in personas.items():
                per_locale[persona_id] = {**per_locale.get(persona_id, {}), **values}
                for name in values:
                    sources[(locale_id, persona_id, name)] = path
            if greeting is not None:
                greetings[locale_id] = greeting
    return Library(sections=sections, persona_strings=strings, persona_files=files,
                   persona_sources=sources, greetings=greetings)


def _read_section(path: Path, settings: Settings, persona_ids: set[str], own: bool) -> Section:
    where = display(path, settings)
    section_id, locale_id = path.parent.name, path.stem
    if not ID.match(section_id):
        raise ConfigError(where, "", f"section folder {section_id!r} is not a valid id: use a-z, "
                                     "0-9 and '-', e.g. 'checklist'")
    if locale_id not in settings.known_locales:
        raise ConfigError(where, "", f"unknown locale {locale_id!r} in the file name "
                                     f"(known: {', '.join(settings.known_locales)})")
    meta, body = split_front_matter(read_text(path, where), where)
    for key in meta:
        if key not in SECTION_KEYS:
            raise ConfigError(where, str(key), "unknown front matter key (expected one of: "
                                               f"{', '.join(sorted(SECTION_KEYS))})")
    title = meta.get("title")
    if title is not None and not isinstance(title, str):
        raise ConfigError(where, "title", f"expected a line of text, got {shown(title)}")
    if not isinstance(title, str) or not title.strip():
        raise ConfigError(where, "title", "missing: every section needs a title, e.g. "
                                          "'title: What works instead'")
    heading = meta.get("heading", True)
    if not isinstance(heading, bool):
        raise ConfigError(where, "heading", f"expected true or false, got {shown(heading)}")
    examples = _examples(meta.get("examples", {}), where, persona_ids)
    return Section(id=section_id, locale_id=locale_id, title=title.strip(), body=body.strip(),
                   path=path, heading=heading, examples=examples, own=own)


def _examples(value: Any, where: str, persona_ids: set[str]) -> dict[str, dict[str, tuple]]:
    """examples: {persona: {bad: text or [texts], good: ...}}, every persona known."""
    if not isinstance(value, dict):
        raise ConfigError(where, "examples", "expected a mapping persona => {bad: ..., good: ...}")
    result = {}
    for persona_id, kinds in value.items():
        key = f"examples.{persona_id}"
        if persona_id not in persona_ids:
            raise ConfigError(where, key, f"unknown persona {shown(persona_id)} "
                                          f"(known: {', '.join(sorted(persona_ids))})")
        if not isinstance(kinds, dict) or set(kinds) - set(EXAMPLE_KINDS):
            raise ConfigError(where, key, "expected a mapping with 'bad' and 'good' messages")
        entry = {}
        for kind in EXAMPLE_KINDS:
            texts = kinds.get(kind)
            texts = [texts] if isinstance(texts, str) else texts
            if not texts or not all(isinstance(t, str) and t.strip() for t in texts):
                raise ConfigError(where, f"{key}.{kind}", "expected a message or a list of them")
            entry[kind] = tuple(t.strip() for t in texts)
        result[persona_id] = entry
    return result


def _read_persona_strings(path: Path, settings: Settings, persona_ids: set[str]
                          ) -> tuple[dict[str, dict[str, str]], Greeting | None]:
    where = display(path, settings)
    if path.stem not in settings.known_locales:
        raise ConfigError(where, "", f"unknown locale {path.stem!r} in the file name "
                                     f"(known: {', '.join(settings.known_locales)})")
    data = load_yaml(read_text(path, where), where) or {}
    if not isinstance(data, dict):
        raise ConfigError(where, "", "expected a mapping persona => {slug, title, ...}")
    greeting = _greeting(data.pop(GREETING, None), data.pop(GREETING_LOWERCASE, None), path,
                         where)
    result = {}
    for persona_id, values in data.items():
        if persona_id not in persona_ids:
            raise ConfigError(where, str(persona_id), f"unknown persona (known: "
                                                      f"{', '.join(sorted(persona_ids))})")
        if not isinstance(values, dict):
            raise ConfigError(where, persona_id, "expected a mapping with slug, title, intro, "
                                                 "description, decline")
        for key, text in values.items():
            if key not in PERSONA_STRING_KEYS:
                raise ConfigError(where, f"{persona_id}.{key}", "unknown key (expected one of: "
                                  f"{', '.join(sorted(PERSONA_STRING_KEYS))})")
            if not isinstance(text, str) or not text.strip():
                raise ConfigError(where, f"{persona_id}.{key}", "expected a non-empty string")
            if key == "slug" and not ID.match(text):
                raise ConfigError(where, f"{persona_id}.{key}", f"{shown(text)} is not a valid "
                                                               "slug: use a-z, 0-9 and '-'")
        result[persona_id] = {k: v.strip() for k, v in values.items()}
    return result, greeting


def _greeting(text: Any, lowercase: Any, path: Path, where: str) -> Greeting | None:
    """greeting: "Guten Tag {name}," with {name} once; greeting_lowercase: true or false."""
    if text is None:
        if lowercase is not None:
            raise ConfigError(where, GREETING_LOWERCASE, f"set only together with {GREETING!r}")
        return None
    if not isinstance(text, str) or not text.strip():
        raise ConfigError(where, GREETING, "expected a string such as 'Guten Tag {name},'")
    names = re.findall(r"\{([^{}]*)\}", text)
    if names != ["name"]:
        raise ConfigError(where, GREETING, "expected the placeholder {name} once and no other, "
                                           "e.g. 'Guten Tag {name},'")
    if lowercase is None:
        lowercase = False
    if not isinstance(lowercase, bool):
        raise ConfigError(where, GREETING_LOWERCASE, f"expected true or false, got "
                                                     f"{shown(lowercase)}")
    return Greeting(text=text.strip(), lowercase=lowercase, path=path)
