"""Real hosts for the built site, on 127.0.0.1: Debian's nginx and Apache, Netlify's own rule
code under Node, each with its own configuration in a temporary folder, started on a free port
and stopped by its process id. Never the system's service.

Mandatory in CI (REPLYPAGE_REQUIRE_HOSTS=1): a missing program fails there; locally the tests
are skipped with the reason.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REQUIRE_ENV = "REPLYPAGE_REQUIRE_HOSTS"
NODE_DIR = Path(__file__).resolve().parent / "hosts"
APACHE_MODULES = Path("/usr/lib/apache2/modules")
SBIN = ("/usr/sbin", "/usr/local/sbin", "/sbin")


def program(name: str, install: str) -> str:
    """The program's path, or skip (fail where hosts are required) saying how to get it."""
    found = shutil.which(name) or next(
        (f"{d}/{name}" for d in SBIN if os.access(f"{d}/{name}", os.X_OK)), None)
    if found is None:
        unavailable(f"{name} is not installed ({install})")
    return found


def unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_ENV):
        pytest.fail(f"the host tests are required here: {reason}")
    pytest.skip(reason)


def netlify_code() -> tuple[str, Path]:
    """node and the folder with Netlify's packages, installed by `npm ci` in tests/hosts."""
    node = program("node", "apt-get install nodejs")
    if not (NODE_DIR / "node_modules" / "netlify-redirector").is_dir():
        unavailable("Netlify's packages are not installed (cd tests/hosts && npm ci)")
    return node, NODE_DIR / "netlify.mjs"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def location(self) -> str:
        """The Location header as path and query: "http://h:1/de/?a=1" => "/de/?a=1"."""
        parts = urlsplit(self.headers.get("Location", ""))
        return parts.path + (f"?{parts.query}" if parts.query else "")


class Host:
    """A running host: `url` is the site's address, base path included."""

    def __init__(self, name: str, port: int, base: str) -> None:
        self.name, self.port, self.base = name, port, base
        self.url = f"http://127.0.0.1:{port}{base}"

    def get(self, path: str) -> Response:
        """One GET of `path` (from the server's root), redirects not followed."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path, headers={"Host": "localhost"})
            answer = connection.getresponse()
            return Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()


class Process:
    """A server program in the foreground, its output in a log; stopped by its PID."""

    def __init__(self, argv: list[str], log: Path, stop: signal.Signals = signal.SIGTERM,
                 **popen) -> None:
        self.log_path, self.stop_signal = log, stop
        self.log = log.open("wb")
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, **popen)

    def wait_for_port(self, port: int, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        pytest.fail(f"the server did not start: {self.log_path.read_text(errors='replace')}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, self.stop_signal)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def other_app(folder: Path) -> Path:
    """Another application on the same host, which must not get the site's headers."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text("<!doctype html><title>other</title><p>other app\n")
    return folder


def nginx_config(work: Path, port: int, site: Path, base: str, other: Path) -> str:
    """A whole nginx configuration: the site's location includes the generated file, next to
    a location for another application."""
    include = f"include {site}/nginx-include.conf;"
    if base == "/":
        locations = (f"location / {{ root {site}; {include} }}\n"
                     f"        location /other/ {{ alias {other}/; }}")
    else:
        locations = (f"location {base} {{ alias {site}/; {include} }}\n"
                     f"        location / {{ root {other}; }}")
    temp = " ".join(f"{kind}_temp_path {work}/{kind};" for kind in
                    ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""{user}
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    {temp}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        {locations}
    }}
}}
"""


def start_nginx(work: Path, site: Path, base: str) -> tuple[Process, Host]:
    nginx = program("nginx", "apt-get install nginx")
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = work / "nginx.conf"
    config.write_text(nginx_config(work, port, site, base, other_app(work / "other")))
    check = subprocess.run([nginx, "-t", "-p", str(work), "-e", str(work / "error.log"),
                            "-c", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = Process([nginx, "-p", str(work), "-e", str(work / "error.log"), "-c", str(config),
                       "-g", "daemon off;"], work / "nginx.log", stop=signal.SIGQUIT)
    process.wait_for_port(port)
    return process, Host("nginx", port, base)


APACHE_MODULE_NAMES = ("mpm_event", "authz_core", "mime", "dir", "alias", "headers")


def apache_config(work: Path, port: int, site: Path, base: str, other: Path) -> str:
    """A whole Apache configuration: the site's folder with AllowOverride All, so that its
    generated .htaccess applies, next to a folder for another application."""
    modules = "\n".join(f"LoadModule {name}_module {APACHE_MODULES}/mod_{name}.so"
                        for name in APACHE_MODULE_NAMES)
    user = "User www-data\nGroup www-data" if os.geteuid() == 0 else ""
    if base == "/":
        mapping = f'DocumentRoot "{site}"\nAlias /other/ "{other}/"'
    else:
        mapping = f'DocumentRoot "{other}"\nAlias {base} "{site}/"'
    return f"""ServerRoot "{work}"
{modules}
{user}
Listen 127.0.0.1:{port}
ServerName localhost
PidFile "{work}/httpd.pid"
DefaultRuntimeDir "{work}"
ErrorLog "{work}/error.log"
LogLevel warn
TypesConfig /etc/mime.types
DirectoryIndex index.html
{mapping}
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory "{site}">
    AllowOverride All
    Require all granted
</Directory>
<Directory "{other}">
    AllowOverride None
    Require all granted
</Directory>
"""


def start_apache(work: Path, site: Path, base: str) -> tuple[Process, Host]:
    apache = program("apache2", "apt-get install apache2")
    if not (APACHE_MODULES / "mod_headers.so").is_file():
        unavailable(f"Apache's modules are not in {APACHE_MODULES}")
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = work / "httpd.conf"
    config.write_text(apache_config(work, port, site, base, other_app(work / "other")))
    check = subprocess.run([apache, "-t", "-d", str(work), "-f", str(config)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = Process([apache, "-d", str(work), "-f", str(config), "-DFOREGROUND"],
                      work / "apache.log")
    process.wait_for_port(port)
    return process, Host("apache", port, base)


def start_netlify(work: Path, site: Path, base: str) -> tuple[Process, Host, list[str]]:
    """Netlify's rule code serving the site; also returns the parsers' errors."""
    node, script = netlify_code()
    work.mkdir(parents=True, exist_ok=True)
    process = Process([node, str(script), "serve", str(site)], work / "netlify.log",
                      cwd=NODE_DIR)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and process.proc.poll() is None:
        first = process.log_path.read_text(errors="replace").partition("\n")
        if first[1]:
            ready = json.loads(first[0])
            return process, Host("netlify", ready["port"], base), ready["errors"]
        time.sleep(0.05)
    process.stop()
    pytest.fail(f"the Netlify host did not start: {process.log_path.read_text()}")


def netlify_parse(site: Path) -> dict:
    """What Netlify's parsers make of the site's _redirects and _headers."""
    node, script = netlify_code()
    run = subprocess.run([node, str(script), "parse", str(site)], cwd=NODE_DIR,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)
