"""The short-link registry: stable codes, issued once, never reused, never deleted.

The registry is a YAML file committed with the site (``shortlinks.yml`` beside mkdocs.yml)::

    links:
    - code: k7q            # lowercase, from ALPHABET; resolved case-insensitively
      persona: sales
      locale: de
      created: 2026-11-22
      default: true        # the code the command prints for this persona and locale
    - code: vertrieb       # an alias: a readable code chosen by the owner
      persona: sales
      locale: de
      created: 2026-11-23
      note: Newsletter, November

Writes are append-only, atomic (temporary file + rename) and serialized with a lock file, so
concurrent commands and builds each add their entry and never corrupt the file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from filelock import FileLock

from .model import ConfigError

ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE = re.compile(rf"^[{ALPHABET}]{{3,8}}$")
ALIAS = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
ENTRY_KEYS = {"code", "persona", "locale", "created", "default", "note"}
REQUIRED = ("code", "persona", "locale", "created")
HEADER = ("# Short links: each code is issued once and never reused or deleted, so that every\n"
          "# message already sent keeps working. Add codes with `shortlink new`; edit notes "
          "only.\n")
SHORTEST = 3
ATTEMPTS_PER_LENGTH = 64


@dataclass(frozen=True)
class ShortLink:
    code: str
    persona: str
    locale: str
    created: dt.date
    default: bool = False
    note: str | None = None

    def as_yaml(self) -> dict:
        entry = {"code": self.code, "persona": self.persona, "locale": self.locale,
                 "created": self.created}
        if self.default:
            entry["default"] = True
        if self.note:
            entry["note"] = self.note
        return entry


class Registry:
    """The registry file; every mutation holds the lock and re-reads the file first."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.lock = FileLock(str(self.path) + ".lock", timeout=30)

    def read(self) -> list[ShortLink]:
        """All entries, validated; an absent file is an empty registry."""
        if not self.path.exists():
            return []
        return parse(self.path.read_text(encoding="utf-8"), self.path.name)

    def ensure_defaults(self, targets: Iterable[tuple[str, str]], reserved: set[str],
                        check: Callable[[list[ShortLink]], None] = lambda links: None,
                        frozen: bool = False) -> list[ShortLink]:
        """Give every (persona, locale) a default code if it has none; return all entries.

        `check` sees the entries before anything is written and may raise to keep the file
        untouched (e.g. a decline message that would be too long with its new link). A
        `frozen` registry (a deploy build) refuses to issue codes: they would be lost."""
        targets = list(targets)
        links = self.read()
        if all(_default_for(links, p, loc) for p, loc in targets):
            check(links)
            return links
        with self.lock:
            links = self.read()
            added = []
            for persona, locale in targets:
                if not _default_for(links + added, persona, locale):
                    code = new_code(links + added, reserved)
                    added.append(ShortLink(code, persona, locale, _today(), default=True))
            check(links + added)
            if added and frozen:
                missing = ", ".join(f"{link.persona} in {link.locale}" for link in added)
                raise ConfigError(self.path.name, "", f"no code yet for {missing}; run "
                                  "`shortlink list` where you edit the site and commit "
                                  f"{self.path.name} (a deploy never issues codes)")
            if added:
                self._write(links + added)
            return links + added

    def issue(self, persona: str, locale: str, reserved: set[str], *, alias: str | None = None,
              note: str | None = None) -> ShortLink:
        """Append an extra code (random, or the owner's alias) for a persona page."""
        with self.lock:
            links = self.read()
            if alias is not None:
                alias = alias.lower()
                if not ALIAS.match(alias):
                    raise ConfigError(self.path.name, "alias", f"{alias!r} is not a valid alias: "
                                      "use 2-40 characters a-z, 0-9 and '-', e.g. 'vertrieb'")
                taken = {link.code for link in links}
                if alias in taken or alias in reserved:
                    raise ConfigError(self.path.name, "alias", f"{alias!r} is already taken "
                                      "(codes are never reused)")
                code = alias
            else:
                code = new_code(links, reserved)
            link = ShortLink(code, persona, locale, _today(), note=note)
            self._write(links + [link])
            return link

    def _write(self, links: list[ShortLink]) -> None:
        """Atomically replace the file: a crash leaves the old file, never half a new one."""
        text = HEADER + yaml.safe_dump({"links": [link.as_yaml() for link in links]},
                                       allow_unicode=True, sort_keys=False)
        parse(text, self.path.name)  # never write what could not be read back
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _today() -> dt.date:
    return dt.date.today()


def _default_for(links: list[ShortLink], persona: str, locale: str) -> ShortLink | None:
    return next((link for link in links if link.default and link.persona == persona
                 and link.locale == locale), None)


def default_link(links: list[ShortLink], persona: str, locale: str) -> ShortLink | None:
    return _default_for(links, persona, locale)


def new_code(links: list[ShortLink], reserved: set[str]) -> str:
    """A fresh random code: 3 characters while that space has room, longer as needed."""
    taken = {link.code for link in links} | {r.lower() for r in reserved}
    length = SHORTEST
    while True:
        for _ in range(ATTEMPTS_PER_LENGTH):
            code = "".join(secrets.choice(ALPHABET) for _ in range(length))
            if code not in taken:
                return code
        length += 1


def parse(text: str, where: str) -> list[ShortLink]:
    """Registry text => entries; any damage is one line naming the file and the entry."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(where, "", f"invalid YAML{line}") from None
    if data is None:
        return []
    if not isinstance(data, dict) or set(data) != {"links"} or not isinstance(
            data["links"], (list, type(None))):
        raise ConfigError(where, "", "expected 'links:' with a list of entries")
    links: list[ShortLink] = []
    seen: dict[str, int] = {}
    defaults: dict[tuple[str, str], int] = {}
    for index, entry in enumerate(data["links"] or []):
        key = f"links[{index}]"
        if not isinstance(entry, dict):
            raise ConfigError(where, key, "expected a mapping with code, persona, locale, created")
        for name in entry:
            if name not in ENTRY_KEYS:
                raise ConfigError(where, f"{key}.{name}", "unknown key (expected one of: "
                                  f"{', '.join(sorted(ENTRY_KEYS))})")
        for name in REQUIRED:
            if entry.get(name) in (None, ""):
                raise ConfigError(where, f"{key}.{name}", "missing")
        code = entry["code"]
        if not isinstance(code, str) or not (CODE.match(code) or ALIAS.match(code)):
            raise ConfigError(where, f"{key}.code", f"{code!r} has characters a code cannot "
                              f"have (use lowercase {ALPHABET}, or a-z, 0-9, '-' for an alias)")
        if code in seen:
            raise ConfigError(where, f"{key}.code", f"duplicate code {code!r} (also "
                              f"links[{seen[code]}]): a code is issued once")
        seen[code] = index
        for name in ("persona", "locale"):
            if not isinstance(entry[name], str) or not ALIAS.match(entry[name]) and not re.match(
                    r"^[a-z0-9]$", entry[name]):
                raise ConfigError(where, f"{key}.{name}", f"{entry[name]!r} is not an id")
        created = entry["created"]
        if isinstance(created, str):
            try:
                created = dt.date.fromisoformat(created)
            except ValueError:
                created = None
        if not isinstance(created, dt.date):
            raise ConfigError(where, f"{key}.created", "expected a date such as 2026-11-22")
        is_default = entry.get("default", False)
        if not isinstance(is_default, bool):
            raise ConfigError(where, f"{key}.default", "expected true or false")
        if is_default:
            target = (entry["persona"], entry["locale"])
            if target in defaults:
                raise ConfigError(where, f"{key}.default", f"links[{defaults[target]}] is "
                                  f"already the default for {target[0]} in {target[1]}")
            defaults[target] = index
        note = entry.get("note")
        if note is not None and not isinstance(note, str):
            raise ConfigError(where, f"{key}.note", "expected text")
        links.append(ShortLink(code, entry["persona"], entry["locale"], created, is_default,
                               note))
    return links
