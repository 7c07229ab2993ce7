"""Pelican plugin: news photos in responsive sizes (WebP + JPEG), a share card per section, the site icons and
the web manifest, and the `share_meta` filter that _meta.html reads (description, canonical address, Open
Graph, Twitter card, JSON-LD).

Every image is made with Pillow from the content and cached under var/cache/ by what it is made from, so a
publish encodes only new photos; the same input gives the same bytes in every build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from jinja2 import pass_context
from pelican import signals

from municms import images
from municms.paths import InstancePaths
from municms.share import SHARE_FOLDER, card_path, page_meta
from municms.site_files import write_output

log = logging.getLogger(__name__)

_INPUT = "_MUNICMS_PHOTOS"
THEME_COLOUR = "#8a1c1c"
PHOTO_SIZES = "(min-width: 48rem) 46rem, calc(100vw - 2rem)"   # the photo column of an article (.prose width)


@dataclass(frozen=True)
class Rendition:
    base: str      # output path without the extension: haberler/2026/x/foto-960
    width: int
    height: int

    def url(self, extension: str) -> str:
        return f"{self.base}.{extension}"


@dataclass(frozen=True)
class Photo:
    """One photo of a news item: its alt text and its renditions, narrowest first."""

    name: str
    alt: str
    source: str
    renditions: tuple[Rendition, ...]
    sizes: str = PHOTO_SIZES

    @property
    def width(self) -> int:
        return self.renditions[-1].width

    @property
    def height(self) -> int:
        return self.renditions[-1].height

    def srcset(self, extension: str, site_url: str = "") -> str:
        return ", ".join(f"{site_url}/{r.url(extension)} {r.width}w" for r in self.renditions)

    def fallback(self, site_url: str = "") -> str:
        """The JPEG a browser without srcset loads: the middle size (960 px when there is one)."""
        return f"{site_url}/{self.renditions[min(1, len(self.renditions) - 1)].url('jpg')}"


def _photos_of(article, content_root: str) -> tuple[Photo, ...]:
    raw = article.metadata.get("fotograflar")
    if not raw:
        return ()
    source = article.relative_source_path.replace(os.sep, "/")
    folder = os.path.splitext(source)[0]
    try:
        entries = json.loads(raw) if isinstance(raw, str) else raw
        assert isinstance(entries, list) and all(isinstance(e, dict) and e.get("dosya") and e.get("alt")
                                                 for e in entries)
    except (ValueError, AssertionError):
        log.error("%s: 'Fotograflar' satırı okunamadı (her fotoğraf için dosya ve alt gerekir): %r", source, raw)
        return ()
    photos = []
    for entry in entries:
        name = os.path.basename(str(entry["dosya"]))
        path = os.path.join(content_root, folder, name)
        try:
            size = images.photo_size(Path(path))
        except OSError:
            log.error("%s: fotoğraf '%s' bulunamadı ya da okunamadı (beklenen yer: %s/%s)", source, name, folder,
                      name)
            continue
        stem = os.path.splitext(name)[0]
        renditions = tuple(Rendition(f"{folder}/{stem}-{width}", width, images.rendition_height(size, width))
                           for width in images.photo_widths(size[0]))
        photos.append(Photo(name, " ".join(str(entry["alt"]).split()), path, renditions))
    return tuple(photos)


def _attach_photos(generator) -> None:
    """Give every news item with photos its `photos` (kept on the object while its file and photos are the same:
    a publisher keeps articles between builds)."""
    content_root = generator.settings["PATH"]
    for article in list(generator.articles) + list(getattr(generator, "hidden_articles", [])):
        raw = article.metadata.get("fotograflar")
        if not raw:
            continue
        folder = os.path.join(content_root, os.path.splitext(article.relative_source_path)[0])
        key = (raw, _stamps(folder))
        known = article.__dict__.get("_municms_photos")
        if known is None or known[0] != key:
            known = article._municms_photos = (key, _photos_of(article, content_root))
        article.photos = known[1]


def _stamps(folder: str) -> tuple:
    try:
        return tuple(sorted((entry.name, entry.stat().st_size, entry.stat().st_mtime_ns)
                            for entry in os.scandir(folder) if entry.is_file()))
    except OSError:
        return ()


def _collect(generators) -> None:
    context = generators[0].context
    generators[0].settings[_INPUT] = [photo for article in context.get("articles", []) + context.get(
        "hidden_articles", []) for photo in getattr(article, "photos", ())]


# output file → (the photo's stamp, width, format; the output's own stamp) of the renditions this process wrote:
# a publisher process does not read every photo and rendition again on every publish
_WRITTEN: dict[str, tuple] = {}


def _stamp(path: str) -> tuple:
    try:
        info = os.stat(path)
    except OSError:
        return ()
    return info.st_ino, info.st_size, info.st_mtime_ns


def _cached(folder: Path, key: str, make) -> bytes:
    """Bytes made by `make()`, kept in `folder` under the digest of `key` (what they are made from)."""
    path = folder / (hashlib.sha256(key.encode("utf-8")).hexdigest() + ".bin")
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = make()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}")
        temp.write_bytes(data)
        os.replace(temp, path)
    except OSError:
        pass
    return data


def _write(pelican) -> None:
    settings = pelican.settings
    instance = settings.get("MUNICMS_INSTANCE")
    if instance is None:
        return
    out = pelican.output_path
    cache = InstancePaths(instance.root).var / "cache"
    renditions = images.RenditionCache(cache / "photos")
    for photo in settings.pop(_INPUT, []):
        source = _stamp(photo.source)
        todo = {}
        for rendition in photo.renditions:
            for extension in images.PHOTO_FORMATS:
                rel = rendition.url(extension)
                target = os.path.join(out, rel)
                known = _WRITTEN.get(target)
                if known is not None and known[0] == (source, rendition.width, extension) \
                        and known[1] == _stamp(target):
                    # this process wrote it from the same photo and nothing has touched it since: recorded as
                    # an output (site_files' protocol), neither read nor written again
                    settings.setdefault("MUNICMS_OUTPUTS", {}).setdefault(rel, False)
                    continue
                todo[(rendition.width, extension)] = rel
        if todo:
            for key, data in renditions.get_all(Path(photo.source), list(todo)).items():
                write_output(settings, out, todo[key], data)
                _WRITTEN[os.path.join(out, todo[key])] = ((source, *key), _stamp(os.path.join(out, todo[key])))
    municipality = instance.municipality
    name, host = municipality.name, municipality.site_url.split("://", 1)[-1].rstrip("/")
    cards = [(None, name)] + [(s.slug, s.title) for s in instance.sections.values()]
    version = f"images-{images.RENDITION_VERSION}"
    for slug, title in cards:
        write_output(settings, out, card_path(slug), _cached(cache / SHARE_FOLDER, f"{version}\0{name}\0{title}\0{host}",
                                                             lambda: images.share_card(name, title, host)))
    for icon in images.SITE_ICONS:
        write_output(settings, out, icon.path, _cached(cache / "icons", f"{version}\0{icon}",
                                                       lambda: images.icon_png(icon.size, icon.padding)))
    write_output(settings, out, "favicon.ico", _cached(cache / "icons", f"{version}\0favicon",
                                                       images.favicon_ico))
    write_output(settings, out, "manifest.webmanifest", web_manifest(municipality))


def web_manifest(municipality) -> str:
    data = {"name": municipality.name, "short_name": municipality.short_name, "lang": "tr", "dir": "ltr",
            "description": f"{municipality.name} resmî internet sitesi: e-hizmetler, haberler ve duyurular.",
            "start_url": "/", "scope": "/", "display": "browser", "theme_color": THEME_COLOUR,
            "background_color": "#ffffff",
            "icons": [{"src": f"/{icon.path}", "sizes": f"{icon.size}x{icon.size}", "type": "image/png",
                       "purpose": icon.purpose} for icon in images.SITE_ICONS if icon.path.startswith("icon-")]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@pass_context
def share_meta(context, municipality, site_name, sections):
    """The page's sharing facts (municms.share.page_meta). The values it reads beyond its arguments are those the
    page is written with (its article, page or listing and output file), so the page's digest covers them."""
    return page_meta(context, municipality, site_name, sections)


def _setup(pelican) -> None:
    settings = pelican.settings
    instance = settings.get("MUNICMS_INSTANCE")
    settings.setdefault("JINJA_FILTERS", {})["share_meta"] = share_meta
    if instance is not None:  # section address → title: which share card a listing page names
        settings["SHARE_SECTIONS"] = {f"{s.slug}/": s.title for s in instance.sections.values()}
        settings["THEME_COLOUR"] = THEME_COLOUR


def register() -> None:
    signals.initialized.connect(_setup)
    signals.article_generator_finalized.connect(_attach_photos)
    signals.all_generators_finalized.connect(_collect)
    signals.finalized.connect(_write)
