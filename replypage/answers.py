"""Answers the `shortlink` command has given, kept so that the same question is answered at once.

The daily command prints one decline message. Working it out means reading the whole site
(configuration, every section and persona file, the registry) and checking it as the build
does; the answer only changes when one of those inputs does. So a printed answer is kept in
`.cache/replypage/answers/` beside mkdocs.yml together with a fingerprint of everything it was
worked out from: the configuration files, every file under the docs folder, the registry, the
environment variables the configuration reads, and the code itself. A kept answer is given only
when the fingerprint is unchanged; anything else runs the command in full.

This module imports nothing heavy: it is what the command runs before anything else.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from pathlib import Path

from .keep import CACHE

VERSION = "1"
FOLDER = CACHE / "answers"
# Only the plain question is kept: anything with a side effect (clipboard, QR code files) or
# another command runs in full.
NOT_KEPT = {"--copy", "--qr", "--qr-svg", "-h", "--help", "list", "new", "export"}
ENV_TAG = re.compile(r"!ENV\s+\[?\s*([A-Za-z_][A-Za-z0-9_]*(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)")
FROZEN_ENV = "REPLYPAGE_FROZEN_REGISTRY"
CODE = Path(__file__).resolve().parent


def config_path(argv: list[str]) -> Path:
    """The --config option as argparse would read it ("--config x" or "--config=x")."""
    for index, arg in enumerate(argv):
        if arg == "--config" and index + 1 < len(argv):
            return Path(argv[index + 1])
        if arg.startswith("--config="):
            return Path(arg.split("=", 1)[1])
    return Path("mkdocs.yml")


def keepable(argv: list[str]) -> bool:
    return bool(argv) and not NOT_KEPT.intersection(argv) and not any(
        arg.startswith(("--qr-svg=", "-o")) for arg in argv)


def _entry_path(argv: list[str], config: Path) -> Path:
    key = hashlib.sha256(json.dumps([VERSION, str(config.resolve()), argv]).encode())
    return config.resolve().parent / FOLDER / f"{key.hexdigest()[:32]}.json"


def fingerprint(config_files: list[str], docs_dir: str, registry: str) -> str:
    """One hash over every input of an answer (see the module's docstring)."""
    digest = hashlib.sha256(f"{VERSION}\0{sys.executable}\0{sys.version}".encode())
    env_names = {FROZEN_ENV}
    for name in config_files:
        data = _read(Path(name))
        digest.update(b"config\0" + name.encode() + b"\0" + data)
        env_names.update(n.strip() for match in ENV_TAG.findall(data.decode("utf-8", "replace"))
                         for n in match.split(","))
    for name in sorted(env_names):
        value = os.environ.get(name)
        digest.update(b"env\0" + name.encode() + b"\0" + (value or "\0unset").encode())
    for root, dirs, files in os.walk(docs_dir, followlinks=True):
        dirs.sort()
        for file in sorted(files):
            path = Path(root) / file
            digest.update(b"docs\0" + str(path).encode() + b"\0" + _read(path))
    digest.update(b"registry\0" + _read(Path(registry)))
    for path in sorted(CODE.rglob("*")):
        if path.suffix in (".py", ".yml", ".po") and path.is_file():
            stat = path.stat()
            digest.update(f"code\0{path}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"\0missing"


def replay(argv: list[str]) -> bool:
    """Print a kept answer for exactly this question, if its inputs are unchanged."""
    if not keepable(argv) or "utf" not in (sys.stdout.encoding or "").lower():
        return False
    try:
        config = config_path(argv)
        entry = json.loads(_entry_path(argv, config).read_text(encoding="utf-8"))
        if entry["fingerprint"] != fingerprint(entry["config_files"], entry["docs_dir"],
                                               entry["registry"]):
            return False
    except (OSError, ValueError, KeyError, TypeError):
        return False
    sys.stdout.write(entry["stdout"])
    sys.stdout.flush()
    return True


def keep(argv: list[str], stdout: str, config_files: list[Path], docs_dir: Path,
         registry: Path) -> None:
    """Keep an answer with the fingerprint of its inputs; a cache that cannot be written is
    simply not kept."""
    if not keepable(argv):
        return
    config = config_path(argv)
    entry = {"config_files": [str(p.resolve()) for p in config_files],
             "docs_dir": str(docs_dir.resolve()), "registry": str(registry.resolve()),
             "stdout": stdout}
    entry["fingerprint"] = fingerprint(entry["config_files"], entry["docs_dir"],
                                       entry["registry"])
    path = _entry_path(argv, config)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
