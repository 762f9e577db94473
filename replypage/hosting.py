"""Files for the host: security headers, sitemap with language alternates, robots.txt."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .compose import SitePlan

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)
DATA_BLOCK = re.compile(r"""\btype\s*=\s*["']?application/(?:ld\+)?json""", re.I)
SECURITY_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                          "browsing-topics=()",
    "X-Frame-Options": "DENY",
}


def inline_script_hashes(site_dir: Path) -> list[str]:
    """CSP source expressions for every distinct inline script in the built HTML."""
    hashes = set()
    for page in site_dir.rglob("*.html"):
        for attributes, body in INLINE_SCRIPT.findall(page.read_text(encoding="utf-8")):
            if DATA_BLOCK.search(attributes):
                continue  # data blocks are not executed and need no permission
            digest = hashlib.sha256(body.encode("utf-8")).digest()
            hashes.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(hashes)


def content_security_policy(script_hashes: list[str]) -> str:
    """Only the site itself: no third party, no inline code but the hashed scripts."""
    scripts = " ".join(["'self'", *script_hashes])
    return ("default-src 'none'; "
            f"script-src {scripts}; "
            "style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            "manifest-src 'self'; base-uri 'self'; form-action 'none'; "
            "frame-ancestors 'none'")


def security_headers(csp: str) -> dict[str, str]:
    return {"Content-Security-Policy": csp, **SECURITY_HEADERS}


def netlify_headers(base_path: str, headers: dict[str, str]) -> str:
    """`_headers` for Netlify and Cloudflare Pages."""
    lines = [f"{base_path}*"] + [f"  {name}: {value}" for name, value in headers.items()]
    return "\n".join(lines) + "\n"


def apache_headers(headers: dict[str, str]) -> str:
    lines = ["<IfModule mod_headers.c>"]
    lines += [f'  Header always set {name} "{value}"' for name, value in headers.items()]
    return "\n".join(lines + ["</IfModule>"]) + "\n"


def nginx_headers(headers: dict[str, str]) -> str:
    return "".join(f'add_header {name} "{value}" always;\n' for name, value in headers.items())


def sitemap(plan: SitePlan, site_url: str) -> str:
    """sitemap.xml: every page with its language alternates (xhtml:link hreflang)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
           'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for page in plan.pages:
        out.append(f"<url><loc>{escape(site_url + page.url)}</loc>")
        for code, url in page.hreflang(plan.settings.default_locale):
            out.append(f'<xhtml:link rel="alternate" hreflang={quoteattr(code)} '
                       f"href={quoteattr(site_url + url)}/>")
        out.append("</url>")
    out.append("</urlset>")
    return "\n".join(out) + "\n"


def robots(site_url: str) -> str:
    """Everything may be read, preview crawlers (LinkedInBot, XING) included."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url}sitemap.xml\n"


def write_host_files(plan: SitePlan, site_url: str, base_path: str, site_dir: Path) -> str:
    """Write headers, sitemap and robots.txt; return the Content-Security-Policy."""
    csp = content_security_policy(inline_script_hashes(site_dir))
    headers = security_headers(csp)
    (site_dir / "_headers").write_text(netlify_headers(base_path, headers), encoding="utf-8")
    with (site_dir / ".htaccess").open("a", encoding="utf-8") as fh:
        fh.write(apache_headers(headers))
    with (site_dir / "nginx-include.conf").open("a", encoding="utf-8") as fh:
        fh.write(nginx_headers(headers))
    xml = sitemap(plan, site_url)
    (site_dir / "sitemap.xml").write_text(xml, encoding="utf-8")
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(xml.encode(), mtime=0))
    (site_dir / "robots.txt").write_text(robots(site_url), encoding="utf-8")
    return csp
