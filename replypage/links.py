"""Short links resolved against the current site: targets, short URLs and decline messages."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .compose import Page, SitePlan
from .model import ConfigError
from .shortlinks import Registry, ShortLink, default_link

MAX_MESSAGE = 200  # a free LinkedIn invitation note holds 200 characters
# Top-level names the build itself writes; a code may never shadow them.
BUILD_NAMES = {"assets", "cards", "search", "sitemap.xml", "sitemap.xml.gz", "robots.txt",
               "404.html", "index.html", "_redirects", "_headers", ".htaccess",
               "nginx-include.conf", "legal", "privacy", "impressum"}


@dataclass(frozen=True)
class Resolved:
    link: ShortLink
    page: Page  # where the code leads now (the general page when its persona is retired)


def short_url(site_url: str, code: str) -> str:
    """("https://erika.example/", "k7q") => "https://erika.example/k7q"."""
    return (site_url if site_url.endswith("/") else site_url + "/") + code


def reserved_names(plan: SitePlan) -> set[str]:
    """Names a new code must not take: locale paths, the build's own files, the docs' top level."""
    names = {locale.path for locale in plan.settings.known_locales.values()}
    names |= BUILD_NAMES
    docs = plan.settings.docs_dir
    if docs.is_dir():
        names |= {Path(entry).stem.lower() for entry in os.listdir(docs)}
    return names


def resolve(plan: SitePlan, links: list[ShortLink]) -> tuple[list[Resolved], list[str]]:
    """Every registered code with the page it leads to, plus warnings for retired targets."""
    resolved, warnings = [], []
    locales = {locale.id for locale in plan.settings.locales}
    personas = {persona.id for persona in plan.settings.personas}
    for link in links:
        locale = link.locale if link.locale in locales else plan.settings.default_locale.id
        persona = link.persona if link.persona in personas else "general"
        if (locale, persona) != (link.locale, link.persona):
            warnings.append(f"{plan.settings.registry.name}: code {link.code!r}: "
                            f"{link.persona} in {link.locale} is no longer on the site; "
                            f"it leads to {persona} in {locale}")
        resolved.append(Resolved(link, plan.page(persona, locale)))
    return resolved, warnings


def decline_message(page: Page, url: str) -> str:
    """The persona's decline message with the short link filled in."""
    return page.decline.replace("{link}", url)


def check_decline(plan: SitePlan, page: Page, url: str) -> str:
    """The message, or an error naming the file and key when it is over the limit."""
    message = decline_message(page, url)
    where, key = page.sources["decline"]
    if "{link}" not in page.decline:
        raise ConfigError(where, key, "the message needs the placeholder {link}")
    if len(message) > MAX_MESSAGE:
        raise ConfigError(where, key, f"{len(message)} characters with the link {url} "
                          f"(at most {MAX_MESSAGE}: shorten it by {len(message) - MAX_MESSAGE})")
    return message


FROZEN_ENV = "REPLYPAGE_FROZEN_REGISTRY"


def ensure_links(plan: SitePlan, site_url: str) -> tuple[list[ShortLink], list[Resolved],
                                                          list[str]]:
    """Issue missing default codes, check every decline message's length, resolve all codes.

    Nothing is written when a message would be too long."""

    def check_all(links: list[ShortLink]) -> None:
        for page in plan.pages:
            link = default_link(links, page.persona.id, page.locale.id)
            check_decline(plan, page, short_url(site_url, link.code))

    registry = Registry(plan.settings.registry)
    targets = [(page.persona.id, page.locale.id) for page in plan.pages]
    frozen = os.environ.get(FROZEN_ENV, "") not in ("", "0", "false")
    links = registry.ensure_defaults(targets, reserved_names(plan), check_all, frozen=frozen)
    resolved, warnings = resolve(plan, links)
    return links, resolved, warnings


# Cloudflare Pages' documented limits for `_redirects`; Netlify documents none.
CLOUDFLARE_STATIC_RULES = 2000
CLOUDFLARE_DYNAMIC_RULES = 100
CLOUDFLARE_RULE_CHARS = 1000


def spellings(code: str) -> list[str]:
    """The paths a code has a stub and a `_redirects` rule for: "k7q" => ["k7q", "K7Q"]
    (uppercase makes smaller QR codes). A code of n letters has 2**n spellings, 32 for five,
    more than Cloudflare's rule limit allows for a few dozen codes; any other spelling reaches
    the page through the 404 page's script (see code_map), or the case-insensitive rules of
    Apache and nginx."""
    return list(dict.fromkeys([code, code.upper()]))


def redirect_rules(resolved: list[Resolved], base_path: str) -> list[tuple[str, str]]:
    """(source, target) paths for every code and spelling, under the site's base path "/" or
    "/kontakt/"."""
    return [(f"{base_path}{spelling}", f"{base_path}{item.page.url}")
            for item in resolved for spelling in spellings(item.link.code)]


def netlify_redirects(rules: list[tuple[str, str]], *, force: bool = False,
                      hidden: tuple[str, ...] = (), not_found: str = "/404.html") -> str:
    """`_redirects` for Netlify and Cloudflare Pages: temporary (302), so a target may change.

    Netlify serves a file that exists at a rule's path instead of following the rule, unless
    the rule is forced ("302!"), and every code has a stub file; Cloudflare Pages always
    follows a rule and rejects "302!" as an invalid line. So `force` is for a build on Netlify
    only, which may also answer the `hidden` paths with the 404 page."""
    flag = "!" if force else ""
    lines = [f"{source} {target} 302{flag}\n" for source, target in rules]
    lines += [f"{path} {not_found} 404!\n" for path in hidden if force]
    return "".join(lines)


GENERATED_NOTE = "# Short links. Generated by the replypage plugin; edit shortlinks.yml instead.\n"


def _per_code(resolved: list[Resolved], base_path: str, rule: str) -> str:
    """One rule per code; `rule` formats {source} (the code's path) and {target}."""
    return GENERATED_NOTE + "".join(
        rule.format(source=f"{base_path}{item.link.code}", target=f"{base_path}{item.page.url}")
        + "\n" for item in resolved)


def apache_redirects(resolved: list[Resolved], base_path: str) -> str:
    """`.htaccess` rules (mod_alias), case-insensitive, query string kept by Apache."""
    return _per_code(resolved, base_path, 'RedirectMatch 302 "(?i)^{source}/?$" "{target}"')


def nginx_redirects(resolved: list[Resolved], base_path: str) -> str:
    """nginx locations, case-insensitive, nested in the location that serves the site."""
    return _per_code(resolved, base_path,
                     "location ~* ^{source}/?$ {{ return 302 {target}$is_args$args; }}")


# The one inline script of the 404 page: constant, so one Content-Security-Policy hash allows
# it. A known code in any spelling ("/5Cc", "/5cC/?x") goes to its page, keeping query and hash.
CODE_SCRIPT = ('(function(){var d=document.getElementById("rp-codes");if(!d)return;'
               'var m=JSON.parse(d.textContent),p=location.pathname;'
               'if(p.indexOf(m.base)!==0)return;'
               'var c=p.slice(m.base.length).replace(/\\/$/,"").toLowerCase();'
               'if(Object.prototype.hasOwnProperty.call(m.codes,c))'
               'location.replace(m.codes[c]+location.search+location.hash)})();')


def code_map(resolved: list[Resolved], base_path: str) -> str:
    """The 404 page's data block: {"base": "/", "codes": {"k7q": "/de/kaltakquise/"}}."""
    data = {"base": base_path,
            "codes": {item.link.code: base_path + item.page.url for item in resolved}}
    return json.dumps(data, separators=(",", ":")).replace("<", "\\u003c")
