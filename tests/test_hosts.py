"""The example site on the hosts the README names, each the real program: Debian's nginx and
Apache with the generated configuration, Netlify's own rule code, and a plain static host
like GitHub Pages seen through Chromium; at the site root and under a sub-path.

For each: every code in lower, UPPER and a mixed spelling, with and without trailing slash
and with a query string, reaches its page; an unknown path gets the site's 404 page with
status 404; pages carry the security headers; the host files are not served.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, make_project, run_mkdocs
from hostservers import (
    Host,
    netlify_parse,
    start_apache,
    start_netlify,
    start_nginx,
)
from webserver import SiteServer

from replypage.hosting import HOST_FILES, SECURITY_HEADERS
from replypage.links import (
    CLOUDFLARE_DYNAMIC_RULES,
    CLOUDFLARE_RULE_CHARS,
    CLOUDFLARE_STATIC_RULES,
    Resolved,
    resolve,
)
from replypage.project import load_plan
from replypage.shortlinks import parse

SUB_PATH = "https://example.org/kontakt/"
BASES = {"root": "/", "sub-path": "/kontakt/"}
# The build each host gets: nginx and Apache the default one (every host's files), Netlify
# and the plain static host their own (REPLYPAGE_HOST, as Netlify's NETLIFY=true would say).
BUILDS = {"nginx": None, "apache": None, "netlify": "netlify", "static": "static"}
# Netlify publishes a site at the top of its domain, and reads _redirects only there: a
# sub-path build's rules are parsed below, not served.
HOSTS = [(kind, where) for kind in BUILDS for where in BASES
         if (kind, where) != ("netlify", "sub-path")]
QUERY = "?utm_source=li&n=1"


@dataclass
class Built:
    site: Path
    base: str
    resolved: list[Resolved]

    def page(self, path: str) -> str:
        """A page of the site from the server's root: "de/" => "/kontakt/de/"."""
        return self.base + path


def mixed(code: str) -> str:
    """Letters alternately upper and lower case: "5cc" => "5Cc", "xyv" => "XyV"."""
    out, upper = [], True
    for char in code:
        if char.isalpha():
            out.append(char.upper() if upper else char)
            upper = not upper
        else:
            out.append(char)
    return "".join(out)


def spellings(code: str) -> dict[str, str]:
    """{"lower": "5cc", "upper": "5CC", "mixed": "5Cc"}, without repeats ("727" has one)."""
    found: dict[str, str] = {}
    for kind, spelling in (("lower", code), ("upper", code.upper()), ("mixed", mixed(code))):
        if spelling not in found.values():
            found[kind] = spelling
    return found


def requests(built: Built) -> list[tuple[str, str, str, str]]:
    """(spelling kind, path asked for, query, target path) for every code."""
    table = []
    for item in built.resolved:
        target = built.page(item.page.url)
        for kind, spelling in spellings(item.link.code).items():
            for tail, query in (("", ""), ("/", ""), ("", QUERY)):
                table.append((kind, built.page(spelling + tail), query, target))
    return table


@pytest.fixture(scope="session")
def hosting_root():
    """A folder every server's own user may read (pytest's folders are private to root)."""
    root = Path(tempfile.mkdtemp(prefix="replypage-hosts-"))
    root.chmod(0o755)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def built_sites(hosting_root, tmp_path_factory) -> dict[tuple[str | None, str], Built]:
    """The example site, built without --strict (the content may lack translations), for each
    base path and each kind of build the hosts need."""
    builds = {}
    for where, base in BASES.items():
        project = make_project(tmp_path_factory.mktemp(where), base=REPO)
        if base != "/":
            config = project / "mkdocs.yml"
            config.write_text(config.read_text().replace("https://erika.example/", SUB_PATH))
        for host in dict.fromkeys(BUILDS.values()):
            site = hosting_root / f"{where}-{host or 'all'}"
            env = {} if host is None else {"REPLYPAGE_HOST": host}
            run = run_mkdocs(project, "--site-dir", str(site), env=env)
            assert run.returncode == 0, run.stderr
            for path in [site, *site.rglob("*")]:
                path.chmod(0o755 if path.is_dir() else 0o644)
            plan = load_plan(project / "mkdocs.yml")[1]
            links = parse((project / "shortlinks.yml").read_text(encoding="utf-8"), "x")
            builds[(host, where)] = Built(site, base, resolve(plan, links)[0])
    return builds


class Pool:
    """The running hosts, each started on first use and stopped (by PID) after the session."""

    def __init__(self, built_sites: dict, folder: Path) -> None:
        self.built_sites, self.folder = built_sites, folder
        self.running: dict[tuple[str, str], tuple[Host, Built]] = {}
        self.stops: list = []

    def get(self, kind: str, where: str) -> tuple[Host, Built]:
        if (kind, where) not in self.running:
            self.running[(kind, where)] = (self.start(kind, where),
                                           self.built_sites[(BUILDS[kind], where)])
        return self.running[(kind, where)]

    def start(self, kind: str, where: str) -> Host:
        built = self.built_sites[(BUILDS[kind], where)]
        work = self.folder / f"{kind}-{where}-work"
        if kind == "static":
            server = SiteServer(built.site, built.base, host_headers=False).__enter__()
            self.stops.append(lambda: server.__exit__(None, None, None))
            return Host("static", server.httpd.server_port, built.base)
        if kind == "netlify":
            process, host, errors = start_netlify(work, built.site, built.base)
            assert errors == []
        else:
            start = start_nginx if kind == "nginx" else start_apache
            process, host = start(work, built.site, built.base)
        self.stops.append(process.stop)
        return host


@pytest.fixture(scope="session")
def pool(built_sites, hosting_root):
    running = Pool(built_sites, hosting_root)
    yield running
    for stop in running.stops:
        stop()


def ids(cases: list[tuple]) -> list[str]:
    return ["-".join(str(part) for part in case) for case in cases]


@pytest.fixture(params=HOSTS, ids=ids(HOSTS))
def served(request, pool):
    """(host, build) for each host and base path."""
    return pool.get(*request.param)


SERVERS = [(kind, where) for kind in ("nginx", "apache") for where in BASES]


@pytest.fixture(params=SERVERS, ids=ids(SERVERS))
def server_with_other_app(request, pool):
    """nginx and Apache, each with another application beside the site."""
    return pool.get(*request.param)


def test_every_code_reaches_its_page_over_http(served):
    """nginx and Apache redirect every spelling; Netlify's forced rules the two spellings that
    have rules, a plain host serves their stubs; any other spelling gets the 404 page, whose
    script is tested in Chromium below."""
    host, built = served
    not_found = (built.site / "404.html").read_bytes()
    problems = []
    count = 0
    for kind, path, query, target in requests(built):
        answer = host.get(path + query)
        count += 1
        if host.name in ("nginx", "apache") or (host.name == "netlify" and kind != "mixed"):
            if (answer.status, answer.location) != (302, target + query):
                problems.append(f"{path}{query}: {answer.status} {answer.location}")
        elif kind == "mixed":
            if answer.status != 404 or answer.body != not_found:
                problems.append(f"{path}{query}: {answer.status}, not the 404 page")
        else:  # the plain host: the stub, after adding the trailing slash
            if not path.endswith("/"):
                if (answer.status, answer.location) != (301, path + "/" + query):
                    problems.append(f"{path}{query}: {answer.status} {answer.location}")
                continue
            stub = BeautifulSoup(answer.body, "lxml").select_one("#target")
            if answer.status != 200 or urljoin(path, stub["href"]) != target:
                problems.append(f"{path}: {answer.status}, stub to {stub and stub['href']}")
    assert not problems, f"{len(problems)} of {count}:\n" + "\n".join(problems[:20])
    targets = {target for *_, target in requests(built)}
    for target in targets:  # every target is a page of the site
        assert host.get(target).status == 200, target


@pytest.mark.parametrize("path", ["nope/", "nope", "de/nope/", "NOPE.html"])
def test_an_unknown_path_gets_the_sites_404_page(served, path):
    host, built = served
    answer = host.get(built.page(path))
    assert answer.status == 404
    assert answer.body == (built.site / "404.html").read_bytes()


def recorded_headers(site: Path) -> dict[str, str]:
    """The headers a build wrote into `_headers`: {"Referrer-Policy": "no-referrer", ...}."""
    lines = (site / "_headers").read_text(encoding="utf-8").splitlines()[1:]
    return dict(line.strip().split(": ", 1) for line in lines)


def test_the_desk_installs_from_every_host(served):
    """Its web app manifest is served as one, with the headers of every other file."""
    host, built = served
    answer = host.get(built.page("desk-x7q2/manifest.webmanifest"))
    assert answer.status == 200
    assert answer.headers["Content-Type"].split(";")[0] == "application/manifest+json"
    if host.name != "static":
        assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_carry_the_security_headers(served, built_sites):
    """The headers every host sends (a plain host sends none: its pages carry the policy as
    <meta> tags, all a page can carry), from the record that the build for every host
    writes; UTF-8 declared for HTML."""
    host, built = served
    where = next(w for w, base in BASES.items() if base == built.base)
    expected = recorded_headers(built_sites[(None, where)].site)
    assert set(expected) == {"Content-Security-Policy", *SECURITY_HEADERS}
    for path in ("", "de/", "en/", "nope/"):
        answer = host.get(built.page(path))
        assert answer.headers["Content-Type"].lower().replace(" ", "") == (
            "text/html;charset=utf-8"), path
        doc = BeautifulSoup(answer.body, "lxml")
        meta = doc.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
        assert meta == expected["Content-Security-Policy"].replace(
            "; frame-ancestors 'none'", ""), path
        assert doc.select_one('meta[name="referrer"]')["content"] == "no-referrer"
        sent = {name: answer.headers.get(name) for name in expected}
        if host.name == "static":  # GitHub Pages sends none of them
            assert set(sent.values()) == {None}, path
        else:
            assert sent == expected, path


def test_the_host_files_are_not_served(served):
    host, built = served
    for name in HOST_FILES:
        answer = host.get(built.page(name))
        assert answer.status == 404, name
        assert answer.body == (built.site / "404.html").read_bytes(), name


def test_the_other_application_on_the_host_keeps_its_own_headers(server_with_other_app):
    """Beside the site, nginx and Apache serve another application: at /other/ when the site
    is at the root, at / when the site is under /kontakt/. It gets none of the site's headers
    and not the site's 404 page."""
    host, built = server_with_other_app
    other = "/other/" if built.base == "/" else "/"
    answer = host.get(other)
    assert answer.status == 200 and b"other app" in answer.body
    for name in ("Content-Security-Policy", "X-Frame-Options", "Referrer-Policy"):
        assert name not in answer.headers, name
    missing = host.get(other + "nope/")
    assert missing.status == 404 and missing.body != (built.site / "404.html").read_bytes()
    assert "Content-Security-Policy" not in missing.headers


def test_netlify_reads_every_rule_within_cloudflares_limits(built_sites):
    """Netlify's parsers accept both builds' files; the default _redirects is also what
    Cloudflare Pages accepts: statuses it knows, no '!', within its documented limits."""
    for (host, where), built in built_sites.items():
        if host not in (None, "netlify"):
            continue
        parsed = netlify_parse(built.site)
        assert parsed["errors"] == [], (host, where)
        rules = parsed["redirects"]
        codes = len(built.resolved)
        stubbed = sum(len(dict.fromkeys([i.link.code, i.link.code.upper()]))
                      for i in built.resolved)
        assert len(rules) == stubbed + (2 if host == "netlify" else 0)
        assert all(rule["force"] == (host == "netlify") for rule in rules)
        assert {rule["status"] for rule in rules} == ({302, 404} if host else {302})
        dynamic = [r for r in rules if "*" in r["from"] or ":" in r["from"]]
        assert len(rules) - len(dynamic) <= CLOUDFLARE_STATIC_RULES
        assert len(dynamic) <= CLOUDFLARE_DYNAMIC_RULES
        lines = (built.site / "_redirects").read_text().splitlines()
        assert max(map(len, lines)) <= CLOUDFLARE_RULE_CHARS
        if host is None:  # Cloudflare's own syntax: source, destination, one of its codes
            assert all(line.split()[2] in {"301", "302", "303", "307", "308"}
                       for line in lines)
        assert [h["for"] for h in parsed["headers"]] == [f"{built.base}*"]
        assert codes >= 60


def test_each_build_writes_only_its_hosts_files(built_sites):
    for (host, _), built in built_sites.items():
        present = {name for name in HOST_FILES if (built.site / name).exists()}
        expected = {None: set(HOST_FILES), "netlify": {"_redirects", "_headers"},
                    "static": set()}[host]
        assert present == expected, host


@pytest.mark.parametrize("environ,host", [
    ({}, None), ({"NETLIFY": "true"}, "netlify"), ({"CF_PAGES": "1"}, "cloudflare"),
    ({"REPLYPAGE_HOST": "Static", "NETLIFY": "true"}, "static"), ({"NETLIFY": "1"}, None),
], ids=["anywhere", "netlify", "cloudflare", "chosen", "not-netlifys-value"])
def test_the_host_a_build_is_for(environ, host):
    from replypage.hosting import build_host

    assert build_host(environ) == host


def test_a_netlify_build_is_recognised_by_netlifys_own_variable(tmp_path):
    project = make_project(tmp_path)
    run = run_mkdocs(project, env={"NETLIFY": "true"})
    assert run.returncode == 0, run.stderr
    site = project / "site"
    assert not (site / ".htaccess").exists() and not (site / "nginx-include.conf").exists()
    assert all(line.endswith("!") for line in (site / "_redirects").read_text().splitlines())
    wrong = run_mkdocs(project, env={"REPLYPAGE_HOST": "github"})
    assert wrong.returncode == 1
    assert ("REPLYPAGE_HOST: unknown host 'github' (known: netlify, cloudflare, apache, "
            "nginx, static; unset: the files of every host)") in wrong.stderr


# Chromium: what a reader's browser does where the host answers with a page, not a redirect.

def browse(browser, host: Host, cases: list[tuple[str, str]], javascript: bool) -> list[str]:
    """Open each (address, expected address) and wait until the browser is there; return
    what went wrong. Waiting for the response, not the page's load, keeps this fast."""
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    problems = []
    for path, expected in cases:
        page.goto(f"http://127.0.0.1:{host.port}{path}", wait_until="commit")
        try:
            page.wait_for_url(f"http://127.0.0.1:{host.port}{expected}", timeout=3000,
                              wait_until="commit")
        except Exception:
            problems.append(f"{path}: ended on {page.url}")
            if len(problems) == 10:
                break  # enough to see what is wrong
    context.close()
    return problems


STUB_CASES = [("static", "root", "script"), ("static", "root", "no-script"),
              ("static", "sub-path", "script")]


@pytest.mark.parametrize("kind,where,mode", STUB_CASES, ids=ids(STUB_CASES))
def test_every_stub_leads_to_its_page_in_a_browser(pool, browser, kind, where, mode):
    """On a plain host every stub (lower and UPPER) is opened as in a message, without the
    trailing slash: the host adds it, the stub's script goes on keeping query and hash;
    without JavaScript its meta refresh does, dropping them (the meta refresh is the same
    relative link as the script's, so the root stands for the sub-path). With the slash the
    host serves the same stub at once (the HTTP test above). nginx, Apache and Netlify
    redirect these spellings themselves."""
    host, built = pool.get(kind, where)
    javascript = mode == "script"
    tail = f"{QUERY}#x" if javascript else ""
    cases = [(path + tail, target + tail) for kind, path, query, target in requests(built)
             if kind != "mixed" and not path.endswith("/") and not query]
    assert len(cases) == sum(len(dict.fromkeys([i.link.code, i.link.code.upper()]))
                             for i in built.resolved)
    problems = browse(browser, host, cases, javascript)
    assert not problems, f"of {len(cases)}:\n" + "\n".join(problems)


PAGE_404_CASES = [("static", "root"), ("static", "sub-path"), ("netlify", "root")]


@pytest.mark.parametrize("kind,where", PAGE_404_CASES, ids=ids(PAGE_404_CASES))
def test_any_other_spelling_leads_to_its_page_through_the_404_page(pool, browser, kind,
                                                                     where):
    """A spelling with no stub and no rule (/5Cc) gets the 404 page on Netlify and on a plain
    host; its script knows every code and goes to the page, with and without the trailing
    slash, keeping query and hash. nginx and Apache redirect every spelling themselves."""
    host, built = pool.get(kind, where)
    cases = []
    for kind, path, query, target in requests(built):
        if kind == "mixed" and not query:
            tail = f"{QUERY}#x" if path.endswith("/") else ""
            cases.append((path + tail, target + tail))
    assert len(cases) == 2 * sum("mixed" in spellings(i.link.code) for i in built.resolved)
    problems = browse(browser, host, cases, javascript=True)
    assert not problems, f"of {len(cases)}:\n" + "\n".join(problems)
