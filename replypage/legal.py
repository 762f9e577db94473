"""Legal notice (Impressum) and privacy statement pages, in every locale, when configured."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from babel.dates import format_date

from .compose import markdown_text, no_break_spaces
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
    email = f'<bdi>[{text(legal.email)}](<mailto:{legal.email}>)</bdi>'
    # "label: value", translatable because French puts a no-break space before the colon.
    pair = gettext("{label}: {value}")
    # Owner data keeps its own direction inside a right-to-left page: a postcode line or a
    # phone number would otherwise be reordered ("Musterstadt 12345").
    address = [f"<bdi>{text(line)}</bdi>" for line in legal.address.splitlines()]
    if kind == "legal":
        labels = {"email": gettext("Email"), "phone": gettext("Phone"),
                  "vat": gettext("VAT ID")}
        body = ["  \n".join([f"<bdi>{text(legal.name)}</bdi>", *address]),
                "  \n".join(filter(None, [
                    pair.format(label=labels["email"], value=email),
                    pair.format(label=labels["phone"], value=_phone(legal.phone))
                    if legal.phone else "",
                    pair.format(label=labels["vat"], value=f"<bdi>{text(legal.vat_id)}</bdi>")
                    if legal.vat_id else ""]))]
    else:
        host = (gettext("The site is hosted by {host}, which processes this data on my behalf "
                        "(Art. 28 GDPR).").format(host=f"<bdi>{text(legal.host)}</bdi>")
                if legal.host else
                gettext("The site is hosted by a provider that processes this data on my "
                        "behalf (Art. 28 GDPR)."))
        kept = (catalog.ngettext("The logs are deleted after {days} day.",
                                 "The logs are deleted after {days} days.",
                                 legal.log_days).format(days=legal.log_days)
                if legal.log_days else
                gettext("The logs are kept only as long as these purposes require."))
        # one line each, like the legal notice: no list separator to translate
        controller = "  \n".join([f"<bdi>{text(legal.name)}</bdi>", *address, email])
        # the GDPR's controller, in each jurisdiction's own term
        controller_label = gettext("Data controller:")
        objection_label = gettext("Right to object:")
        body = [f"{controller_label}  \n{controller}",
                gettext("This site sets no cookies, uses no analytics and embeds nothing from "
                        "third parties: your browser connects only to the server that "
                        "delivers these pages."),
                " ".join([
                    gettext("When you open a page, the server records your IP address, the "
                            "date and time, the page requested and your browser type in a log. "
                            "It needs your IP address to deliver the page; the log serves to "
                            "protect the site against attacks and to find errors. The legal "
                            "basis is my legitimate interest in running a secure, working "
                            "website (Art. 6(1)(f) GDPR)."),
                    host, kept,
                    gettext("You are not obliged to provide any data, but without your IP "
                            "address the page cannot be delivered.")]),
                gettext("If you email me, I use your details only to reply (Art. 6(1)(f) "
                        "GDPR). Once the matter is settled, I delete them, unless a statutory "
                        "retention period applies (Art. 6(1)(c) GDPR)."),
                gettext("You have the right to access your data, to have it corrected or "
                        "erased and to restrict its processing (Art. 15–18 GDPR). A message "
                        "to the address above is enough."),
                f"**{objection_label}** " + gettext(
                    "where I process data on the basis of my legitimate interest (the server "
                    "log and e-mails), you may object at any time on grounds relating to your "
                    "particular situation (Art. 21 GDPR)."),
                gettext("You may also lodge a complaint with a data protection supervisory "
                        "authority, in particular in the EU or EEA country where you live or "
                        "work, or where you believe the infringement took place (Art. 77 "
                        "GDPR).")]
        if legal.updated:
            # A date never breaks across lines: "22. November 2026".
            date = format_date(legal.updated, format="long", locale=locale.babel).replace(
                " ", "\u00a0")
            body.append(gettext("Last updated: {date}").format(date=date))
    meta = {"title": title, "hide": ["navigation", "toc", "footer"]}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    markdown = (f"---\n{front}---\n\n# {text(title)}\n\n" + no_break_spaces("\n\n".join(body))
                + "\n")
    return LegalPage(kind=kind, locale=locale, title=title, markdown=markdown)


def _phone(number: str) -> str:
    """A phone number as a link that dials it, always left to right (`+49 30 1234567`)."""
    dial = re.sub(r"[^\d+]", "", number)
    if not re.fullmatch(r"\+?\d{3,}", dial) or not re.fullmatch(r"[\d+ ()./-]+", number):
        return f'<bdi dir="ltr">{markdown_text(number)}</bdi>'
    return f'<a href="tel:{dial}" dir="ltr">{markdown_text(number)}</a>'
