"""A local static host for browser tests: 127.0.0.1 only, gzip like a real host, 404 page.

With `host_headers=False` it is a plain static host like GitHub Pages: no redirect rules, no
headers from `_headers`, the site's 404.html for an unknown path."""

from __future__ import annotations

import gzip
import mimetypes
import threading
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml",
                "application/xml")


def _host_headers(root: Path, prefix: str) -> list[tuple[str, str]]:
    """The headers the site's `_headers` file gives its pages, as Netlify would send them."""
    path = root / "_headers"
    if not path.is_file():
        return []
    headers, active = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line[0].isspace():
            active = line.strip() in (f"{prefix}*", "/*")
        elif active and ":" in line:
            name, value = line.strip().split(":", 1)
            headers.append((name.strip(), value.strip()))
    return headers


class _Handler(BaseHTTPRequestHandler):
    def __init__(self, *args, root: Path, prefix: str, headers: list[tuple[str, str]],
                 **kwargs) -> None:
        self.root, self.prefix, self.extra_headers = root, prefix, headers
        super().__init__(*args, **kwargs)

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        url = urlsplit(self.path)
        path = unquote(url.path)
        if not path.startswith(self.prefix):
            return self.send_file(self.root / "404.html", 404)
        target = (self.root / path[len(self.prefix):]).resolve()
        if self.root.resolve() not in (target, *target.parents):
            return self.send_file(self.root / "404.html", 404)
        if target.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", url.path + "/" + (f"?{url.query}" if url.query
                                                               else ""))
                self.end_headers()
                return None
            target = target / "index.html"
        if not target.is_file():
            return self.send_file(self.root / "404.html", 404)
        return self.send_file(target, 200)

    def send_file(self, file: Path, status: int) -> None:
        body = file.read_bytes()
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        self.send_response(status)
        self.send_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith(
            "text/") else ""))
        if kind.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        for name, value in self.extra_headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class SiteServer:
    """Serve `root` at http://127.0.0.1:<port><prefix> in a background thread."""

    def __init__(self, root: Path, prefix: str = "/", port: int = 0,
                 host_headers: bool = True) -> None:
        self.root = Path(root)
        self.headers = _host_headers(self.root, prefix) if host_headers else []
        handler = partial(_Handler, root=self.root, prefix=prefix, headers=self.headers)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}{prefix}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
