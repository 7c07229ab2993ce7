"""Pelican plugin: give every item its section, Turkish slug, typed metadata and URL.

Dated sections live at /<section>/<year>/<slug>/, undated ones (e-hizmetler) at /<section>/<slug>/;
corporate pages at /kurumsal/<slug>/ or at the root (/iletisim/). Slugs are unique within their folder:
of two items with the same title, the earlier (by date, then source path) keeps the plain slug.
Bodies go through the nh3 policy; every metadata value (title, summary, seminar fields …) stays plain text,
which the templates escape. The `sanitised` template filter is the one place HTML is marked safe.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections import defaultdict
from pathlib import Path

from pelican import signals
from pelican.contents import Article, Page
from markupsafe import Markup
from pelican.urlwrappers import Category

from municms import turkish
from municms.regulations import table_of_contents
from municms.sanitize import is_web_url, sanitise_html, trusted_html
from municms.seminar_checks import staff_only

log = logging.getLogger(__name__)

DATE_FIELDS = ("son_basvuru", "kayit_son", "karar_tarihi", "yururluk", "resmi_gazete_tarihi", "ilan_tarihi")
DATETIME_FIELDS = ("baslangic", "bitis", "yayin", "onceki_tarih")
LIST_FIELDS = ("ekler", "hedef_kitle")
INT_FIELDS = ("kontenjan", "sira", "kalan_yer", "yedek_liste")
URL_FIELDS = ("adres",)
PAGE_PLACES = {"kurumsal": "kurumsal/{slug}/", "kok": "{slug}/"}
# Top-level names the site itself uses; a root page may not take them.
RESERVED_ROOT = {"kurumsal", "birimler", "etiket", "arama", "api", "yonetim", "kayit", "theme", "sitemaps", "feeds",
                "acik-veri"}


def _parse_value(key: str, raw, tz) -> object:
    if not isinstance(raw, str):
        return raw
    raw = raw.strip()
    if key in DATE_FIELDS:
        return dt.date.fromisoformat(raw)
    if key in DATETIME_FIELDS:
        value = dt.datetime.fromisoformat(raw)
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if key in LIST_FIELDS:
        return [part.strip() for part in raw.split(",") if part.strip()]
    if key in INT_FIELDS:
        return int(raw)
    return raw


def _type_metadata(content, tz) -> bool:
    """Convert known metadata to dates, lists and numbers; log an error naming the file and field."""
    ok = True
    for key in DATE_FIELDS + DATETIME_FIELDS + LIST_FIELDS + INT_FIELDS:
        if key in content.metadata:
            try:
                value = _parse_value(key, content.metadata[key], tz)
            except ValueError:
                log.error("%s: '%s' alanının değeri geçersiz: %r", content.relative_source_path, key,
                          content.metadata[key])
                ok = False
                continue
            content.metadata[key] = value
            setattr(content, key, value)
    return ok


def _sanitise(content) -> None:
    content._content = sanitise_html(content._content or "")


def _text_summary(content) -> None:
    """The summary as text: the department's own `Summary` line, else the first words of the body's text."""
    if "summary" not in content.metadata:
        words = Markup(content._content).striptags().split()  # the text a reader sees in the sanitised body
        limit = content.settings.get("SUMMARY_MAX_LENGTH") or len(words)
        suffix = " " + content.settings.get("SUMMARY_END_SUFFIX", "…") if len(words) > limit else ""
        content.metadata["summary"] = " ".join(words[:limit]) + suffix


def _prepared(content, tz) -> bool:
    """Typed metadata, sanitised body, text summary, checked URLs: done once per content object (a publisher
    that keeps objects of unchanged sources between builds does not sanitise them again). False, and done
    again next time, if an error was logged."""
    if getattr(content, "_municms_prepared", False):
        return True
    ok = _type_metadata(content, tz)
    _sanitise(content)
    _text_summary(content)
    ok = _check_urls(content) and ok
    content._municms_prepared = ok
    return ok


def _check_urls(content) -> bool:
    """A URL field (e-hizmet `Adres`) is an absolute http(s) address or it is not printed at all."""
    ok = True
    for key in URL_FIELDS:
        if key in content.metadata and not is_web_url(content.metadata[key]):
            ok = False
            log.error("%s: '%s' alanı geçerli bir web adresi değil (http:// ya da https:// ile başlamalıdır): %r",
                      content.relative_source_path, key, content.metadata[key])
            del content.metadata[key]
            if hasattr(content, key):
                delattr(content, key)
    return ok


def _check_attachments(article, content_root: str) -> None:
    """Attachments live in a folder named like the source file: x.md → x/<name>; each must exist. Each one's
    type and size go into its link text (`attachment_files`: name, 'PDF, 1,2 MB')."""
    source = article.relative_source_path.replace(os.sep, "/")
    folder = os.path.splitext(source)[0]
    article.attachment_dir = folder + "/"
    article.attachment_files = []
    for name in getattr(article, "ekler", None) or []:
        path = os.path.join(content_root, folder, name)
        if not os.path.isfile(path):
            log.error("%s: ek '%s' bulunamadı (beklenen yer: %s/%s)", source, name, folder, name)
            continue
        article.attachment_files.append((name, f"{file_kind(name)}, {turkish.format_size(os.path.getsize(path))}"))


def file_kind(name: str) -> str:
    """A file's type as its extension names it: 'PDF', 'DOCX' ('dosya' without one). Format codes are Latin
    acronyms, so ASCII upper case (ZIP, not ZİP)."""
    extension = os.path.splitext(name)[1].lstrip(".")
    if not extension:
        return "dosya"
    return extension.upper() if extension.isascii() else turkish.upper(extension)


# URL folder → (its items with their slug bases, in the order given; the warnings their slugs gave): a
# publisher keeps content objects between builds, and a folder whose items are the same objects with the same
# bases keeps the slugs it was given (they are on the objects already)
_FOLDERS: dict[str, tuple[list, list[tuple]]] = {}


def _assign_urls(items, pattern_of) -> None:
    """Set url/save_as for items, making slugs unique per URL folder in a stable order."""
    folders: dict[str, list] = defaultdict(list)
    for item in items:
        base = item.metadata.get("slug") or turkish.slugify(item.title)
        folders[pattern_of(item).format(slug="")].append((base, item))
    for folder, entries in folders.items():
        known = _FOLDERS.get(folder)
        if known is not None and _same_entries(known[0], entries):
            for args in known[1]:
                log.warning(*args)
            continue
        warnings = []
        taken: set[str] = set()
        for base, item in sorted(entries, key=lambda entry: _url_order(entry[1])):
            slug = turkish.distinct_slug(base, taken)
            if slug != base:
                warnings.append(("%s: '%s' adresi kullanımda; '%s' verildi", item.relative_source_path, base, slug))
                log.warning(*warnings[-1])
            taken.add(slug)
            item.slug = slug
            item.override_url = folder + slug + "/"
            item.override_save_as = folder + slug + "/index.html"
        _FOLDERS[folder] = (entries, warnings)


def _same_entries(before: list, now: list) -> bool:
    """The same content objects (by identity) with the same slug bases, in the same order."""
    return len(before) == len(now) and all(a[1] is b[1] and a[0] == b[0] for a, b in zip(before, now))


def _url_order(item) -> tuple:
    """(ISO date or "", source path): who keeps a slug first. Kept on the object while its date is the same one
    (a publisher keeps objects between builds, and the source path is worked out from the settings each time)."""
    date = getattr(item, "date", None)
    known = item.__dict__.get("_municms_url_order")
    if known is None or known[0] is not date:
        known = item._municms_url_order = (date, (date.isoformat() if hasattr(item, "date") else "",
                                                  item.relative_source_path))
    return known[1]


def _category(categories: dict, section, settings) -> Category:
    category = categories[section.slug] = Category(section.title, settings)
    category.slug = section.slug
    return category


def _placed_before(article, instance, content_root: str) -> bool:
    """True if a kept article got its section, department and year in an earlier build of the same instance
    without an error (they are on the object); its attachments are looked for again."""
    known = article.__dict__.get("_municms_placed")
    # the section object is the instance's own: another instance (instance.yaml read again) places it again
    if known is None or known[0] is not article.date or known[1] != content_root or \
            instance.sections.get(article.metadata.get("tur")) is not article.__dict__.get("section"):
        return False
    if getattr(article, "ekler", None):
        _check_attachments(article, content_root)
    return True


def articles_pretaxonomy(generator) -> None:
    instance = generator.settings.get("MUNICMS_INSTANCE")
    if instance is None:  # another Pelican site built in the same process
        return
    tz = instance.tz
    kept = []
    categories: dict[str, Category] = {}  # one per section (Pelican groups articles by equal categories)
    content_root = generator.settings["PATH"]
    for article in generator.articles:
        if article.metadata.get("tur") == "seminer" and staff_only(article.metadata.get("hedef_kitle")):
            continue  # a training for staff only: in the editorial app, never in a public file
        if _placed_before(article, instance, content_root):
            article.category = categories.get(article.section.slug) or _category(categories, article.section,
                                                                                   generator.settings)
            kept.append(article)
            continue
        tur = article.metadata.get("tur")
        section = instance.sections.get(tur) if tur else None
        if section is None:
            log.error("%s: 'tur' alanı eksik ya da bilinmiyor (%r). Bilinen bölümler: %s",
                      article.relative_source_path, tur, ", ".join(instance.sections))
            continue
        _prepared(article, tz)  # an error is logged: the build fails at its end
        article.tur = tur
        article.section = section
        article.category = categories.get(section.slug) or _category(categories, section, generator.settings)
        birim = article.metadata.get("birim")
        known_birim = not birim or birim in instance.departments
        if not known_birim:
            log.error("%s: 'birim' alanındaki '%s' tanımlı bir müdürlük değil.", article.relative_source_path, birim)
        article.birim = birim
        article.birim_adi = instance.department_name(birim) if birim else ""
        article.year = article.date.year
        if tur == "seminer":  # its room as instance.yaml describes it (seats, access), when it is one of them
            article.room = instance.seminars.room(str(article.metadata.get("yer") or ""))
        if tur == "mevzuat":  # its own page: adoption details, then a table of contents of its articles
            article.template = "regulation"
            article.toc = table_of_contents(article._content)
        _check_attachments(article, content_root)
        if known_birim and article._municms_prepared:
            article._municms_placed = (article.date, content_root)
        kept.append(article)
    generator.articles[:] = kept

    def pattern(article) -> str:
        section = article.section
        return f"{section.slug}/{article.date.year:04d}/{{slug}}" if section.dated else f"{section.slug}/{{slug}}"
    _assign_urls(kept, pattern)


def pages_finalized(generator) -> None:
    instance = generator.settings.get("MUNICMS_INSTANCE")
    if instance is None:
        return
    for page in generator.pages:
        _prepared(page, instance.tz)
        place = page.metadata.get("yer", "kurumsal")
        if place not in PAGE_PLACES:
            log.error("%s: 'yer' alanı '%s' olamaz; 'kurumsal' ya da 'kok' olmalıdır.",
                      page.relative_source_path, place)
            place = "kurumsal"
        page.yer = place
        reserved = RESERVED_ROOT | {s.slug for s in instance.sections.values()}
        if place == "kok" and page.metadata.get("slug") in reserved:
            log.error("%s: '%s' adresi sitenin kendi bölümlerinden biri; başka bir 'slug' seçin.",
                      page.relative_source_path, page.metadata.get("slug"))
        page.sira = page.metadata.get("sira", 100)
    _assign_urls(generator.pages, lambda page: PAGE_PLACES[page.yer].rstrip("/"))
    generator.pages.sort(key=lambda p: (p.sira, turkish.sort_key(p.title)))


def provisional_url(content) -> None:
    """Pelican checks save_as while reading; give each item a valid one before slugs are made unique."""
    instance = content.settings.get("MUNICMS_INSTANCE")
    if instance is None:
        return
    if not isinstance(content, (Article, Page)):
        return  # attachments (Static) keep their own path
    slug = content.metadata.get("slug") or turkish.slugify(getattr(content, "title", "") or "icerik")
    if isinstance(content, Article):
        section = instance.sections.get(content.metadata.get("tur"))
        folder = f"{section.slug}/{content.date:%Y}/" if section and section.dated else \
            f"{section.slug}/" if section else "tanimsiz/"
    else:
        folder = "" if content.metadata.get("yer") == "kok" else "kurumsal/"
    content.override_url = f"{folder}{slug}/"
    content.override_save_as = f"{folder}{slug}/index.html"


def page_attachments(generator) -> None:
    """A corporate page's attachments (content/sayfalar/<name>/…) are published next to the page, whose address
    is /kurumsal/<slug>/ or /<slug>/, not under sayfalar/."""
    if generator.settings.get("MUNICMS_INSTANCE") is None:
        return
    folders = {Path(page.relative_source_path).with_suffix("").as_posix() + "/": page.url
               for page in generator.context.get("pages", [])}
    for static in generator.staticfiles:
        source = static.relative_source_path
        folder = next((f for f in folders if source.startswith(f)), None)
        if folder is not None:
            static.override_save_as = static.override_url = folders[folder] + source[len(folder):]


def _add_filter(pelican) -> None:
    pelican.settings.setdefault("JINJA_FILTERS", {})["sanitised"] = trusted_html


def register() -> None:
    signals.initialized.connect(_add_filter)
    signals.content_object_init.connect(provisional_url)
    signals.article_generator_pretaxonomy.connect(articles_pretaxonomy)
    signals.page_generator_finalized.connect(pages_finalized)
    signals.static_generator_finalized.connect(page_attachments)
