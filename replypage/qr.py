"""QR codes of short links, for the command and the desk."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from .keep import kept


def qr_text(url: str, site_url: str) -> str:
    """The text to encode: uppercase where the host serves the code in any case, since
    uppercase letters use QR's compact alphanumeric mode: "https://e.x/k7q" => "HTTPS://E.X/K7Q".
    """
    if urlsplit(site_url).path in ("", "/"):
        return url.upper()
    return url


def make_qr(url: str, site_url: str):
    """A full QR code (never a Micro QR, which many phones cannot read), medium error
    correction."""
    import segno

    return segno.make_qr(qr_text(url, site_url), error="m")


SVG_VERSION = "1"  # bump when the SVG below changes


def qr_svg(url: str, site_url: str, label: str, keep_in: Path | None = None) -> str:
    """Inline SVG of the link's QR code, with a quiet zone and an accessible name; kept in
    `keep_in` between builds (finding the best mask is most of a build's QR work)."""

    def make() -> bytes:
        svg = make_qr(url, site_url).svg_inline(scale=4, border=4, title=label, dark="#000",
                                                light="#fff")
        return svg.replace("<svg ", '<svg role="img" aria-label="' + _attr(label) + '" ',
                           1).encode()

    return kept(keep_in, qr_parts(url, site_url, label), make, ".svg").decode()


def qr_parts(url: str, site_url: str, label: str) -> list[str]:
    """Every input of a QR code's SVG (its cache key)."""
    from importlib.metadata import version

    return ["qr", SVG_VERSION, version("segno"), qr_text(url, site_url), label]


def _attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))
