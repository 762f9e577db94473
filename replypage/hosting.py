"""Files for the host: server configuration, security headers, sitemap, robots.txt."""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import os
import re
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .compose import SitePlan
from .links import Resolved, apache_redirects, nginx_redirects
from .model import ConfigError

# The host files, and which hosts read which: Netlify and Cloudflare Pages the first two,
# Apache and nginx one each, a plain static host (GitHub Pages) none. No host serves them.
HOST_FILES = ("_redirects", "_headers", ".htaccess", "nginx-include.conf")
HOSTS = {"netlify": HOST_FILES[:2], "cloudflare": HOST_FILES[:2], "apache": (".htaccess",),
         "nginx": ("nginx-include.conf",), "static": ()}
HOST_ENV = "REPLYPAGE_HOST"
# What a host's own build environment sets (both documented by the hosts).
BUILD_ENVIRONMENTS = {"netlify": ("NETLIFY", "true"), "cloudflare": ("CF_PAGES", "1")}
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
            "manifest-src 'self'; worker-src 'self'; base-uri 'self'; form-action 'none'; "
            "frame-ancestors 'none'")


def security_headers(csp: str) -> dict[str, str]:
    return {"Content-Security-Policy": csp, **SECURITY_HEADERS}


def netlify_headers(base_path: str, headers: dict[str, str]) -> str:
    """`_headers` for Netlify and Cloudflare Pages."""
    lines = [f"{base_path}*"] + [f"  {name}: {value}" for name, value in headers.items()]
    return "\n".join(lines) + "\n"


def build_host(environ: Mapping[str, str] = os.environ) -> str | None:
    """The host a build is for: REPLYPAGE_HOST, else the host whose build environment this is
    (Netlify, Cloudflare Pages); None when unknown, and then every host's files are written."""
    chosen = environ.get(HOST_ENV, "").strip().lower()
    if chosen:
        if chosen not in HOSTS:
            raise ConfigError(HOST_ENV, "", f"unknown host {chosen!r} (known: "
                              f"{', '.join(HOSTS)}; unset: the files of every host)")
        return chosen
    for host, (name, value) in BUILD_ENVIRONMENTS.items():
        if environ.get(name) == value:
            return host
    return None


def host_files(host: str | None) -> tuple[str, ...]:
    """The host files a build for `host` writes: None => all of them."""
    return HOST_FILES if host is None else HOSTS[host]


def _host_files_pattern() -> str:
    """"(?:\\.htaccess|_headers|...)": a regex alternative of the host files' names."""
    return "(?:" + "|".join(re.escape(name) for name in HOST_FILES) + ")"


def apache_headers(headers: dict[str, str]) -> str:
    lines = ["<IfModule mod_headers.c>"]
    lines += [f'  Header always set {name} "{value}"' for name, value in headers.items()]
    return "\n".join(lines + ["</IfModule>"]) + "\n"


def apache_config(resolved: list[Resolved], base_path: str, headers: dict[str, str]) -> str:
    """`.htaccess` for the site's folder: short links, the site's 404 page, UTF-8 for HTML and
    text, no host file served, the headers on every response of the folder."""
    return (apache_redirects(resolved, base_path)
            + f"ErrorDocument 404 {base_path}404.html\n"
            + "AddDefaultCharset utf-8\n"
            + f'RedirectMatch 404 "^{base_path}{_host_files_pattern()}$"\n'
            + apache_headers(headers))


NGINX_USAGE = """\
# nginx: include this file in the location that serves the site, not in server {{ }}:
#   location {base} {{ {folder}; include /var/www/site/nginx-include.conf; }}
# Everything below then applies to the site alone. Its add_header lines replace those the
# location would inherit from server {{ }} (Strict-Transport-Security, say): repeat them there.
"""


def nginx_headers(headers: dict[str, str]) -> str:
    return "".join(f'add_header {name} "{value}" always;\n' for name, value in headers.items())


def nginx_config(resolved: list[Resolved], base_path: str, headers: dict[str, str]) -> str:
    """The include for the site's location: short links as nested locations, the site's 404
    page, UTF-8 for HTML and text, no host file served, the headers."""
    folder = "root /var/www/site" if base_path == "/" else "alias /var/www/site/"
    return (NGINX_USAGE.format(base=base_path, folder=folder)
            + "charset utf-8;\n"
            + f"error_page 404 {base_path}404.html;\n"
            + f"location ~ ^{base_path}{_host_files_pattern()}$ {{ return 404; }}\n"
            # Debian's mime.types lacks the desk's web app manifest.
            + f"location ~ ^{base_path}.+\\.webmanifest$ "
            "{ default_type application/manifest+json; }\n"
            + nginx_redirects(resolved, base_path)
            + nginx_headers(headers))


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


META_CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?>", re.I)
META_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">'
                         r'<meta name="referrer" content="no-referrer">')


def meta_policy(csp: str) -> str:
    """The policy as <meta> tags, for a host that sends no headers (GitHub Pages). A <meta>
    policy cannot hold frame-ancestors (browsers ignore it with a console error), and the
    other headers have no <meta> form."""
    directives = [d for d in csp.split("; ") if not d.startswith("frame-ancestors")]
    return (f'<meta http-equiv="Content-Security-Policy" '
            f'content="{html.escape("; ".join(directives), quote=False)}">'
            '<meta name="referrer" content="no-referrer">')


def add_meta_policy(site_dir: Path, tags: str) -> None:
    """Put `tags` right after each page's <meta charset>, before any script runs, in place of
    those of an earlier build (`mkdocs serve --dirty` keeps unchanged pages)."""
    for page in site_dir.rglob("*.html"):
        text = META_POLICY.sub("", page.read_text(encoding="utf-8"))
        found = META_CHARSET.search(text)
        if found:
            page.write_text(text[:found.end()] + tags + text[found.end():], encoding="utf-8")


def write_host_files(plan: SitePlan, resolved: list[Resolved], site_url: str, base_path: str,
                     site_dir: Path, host: str | None) -> str:
    """Write the host's files (every host's when `host` is None; `_redirects` comes from
    output.write_redirect_files), sitemap and robots.txt, and give every page the policy as
    <meta> tags; return the Content-Security-Policy."""
    csp = content_security_policy(inline_script_hashes(site_dir))
    headers = security_headers(csp)
    wanted = host_files(host)
    if "_headers" in wanted:
        (site_dir / "_headers").write_text(netlify_headers(base_path, headers), encoding="utf-8")
    if ".htaccess" in wanted:
        (site_dir / ".htaccess").write_text(apache_config(resolved, base_path, headers),
                                            encoding="utf-8")
    if "nginx-include.conf" in wanted:
        (site_dir / "nginx-include.conf").write_text(nginx_config(resolved, base_path, headers),
                                                     encoding="utf-8")
    add_meta_policy(site_dir, meta_policy(csp))
    xml = sitemap(plan, site_url)
    (site_dir / "sitemap.xml").write_text(xml, encoding="utf-8")
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(xml.encode(), mtime=0))
    (site_dir / "robots.txt").write_text(robots(site_url), encoding="utf-8")
    return csp
