"""The desk: the owner's own page with every decline message and short link, one tap to copy.

It is never linked from a reader's page, carries noindex and stays out of the sitemap, hreflang
and the 404 page; its address is the `desk` path in mkdocs.yml. Its messages come from
`decline_message`, like the command's and the text-expander exports': for a greeting, the page
only inserts the typed name between two parts the core computed.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

from .cards import BACKGROUND, TEXT, _font
from .i18n import translations
from .keep import kept
from .links import MAX_MESSAGE, NAME_SPACE, decline_message
from .manifest import DESK_ICONS
from .model import Locale
from .preflight import Preflight
from .qr import qr_svg

NAME_MARK = "\u2063NAME\u2063"  # invisible separators: no reply text contains them
ICON_SIZES = DESK_ICONS


@dataclass(frozen=True)
class DeskMessage:
    """One persona's message in one locale, ready for the page."""

    key: str  # "sales-de"
    persona: str
    title: str  # the persona's title in the owner's language (the desk's language)
    message: str  # without a name
    named: tuple[str, str] | None  # (before the name, after it); None: no greeting
    url: str
    qr: str  # inline SVG


def messages(checked: Preflight, locale: Locale, keep_in: Path | None = None
             ) -> list[DeskMessage]:
    """Every enabled persona's message in `locale`, in the order of the site's personas."""
    plan = checked.plan
    default = plan.settings.default_locale.id
    gettext = translations(plan.settings.default_locale).gettext
    result = []
    for page in (p for p in plan.pages if p.locale.id == locale.id):
        url = checked.url(page.persona.id, locale.id)
        owner_title = plan.page(page.persona.id, default).title
        named = None
        if page.greeting is not None:
            before, after = decline_message(page, url, NAME_MARK).split(NAME_MARK)
            named = (before, after)
        result.append(DeskMessage(
            key=f"{page.persona.id}-{locale.id}", persona=page.persona.id, title=owner_title,
            message=decline_message(page, url), named=named, url=url,
            qr=qr_svg(url, checked.site_url, gettext("QR code of {link}").format(link=url),
                      keep_in)))
    return result


def desk_context(checked: Preflight, desk_url: str, base: str, keep_in: Path | None = None
                 ) -> dict:
    """The desk template's variables; its data block holds what the script needs."""
    settings = checked.plan.settings
    owner_locale = settings.default_locale
    gettext = translations(owner_locale).gettext
    sections = [{"locale": locale, "messages": messages(checked, locale, keep_in)}
                for locale in settings.locales]
    data = {
        "max": MAX_MESSAGE,
        "url": desk_url,
        "space": NAME_SPACE,
        "labels": {"copied": gettext("Copied"),
                   "failed": gettext("Copying did not work here: the text is selected, copy "
                                     "it by hand.")},
        "messages": {m.key: {"message": m.message, "named": m.named}
                     for section in sections for m in section["messages"]},
    }
    return {
        "base": base,
        "owner": settings.owner.name,
        "lang": owner_locale.code,
        "dir": "rtl" if owner_locale.rtl else "ltr",
        "sections": sections,
        "default_locale": owner_locale.id,
        "max": MAX_MESSAGE,
        "url": desk_url,
        # Inside a <script type="application/json"> block: "<" escaped, so no value can end it.
        "data": json.dumps(data, ensure_ascii=False).replace("<", "\\u003c"),
        "_": translations(owner_locale).gettext,
    }


def web_manifest(checked: Preflight, desk_url: str) -> str:
    """The web app manifest that lets the owner add the desk to a phone's home screen."""
    settings = checked.plan.settings
    gettext = translations(settings.default_locale).gettext
    name = gettext("Decline messages") + " – " + settings.owner.name
    return json.dumps({
        "name": name,
        "short_name": gettext("Desk"),
        "lang": settings.default_locale.code,
        "dir": "rtl" if settings.default_locale.rtl else "ltr",
        "start_url": desk_url,
        "scope": desk_url,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#{:02x}{:02x}{:02x}".format(*BACKGROUND),
        "icons": [{"src": f"icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png",
                   "purpose": "any maskable"} for size in ICON_SIZES[1:]],
    }, ensure_ascii=False, indent=2)


def initials(name: str) -> str:
    """"Erika Mustermann" => "EM"; "Madonna" => "M"."""
    words = [word for word in name.split() if word[:1].isalpha()]
    letters = [words[0][0], words[-1][0]] if len(words) > 1 else [w[0] for w in words]
    return "".join(letters).upper() or "•"


ICON_VERSION = "1"  # bump when draw_icon changes


def draw_icon(name: str, size: int) -> bytes:
    """A square app icon: the owner's initials on the cards' colour, inside the safe zone of a
    maskable icon."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (size, size), BACKGROUND)
    canvas = ImageDraw.Draw(image)
    text = initials(name)
    font = _font("NotoSans-Bold.ttf", int(size * 0.36))
    left, top, right, bottom = canvas.textbbox((0, 0), text, font=font)
    canvas.text(((size - (right - left)) / 2 - left, (size - (bottom - top)) / 2 - top), text,
                font=font, fill=TEXT)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


SERVICE_WORKER = """// The desk works offline: without a network, the last version seen.
var CACHE = "desk-%(version)s";
var FILES = %(files)s;
self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(FILES); }));
});
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) { return key !== CACHE; })
      .map(function (key) { return caches.delete(key); }));
  }));
});
self.addEventListener("fetch", function (event) {
  if (event.request.method !== "GET") return;
  event.respondWith(fetch(event.request).then(function (response) {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { cache.put(event.request, copy); });
    return response;
  }).catch(function () { return caches.match(event.request); }));
});
"""


def service_worker(files: list[str], version: str) -> str:
    """Network first, the cache when offline; a new build is a new cache."""
    return SERVICE_WORKER % {"version": version, "files": json.dumps(files)}


def write_desk(checked: Preflight, render, site_dir: Path, desk_path: str, base: str,
               keep_in: Path | None = None) -> None:
    """Write the desk page, its manifest, icons and service worker under site/<desk_path>/;
    QR codes and icons are kept in `keep_in` for the next build."""
    import hashlib

    folder = site_dir / desk_path
    folder.mkdir(parents=True, exist_ok=True)
    desk_url = f"{base}{desk_path}/"
    html = render(desk_context(checked, desk_url, base, keep_in))
    (folder / "index.html").write_text(html, encoding="utf-8")
    (folder / "manifest.webmanifest").write_text(web_manifest(checked, desk_url),
                                                 encoding="utf-8")
    for size in ICON_SIZES:
        name = checked.plan.settings.owner.name
        (folder / f"icon-{size}.png").write_bytes(kept(
            keep_in, ["icon", ICON_VERSION, name, str(size)],
            lambda name=name, size=size: draw_icon(name, size), ".png"))
    version = hashlib.sha256(html.encode()).hexdigest()[:12]
    assets = [desk_url, f"{base}assets/desk.css", f"{base}assets/desk.js",
              f"{desk_url}manifest.webmanifest"]
    (folder / "sw.js").write_text(service_worker(assets, version), encoding="utf-8")

