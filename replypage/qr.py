"""QR codes of short links, for the command and the desk."""

from __future__ import annotations

from urllib.parse import urlsplit


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


def qr_svg(url: str, site_url: str, label: str) -> str:
    """Inline SVG of the link's QR code, with a quiet zone and an accessible name."""
    svg = make_qr(url, site_url).svg_inline(scale=4, border=4, title=label, dark="#000",
                                            light="#fff")
    return svg.replace("<svg ", '<svg role="img" aria-label="' + _attr(label) + '" ', 1)


def _attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))
