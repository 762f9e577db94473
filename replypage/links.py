"""Short links resolved against the current site: targets, short URLs and decline messages."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .compose import Page, SitePlan
from .model import INVITATION_NOTE, ConfigError
from .shortlinks import ShortLink

MAX_MESSAGE = INVITATION_NOTE  # a decline must fit a free LinkedIn invitation note


@dataclass(frozen=True)
class Resolved:
    link: ShortLink
    page: Page  # where the code leads now (the general page when its persona is retired)
    issued: bool = True  # False: new in this run, written to the registry once it succeeds


def short_url(site_url: str, code: str) -> str:
    """("https://erika.example/", "k7q") => "https://erika.example/k7q"."""
    return (site_url if site_url.endswith("/") else site_url + "/") + code


def resolve(plan: SitePlan, links: list[ShortLink], new: list[ShortLink] | None = None
            ) -> tuple[list[Resolved], list[str]]:
    """Every code with the page it leads to, plus warnings for retired targets."""
    resolved, warnings = [], []
    new_codes = {link.code for link in new or []}
    locales = {locale.id for locale in plan.settings.locales}
    personas = {persona.id for persona in plan.settings.personas}
    for link in links:
        locale = link.locale if link.locale in locales else plan.settings.default_locale.id
        persona = link.persona if link.persona in personas else "general"
        if (locale, persona) != (link.locale, link.persona):
            warnings.append(f"{plan.settings.registry.name}: code {link.code!r}: "
                            f"{link.persona} in {link.locale} is no longer on the site; "
                            f"it leads to {persona} in {locale}")
        resolved.append(Resolved(link, plan.page(persona, locale),
                                 issued=link.code not in new_codes))
    return resolved, warnings


def decline_message(page: Page, url: str, name: str | None = None) -> str:
    """The message the owner pastes: the persona's decline with its short link, greeting the
    reader by name when one is given. The command, the desk and the text-expander exports all
    take their messages from here.

    ("Danke … {link}", "https://e.x/k7q", "Herr Weber") with greeting "Guten Tag {name},"
    => "Guten Tag Herr Weber,\ndanke … https://e.x/k7q"
    """
    message = page.decline.replace("{link}", url)
    name = reader_name(name or "")
    if not name:
        return message
    if page.greeting is None:
        raise ConfigError(page.sources["decline"][0], "greeting", "missing: add how a decline "
                          "greets a reader by name, e.g. greeting: 'Hello {name},'")
    if page.greeting.lowercase:
        message = message[:1].lower() + message[1:]
    return page.greeting.text.replace("{name}", name) + "\n" + message


# Spaces and control characters in a typed name, one class for the command and the desk's
# script (assets/desk.js spells out the same class): runs become one space, ends are trimmed.
NAME_SPACE = ("[\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
              "\\ufeff]+")


def reader_name(name: str) -> str:
    """A name as typed, made safe for one line: "  Jonas\n\x1b[31m" => "Jonas [31m"."""
    return re.sub(NAME_SPACE, " ", name).strip(" ")


def check_decline(plan: SitePlan, page: Page, url: str) -> str:
    """The message, or an error naming the file and key when it is over the limit."""
    message = decline_message(page, url)
    where, key = page.sources["decline"]
    if len(message) > MAX_MESSAGE:
        raise ConfigError(where, key, f"{len(message)} characters with the link {url} "
                          f"(at most {MAX_MESSAGE}: shorten it by {len(message) - MAX_MESSAGE})")
    return message


# A first and last name of typical length, as the owner types it into the desk or `--to`.
TYPICAL_NAME = "Anna Schneider"


def check_greeted(page: Page, url: str) -> str | None:
    """A warning when the decline fits alone but not after a greeting with a typical name:
    the greeting is optional, so this does not stop a build."""
    if page.greeting is None:
        return None
    greeted = decline_message(page, url, TYPICAL_NAME)
    if len(greeted) <= MAX_MESSAGE:
        return None
    where, key = page.sources["decline"]
    return (f"{where}: {key}: {len(greeted)} characters after a greeting with a name such as "
            f"{TYPICAL_NAME!r} (at most {MAX_MESSAGE}: shorten the decline or the greeting by "
            f"{len(greeted) - MAX_MESSAGE})")


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
