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
    """Page titles, also the footer's link texts."""
    gettext = translations(locale).gettext
    return {"legal": gettext("Legal notice"), "privacy": gettext("Privacy notice")}


def _page(kind: str, locale: Locale, legal: Legal) -> LegalPage:
    catalog = translations(locale)
    gettext = catalog.gettext
    title = titles(locale)[kind]
    text = markdown_text
    email = f"[{text(legal.email)}](<mailto:{legal.email}>)"
    # "label: value", translatable because French puts a no-break space before the colon.
    pair = gettext("{label}: {value}")
    address = [text(line) for line in legal.address.splitlines()]
    if kind == "legal":
        labels = {"email": gettext("Email"), "phone": gettext("Phone"),
                  "vat": gettext("VAT ID")}
        body = ["  \n".join([text(legal.name), *address]),
                "  \n".join(filter(None, [
                    pair.format(label=labels["email"], value=email),
                    pair.format(label=labels["phone"], value=text(legal.phone))
                    if legal.phone else "",
                    pair.format(label=labels["vat"], value=text(legal.vat_id))
                    if legal.vat_id else ""]))]
    else:
        # The host's name follows a colon: no article or pronoun has to agree with it.
        host = (gettext("The pages are hosted by a provider that processes this data on my "
                        "behalf (Art. 28 GDPR): {host}.").format(host=text(legal.host))
                if legal.host else
                gettext("The pages are hosted by a provider that processes this data on my "
                        "behalf (Art. 28 GDPR)."))
        kept = (catalog.ngettext("The logs are deleted after {days} day.",
                                 "The logs are deleted after {days} days.",
                                 legal.log_days).format(days=legal.log_days)
                if legal.log_days else
                gettext("The logs are kept only as long as this purpose requires."))
        controller = ", ".join([text(legal.name), *address, email])
        # the GDPR's controller, in each jurisdiction's own term
        controller_label = gettext("Data controller:")
        body = [gettext("This site sets no cookies, uses no analytics and embeds nothing from "
                        "third parties: your browser connects only to the server that "
                        "delivers these pages."),
                gettext("When you open a page, the server logs technical access data: your IP "
                        "address, the time, the page requested and your browser's "
                        "identification. This is needed to deliver the pages and protect them "
                        "against attacks; the legal basis is my legitimate interest (Art. 6(1)"
                        "(f) GDPR).") + " " + host + " " + kept,
                f"{controller_label} {controller}",
                gettext("You have the right of access, rectification, erasure and restriction "
                        "of processing, and to data portability (Art. 15–18 and 20 GDPR). You "
                        "may object to the processing of your access data on grounds relating "
                        "to your particular situation (Art. 21 GDPR), and you may lodge a "
                        "complaint with a data protection supervisory authority (Art. 77 "
                        "GDPR). To exercise these rights, write to me at the address above.")]
        if legal.updated:
            date = format_date(legal.updated, format="long", locale=locale.babel)
            body.append(gettext("Last updated: {date}").format(date=date))
    meta = {"title": title, "hide": ["navigation", "toc", "footer"]}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    markdown = f"---\n{front}---\n\n# {text(title)}\n\n" + "\n\n".join(body) + "\n"
    return LegalPage(kind=kind, locale=locale, title=title, markdown=markdown)
