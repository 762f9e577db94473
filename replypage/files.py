"""Reading the owner's files: one way for mkdocs.yml, sections, persona files and the registry.

Every failure is a ConfigError naming the file: a folder where a file belongs, no permission,
not UTF-8, too large, broken YAML, or YAML whose aliases would expand beyond reason. A UTF-8
byte-order mark (which some Windows editors write) is tolerated.
"""

from __future__ import annotations

import codecs
import re
import reprlib
from pathlib import Path
from typing import Any

import yaml

from .model import ConfigError

MAX_BYTES = 1_000_000  # far above any real section, persona file or registry
MAX_NODES = 100_000  # YAML values after expanding aliases: a "billion laughs" stays out

_short = reprlib.Repr()
_short.maxstring = 60
_short.maxother = 60
_short.maxlist = _short.maxdict = _short.maxtuple = _short.maxset = 4
_short.maxlevel = 2


SHOWN_LENGTH = 72


def shown(value: Any) -> str:
    """A value quoted in an error message, never longer than a line: "'abc'", "[1, 2, ...]"."""
    text = _short.repr(value)
    return text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH - 3] + "..."


def read_text(path: Path, where: str, *, max_bytes: int = MAX_BYTES) -> str:
    """The UTF-8 text of an owner's file, or one line saying why it cannot be read."""
    try:
        if path.is_dir():
            raise ConfigError(where, "", "is a folder; a file belongs here")
        size = path.stat().st_size
        if size > max_bytes:
            raise ConfigError(where, "", f"is {size:,} bytes, more than the {max_bytes:,} "
                                         "a text file of the site may have")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(where, "", "not found") from None
    except PermissionError:
        raise ConfigError(where, "", "cannot be read: permission denied") from None
    except OSError as error:
        raise ConfigError(where, "", f"cannot be read: {error.strerror or error}") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise ConfigError(where, "", f"line {line} is not UTF-8 text; save the file as "
                                     "UTF-8") from None


FAST_LOADER = getattr(yaml, "CSafeLoader", None)  # present when PyYAML is built with libyaml
ALIAS_MARKS = re.compile(r"[&*]")


class SafeLoader(yaml.SafeLoader):
    """Safe YAML that refuses documents whose aliases expand to more than MAX_NODES values."""

    def compose_document(self) -> yaml.Node | None:
        node = super().compose_document()
        if node is not None:
            _expanded_size(node, {}, set())
        return node


def _expanded_size(node: yaml.Node, sizes: dict[int, int], open_nodes: set[int]) -> int:
    """Values in `node` with every alias expanded; shared nodes are measured once."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in open_nodes:
        raise yaml.YAMLError("an alias refers to the value that contains it")
    open_nodes.add(key)
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(child, sizes, open_nodes) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, sizes, open_nodes) + _expanded_size(v, sizes, open_nodes)
                    for k, v in node.value)
    open_nodes.discard(key)
    if size > MAX_NODES:
        raise yaml.YAMLError(f"aliases expand to more than {MAX_NODES:,} values")
    sizes[key] = size
    return size


def load_yaml(text: str, where: str, key: str = "", *, loader: type = SafeLoader,
              line_offset: int = 0) -> Any:
    """Parse YAML text; a syntax error names its line (plus `line_offset` for front matter)."""
    if loader is SafeLoader and FAST_LOADER is not None and not ALIAS_MARKS.search(text):
        # Without an anchor or alias nothing can expand, so libyaml's loader, several times
        # faster, gives the same values; on an error the Python loader words the message.
        try:
            return yaml.load(text, Loader=FAST_LOADER)  # noqa: S506 - libyaml's safe loader
        except (yaml.YAMLError, RecursionError):
            pass
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader, see SafeLoader
    except RecursionError:
        raise ConfigError(where, key, "invalid YAML: nested too deeply") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" at line {mark.line + 1 + line_offset}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error) or "cannot be parsed"
        raise ConfigError(where, key, f"invalid YAML{line}: {problem}") from None
