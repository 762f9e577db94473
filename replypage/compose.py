"""Compose persona x locale pages (front matter + Markdown) from settings and the library."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .i18n import translations
from .library import Greeting, Library, Section, display, load_library, resolved_folder
from .model import INVITATION_NOTE, ConfigError, Locale, Persona, Settings
from .settings import PREFIX, load_settings, one_line

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
PERSONA_FIELDS = ("slug", "title", "summary", "intro", "description", "decline")
# Placeholders whose value is Markdown made here, not text to escape.
MARKDOWN_VALUES = ("contact", "persona_list")


def persona_fields(persona_id: str) -> tuple[str, ...]:
    """The strings a persona needs per locale: the general page is the home, so it has no slug
    and no entry in its own list of the other pages."""
    if persona_id == "general":
        return tuple(name for name in PERSONA_FIELDS if name not in ("slug", "summary"))
    return PERSONA_FIELDS


@dataclass
class Page:
    """One generated page: a persona in a locale."""

    persona: Persona
    locale: Locale
    content_locale: Locale  # differs from locale when the persona overrides the tone
    slug: str
    title: str
    description: str
    intro: str
    decline: str
    sections: list[Section]
    summary: str = ""
    greeting: Greeting | None = None  # how a decline greets the reader by name
    fallbacks: list[str] = field(default_factory=list)  # section ids shown in the default locale
    sources: dict[str, tuple[str, str]] = field(default_factory=dict)  # field => (file, key)
    alternates: list[tuple[Locale, str]] = field(default_factory=list)
    markdown: str = ""
    words: int = 0  # what a reader reads: see render_markdown

    @property
    def src_uri(self) -> str:
        """Source path of the generated file: "de/index.md" or "de/kaltakquise.md"."""
        return f"{self.locale.path}/{self.slug or 'index'}.md"

    @property
    def url(self) -> str:
        """URL relative to the site root (directory URLs): "de/" or "de/kaltakquise/"."""
        return f"{self.locale.path}/{self.slug + '/' if self.slug else ''}"

    @property
    def is_home(self) -> bool:
        return self.persona.id == "general"

    def hreflang(self, default: Locale) -> list[tuple[str, str]]:
        return hreflang(self.alternates, self.locale, default)


def hreflang(alternates: list[tuple[Locale, str]], locale: Locale,
             default: Locale) -> list[tuple[str, str]]:
    """The hreflang links of one page: (language tag, site-relative URL) per language, then
    x-default, the default locale's version of the same page.

    A cluster holds one page per language tag, and every member lists every member, itself
    included. The default locale stands for its language, otherwise the first listed locale
    does; a twin that shares the tag (informal "du" beside "de") stays outside and gets no
    links: [("de", "de/x/"), ("en", "en/x/"), ("x-default", "de/x/")] for de/x/ and en/x/,
    [] for du/x/.
    """
    members: dict[str, tuple[Locale, str]] = {}
    for other, url in alternates:
        if other.code not in members or other.id == default.id:
            members[other.code] = (other, url)
    own = members.get(locale.code)
    if own is None or own[0].id != locale.id or default.code not in members:
        return []
    return [*((code, url) for code, (_, url) in members.items()),
            ("x-default", members[default.code][1])]


@dataclass
class SitePlan:
    """Everything the site will contain, and what the owner should hear about."""

    settings: Settings
    library: Library
    pages: list[Page]
    warnings: list[str]
    root_markdown: str = ""  # the default locale's home as the site root shows it

    def page(self, persona_id: str, locale_id: str) -> Page:
        for page in self.pages:
            if page.persona.id == persona_id and page.locale.id == locale_id:
                return page
        raise KeyError((persona_id, locale_id))

    @property
    def homes(self) -> list[Page]:
        """Each locale's general page, in selector order."""
        return [page for page in self.pages if page.is_home]

    @property
    def root(self) -> Page:
        """The page the site root shows: the default locale's general page."""
        return self.page("general", self.settings.default_locale.id)


def plan_site(raw: dict | None, docs_dir: Path, *, strict: bool = False,
              source: str = "mkdocs.yml", config_dir: Path | None = None) -> SitePlan:
    """Load and validate configuration and library, then compose every page."""
    resolved_folder.cache_clear()  # folders may have changed since the last plan (mkdocs serve)
    settings = load_settings(raw, docs_dir, source, config_dir)
    library = load_library(settings, set(settings.persona_ids))
    _check_section_refs(settings, library)
    warnings: list[str] = []
    pages = [
        _compose(settings, library, persona, locale, strict, warnings)
        for locale in settings.locales
        for persona in settings.personas
    ]
    _check_slugs(settings, pages)
    by_persona: dict[str, list[Page]] = {}
    for page in pages:
        by_persona.setdefault(page.persona.id, []).append(page)
    for page in pages:
        page.alternates = [(other.locale, other.url) for other in by_persona[page.persona.id]]
        page.markdown = render_markdown(settings, page, pages)
    _check_example_lengths(settings, pages, warnings)
    plan = SitePlan(settings=settings, library=library, pages=pages, warnings=warnings)
    # Relative links from the root go into the default locale's folder (the words are the same).
    plan.root_markdown = render_markdown(settings, plan.root, pages, f"{plan.root.locale.path}/")
    return plan


def _check_example_lengths(settings: Settings, pages: list[Page], warnings: list[str]) -> None:
    """A good example models an invitation note: with the owner's own salutation it must
    still fit one. A longer salutation than the shipped one can push it over."""
    seen: set[tuple[Path, str]] = set()
    for page in pages:
        values = owner_values(settings, page.content_locale)
        for section in page.sections:
            if (section.path, page.persona.id) in seen:
                continue
            seen.add((section.path, page.persona.id))
            where = display(section.path, settings)
            for text in section.examples_for(page.persona.id).get("good", ()):
                filled = fill_placeholders(text, values, where, plain=True)
                if len(filled) > INVITATION_NOTE:
                    own = where if section.own else display(
                        settings.own_dir / "sections" / section.id / f"{section.locale_id}.md",
                        settings)
                    warnings.append(
                        f"{where}: {page.persona.id}: the good example has {len(filled)} "
                        f"characters with your salutation, more than the {INVITATION_NOTE} "
                        f"an invitation note holds; shorten it in {own}")


def _check_section_refs(settings: Settings, library: Library) -> None:
    known = library.section_ids()
    for persona in settings.personas:
        for index, section_id in enumerate(persona.sections):
            if section_id not in known:
                raise ConfigError(settings.source,
                                  f"{PREFIX}.personas.{persona.id}.sections[{index}]",
                                  f"unknown section {section_id!r} (known: {', '.join(known)})")


def _check_slugs(settings: Settings, pages: list[Page]) -> None:
    seen: dict[tuple[str, str], Page] = {}
    for page in pages:
        key = (page.locale.id, page.slug)
        if key in seen:
            raise ConfigError(settings.source, f"{PREFIX}.personas.{page.persona.id}.slug."
                              f"{page.locale.id}", f"duplicate slug {page.slug!r} (also used by "
                              f"persona {seen[key].persona.id!r})")
        seen[key] = page


def _content_locale(settings: Settings, persona: Persona, locale: Locale) -> Locale:
    """The locale whose texts a page uses: the same language in the persona's tone, if any."""
    if not persona.tone or persona.tone == locale.tone:
        return locale
    for candidate in settings.known_locales.values():
        if candidate.code == locale.code and candidate.tone == persona.tone:
            return candidate
    return locale


def _persona_string(settings: Settings, library: Library, persona: Persona, locale: Locale,
                    name: str, strict: bool, warnings: list[str]) -> tuple[str, tuple[str, str]]:
    """A persona's text for a locale, with the file and key it came from."""
    configured = getattr(persona, name)
    if locale.id in configured:
        return configured[locale.id], (settings.source,
                                       f"{PREFIX}.personas.{persona.id}.{name}.{locale.id}")
    strings = library.persona_strings.get(locale.id, {}).get(persona.id, {})
    if name in strings:
        path = library.persona_sources[(locale.id, persona.id, name)]
        return strings[name], (display(path, settings), f"{persona.id}.{name}")
    default = settings.default_locale
    fallback = library.persona_strings.get(default.id, {}).get(persona.id, {}).get(name)
    where = f"{settings.personas_dir.name}/{locale.id}.yml"
    files = library.persona_files.get(locale.id)
    if files:
        where = display(files[0], settings)
    if fallback is None or strict:
        raise ConfigError(where, f"{persona.id}.{name}", f"missing translation for locale "
                                                         f"{locale.id!r}")
    warnings.append(f"{where}: {persona.id}.{name}: missing translation, using "
                    f"{default.id!r}")
    path = library.persona_sources[(default.id, persona.id, name)]
    return fallback, (display(path, settings), f"{persona.id}.{name}")


def _compose(settings: Settings, library: Library, persona: Persona, page_locale: Locale,
             strict: bool, warnings: list[str]) -> Page:
    locale = _content_locale(settings, persona, page_locale)
    found = {
        name: _persona_string(settings, library, persona, locale, name, strict, warnings)
        for name in persona_fields(persona.id)
    }
    values = {name: one_line(text) for name, (text, _) in found.items()}
    check_decline_text(values["decline"], *found["decline"][1])
    sections, fallbacks = [], []
    for section_id in persona.sections:
        section = library.sections.get((section_id, locale.id))
        if section is None:
            default = settings.default_locale
            where = display(settings.sections_dir / section_id / f"{locale.id}.md", settings)
            section = library.sections.get((section_id, default.id))
            if section is None or strict:
                raise ConfigError(where, "", f"missing translation of section {section_id!r} "
                                             f"for locale {locale.id!r}")
            warnings.append(f"{where}: missing translation of section {section_id!r}, "
                            f"showing {default.id!r}")
            fallbacks.append(section_id)
        sections.append(section)
    return Page(persona=persona, locale=page_locale, content_locale=locale,
                slug=values.pop("slug", ""), sections=sections, fallbacks=fallbacks,
                greeting=library.greetings.get(locale.id),
                sources={name: source for name, (_, source) in found.items()}, **values)


def check_decline_text(text: str, where: str, key: str) -> None:
    """A decline message holds {link} exactly once and no other placeholder: anything else
    would reach the reader literally."""
    names = re.findall(r"\{([^{}]*)\}", text)
    unknown = [name for name in names if name != "link"]
    if unknown:
        raise ConfigError(where, key, f"unknown placeholder {{{unknown[0][:40]}}} (a decline "
                                      "message knows only {link})")
    if names.count("link") != 1:
        raise ConfigError(where, key, "the message needs the placeholder {link} exactly once, "
                                      "where the short link goes")
    if re.search(r"[{}]", re.sub(r"\{[^{}]*\}", "", text)):
        raise ConfigError(where, key, "a brace outside the placeholder {link} would reach the "
                                      "reader as it is (write {link}, not {{link}})")


def owner_values(settings: Settings, locale: Locale) -> dict[str, str]:
    """Placeholder values a section may use, e.g. {owner_name} or {contact}."""
    owner = settings.owner

    def pick(strings: dict[str, str]) -> str:
        for key in (locale.id, locale.code, "*", settings.default_locale.id):
            if key in strings:
                return strings[key]
        return next(iter(strings.values()), "")

    label = pick(owner.contact.label)
    return {
        "owner_name": owner.name,
        "owner_role": pick(owner.role),
        # Only the locale's own form: a salutation is grammar ("Frau Mustermann", "Pani Eriko").
        "salutation": owner.salutation.get(locale.id) or owner.salutation.get("*", ""),
        "contact_label": label,
        "contact_url": owner.contact.url,
        "contact": f"[{markdown_text(label)}](<{owner.contact.url}>)",
    }


def markdown_text(text: str) -> str:
    """Literal text inside Markdown, never markup nor an attribute list:
    "<b> & [c] {: x}" => "&lt;b&gt; &amp; \\[c\\] \\{: x\\}"."""
    return re.sub(r"([\\\[\]*_`{}])", r"\\\1", html.escape(text, quote=False))


def fill_placeholders(text: str, values: dict[str, str], where: str, *,
                      plain: bool = False) -> str:
    """"Write to {contact}" => "Write to [label](<url>)"; an unknown name is an error. Without
    a salutation for the locale, "Hi {salutation}," reads "Hi,". `plain`: text, not Markdown
    (an example message): values as they are, {contact} as its label."""
    if not values.get("salutation"):
        text = re.sub(r"[ ,\u00a0]*\{salutation\}", "", text)

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            raise ConfigError(where, f"{{{name}}}", "unknown placeholder (known: "
                              f"{', '.join('{' + k + '}' for k in values)})")
        value = values[name]
        if plain:
            return values["contact_label"] if name == "contact" else value
        return value if name in MARKDOWN_VALUES else markdown_text(value)

    return PLACEHOLDER.sub(replace, text)


def persona_list(page: Page, pages: list[Page], folder: str = "") -> str:
    """The locale's other persona pages as a Markdown list of their summaries, linked by source
    path so that MkDocs checks every link: "- [Sales pitches …](sales-pitch.md)"; from the
    site root, which shows the default locale's home, "(de/kaltakquise.md)"."""
    return "\n".join(
        f"- [{markdown_text(one_line(other.summary))}]({folder}{other.slug}.md)"
        for other in pages
        if other.locale.id == page.locale.id and not other.is_home and other is not page)


def render_markdown(settings: Settings, page: Page, pages: list[Page], folder: str = "") -> str:
    """The generated page: front matter and Markdown body. Also counts the words a reader
    reads into page.words: title, lead, headings, bodies and the persona's examples; not the
    copyable template (a form, not prose) nor the generated reading list."""
    gettext = translations(page.content_locale).gettext
    values = {**owner_values(settings, page.content_locale),
              "persona_list": persona_list(page, pages, folder)}
    meta = {"title": page.title, "description": page.description,
            "hide": ["navigation", "toc", "footer"]}
    parts = [f"# {_inline(page.title)}", f"{_inline(page.intro)}\n{{: .rp-lead }}"]
    read = [page.title, page.intro]
    for section in page.sections:
        where = display(section.path, settings)
        body = fill_placeholders(section.body, values, where)
        block = []
        if section.heading:
            block.append(f"## {_inline(section.title)} {{: #{section.id} }}")
            read.append(section.title)
        if body:
            block.append(body)
            read.append(_readable(body))
        if section.examples:
            examples = {kind: [fill_placeholders(text, values, where, plain=True)
                               for text in texts]
                        for kind, texts in section.examples_for(page.persona.id).items()}
            block.append(render_examples(examples, gettext))
            read += [text for texts in examples.values() for text in texts]
        if section.id == "reading":
            block.append(render_reading(settings, gettext))
        text = "\n\n".join(block)
        if section.id in page.fallbacks:
            note = gettext("This part is not yet translated and is shown in its original "
                           "language.")
            text = (f'<div class="rp-fallback" lang="{section_locale_code(settings, section)}" '
                    f'markdown="1">\n\n<p class="rp-fallback__note" lang="{page.locale.code}">'
                    f"{html.escape(note)}</p>\n\n{text}\n\n</div>")
        parts.append(text)
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    page.words = sum(len(WORD.findall(_without_marks(text))) for text in read)
    return f"---\n{front}---\n\n" + no_break_spaces("\n\n".join(parts)) + "\n"


def no_break_spaces(text: str) -> str:
    """Spaces a line must not break at, on a narrow phone screen: before a spaced dash, so that
    no line starts with one, and around a number: "Zeit – und 15 Minuten" =>
    "Zeit\u00a0– und\u00a015\u00a0Minuten"."""
    text = re.sub(r"(?<=\S) (?=[–—] )", "\u00a0", text)
    text = re.sub(r"(?<=\d) (?=[^\W\d_]|[€£$])", "\u00a0", text)
    # A short number stays with the word before it: "Art. 6", "Musterweg 1", "um 10 Uhr".
    return re.sub(r"(?<=[^\W\d_]|\.) (?=\d{1,4}(?!\d))", "\u00a0", text)


def section_locale_code(settings: Settings, section: Section) -> str:
    return settings.known_locales[section.locale_id].code


def _inline(text: str) -> str:
    """One line of Markdown from a configured string, never a block, raw HTML nor an
    attribute list: "# x <b> {: onclick=y }" => "\\# x &lt;b&gt; \\{: onclick=y \\}"."""
    text = html.escape(one_line(text), quote=False).replace("{", "\\{").replace("}", "\\}")
    return re.sub(r"^([#>*+-]|\d+\.)", r"\\\1", text)


def render_examples(examples: dict[str, list[str]], gettext) -> str:
    """Bad and good example requests as message bubbles: figure + caption + quote, from plain
    text with placeholders filled in."""
    if not examples:
        return ""
    captions = {"bad": gettext("Not like this"), "good": gettext("Try this instead")}
    items = []
    for kind in ("bad", "good"):
        for text in examples[kind]:
            paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>"
                                 for p in re.split(r"\n\s*\n", text) if p.strip())
            items.append(f'<figure class="rp-bubble rp-bubble--{kind}">'
                         f"<figcaption>{html.escape(captions[kind])}</figcaption>"
                         f"<blockquote>{paragraphs}</blockquote></figure>")
    return '<div class="rp-examples">\n' + "\n".join(items) + "\n</div>"


def render_reading(settings: Settings, gettext: Callable[[str], str]) -> str:
    """The further-reading list: title (linked when the owner gave a URL), author, publication."""
    # Translators: between an article's author and where it appeared, in your language's comma.
    both = gettext("{author}, {publication}")
    lines = []
    for entry in settings.further_reading:
        title = f"*{markdown_text(entry.title)}*"
        # Marked with its language, so that a screen reader pronounces a German title as German,
        # and its direction, which isolates it: on a right-to-left page a Latin title ending in
        # "!" or "…" would otherwise pull the punctuation after it out of place.
        lang = (f'lang="{entry.lang}" dir="{"rtl" if entry.rtl else "ltr"}"'
                if entry.lang else "")
        if entry.url:
            title = f"[{title}](<{entry.url}>)"
            lang += f' hreflang="{entry.lang}"' if entry.lang else ""
        if lang:
            title += f"{{: {lang} }}"
        author, publication = (markdown_text(x) if x else "" for x in (entry.author,
                                                                        entry.publication))
        by = (both.format(author=author, publication=publication) if author and publication
              else author or publication)
        # <bdi>: a Latin name keeps its place inside the brackets on a right-to-left page.
        lines.append(f"- {title}" + (f" (<bdi>{by}</bdi>)" if by else ""))
    return "\n".join(lines)


WORD = re.compile(r"[^\W_]+(?:[’'-][^\W_]+)*")
CODE_BLOCK = re.compile(r"^```.*?^```", re.S | re.M)
LINK_TARGET = re.compile(r"\]\(<?[^)>]*>?\)")
WORD_BUDGET = 300  # a persona page reads in under a minute


def _readable(markdown: str) -> str:
    """The text of a filled section body as read: no code block, no link targets."""
    return LINK_TARGET.sub("]", CODE_BLOCK.sub("", markdown))


def word_count(page: Page) -> int:
    """Words a reader reads on the composed page (counted by render_markdown)."""
    return page.words


def _without_marks(text: str) -> str:
    """Drop combining marks so that a vowelled Arabic word counts once: "شكرًا" => "شكرا"."""
    return "".join(ch for ch in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(ch))
