"""Validate the owner's configuration (the plugin's block in mkdocs.yml) over the embedded defaults.

Every failure raises ConfigError naming the file and the key, e.g.
``mkdocs.yml: plugins.replypage.locales[3]: unknown locale 'xx' (known: de, du, en, ...)``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urlsplit

from babel import Locale as BabelLocale
from babel import UnknownLocaleError

from .files import load_yaml, read_text, shown
from .model import ConfigError, Contact, Legal, Locale, Owner, Persona, Reading, Settings

DEFAULTS_FILE = Path(__file__).with_name("defaults.yml")
PREFIX = "plugins.replypage"
ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}\Z")
# A language tag as HTML and hreflang use it (a BCP 47 subset): "de", "pt-BR", "es-419".
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?\Z")
# A Babel locale identifier: "de", "en_GB", "de_DE@informal".
BABEL_ID = re.compile(r"^[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_(?:[A-Z]{2}|[0-9]{3}))?"
                      r"(?:@[a-z]{1,20})?\Z")
TONES = ("formal", "informal")
CONTACT_SCHEMES = ("https", "mailto", "tel")
WEB_SCHEMES = ("https", "http")
# Whitespace inside a URL, quotes, angle brackets and control characters never belong in one.
URL_UNSAFE = re.compile(r"[\s\"'<>`\\\x00-\x1f\x7f-\x9f]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

TOP_KEYS = {
    "owner", "default_locale", "locales", "personas", "further_reading",
    "sections_dir", "personas_dir", "own_dir", "registry", "legal", "desk",
}
LEGAL_KEYS = {"name", "address", "email", "phone", "vat_id", "privacy", "updated",
              "host", "log_days"}
EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+\Z")
OWNER_KEYS = {"name", "role", "salutation", "contact"}
CONTACT_KEYS = {"label", "url"}
LOCALE_KEYS = {"id", "code", "tone", "babel", "path", "name"}
PERSONA_KEYS = {"sections", "tone", "slug", "title", "summary", "intro", "description", "decline",
                "enabled"}
LOCALIZED_PERSONA_KEYS = ("slug", "title", "summary", "intro", "description", "decline")
READING_KEYS = {"title", "author", "publication", "url", "lang"}


def load_defaults() -> dict[str, Any]:
    """The embedded example configuration."""
    return load_yaml(read_text(DEFAULTS_FILE, DEFAULTS_FILE.name), DEFAULTS_FILE.name)


class _Checker:
    """Type checks that name the file and the dotted key of the value they reject."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(self.source, key, message)

    def mapping(self, value: Any, key: str, allowed: set[str] | None = None) -> dict:
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a mapping, got {_kind(value)}")
        if allowed is not None:
            for name in value:
                if name not in allowed:
                    raise self.fail(
                        f"{key}.{name}",
                        f"unknown key (expected one of: {', '.join(sorted(allowed))})",
                    )
        return value

    def string(self, value: Any, key: str, *, pattern: re.Pattern | None = None,
               example: str = "") -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected a non-empty string, got {_kind(value)}")
        if pattern is not None and not pattern.match(value):
            hint = f", e.g. '{example}'" if example else ""
            raise self.fail(key, f"{shown(value)} is not a valid id: use a-z, 0-9 and '-'{hint}")
        return value

    def line(self, value: Any, key: str) -> str:
        """One line of text: runs of whitespace (a YAML block's newlines too) become one space;
        control characters are refused. "Consultant\\n" => "Consultant"."""
        text = self.string(value, key)
        if CONTROL.search(text):
            raise self.fail(key, f"{shown(text)} contains a control character")
        return one_line(text)

    def url(self, value: Any, key: str, schemes: tuple[str, ...], example: str) -> str:
        """A URL checked by parsing: an allowed scheme, a host for web links, nothing unsafe."""
        text = self.string(value, key).strip()
        parts = None if URL_UNSAFE.search(text) else _split(text)
        problem = None
        if parts is None:
            problem = "has spaces, quotes or control characters"
        elif parts is False:
            problem = "is not a valid address (its host or port cannot be read)"
        elif parts.scheme not in schemes:
            problem = f"must start with {' or '.join(f'{s}:' for s in schemes)}"
        elif parts.scheme in WEB_SCHEMES and not parts.hostname:
            problem = "has no host name"
        if problem:
            raise self.fail(key, f"{shown(text)} {problem}, e.g. '{example}'")
        return text

    def optional_string(self, value: Any, key: str) -> str | None:
        return None if value is None else self.string(value, key)

    def items(self, value: Any, key: str) -> list:
        if not isinstance(value, list):
            raise self.fail(key, f"expected a list, got {_kind(value)}")
        return value

    def localized(self, value: Any, key: str, locale_ids: list[str]) -> dict[str, str]:
        """One line for every locale, or a mapping locale id => line ("*" for the rest)."""
        if isinstance(value, str):
            return {"*": self.line(value, key)}
        self.mapping(value, key)
        self.locale_keys(value, key, [*locale_ids, "*"])
        return {str(k): self.line(v, f"{key}.{k}") for k, v in value.items()}

    def locale_keys(self, value: dict, key: str, locale_ids: list[str]) -> None:
        """Every key of a per-locale mapping is a locale id: a typo is never silently ignored."""
        for name in value:
            if name not in locale_ids:
                raise self.fail(f"{key}.{shown(name).strip(chr(39))}",
                                f"unknown locale (known: {', '.join(locale_ids)})")

    def path_inside(self, value: Any, key: str, root: Path, label: str = "docs folder") -> Path:
        text = self.string(value, key)
        resolved = (root / text).resolve()
        if not is_inside(resolved, root):
            raise self.fail(key, f"{shown(text)} escapes the {label} {root.resolve().name!r}")
        return resolved


def is_inside(path: Path, root: Path) -> bool:
    """Whether `path` is `root` or below it, by path parts, on any system; a sibling such as
    "docs-evil" is not in "docs"."""
    return Path(path).resolve().is_relative_to(Path(root).resolve())


def one_line(text: str) -> str:
    """Collapse ASCII whitespace only: no-break spaces (French « … » and « ? ») must stay."""
    return re.sub(r"[ \t\r\n\f\v]+", " ", text).strip()


def _split(url: str) -> SplitResult | bool:
    """The parts of a URL, or False where Python cannot read its host or port:
    "http://[::1/" (an unclosed IPv6 address), "https://x.example:99999/"."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading the port validates it
    except ValueError:
        return False
    return parts


def site_address(value: Any, source: str) -> str:
    """MkDocs' site_url, required and absolute, ending in "/": link previews and short links
    need it. "https://erika.example" => "https://erika.example/"."""
    check = _Checker(source)
    if value in (None, ""):
        raise check.fail("site_url", "required for link previews and short links, "
                                     "e.g. site_url: https://erika.example/")
    url = check.url(value, "site_url", WEB_SCHEMES, "https://erika.example/")
    parts = urlsplit(url)
    if parts.query or parts.fragment or parts.username or parts.password:
        raise check.fail("site_url", f"{shown(url)} must be a plain address without a query, "
                                     "fragment or password, e.g. https://erika.example/")
    return url if url.endswith("/") else url + "/"


def check_directory_urls(value: Any, source: str) -> None:
    """The pages' URLs (/<locale>/<persona>/) need MkDocs' directory URLs."""
    if value is False:
        raise ConfigError(source, "use_directory_urls", "must be true for the reply pages' "
                                                        "URLs (/<locale>/<persona>/)")


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def load_settings(raw: dict | None, docs_dir: Path, source: str = "mkdocs.yml",
                  config_dir: Path | None = None) -> Settings:
    """Validate the plugin configuration `raw` (None: the example site) and merge the defaults.

    Folders are relative to `docs_dir`; the registry is relative to `config_dir` (the folder of
    mkdocs.yml, by default the parent of the docs folder)."""
    check = _Checker(source)
    raw = {} if raw is None else check.mapping(raw, PREFIX, TOP_KEYS)
    defaults = load_defaults()
    docs_dir = Path(docs_dir)

    known = {
        locale_id: _locale(check, {"id": locale_id, **spec}, f"defaults.known_locales.{locale_id}")
        for locale_id, spec in defaults["known_locales"].items()
    }
    locales = _locales(check, raw.get("locales", defaults["locales"]), known)
    for locale in locales:
        known.setdefault(locale.id, locale)
    ids = [locale.id for locale in locales]
    default_id = check.string(raw.get("default_locale", defaults["default_locale"]),
                              f"{PREFIX}.default_locale")
    if default_id not in ids:
        raise check.fail(f"{PREFIX}.default_locale",
                         f"{shown(default_id)} is not one of the site's locales "
                         f"({', '.join(ids)})")
    locales = _with_tone_names(locales)

    owner = _owner(check, raw["owner"] if "owner" in raw else defaults["owner"], list(known))
    personas, persona_ids = _personas(check, defaults["personas"], raw.get("personas", {}),
                                      list(known))
    reading = _reading(check, raw.get("further_reading", defaults["further_reading"]))

    dirs = {
        name: check.path_inside(raw.get(name, defaults[name]), f"{PREFIX}.{name}", docs_dir)
        for name in ("sections_dir", "personas_dir", "own_dir")
    }
    config_dir = Path(config_dir) if config_dir is not None else docs_dir.parent
    registry = check.path_inside(raw.get("registry", defaults["registry"]), f"{PREFIX}.registry",
                                 config_dir, "project folder")
    legal = _legal(check, raw["legal"], owner) if raw.get("legal") is not None else None
    desk = raw.get("desk", defaults.get("desk"))
    if desk is not None:
        desk = check.string(desk, f"{PREFIX}.desk", pattern=ID, example="desk-4n7c")
    return Settings(
        desk=desk,
        legal=legal,
        owner=owner,
        persona_ids=persona_ids,
        registry=registry,
        locales=locales,
        known_locales=known,
        default_locale=next(loc for loc in locales if loc.id == default_id),
        personas=personas,
        further_reading=reading,
        docs_dir=docs_dir,
        source=source,
        **dirs,
    )


def _locale(check: _Checker, spec: Any, key: str, base: Locale | None = None) -> Locale:
    check.mapping(spec, key, LOCALE_KEYS)
    locale_id = check.string(spec.get("id"), f"{key}.id", pattern=ID, example="fr")
    code = check.string(spec.get("code", base.code if base else None), f"{key}.code")
    if not LANGUAGE_TAG.match(code):
        raise check.fail(f"{key}.code", f"{shown(code)} is not a language tag, e.g. 'sv' or "
                                        "'pt-BR'")
    tone = spec.get("tone", base.tone if base else None)
    if tone is not None and tone not in TONES:
        raise check.fail(f"{key}.tone", f"expected one of: {', '.join(TONES)}, got {shown(tone)}")
    babel_id = spec.get("babel", base.babel if base else code.replace("-", "_"))
    try:
        if not BABEL_ID.match(check.string(babel_id, f"{key}.babel")):
            raise ValueError(babel_id)
        parsed = BabelLocale.parse(babel_id)
    except (UnknownLocaleError, ValueError):
        raise check.fail(f"{key}.code", f"{shown(babel_id)} is not a locale Babel knows, e.g. "
                                        "'fr' or 'pt_BR'") from None
    path = check.string(spec.get("path", base.path if base else locale_id), f"{key}.path",
                        pattern=ID, example=locale_id)
    own_name = BabelLocale.parse(parsed.language).get_display_name(parsed.language) or code
    name = spec.get("name", base.name if base else own_name[:1].upper() + own_name[1:])
    return Locale(id=locale_id, code=code, tone=tone, babel=str(parsed), path=path,
                  name=check.line(name, f"{key}.name"), rtl=_right_to_left(parsed))


def _right_to_left(parsed: BabelLocale) -> bool:
    """The script direction of a language, as Babel knows it: one rule for locales and for the
    language of a further-reading entry."""
    return parsed.character_order == "right-to-left"


def _locales(check: _Checker, value: Any, known: dict[str, Locale]) -> tuple[Locale, ...]:
    key = f"{PREFIX}.locales"
    entries = check.items(value, key)
    if not entries:
        raise check.fail(key, "list at least one locale, e.g. [de, en]")
    result: list[Locale] = []
    for index, entry in enumerate(entries):
        where = f"{key}[{index}]"
        if isinstance(entry, str):
            if entry not in known:
                raise check.fail(where, f"unknown locale {shown(entry)} (known: "
                                        f"{', '.join(known)}; add a new one as "
                                        "{id: sv, code: sv})")
            locale = known[entry]
        else:
            check.mapping(entry, where, LOCALE_KEYS)
            locale_id = check.string(entry.get("id"), f"{where}.id", pattern=ID, example="sv")
            locale = _locale(check, entry, where, known.get(locale_id))
        for other in result:
            if other.id == locale.id:
                raise check.fail(where, f"duplicate locale {locale.id!r}")
            if other.path == locale.path:
                raise check.fail(f"{where}.path", f"duplicate path {locale.path!r} "
                                                  f"(also used by locale {other.id!r})")
        result.append(locale)
    return tuple(result)


def _with_tone_names(locales: tuple[Locale, ...]) -> tuple[Locale, ...]:
    """Where two locales share a language, tell them apart by tone in the selector."""
    from dataclasses import replace

    from .i18n import translations

    result = []
    for locale in locales:
        twins = [other for other in locales if other.code == locale.code]
        if len(twins) > 1 and locale.tone:
            own = translations(locale)
            label = own.gettext("formal address") if locale.tone == "formal" else own.gettext(
                "informal address")
            if f"({label})" not in locale.name:
                locale = replace(locale, name=f"{locale.name} ({label})")
        result.append(locale)
    return tuple(result)


def _owner(check: _Checker, value: Any, locale_ids: list[str]) -> Owner:
    key = f"{PREFIX}.owner"
    check.mapping(value, key, OWNER_KEYS)
    contact = check.mapping(value.get("contact"), f"{key}.contact", CONTACT_KEYS)
    return Owner(
        name=check.line(value.get("name"), f"{key}.name"),
        role=check.localized(value["role"], f"{key}.role", locale_ids)
        if value.get("role") else {},
        contact=Contact(label=check.localized(contact.get("label"), f"{key}.contact.label",
                                              locale_ids),
                        url=check.url(contact.get("url"), f"{key}.contact.url", CONTACT_SCHEMES,
                                      "mailto:erika@example.org")),
        salutation=check.localized(value["salutation"], f"{key}.salutation", locale_ids)
        if value.get("salutation") else {},
    )


def _personas(check: _Checker, defaults: dict, value: Any, locale_ids: list[str]
              ) -> tuple[tuple[Persona, ...], frozenset[str]]:
    """The enabled personas, and the ids of every persona defined (retired ones too)."""
    key = f"{PREFIX}.personas"
    check.mapping(value, key)
    merged: dict[str, dict] = {pid: dict(spec) for pid, spec in defaults.items()}
    for pid, spec in value.items():
        where = f"{key}.{pid}"
        check.string(pid, where, pattern=ID, example="sales")
        if pid == "greeting":
            raise check.fail(where, "'greeting' is the name of a locale's greeting in the persona "
                                    "files; choose another persona id")
        spec = {} if spec is None else check.mapping(spec, where, PERSONA_KEYS)
        if pid not in merged and "sections" not in spec:
            raise check.fail(where, "a new persona needs 'sections', e.g. "
                                    "sections: [intro, checklist, closing]")
        merged[pid] = {**merged.get(pid, {}), **spec}
    if "general" not in merged or merged["general"].get("enabled") is False:
        raise check.fail(f"{key}.general", "the general persona is each locale's home page "
                                           "and cannot be removed")
    result = []
    for pid, spec in merged.items():
        where = f"{key}.{pid}"
        enabled = spec.get("enabled", True)
        if not isinstance(enabled, bool):
            raise check.fail(f"{where}.enabled", f"expected true or false, got {_kind(enabled)}")
        if not enabled:
            continue
        sections = check.items(spec.get("sections"), f"{where}.sections")
        if not sections:
            raise check.fail(f"{where}.sections", "list at least one section")
        for index, section in enumerate(sections):
            skey = f"{where}.sections[{index}]"
            if isinstance(section, str) and ("/" in section or "\\" in section or ".." in section):
                raise check.fail(skey, f"{shown(section)} escapes the sections folder: use a "
                                       "section id such as 'checklist'")
            check.string(section, skey, pattern=ID, example="checklist")
        tone = spec.get("tone")
        if tone is not None and tone not in TONES:
            raise check.fail(f"{where}.tone", f"expected one of: {', '.join(TONES)}, got "
                                              f"{shown(tone)}")
        localized = {}
        for field_name in LOCALIZED_PERSONA_KEYS:
            strings = check.mapping(spec.get(field_name, {}), f"{where}.{field_name}")
            check.locale_keys(strings, f"{where}.{field_name}", locale_ids)
            localized[field_name] = {
                locale_id: check.string(text, f"{where}.{field_name}.{locale_id}", pattern=ID,
                                        example="sales")
                if field_name == "slug" else check.line(text, f"{where}.{field_name}.{locale_id}")
                for locale_id, text in strings.items()}
        result.append(Persona(id=pid, sections=tuple(sections), tone=tone, **localized))
    return tuple(result), frozenset(merged)


def _reading(check: _Checker, value: Any) -> tuple[Reading, ...]:
    key = f"{PREFIX}.further_reading"
    entries = []
    for index, entry in enumerate(check.items(value, key)):
        where = f"{key}[{index}]"
        check.mapping(entry, where, READING_KEYS)
        url = entry.get("url")
        if url is not None:
            url = check.url(url, f"{where}.url", WEB_SCHEMES, "https://example.org/essay")
        lang = entry.get("lang")
        if lang is not None and not (isinstance(lang, str) and LANGUAGE_TAG.match(lang)):
            raise check.fail(f"{where}.lang", f"{shown(lang)} is not a language tag, e.g. 'de'")
        entries.append(Reading(
            title=check.line(entry.get("title"), f"{where}.title"),
            author=_optional_line(check, entry.get("author"), f"{where}.author"),
            publication=_optional_line(check, entry.get("publication"), f"{where}.publication"),
            url=url,
            lang=lang,
            rtl=lang is not None and _language_is_rtl(lang),
        ))
    return tuple(entries)


def _language_is_rtl(tag: str) -> bool:
    """ "ar" => True, "de" => False; a tag Babel does not know is taken as left to right."""
    try:
        return _right_to_left(BabelLocale.parse(tag, sep="-"))
    except (UnknownLocaleError, ValueError):
        return False


def _optional_line(check: _Checker, value: Any, key: str) -> str | None:
    return None if value is None else check.line(value, key)


def _address(check: _Checker, value: Any, key: str) -> str:
    """A postal address: one line per line, each line clean."""
    lines = [check.line(line, key) for line in check.string(value, key).splitlines()
             if line.strip()]
    return "\n".join(lines)


def _legal(check: _Checker, value: Any, owner: Owner) -> Legal:
    """legal: {address: ..., email: ...}: an Impressum and a privacy statement per locale."""
    import datetime as dt

    key = f"{PREFIX}.legal"
    check.mapping(value, key, LEGAL_KEYS)
    email = check.string(value.get("email"), f"{key}.email")
    if not EMAIL.match(email):
        raise check.fail(f"{key}.email", f"{shown(email)} is not an e-mail address, e.g. "
                                         "'erika@example.org'")
    privacy = value.get("privacy", True)
    if not isinstance(privacy, bool):
        raise check.fail(f"{key}.privacy", f"expected true or false, got {_kind(privacy)}")
    updated = value.get("updated")
    if updated is not None and not isinstance(updated, dt.date):
        raise check.fail(f"{key}.updated", "expected a date such as 2026-11-22")
    log_days = value.get("log_days")
    if log_days is not None and (isinstance(log_days, bool) or not isinstance(log_days, int)
                                 or not 0 < log_days <= 3650):
        raise check.fail(f"{key}.log_days", f"expected a number of days such as 14, got "
                                            f"{shown(log_days)}")
    return Legal(
        host=_optional_line(check, value.get("host"), f"{key}.host"),
        log_days=log_days,
        name=check.line(value.get("name", owner.name), f"{key}.name"),
        address=_address(check, value.get("address"), f"{key}.address"),
        email=email,
        phone=_optional_line(check, value.get("phone"), f"{key}.phone"),
        vat_id=_optional_line(check, value.get("vat_id"), f"{key}.vat_id"),
        privacy=privacy,
        updated=updated,
    )
