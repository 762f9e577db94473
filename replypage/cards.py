"""Social cards: a 1200x630 PNG per page, drawn offline with Pillow and fonts shipped in the repo.

Cards are cached by content: the cache key covers every input that changes the picture, so an
unchanged card is copied, not redrawn.
"""

from __future__ import annotations

import hashlib
import shutil
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .preview import CARD_HEIGHT, CARD_WIDTH

FONTS = Path(__file__).with_name("fonts")
RENDERER_VERSION = "1"  # bump when the drawing code changes
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
        digest = hashlib.sha256(RENDERER_VERSION.encode())
        for part in (self.title, self.owner, self.role, self.host, self.lang, str(self.rtl)):
            digest.update(b"\0" + part.encode())
        for font in sorted(FONTS.glob("*.ttf")):
            digest.update(font.name.encode())
        return digest.hexdigest()[:32]


def _is_arabic(text: str) -> bool:
    return any("ARABIC" in unicodedata.name(ch, "") for ch in text)


@cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
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


def _fit_title(text: str, width: int, max_lines: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size (down to legible) at which the title fits in `max_lines`."""
    direction = _direction(text)
    for size in range(76, 39, -4):
        font = _font_for(text, size)
        lines = _wrap(text, font, width, direction)
        if len(lines) <= max_lines and all(
                font.getlength(line, direction=direction) <= width for line in lines):
            return font, lines
    return font, lines[:max_lines]


def _line(draw: ImageDraw.ImageDraw, y: int, parts: list[str], size: int,
          fill: tuple[int, int, int], rtl: bool, bold: bool = True) -> None:
    """Draw text parts on one line, each in a font that has its script, in reading order:
    from the right margin leftwards on a right-to-left card."""
    x = CARD_WIDTH - MARGIN if rtl else MARGIN
    for index, text in enumerate(parts):
        text = text if index == 0 else f" {text}"
        font = _font_for(text.strip(), size, bold)
        direction = _direction(text)
        width = font.getlength(text, direction=direction)
        left = x - width if rtl else x
        draw.text((left, y), text if not rtl or index == 0 else text.strip() + " ", font=font,
                  fill=fill, direction=direction, language="ar" if direction == "rtl" else None)
        x = left if rtl else x + width


def draw(card: Card) -> Image.Image:
    image = Image.new("RGB", (CARD_WIDTH, CARD_HEIGHT), BACKGROUND)
    canvas = ImageDraw.Draw(image)
    bar_x = CARD_WIDTH - MARGIN - 120 if card.rtl else MARGIN
    canvas.rectangle((bar_x, MARGIN, bar_x + 120, MARGIN + 10), fill=ACCENT)
    font, lines = _fit_title(card.title, CARD_WIDTH - 2 * MARGIN, 3)
    line_height = int(font.size * 1.25)
    y = MARGIN + 60
    for text in lines:
        direction = _direction(text)
        width = font.getlength(text, direction=direction)
        x = CARD_WIDTH - MARGIN - width if card.rtl else MARGIN
        canvas.text((x, y), text, font=font, fill=TEXT, direction=direction,
                    language="ar" if direction == "rtl" else None)
        y += line_height
    _line(canvas, CARD_HEIGHT - MARGIN - 96, [card.owner], 40, TEXT, card.rtl)
    footer = [part for part in (card.role, "·", card.host) if part and part.strip()]
    if footer and footer[0] == "·":
        footer = footer[1:]
    if footer and footer[-1] == "·":
        footer = footer[:-1]
    _line(canvas, CARD_HEIGHT - MARGIN - 40, footer, 30, MUTED, card.rtl, bold=False)
    return image


def write_card(card: Card, target: Path, cache_dir: Path | None) -> bool:
    """Write the card PNG to `target`; return True when it had to be drawn (cache miss)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    cached = cache_dir / f"{card.key()}.png" if cache_dir else None
    if cached is not None and cached.is_file():
        shutil.copyfile(cached, target)
        return False
    draw(card).save(target, format="PNG", optimize=True)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, cached)
    return True
