"""Social cards: a 1200x630 PNG per page, drawn offline with Pillow and fonts shipped in the repo.

Cards are cached by content: the cache key covers every input that changes the picture, so an
unchanged card is copied, not redrawn.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .compose import Page, SitePlan, owner_values
from .keep import key

if TYPE_CHECKING:
    from PIL import Image, ImageFont
from .model import ConfigError
from .preview import CARD_HEIGHT, CARD_WIDTH

FONTS = Path(__file__).with_name("fonts")
RENDERER_VERSION = "3"  # bump when the drawing code changes
MARGIN = 84
BACKGROUND = (40, 53, 147)  # Material's indigo 800
ACCENT = (255, 213, 79)
TEXT = (255, 255, 255)
MUTED = (197, 202, 233)


@dataclass(frozen=True)
class Card:
    title: str
    owner: str
    role: str
    host: str
    lang: str
    rtl: bool

    def key(self) -> str:
        """Content hash of everything that shapes the picture."""
        return key(["card", RENDERER_VERSION, self.title, self.owner, self.role, self.host,
                    self.lang, str(self.rtl), *_font_names()])


@cache
def _font_names() -> tuple[str, ...]:
    return tuple(font.name for font in sorted(FONTS.glob("*.ttf")))


def _is_arabic(text: str) -> bool:
    return any("ARABIC" in unicodedata.name(ch, "") for ch in text)


@cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont  # Pillow is imported only when a card is laid out or drawn

    return ImageFont.truetype(str(FONTS / name), size, layout_engine=ImageFont.Layout.RAQM)


def _font_for(text: str, size: int, bold: bool = True) -> ImageFont.FreeTypeFont:
    if _is_arabic(text):
        return _font("NotoSansArabic-Bold.ttf", size)
    return _font("NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf", size)


def _direction(text: str) -> str:
    return "rtl" if _is_arabic(text) else "ltr"


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int, direction: str) -> list[str]:
    """Greedy word wrap measured with the real shaping engine."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(candidate, direction=direction) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def _shorten(text: str, font: ImageFont.FreeTypeFont, width: float, direction: str,
             *, cut: bool = False) -> str:
    """The text, or as much of it as fits in `width` followed by "…" (also when `cut`: the
    text goes on beyond it). A name or role of any length stays on the card."""
    if not cut and font.getlength(text, direction=direction) <= width:
        return text
    low, high = 0, len(text)  # the longest prefix that fits with the ellipsis
    while low < high:
        middle = (low + high + 1) // 2
        if font.getlength(text[:middle].rstrip() + "…", direction=direction) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def _fit_title(text: str, width: int, max_lines: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size (down to legible) at which the title fits in `max_lines`; at the
    smallest size, what does not fit ends in "…"."""
    direction = _direction(text)
    for size in range(76, 39, -4):
        font = _font_for(text, size)
        lines = _wrap(text, font, width, direction)
        if len(lines) <= max_lines and all(
                font.getlength(line, direction=direction) <= width for line in lines):
            return font, lines
    shown = [_shorten(line, font, width, direction) for line in lines[:max_lines]]
    if len(lines) > max_lines:
        shown[-1] = _shorten(shown[-1].rstrip("…"), font, width, direction, cut=True)
    return font, shown


@dataclass(frozen=True)
class Run:
    """One piece of text placed on the card: where, in which font, in which direction."""

    x: float
    y: int
    text: str
    font: ImageFont.FreeTypeFont
    fill: tuple[int, int, int]
    direction: str


def _line(y: int, parts: list[str], size: int, fill: tuple[int, int, int], rtl: bool,
          bold: bool = True) -> list[Run]:
    """Text parts on one line, each in a font that has its script, in reading order: from the
    right margin leftwards on a right-to-left card."""
    runs = []
    x = CARD_WIDTH - MARGIN if rtl else MARGIN
    for index, text in enumerate(parts):
        text = text if index == 0 else f" {text}"
        font = _font_for(text.strip(), size, bold)
        direction = _direction(text)
        width = font.getlength(text, direction=direction)
        left = x - width if rtl else x
        runs.append(Run(left, y, text if not rtl or index == 0 else text.strip() + " ", font,
                        fill, direction))
        x = left if rtl else x + width
    return runs


@lru_cache(maxsize=256)  # checked before site/ is cleaned, then drawn: laid out once
def layout(card: Card) -> tuple[Run, ...]:
    """Every text run of the card, measured with the real fonts and shaping engine. Cheap: the
    build lays out every card before MkDocs cleans site/, so that a card that cannot be drawn
    stops the build while the previous site is still there."""
    font, lines = _fit_title(card.title, CARD_WIDTH - 2 * MARGIN, 3)
    line_height = int(font.size * 1.25)
    runs = []
    y = MARGIN + 60
    for text in lines:
        direction = _direction(text)
        width = font.getlength(text, direction=direction)
        x = CARD_WIDTH - MARGIN - width if card.rtl else MARGIN
        runs.append(Run(x, y, text, font, TEXT, direction))
        y += line_height
    room = CARD_WIDTH - 2 * MARGIN
    owner_font = _font_for(card.owner, 40)
    runs += _line(CARD_HEIGHT - MARGIN - 96,
                  [_shorten(card.owner, owner_font, room, _direction(card.owner))], 40, TEXT,
                  card.rtl)
    footer = [part for part in (card.role, "·", card.host) if part and part.strip()]
    if footer and footer[0] == "·":
        footer = footer[1:]
    if footer and footer[-1] == "·":
        footer = footer[:-1]
    if footer:  # the host is kept whole; a long role gives way
        rest = sum(_font_for(part, 30, False).getlength(f" {part}", direction=_direction(part))
                   for part in footer[1:])
        footer[0] = _shorten(footer[0], _font_for(footer[0], 30, False), room - rest,
                             _direction(footer[0]))
    runs += _line(CARD_HEIGHT - MARGIN - 40, footer, 30, MUTED, card.rtl, bold=False)
    return tuple(runs)


# The card is a palette image: the background, the accent, and LEVELS shades from the
# background to each text colour for the edges of the glyphs. A third of the bytes of an RGB
# picture to compress, half the time per card, and no visible difference (at most 2 of 255
# per channel from the same card drawn in RGB).
FILLS = (TEXT, MUTED)
LEVELS = 64


def _palette() -> list[int]:
    colours = [*BACKGROUND, *ACCENT]
    for fill in FILLS:
        for step in range(LEVELS):
            colours += [round(bg + (fg - bg) * step / (LEVELS - 1))
                        for bg, fg in zip(BACKGROUND, fill, strict=True)]
    return colours


PALETTE = _palette()
# glyph coverage (0-255) => palette index of that shade of fill k; 0 (no glyph) stays 0
SHADES = [[0] + [2 + k * LEVELS + round(value * (LEVELS - 1) / 255) for value in range(1, 256)]
          for k in range(len(FILLS))]


def draw(card: Card) -> Image.Image:
    from PIL import Image, ImageChops, ImageDraw

    size = (CARD_WIDTH, CARD_HEIGHT)
    index = Image.new("L", size, 0)  # palette indices; 0 is the background
    bar_x = CARD_WIDTH - MARGIN - 120 if card.rtl else MARGIN
    ImageDraw.Draw(index).rectangle((bar_x, MARGIN, bar_x + 120, MARGIN + 10), fill=1)
    coverage = {fill: Image.new("L", size, 0) for fill in FILLS}
    for run in layout(card):
        ImageDraw.Draw(coverage[run.fill]).text(
            (run.x, run.y), run.text, font=run.font, fill=255, direction=run.direction,
            language="ar" if run.direction == "rtl" else None)
    for k, fill in enumerate(FILLS):
        # text never overlaps the bar or text of the other colour: the higher index wins
        index = ImageChops.lighter(index, coverage[fill].point(SHADES[k]))
    index.putpalette(PALETTE)  # the image becomes mode "P"
    return index


def card_for(plan: SitePlan, page: Page, site_url: str) -> Card:
    role = owner_values(plan.settings, page.content_locale)["owner_role"]
    return Card(title=page.title, owner=plan.settings.owner.name, role=role,
                host=urlsplit(site_url).netloc, lang=page.locale.code, rtl=page.locale.rtl)


def page_cards(plan: SitePlan, site_url: str) -> list[tuple[Page, Card]]:
    """Every page with its card."""
    return [(page, card_for(plan, page, site_url)) for page in plan.pages]


def check_cards(cards: list[tuple[Page, Card]], cache_dir: Path | None = None) -> None:
    """Lay out every page's card; one that cannot be drawn is an error naming its title.
    A card already in the cache was drawn before and needs no check."""
    for page, card in cards:
        if cache_dir is not None and (cache_dir / f"{card.key()}.png").is_file():
            continue
        try:
            layout(card)
        except (OSError, ValueError) as error:
            where, key = page.sources["title"]
            raise ConfigError(where, key, f"the preview card cannot be drawn: {error}") from None


def save(card: Card, target: Path) -> None:
    # A palette picture at zlib level 3: about 17 KB, in a tenth of the time level 9 takes
    draw(card).save(target, format="PNG", compress_level=3)


def keep_card(card: Card, cache_dir: Path) -> None:
    """Draw the card into the cache (through a temporary file: never half a picture there)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=cache_dir, prefix=".tmp-", suffix=".png")
    os.close(handle)
    try:
        save(card, Path(temporary))
        os.replace(temporary, cache_dir / f"{card.key()}.png")
    finally:
        Path(temporary).unlink(missing_ok=True)


def write_card(card: Card, target: Path, cache_dir: Path | None) -> bool:
    """Write the card PNG to `target`; return True when it had to be drawn (cache miss)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if cache_dir is None:
        save(card, target)
        return True
    cached = cache_dir / f"{card.key()}.png"
    drawn = not cached.is_file()
    if drawn:
        keep_card(card, cache_dir)
    shutil.copyfile(cached, target)
    return drawn
