"""`shortlink`: a ready-to-paste decline message with its short link, in two seconds.

Reads mkdocs.yml through the pure core; never builds the site.
"""

from __future__ import annotations

import argparse
import json
import plistlib
import sys
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .compose import Page, SitePlan
from .links import MAX_MESSAGE, check_decline, ensure_links, reserved_names, short_url
from .model import ConfigError
from .project import Project, load_plan
from .settings import PREFIX
from .shortlinks import Registry, default_link

EXAMPLES = """\
examples:
  shortlink sales                 decline a cold pitch in the default language
  shortlink call --lang en --copy  in English, and put it on the clipboard
  shortlink sales --qr            print a QR code of the link in the terminal
  shortlink list                  every persona and language with code and length
  shortlink new sales --lang de --alias vertrieb   a readable extra code
  shortlink export espanso        text-expander triggers such as ;sales; and ;sales-en;
"""
COMMANDS = ("list", "new", "export")
EXPORTERS = ("espanso", "macos")


class UsageError(Exception):
    """A mistake in the command line: exit 2."""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return run(argv)
    except UsageError as error:
        print(f"shortlink: {error}", file=sys.stderr)
        return 2
    except ConfigError as error:
        print(f"shortlink: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like every other usage error
        raise UsageError(f"{message} (see --help)")


def _parser(command: str | None) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", default="mkdocs.yml", type=Path,
                        help="the site's configuration (default: ./mkdocs.yml)")
    if command is None:
        parser = _Parser(prog="shortlink", parents=[common], epilog=EXAMPLES,
                         formatter_class=argparse.RawDescriptionHelpFormatter,
                         description="Print a decline message with its short link for a persona."
                                     f" Commands: {', '.join(COMMANDS)} (see shortlink COMMAND "
                                     "--help).")
        parser.add_argument("persona", help="the kind of request, e.g. sales, call, collector")
        parser.add_argument("--lang", help="locale id, e.g. de, du, en (default: the site's)")
        parser.add_argument("--copy", action="store_true", help="put the message on the clipboard")
        parser.add_argument("--qr", action="store_true", help="print a QR code of the link")
        parser.add_argument("--qr-svg", type=Path, metavar="FILE", help="write the QR code as SVG")
        parser.add_argument("--url-only", action="store_true", help="print only the short URL")
    elif command == "list":
        parser = _Parser(prog="shortlink list", parents=[common],
                         description="Every persona and locale with its code, URL and length.")
        parser.add_argument("--json", action="store_true", help="machine-readable output")
    elif command == "new":
        parser = _Parser(prog="shortlink new", parents=[common],
                         description="Issue an extra code for a persona page (never reused).")
        parser.add_argument("persona", help="the persona the code leads to")
        parser.add_argument("--lang", help="locale id (default: the site's)")
        parser.add_argument("--alias", help="a readable code instead of a random one")
        parser.add_argument("--note", help="why this code exists, e.g. a campaign")
    else:
        parser = _Parser(prog="shortlink export", parents=[common],
                         description="Write a text-expander file with one trigger per persona "
                                     "(;sales;) and per persona and locale (;sales-en;).")
        parser.add_argument("format", help=f"one of: {', '.join(EXPORTERS)}")
        parser.add_argument("-o", "--output", type=Path,
                            help="file to write (default: shortlinks-espanso.yml or "
                                 "shortlinks.plist)")
    return parser


def run(argv: list[str]) -> int:
    command = argv[0] if argv and argv[0] in COMMANDS else None
    args = _parser(command).parse_args(argv[1:] if command else argv)
    if command == "export" and args.format not in EXPORTERS:
        raise UsageError(f"unknown format {args.format!r} (known: {', '.join(EXPORTERS)})")
    project, plan = load_plan(args.config)
    links, _, _ = ensure_links(plan, project.site_url)
    if command == "list":
        return list_links(project, plan, links, as_json=args.json)
    if command == "new":
        return new_link(project, plan, args)
    if command == "export":
        return export(project, plan, links, args.format, args.output)
    page = _page(plan, args.persona, args.lang)
    url = short_url(project.site_url, default_link(links, page.persona.id, page.locale.id).code)
    if args.url_only:
        print(url)
    else:
        print(check_decline(plan, page, url))
        print(url)
    if args.copy:
        copy_to_clipboard(url if args.url_only else check_decline(plan, page, url))
    if args.qr or args.qr_svg:
        qr = make_qr(url, project.site_url)
        if args.qr:
            qr.terminal(out=sys.stdout, compact=True)
        if args.qr_svg:
            qr.save(str(args.qr_svg), kind="svg", scale=8, border=4)
            print(f"QR code written to {args.qr_svg}", file=sys.stderr)
    return 0


def _page(plan: SitePlan, persona_id: str, locale_id: str | None) -> Page:
    personas = [persona.id for persona in plan.settings.personas]
    locales = [locale.id for locale in plan.settings.locales]
    if persona_id not in personas:
        raise UsageError(f"unknown persona {persona_id!r} (known: {', '.join(personas)})")
    locale_id = locale_id or plan.settings.default_locale.id
    if locale_id not in locales:
        raise UsageError(f"unknown locale {locale_id!r} (known: {', '.join(locales)})")
    return plan.page(persona_id, locale_id)


def copy_to_clipboard(text: str) -> None:
    """Copy, or say once why not: the message is printed anyway, so this never fails."""
    try:
        import pyperclip

        pyperclip.copy(text)
    except Exception as error:  # pyperclip raises its own error when no mechanism exists
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(f"shortlink: not copied, no clipboard available ({reason[:120]}); "
              "the message is printed above", file=sys.stderr)
    else:
        print("shortlink: copied to the clipboard", file=sys.stderr)


def qr_text(url: str, site_url: str) -> str:
    """The text to encode: uppercase where the host serves the code in any case, since
    uppercase letters use QR's compact alphanumeric mode: "https://e.x/k7q" => "HTTPS://E.X/K7Q".
    """
    if urlsplit(site_url).path in ("", "/"):
        return url.upper()
    return url


def make_qr(url: str, site_url: str):
    import segno

    return segno.make_qr(qr_text(url, site_url), error="m")  # never a Micro QR


def list_links(project: Project, plan: SitePlan, links, *, as_json: bool) -> int:
    rows = []
    for page in plan.pages:
        link = default_link(links, page.persona.id, page.locale.id)
        url = short_url(project.site_url, link.code)
        rows.append({"persona": page.persona.id, "locale": page.locale.id, "code": link.code,
                     "url": url, "target": project.site_url + page.url,
                     "length": len(check_decline(plan, page, url))})
    extras = [{"code": link.code, "persona": link.persona, "locale": link.locale,
               "url": short_url(project.site_url, link.code), "note": link.note}
              for link in links if not link.default]
    if as_json:
        json.dump({"defaults": rows, "extra": extras}, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    header = ("persona", "locale", "code", "short URL", f"chars (≤{MAX_MESSAGE})")
    table = [header] + [(r["persona"], r["locale"], r["code"], r["url"], str(r["length"]))
                        for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())
    if extras:
        print("\nextra codes:")
        for extra in extras:
            note = f"  ({extra['note']})" if extra["note"] else ""
            print(f"  {extra['code']}  {extra['persona']}  {extra['locale']}  {extra['url']}"
                  f"{note}")
    return 0


def new_link(project: Project, plan: SitePlan, args: argparse.Namespace) -> int:
    page = _page(plan, args.persona, args.lang)
    link = Registry(plan.settings.registry).issue(
        page.persona.id, page.locale.id, reserved_names(plan), alias=args.alias, note=args.note)
    print(short_url(project.site_url, link.code))
    print(f"shortlink: added {link.code!r} for {page.persona.id} in {page.locale.id} to "
          f"{plan.settings.registry.name}; rebuild the site to publish it", file=sys.stderr)
    return 0


TRIGGER_MARK = ";"  # opens and closes every trigger; ids never contain it


def trigger(persona_id: str, locale_id: str | None = None) -> str:
    """("sales", None) => ";sales;", ("sales", "en") => ";sales-en;".

    Espanso expands the first trigger that is complete as you type, so a trigger that starts
    another one would hide it (";sales" inside ";sales-en"). The closing mark makes the set
    prefix-free, and nothing between the marks is a space or a mark, so an expander that
    waits for a word break (macOS text replacements) also sees the whole trigger."""
    name = persona_id if locale_id is None else f"{persona_id}-{locale_id}"
    return f"{TRIGGER_MARK}{name}{TRIGGER_MARK}"


def expansions(project: Project, plan: SitePlan, links) -> list[dict[str, str]]:
    """One trigger per persona (default locale) and per persona and locale."""
    items = []
    default = plan.settings.default_locale.id
    owners: dict[str, str] = {}
    for page in plan.pages:
        link = default_link(links, page.persona.id, page.locale.id)
        message = check_decline(plan, page, short_url(project.site_url, link.code))
        label = f"{page.title} ({page.locale.name})"
        names = [trigger(page.persona.id, page.locale.id)]
        if page.locale.id == default:
            names.insert(0, trigger(page.persona.id))
        for name in names:
            what = f"{page.persona.id} in {page.locale.id}"
            if name in owners:  # e.g. persona "sales-de" beside persona "sales" in "de"
                raise ConfigError(plan.settings.source, f"{PREFIX}.personas",
                                  f"the trigger {name} would stand for {owners[name]} and "
                                  f"for {what}; rename one of the personas")
            owners[name] = what
            items.append({"trigger": name, "replace": message, "label": label})
    return items


def export(project: Project, plan: SitePlan, links, kind: str, output: Path | None) -> int:
    items = expansions(project, plan, links)
    if kind == "espanso":
        output = output or Path("shortlinks-espanso.yml")
        matches = [{**item, "force_mode": "clipboard"} for item in items]
        text = ("# Espanso match file: copy to ~/.config/espanso/match/ (Linux), or see\n"
                "# `espanso path` for your system. Generated by `shortlink export espanso`.\n")
        text += yaml.safe_dump({"matches": matches}, allow_unicode=True, sort_keys=False,
                               width=1000)
        output.write_text(text, encoding="utf-8")
    else:
        output = output or Path("shortlinks.plist")
        entries = [{"phrase": item["replace"], "shortcut": item["trigger"]} for item in items]
        output.write_bytes(plistlib.dumps(entries))
    print(f"shortlink: wrote {len(items)} triggers to {output}", file=sys.stderr)
    return 0
