"""Link-preview data for a page: Open Graph and Twitter tags, the same for a page and its stubs."""

from __future__ import annotations

from dataclasses import dataclass

from .compose import Page, SitePlan

CARD_WIDTH, CARD_HEIGHT = 1200, 630


def card_path(page: Page) -> str:
    """Where a page's social card is written, relative to the site root."""
    return f"assets/cards/{page.locale.id}/{page.persona.id}.png"


@dataclass(frozen=True)
class Preview:
    title: str
    description: str
    url: str  # the canonical page URL
    site_name: str
    locale: str
    locale_alternates: tuple[str, ...]
    image: str
    image_alt: str
    lang: str

    def tags(self) -> list[tuple[str, str, str]]:
        """(attribute, name, content) for every preview meta tag, in a stable order."""
        og = [("og:type", "website"), ("og:site_name", self.site_name), ("og:title", self.title),
              ("og:description", self.description), ("og:url", self.url),
              ("og:locale", self.locale)]
        og += [("og:locale:alternate", alt) for alt in self.locale_alternates]
        og += [("og:image", self.image), ("og:image:type", "image/png"),
               ("og:image:width", str(CARD_WIDTH)), ("og:image:height", str(CARD_HEIGHT)),
               ("og:image:alt", self.image_alt)]
        twitter = [("twitter:card", "summary_large_image"), ("twitter:title", self.title),
                   ("twitter:description", self.description), ("twitter:image", self.image),
                   ("twitter:image:alt", self.image_alt)]
        return [("property", k, v) for k, v in og] + [("name", k, v) for k, v in twitter]


def preview(plan: SitePlan, page: Page, site_url: str) -> Preview:
    """The preview of `page`; `site_url` must be absolute (https://...) and end with '/'."""
    owner = plan.settings.owner.name
    own = page.locale.og_locale
    alternates = tuple(dict.fromkeys(
        loc.og_locale for loc in plan.settings.locales if loc.og_locale != own))
    return Preview(
        title=page.title,
        description=page.description,
        url=site_url + page.url,
        site_name=owner,
        locale=own,
        locale_alternates=alternates,
        image=site_url + card_path(page),
        image_alt=f"{page.title} – {owner}",
        lang=page.locale.code,
    )
