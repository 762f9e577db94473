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

Writes are append-only, atomic (temporary file + rename, the file's mode kept) and serialized
with a lock file, so concurrent commands and builds each add their entry and never corrupt the
file. New default codes are chosen in memory first (`missing_defaults`) and written only once the
command or build that needs them has succeeded (`add`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
import signal
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from .files import load_yaml, read_text, shown
from .model import ConfigError

ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE = re.compile(rf"^[{ALPHABET}]{{3,8}}\Z")
ALIAS = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}\Z")
ENTRY_KEYS = {"code", "persona", "locale", "created", "default", "note"}
REQUIRED = ("code", "persona", "locale", "created")
HEADER = ("# Short links: each code is issued once and never reused or deleted, so that every\n"
          "# message already sent keeps working. Add codes with `shortlink new`; edit notes "
          "only.\n")
SHORTEST = 3
ATTEMPTS_PER_LENGTH = 64
LOCK_TIMEOUT = 10  # seconds: a command or build holds the lock for milliseconds


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

    def read(self) -> list[ShortLink]:
        """All entries, validated; an absent file is an empty registry."""
        if not self.path.exists():
            return []
        return parse(read_text(self.path, self.path.name), self.path.name)

    @staticmethod
    def missing_defaults(links: list[ShortLink], targets: Iterable[tuple[str, str]],
                         reserved: set[str]) -> list[ShortLink]:
        """A new default code for every (persona, locale) without one; nothing is written."""
        added: list[ShortLink] = []
        for persona, locale in targets:
            if not _default_for(links + added, persona, locale):
                code = new_code(links + added, reserved)
                added.append(ShortLink(code, persona, locale, _today(), default=True))
        return added

    def add(self, new: list[ShortLink]) -> None:
        """Append codes chosen earlier by missing_defaults, once their run has succeeded."""
        if not new:
            return
        with self._locked():
            links = self.read()
            for link in new:
                if any(old.code == link.code for old in links) or _default_for(
                        links, link.persona, link.locale):
                    raise ConfigError(self.path.name, "", "changed while this run was using it; "
                                                          "run it again")
            self._write(links + new)

    def issue(self, persona: str, locale: str, reserved: set[str], *, alias: str | None = None,
              note: str | None = None) -> ShortLink:
        """Append an extra code (random, or the owner's alias) for a persona page."""
        if alias is not None:
            alias = alias.lower()
            if not ALIAS.match(alias):
                raise ConfigError(self.path.name, "alias", f"{shown(alias)} is not a valid "
                                  "alias: use 2-40 characters a-z, 0-9 and '-', e.g. 'vertrieb'")
            if alias in reserved:
                raise ConfigError(self.path.name, "alias", f"{alias!r} is a name the site "
                                                           "already uses")
        with self._locked():
            links = self.read()
            if alias is not None and alias in {link.code for link in links}:
                raise ConfigError(self.path.name, "alias", f"{alias!r} is already taken "
                                  "(codes are never reused)")
            code = alias if alias is not None else new_code(links, reserved)
            link = ShortLink(code, persona, locale, _today(), note=note)
            self._write(links + [link])
            return link

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """The registry's lock, or one line saying why it cannot be had. (filelock is imported
        here: most runs only read the registry.)"""
        from filelock import FileLock, Timeout

        denied = ConfigError(self.path.name, "", "cannot be changed: no permission to write in "
                             f"its folder {str(self.path.parent)!r}")
        lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT)
        try:
            lock.acquire()
        except Timeout:
            raise ConfigError(self.path.name, "", f"is locked by another shortlink command or "
                              f"build ({self.path.name}.lock); try again in a moment") from None
        except PermissionError:
            raise denied from None
        except OSError as error:  # the lock file is a folder, the disk is read-only, ...
            raise ConfigError(f"{self.path.name}.lock", "", "cannot be used: "
                              f"{error.strerror or error}") from None
        try:
            yield
        except PermissionError:
            raise denied from None
        except OSError as error:
            raise ConfigError(self.path.name, "", "cannot be written: "
                              f"{error.strerror or error}") from None
        finally:
            lock.release()

    def _write(self, links: list[ShortLink]) -> None:
        """Atomically replace the file, keeping its mode: a crash leaves the old file, never
        half a new one, and the one temporary file is removed or replaced by the next write."""
        text = HEADER + yaml.safe_dump({"links": [link.as_yaml() for link in links]},
                                       allow_unicode=True, sort_keys=False)
        parse(text, self.path.name)  # never write what could not be read back
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        try:
            mode = self.path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        try:
            with _signals_raise():
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(text)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.chmod(tmp, mode)
                os.replace(tmp, self.path)
        except PermissionError:
            tmp.unlink(missing_ok=True)
            raise ConfigError(self.path.name, "", "cannot be written: permission denied"
                              ) from None
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


class _Interrupted(BaseException):
    """SIGTERM or SIGHUP during a registry write: clean up, then stop."""


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into an exception while the block runs, so that a write is
    cleaned up like one interrupted by Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise _Interrupted(signum)

    names = [name for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {name: signal.signal(getattr(signal, name), stop) for name in names}
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
    data = load_yaml(text, where)
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
            raise ConfigError(where, f"{key}.code", f"{shown(code)} has characters a code "
                              f"cannot have (use lowercase {ALPHABET}, or a-z, 0-9, '-' for an "
                              "alias)")
        if code in seen:
            raise ConfigError(where, f"{key}.code", f"duplicate code {code!r} (also "
                              f"links[{seen[code]}]): a code is issued once")
        seen[code] = index
        for name in ("persona", "locale"):
            if not isinstance(entry[name], str) or not ALIAS.match(entry[name]) and not re.match(
                    r"^[a-z0-9]\Z", entry[name]):
                raise ConfigError(where, f"{key}.{name}", f"{shown(entry[name])} is not an id")
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
