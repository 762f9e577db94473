"""The project's own UI strings: gettext catalogs compiled from .po files with Babel.

Catalogs live in ``replypage/translations/<babel id>/LC_MESSAGES/messages.po`` and are compiled in
memory when first needed, so a build never reads a stale .mo file. A variant falls back to its
language: ``de_DE@informal`` => ``de`` => the English source strings.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale as BabelLocale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from .model import Locale

CATALOG_DIR = Path(__file__).with_name("translations")
DOMAIN = "messages"


def catalog_path(babel_id: str) -> Path:
    return CATALOG_DIR / babel_id / "LC_MESSAGES" / f"{DOMAIN}.po"


def fallback_chain(babel_id: str) -> list[str]:
    """The catalogs to consult, most specific first: "de_DE@informal" => [that, "de_DE", "de"]."""
    parsed = BabelLocale.parse(babel_id)
    chain = [babel_id]
    if parsed.modifier or parsed.territory:
        if parsed.territory:
            chain.append(f"{parsed.language}_{parsed.territory}")
        chain.append(parsed.language)
    return list(dict.fromkeys(chain))


@cache
def _compiled(babel_id: str) -> Translations | None:
    path = catalog_path(babel_id)
    if not path.is_file():
        return None
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=babel_id, domain=DOMAIN)
    # An entry left empty (a plural one is a tuple of empty strings) falls back to the next
    # catalog in the chain, as a single one does: it must not reach the compiled catalog.
    for message in list(catalog):
        if message.id and isinstance(message.string, tuple) and not any(message.string):
            catalog.delete(message.id, message.context)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


@cache
def translations_for(babel_id: str) -> gettext.NullTranslations:
    """Translations for a Babel locale id with its fallback chain attached."""
    result: gettext.NullTranslations | None = None
    for candidate in fallback_chain(babel_id):
        compiled = _compiled(candidate)
        if compiled is None:
            continue
        # Copy so that chaining a fallback never mutates the cached catalog of another locale.
        layer = Translations()
        layer._catalog = dict(compiled._catalog)  # noqa: SLF001 - gettext's own storage
        layer.plural = compiled.plural
        if result is None:
            result = layer
        else:
            result.add_fallback(layer)
    return result or gettext.NullTranslations()


def translations(locale: Locale) -> gettext.NullTranslations:
    return translations_for(locale.babel)
