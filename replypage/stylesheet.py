"""One small stylesheet for the reply pages, made at build time.

Material's main.css styles every feature Material has (about 23 KB gzip); a reply page uses a
fraction of it. We keep the rules whose selectors can match the built HTML (every class, id
and element they name occurs in it), add a dark scheme that follows `prefers-color-scheme`
(Material's own slate palette, no toggle and no script, so no flash), add the project's CSS,
then drop the custom properties and keyframes nothing left refers to, and write it under a
content hash.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import tinycss2

from .keep import kept

CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
ID = re.compile(r"#(-?[_a-zA-Z][\w-]*)")
CLASS_ATTR = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
ID_ATTR = re.compile(r"""\bid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
# Selector parts that do not have to match for the rule to apply (:not) or that match if any
# alternative does (:is, :where, :has); we keep such rules rather than guess.
LENIENT = re.compile(r":(?:not|is|where|has)\((?:[^()]|\([^()]*\))*\)")
ATTRIBUTE = re.compile(r"\[[^\]]*\]")  # [href$=".pdf"] names no class
PSEUDO = re.compile(r"::?[\w-]+(?:\((?:[^()]|\([^()]*\))*\))?")  # :hover, ::before, :nth-child(2)
# An element type at the start of a compound selector: "a", "h2" in ".md-typeset h2".
TYPE = re.compile(r"(?:^|[\s>+~])([a-zA-Z][a-zA-Z0-9]*)")
TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)")
VAR = re.compile(r"var\(\s*(--[\w-]+)")
# Classes and elements that scripts add after load (replypage.js).
SCRIPT_CLASSES = {"md-clipboard", "md-icon", "rp-status"}
SCRIPT_TAGS = {"button", "p"}
DARK_SELECTOR = "[data-md-color-scheme=slate]"
DARK_LINK_SELECTOR = "[data-md-color-scheme=slate][data-md-color-primary=indigo]"


@dataclass
class UsedNames:
    classes: set[str] = field(default_factory=lambda: set(SCRIPT_CLASSES))
    ids: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=lambda: {"html", "body", *SCRIPT_TAGS})

    def add_html(self, html: str) -> None:
        for match in CLASS_ATTR.finditer(html):
            self.classes.update((match.group(1) or match.group(2) or match.group(3)).split())
        for match in ID_ATTR.finditer(html):
            self.ids.add(match.group(1) or match.group(2) or match.group(3))
        self.tags.update(tag.lower() for tag in TAG.findall(html))


def selector_can_match(selector: str, used: UsedNames) -> bool:
    """".md-header .md-select" => True when both classes occur in the HTML; ".md-typeset kbd"
    => False where no page has a <kbd>."""
    strict = ATTRIBUTE.sub("", LENIENT.sub("", selector))
    if not (all(name in used.classes for name in CLASS.findall(strict))
            and all(name in used.ids for name in ID.findall(strict) if not _is_color(name))):
        return False
    plain = CLASS.sub("", ID.sub("", PSEUDO.sub("", strict)))
    return all(tag.lower() in used.tags for tag in TYPE.findall(plain))


def _is_color(name: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-fA-F]{3,8}", name))


def _split_selectors(prelude: str) -> list[str]:
    """Split a selector list at top-level commas: "a, b:is(c, d)" => ["a", "b:is(c, d)"]."""
    parts, depth, current = [], 0, []
    for char in prelude:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [part for part in parts if part]


def purge(css: str, used: UsedNames) -> str:
    """Keep the rules that can match; serialize compactly."""

    def matching(rule) -> str | None:
        if rule.type != "qualified-rule":
            return tinycss2.serialize([rule])  # @keyframes: prune decides
        selectors = [s for s in _split_selectors(tinycss2.serialize(rule.prelude))
                     if selector_can_match(s, used)]
        if not selectors:
            return None
        return ",".join(selectors) + "{" + tinycss2.serialize(rule.content).strip() + "}"

    return "".join(_rewrite(_rules(css), matching))


def prune(css: str) -> str:
    """Drop custom properties that no declaration refers to (directly or through another
    custom property that is kept) and keyframes no animation names; then rules left empty."""
    rules = _rules(css)
    declarations = list(_declarations(rules))
    defined: dict[str, list[str]] = {}
    plain_values = []
    for name, value in declarations:
        if name.startswith("--"):
            defined.setdefault(name, []).append(value)
        else:
            plain_values.append(value)
    wanted: set[str] = set()
    todo = [ref for value in plain_values for ref in VAR.findall(value)]
    while todo:
        ref = todo.pop()
        if ref not in wanted:
            wanted.add(ref)
            todo += [inner for value in defined.get(ref, []) for inner in VAR.findall(value)]
    animations = " ".join(value for name, value in declarations
                          if name in ("animation", "animation-name"))

    def needed(rule) -> str | None:
        if rule.type != "qualified-rule":  # @keyframes
            name = tinycss2.serialize(rule.prelude).strip()
            named = re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", animations)
            return tinycss2.serialize([rule]) if named else None
        kept = [item for item in tinycss2.parse_declaration_list(
            rule.content, skip_comments=True, skip_whitespace=True)
            if item.type == "declaration" and (not item.name.startswith("--")
                                               or item.name in wanted)]
        if not kept:
            return None
        body = ";".join(f"{item.name}:{tinycss2.serialize(item.value).strip()}"
                        + ("!important" if item.important else "") for item in kept)
        return tinycss2.serialize(rule.prelude).strip() + "{" + body + "}"

    return "".join(_rewrite(rules, needed))


GROUPING = ("media", "supports", "container", "layer")  # at-rules that hold style rules


def _rules(css: str) -> list:
    return tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)


def _inner(rule) -> list:
    return tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)


def _is_grouping(rule) -> bool:
    return (rule.type == "at-rule" and rule.content is not None
            and rule.lower_at_keyword in GROUPING)


def _declarations(rules: list):
    for rule in rules:
        if rule.type == "qualified-rule":
            for item in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                        skip_whitespace=True):
                if item.type == "declaration":
                    yield item.lower_name, tinycss2.serialize(item.value)
        elif _is_grouping(rule):
            yield from _declarations(_inner(rule))


def _rewrite(rules: list, rewrite) -> list[str]:
    """Serialize `rules`, each style rule and @keyframes as `rewrite` returns it (None drops
    it); grouping at-rules (@media ...) are rewritten inside and dropped when left empty; any
    other at-rule is kept as it is."""
    out = []
    for rule in rules:
        if _is_grouping(rule):
            inner = _rewrite(_inner(rule), rewrite)
            if inner:
                prelude = tinycss2.serialize(rule.prelude).strip()
                out.append(f"@{rule.at_keyword} {prelude}{{{''.join(inner)}}}")
        elif rule.type == "qualified-rule" or (rule.type == "at-rule"
                                               and rule.lower_at_keyword == "keyframes"):
            text = rewrite(rule)
            if text:
                out.append(text)
        elif rule.type == "at-rule":
            out.append(tinycss2.serialize([rule]))
    return out


def dark_scheme(palette_css: str) -> str:
    """Material's slate palette as a `prefers-color-scheme: dark` block for :root."""
    declarations: list[str] = []
    _collect_dark(tinycss2.parse_stylesheet(palette_css, skip_comments=True,
                                            skip_whitespace=True), declarations)
    if not declarations:
        return ""
    return "@media (prefers-color-scheme:dark){:root{" + ";".join(declarations) + "}}"


def _collect_dark(rules: list, declarations: list[str]) -> None:
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "media" and rule.content:
            if tinycss2.serialize(rule.prelude).strip() == "screen":
                _collect_dark(tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                                       skip_whitespace=True), declarations)
        elif rule.type == "qualified-rule":
            prelude = tinycss2.serialize(rule.prelude).strip()
            if prelude in (DARK_SELECTOR, DARK_LINK_SELECTOR):
                declarations.append(tinycss2.serialize(rule.content).strip().rstrip(";"))


STYLESHEET_VERSION = "1"  # bump when purge, prune or dark_scheme change


def write_stylesheet(site_dir: Path, material_css: Path, palette_css: Path, own_css: str,
                     keep_in: Path | None = None) -> str:
    """Write the reply stylesheet and point every page at it; return its site-relative path.
    The result is kept in `keep_in`, keyed by the three stylesheets and every name the pages
    use, so an unchanged site is not purged again."""
    old = f"assets/stylesheets/{material_css.name}"
    used = UsedNames()
    pages: dict[Path, str] = {}
    for page in sorted(site_dir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if old in html:  # a page that uses the stylesheet (not a short-link stub, not the desk)
            pages[page] = html
            used.add_html(html)
    material = material_css.read_text(encoding="utf-8")
    palette = palette_css.read_text(encoding="utf-8")
    parts = ["stylesheet", STYLESHEET_VERSION, material, palette, own_css,
             *("\0".join(sorted(names)) for names in (used.classes, used.ids, used.tags))]
    css = kept(keep_in, parts, lambda: prune(purge(material, used) + dark_scheme(palette)
                                             + own_css).encode(), ".css").decode()
    digest = hashlib.sha256(css.encode()).hexdigest()[:8]
    name = f"assets/stylesheets/reply.{digest}.css"
    (site_dir / name).write_text(css, encoding="utf-8")
    for page, html in pages.items():
        page.write_text(html.replace(old, name), encoding="utf-8")
    (site_dir / old).unlink(missing_ok=True)
    for leftover in (site_dir / "assets" / "stylesheets").glob("*.map"):
        leftover.unlink()  # the source map of Material's stylesheet, which is not served
    return name
