"""The product's concepts as plain data: owner, locale, persona, section, site."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

INVITATION_NOTE = 200  # characters a free LinkedIn invitation note holds

class ConfigError(Exception):
    """Bad input, reported as one line naming the file and the key."""

    def __init__(self, where: str, key: str, message: str) -> None:
        self.where = where
        self.key = key
        self.message = message
        # A rejected value can be any length (a 5,000-character key, a pasted essay): the
        # line stays readable, each part cut with an ellipsis.
        where, key, message = capped(where, 200), capped(key, 120), capped(message, 400)
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")


def capped(text: str, limit: int = 400) -> str:
    """ "x" * 500 => the first 399 characters and "…"."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass(frozen=True)
class Locale:
    """A language (and tone variant) the site is built in."""

    id: str  # config id, file stem in the library and default URL path: "de", "du"
    code: str  # language tag for <html lang> and hreflang: "de"
    tone: str | None  # "formal", "informal" or None where the language has one register
    babel: str  # Babel identifier for catalogs and display names: "de_DE@informal"
    path: str  # URL path segment
    name: str  # display name in its own language: "Deutsch (du)"
    rtl: bool

    @property
    def og_locale(self) -> str:
        """Open Graph form: "de" => "de_DE", "en_GB" => "en_GB": the locale's own territory, else
        Babel's likely territory for the language."""
        from babel import Locale as BabelLocale
        from babel.core import get_global

        parsed = BabelLocale.parse(self.babel)
        language = parsed.language
        territory = parsed.territory  # "en_GB" => GB: the variant the text is written in
        if territory is None:
            likely = get_global("likely_subtags").get(language, "").split("_")
            territory = likely[-1] if len(likely) >= 2 and likely[-1].isupper() else None
        return f"{language}_{territory}" if territory else language


@dataclass(frozen=True)
class Contact:
    label: dict[str, str]  # per locale id, with "*" as the fallback
    url: str


@dataclass(frozen=True)
class Owner:
    name: str
    role: dict[str, str]
    contact: Contact
    salutation: dict[str, str] = field(default_factory=dict)  # how strangers greet the owner


@dataclass(frozen=True)
class Reading:
    """One further-reading entry: an essay cited by title and author."""

    title: str
    author: str | None = None
    publication: str | None = None
    url: str | None = None
    lang: str | None = None  # the language the essay is written in, e.g. "de"
    rtl: bool = False  # that language is written right to left


@dataclass(frozen=True)
class Legal:
    """Legal notice (Impressum) and privacy statement data; pages exist only when configured."""

    name: str
    address: str
    email: str
    phone: str | None = None
    vat_id: str | None = None
    privacy: bool = True
    updated: date | None = None
    host: str | None = None  # the hosting provider, who processes access logs for the owner
    log_days: int | None = None  # how long the host keeps access logs


@dataclass(frozen=True)
class Persona:
    """A page variant answering one kind of request."""

    id: str
    sections: tuple[str, ...]
    tone: str | None = None
    slug: dict[str, str] = field(default_factory=dict)  # owner overrides per locale id
    title: dict[str, str] = field(default_factory=dict)
    summary: dict[str, str] = field(default_factory=dict)  # its entry in the general page's list
    intro: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    decline: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    """The validated plugin configuration."""

    owner: Owner
    locales: tuple[Locale, ...]
    known_locales: dict[str, Locale]
    default_locale: Locale
    personas: tuple[Persona, ...]
    further_reading: tuple[Reading, ...]
    docs_dir: Path
    sections_dir: Path
    personas_dir: Path
    own_dir: Path
    persona_ids: frozenset[str]  # every persona defined, retired ones too
    registry: Path  # the short-link registry file
    source: str  # the configuration file's name, for messages
    legal: Legal | None = None
    desk: str | None = None  # the owner's desk: its path under the site, or none

    def locale(self, locale_id: str) -> Locale:
        for locale in self.locales:
            if locale.id == locale_id:
                return locale
        raise KeyError(locale_id)

    def persona(self, persona_id: str) -> Persona:
        for persona in self.personas:
            if persona.id == persona_id:
                return persona
        raise KeyError(persona_id)
