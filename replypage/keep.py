"""What one build keeps for the next: results stored under a hash of everything they depend on.

A kept result is used only when every input is the same (the caller lists them, with a version
it bumps when the code that makes the result changes); anything else makes it anew. Writes go
through a temporary file, so an interrupted build never leaves half a result behind.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

CACHE = Path(".cache") / "replypage"  # beside mkdocs.yml: what a run keeps for the next


def key(parts: Iterable[str | bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:32]


def kept(folder: Path | None, parts: Iterable[str | bytes], make: Callable[[], bytes],
         suffix: str = "") -> bytes:
    """The result of `make()` for these inputs: read from `folder` when kept, else made and
    kept there. Without a folder, always made."""
    if folder is None:
        return make()
    path = folder / (key(parts) + suffix)
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = make()
    import tempfile  # here, not at the top: the daily command imports this module for CACHE

    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only project still builds, it just keeps nothing
    return data
