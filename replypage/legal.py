"""Legal notice (Impressum) and privacy statement pages, in every locale, when configured."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from babel.dates import format_date

from .compose import markdown_text
from .i18n import translations
from .model import Legal, Locale, Settings

KINDS = ("legal", "privacy")


@dataclass
class LegalPage:
    kind: str  # "legal" (Impressum) or "privacy"
    locale: Locale
    title: str
    markdown: str
    alternates: list[tuple[Locale, str]] = field(default_factory=list)

    @property
    def src_uri(self) -> str:
        return f"{self.locale.path}/{self.kind}.md"

    @property
    def url(self) -> str:
        return f"{self.locale.path}/{self.kind}/"


def legal_pages(settings: Settings) -> list[LegalPage]:
    """Every legal page in every locale; none when the owner has not configured `legal`."""
    legal = settings.legal
    if legal is None:
        return []
    kinds = KINDS if legal.privacy else KINDS[:1]
    pages = [_page(kind, locale, legal) for kind in kinds for locale in settings.locales]
    for page in pages:
        page.alternates = [(other.locale, other.url) for other in pages
                           if other.kind == page.kind]
    return pages


def titles(locale: Locale) -> dict[str, str]:
    gettext = translations(locale).gettext
    return {"legal": gettext("Legal notice"), "privacy": gettext("Privacy notice")}


def _page(kind: str, locale: Locale, legal: Legal) -> LegalPage:
    gettext = translations(locale).gettext
    title = titles(locale)[kind]
    text = markdown_text
    email = f"[{text(legal.email)}](<mailto:{legal.email}>)"
    # "label: value", translatable because French puts a no-break space before the colon.
    pair = gettext("{label}: {value}")
    labels = {"email": gettext("Email"), "phone": gettext("Phone"), "vat": gettext("VAT ID"),
              # the GDPR's controller, in each jurisdiction's own term
              "responsible": gettext("Data controller:")}
    if kind == "legal":
        lines = [text(legal.name), *(text(line) for line in legal.address.strip().splitlines())]
        body = ["  \n".join(lines),
                "  \n".join(filter(None, [
                    pair.format(label=labels["email"], value=email),
                    pair.format(label=labels["phone"], value=text(legal.phone))
                    if legal.phone else "",
                    pair.format(label=labels["vat"], value=text(legal.vat_id))
                    if legal.vat_id else ""]))]
    else:
        body = [gettext("This site sets no cookies, uses no analytics and loads nothing from "
                        "other servers: your browser talks only to the server that delivers "
                        "these pages."),
                gettext("Like any web server, it may log technical access data (such as your "
                        "IP address and the time of your visit) to deliver the pages and keep "
                        "them secure."),
                f"{labels['responsible']} {text(legal.name)}, {email}",
                gettext("You may ask what data concerning you is processed, and have it "
                        "corrected or deleted, by writing to this address.")]
        if legal.updated:
            date = format_date(legal.updated, format="long", locale=locale.babel)
            body.append(gettext("Last updated: {date}").format(date=date))
    meta = {"title": title, "hide": ["navigation", "toc", "footer"]}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    markdown = f"---\n{front}---\n\n# {text(title)}\n\n" + "\n\n".join(body) + "\n"
    return LegalPage(kind=kind, locale=locale, title=title, markdown=markdown)
