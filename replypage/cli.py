"""`shortlink`: a ready-to-paste decline message with its short link, in two seconds.

Reads mkdocs.yml through the pure core; never builds the site.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import answers

if TYPE_CHECKING:  # the core is imported only when a question has no kept answer
    import argparse

    from .compose import Page, SitePlan
    from .preflight import Preflight
    from .project import Project

EXAMPLES = """\
examples:
  shortlink sales                 decline a cold pitch in the default language
  shortlink call --lang en --copy  in English, and put it on the clipboard
  shortlink sales --to "Herr Weber"  greet the reader by name
  shortlink sales --qr            print a QR code of the link in the terminal
  shortlink list                  every persona and language with code and length
  shortlink new sales --lang de --alias vertrieb   a readable extra code
  shortlink export espanso        text-expander triggers such as ;sales; and ;sales-en;
"""
COMMANDS = ("list", "new", "export")
EXPORTERS = ("espanso", "macos")


class UsageError(Exception):
    """A mistake in the command line: exit 2."""


# Control characters (terminal escape sequences among them) never reach the terminal.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """Text safe to print: "note\x1b[31m" => "note[31m"."""
    return CONTROL.sub("", text)


def say(text: str = "", *, err: bool = False) -> None:
    """Print one line of output; a terminal that cannot show a character gets a '?' for it,
    and is told once."""
    stream = sys.stderr if err else sys.stdout
    line = clean(text)
    try:
        print(line, file=stream)
    except UnicodeEncodeError:
        encoding = stream.encoding or "ascii"
        print(line.encode(encoding, "replace").decode(encoding), file=stream)
        if not getattr(say, "warned", False):
            say.warned = True  # type: ignore[attr-defined]
            print(f"shortlink: this terminal ({encoding}) cannot show every character; use "
                  "--copy, or a UTF-8 terminal (e.g. LANG=C.UTF-8)", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if answers.replay(argv):
        return 0
    from .model import ConfigError, capped

    try:
        status = run(argv)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
        return status
    except UsageError as error:
        say(f"shortlink: {capped(str(error))}", err=True)
        return 2
    except ConfigError as error:
        say(f"shortlink: {error}", err=True)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `shortlink list | head -1`: the reader has what it wanted; stop quietly.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as error:
        # A read-only folder, a full disk, a lock file that is a folder, a name too long.
        where = f"{capped(str(error.filename), 200)}: " if error.filename else ""
        say(f"shortlink: {where}{error.strerror or error}", err=True)
        return 1


def check_as_mkdocs(config_file: Path) -> None:
    """MkDocs' own validation of the whole configuration (theme, extensions, other plugins),
    which the build runs before anything else; its first error as one line. (It imports MkDocs
    and the theme, so it runs only before the registry is written.)"""
    import logging

    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .model import ConfigError

    class _Errors(logging.Handler):
        def __init__(self) -> None:
            super().__init__(logging.ERROR)
            self.messages: list[str] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.messages.append(record.getMessage())

    errors = _Errors()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(errors)
    propagate, mkdocs_log.propagate = mkdocs_log.propagate, False
    try:
        load_config(str(config_file))
    except MkDocsException as error:  # Abort, after logging each configuration error
        first = next(iter(errors.messages), str(error))
        raise ConfigError(config_file.name, "", " ".join(first.split())) from None
    finally:
        mkdocs_log.removeHandler(errors)
        mkdocs_log.propagate = propagate


def _shows(characters: str) -> bool:
    try:
        characters.encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _parser(command: str | None) -> argparse.ArgumentParser:
    import argparse

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> None:  # one line, exit 2, like every usage error
            raise UsageError(f"{message} (see --help)")

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
        parser.add_argument("--to", metavar="NAME", help="greet the reader by name, as you "
                                                         "would write it: 'Herr Weber', 'Jonas'")
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
                            help="file to write, - for standard output (default: "
                                 "shortlinks-espanso.yml or shortlinks.plist)")
    return parser


def run(argv: list[str]) -> int:
    command = argv[0] if argv and argv[0] in COMMANDS else None
    args = _parser(command).parse_args(argv[1:] if command else argv)
    if command == "export" and args.format not in EXPORTERS:
        raise UsageError(f"unknown format {args.format!r} (known: {', '.join(EXPORTERS)})")
    for option, path in (("-o", getattr(args, "output", None)),
                         ("--qr-svg", getattr(args, "qr_svg", None))):
        if path is not None and not path.resolve().parent.is_dir():
            raise UsageError(f"{option} {path}: the folder {str(path.parent)!r} does not exist")
    from .links import MAX_MESSAGE, check_decline, decline_message
    from .preflight import preflight
    from .project import load_plan
    from .qr import make_qr

    project, plan = load_plan(args.config)
    page = _page(plan, args.persona, args.lang) if command in (None, "new") else None
    # The same checks as the build; new default codes are chosen now, written only once the
    # command has done its work.
    checked = preflight(plan, project.site_url)
    if checked.new or command == "new":
        # About to write the registry: a configuration the build would refuse (a theme or
        # Markdown extension that is not installed, site_dir inside docs/) issues no code.
        check_as_mkdocs(args.config)
    if command == "list":
        return list_links(project, checked, as_json=args.json)
    if command == "new":
        return new_link(project, checked, page, args)
    if command == "export":
        return export(project, checked, args.format, args.output)
    url = checked.url(page.persona.id, page.locale.id)
    message = check_decline(plan, page, url)
    if args.to is not None:
        message = decline_message(page, url, args.to)
    qr = make_qr(url, project.site_url) if args.qr or args.qr_svg else None
    kept = not checked.new  # an answer that issued codes is not kept: the registry changed
    checked.commit()
    output = f"{url}\n" if args.url_only else f"{clean(message)}\n{url}\n"
    if args.url_only:
        say(url)
    else:
        say(message)
        say(url)
        if len(message) > MAX_MESSAGE:
            kept = False
            say(f"shortlink: {len(message)} characters, more than the {MAX_MESSAGE} an "
                "invitation note holds: send it as a message, or shorten the name", err=True)
    if kept and not getattr(say, "warned", False):
        answers.keep(argv, output, project.config_files, project.docs_dir,
                     plan.settings.registry)
    if args.copy:
        copy_to_clipboard(url if args.url_only else message)
    if qr is not None:
        if args.qr:
            # Half blocks where the terminal has them; ANSI-coloured spaces where it does not.
            qr.terminal(out=sys.stdout, compact=_shows("\u2580\u2584\u2588"))
        if args.qr_svg:
            write_output(args.qr_svg, lambda path: qr.save(str(path), kind="svg", scale=8,
                                                            border=4))
            say(f"QR code written to {args.qr_svg}", err=True)
    return 0


def write_output(path: Path, write) -> None:
    """Write a file the owner asked for, or say in one line why it cannot be written."""
    try:
        write(path)
    except OSError as error:
        from .model import ConfigError

        raise ConfigError(str(path), "", f"cannot be written: {error.strerror or error}"
                          ) from None


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
        say(f"shortlink: not copied, no clipboard available ({reason[:120]}); the message is "
            "printed above", err=True)
    else:
        say("shortlink: copied to the clipboard", err=True)


def list_links(project: Project, checked: Preflight, *, as_json: bool) -> int:
    from .links import MAX_MESSAGE, check_decline, short_url

    plan = checked.plan
    rows = []
    for page in plan.pages:
        url = checked.url(page.persona.id, page.locale.id)
        link = url.rsplit("/", 1)[1]
        rows.append({"persona": page.persona.id, "locale": page.locale.id, "code": link,
                     "url": url, "target": project.site_url + page.url,
                     "length": len(check_decline(plan, page, url))})
    extras = [{"code": link.code, "persona": link.persona, "locale": link.locale,
               "url": short_url(project.site_url, link.code), "note": link.note}
              for link in checked.links if not link.default]
    checked.commit()
    if as_json:
        import json

        say(json.dumps({"defaults": rows, "extra": extras}, ensure_ascii=False, indent=2))
        return 0
    header = ("persona", "locale", "code", "short URL", f"chars (≤{MAX_MESSAGE})")
    table = [header] + [(r["persona"], r["locale"], r["code"], r["url"], str(r["length"]))
                        for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        say("  ".join(cells).rstrip())
    if extras:
        say("\nextra codes:")
        for extra in extras:
            note = f"  ({extra['note']})" if extra["note"] else ""
            say(f"  {extra['code']}  {extra['persona']}  {extra['locale']}  {extra['url']}"
                f"{note}")
    return 0


def new_link(project: Project, checked: Preflight, page: Page,
             args: argparse.Namespace) -> int:
    from .links import short_url
    from .manifest import owner_files
    from .preflight import reserved_names
    from .shortlinks import Registry

    plan = checked.plan
    checked.commit()
    link = Registry(plan.settings.registry).issue(
        page.persona.id, page.locale.id, reserved_names(plan, owner_files(plan)),
        alias=args.alias, note=args.note)
    say(short_url(project.site_url, link.code))
    say(f"shortlink: added {link.code!r} for {page.persona.id} in {page.locale.id} to "
        f"{plan.settings.registry.name}; rebuild the site to publish it", err=True)
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


def expansions(checked: Preflight) -> list[dict[str, str]]:
    """One trigger per persona (default locale) and per persona and locale."""
    from .links import check_decline
    from .model import ConfigError
    from .settings import PREFIX

    plan = checked.plan
    items = []
    default = plan.settings.default_locale.id
    owners: dict[str, str] = {}
    for page in plan.pages:
        message = check_decline(plan, page, checked.url(page.persona.id, page.locale.id))
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


def export(project: Project, checked: Preflight, kind: str, output: Path | None) -> int:
    import plistlib

    import yaml

    items = expansions(checked)
    if kind == "espanso":
        output = output or Path("shortlinks-espanso.yml")
        matches = [{**item, "force_mode": "clipboard"} for item in items]
        text = ("# Espanso match file: copy to ~/.config/espanso/match/ (Linux), or see\n"
                "# `espanso path` for your system. Generated by `shortlink export espanso`.\n")
        text += yaml.safe_dump({"matches": matches}, allow_unicode=True, sort_keys=False,
                               width=1000)
        data = text.encode("utf-8")
    else:
        output = output or Path("shortlinks.plist")
        entries = [{"phrase": item["replace"], "shortcut": item["trigger"]} for item in items]
        data = plistlib.dumps(entries)
    checked.commit()
    if str(output) == "-":  # `-o -`: standard output, as the shell convention goes
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        output = "standard output"
    else:
        write_output(output, lambda path: path.write_bytes(data))
    say(f"shortlink: wrote {len(items)} triggers to {output}", err=True)
    return 0
