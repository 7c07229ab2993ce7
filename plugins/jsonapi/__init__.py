"""Pelican plugin: the site's content as open data, a static JSON API under /api/v1/, with a JSON Schema for
each kind of document and the page /acik-veri/ that documents them.

Documents are split like the listings: one item changes its own document, its section's year document and the
section and API indexes, never every document. Each document is worked out again only when its item changed
(kept on the object, like the sitemap's entries) and written only when its bytes change.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import yaml
from pelican import signals
from pelican.generators import Generator

from municms.site_files import write_output

from . import documents as docs
from .orgchart import chart_documents
from .page import document_kinds
from .schemas import SCHEMAS, published_schema

log = logging.getLogger(__name__)
_INPUT = "_MUNICMS_JSONAPI"
PAGE = "acik-veri/index.html"


def _collect(generators) -> None:
    context = generators[0].context
    generators[0].settings[_INPUT] = (list(context.get("articles", [])), list(context.get("pages", [])))


def _cached_item(article, base: str, content_root: str, instance) -> tuple[dict, bytes]:
    """(list entry, document bytes) of an article, kept on the object while what they are made from is the same."""
    stamps = tuple(_stamp(os.path.join(content_root, article.attachment_dir, name))
                   for name, _ in getattr(article, "attachment_files", ()))
    key = (base, content_root, article.url, article._content, dict(article.metadata), article.section,
           getattr(article, "room", None), getattr(article, "photos", ()), getattr(article, "past_note", ""),
           article.birim_adi, stamps)
    known = article.__dict__.get("_municms_jsonapi")
    if known is None or known[0] != key:
        document = docs.item_document(article, base, content_root, instance)
        known = article._municms_jsonapi = (key, docs.entry(article, base), docs.encode(document))
    return known[1], known[2]


# (site address, document) → (its plain inputs, its entries, its bytes): a list whose entries are the same objects
# (items unchanged since the last build) in the same order is not encoded again
_LISTS: dict[tuple[str, str], tuple[tuple, list, bytes]] = {}


def _list_bytes(key: tuple[str, str], plain: tuple, listed: list, make) -> bytes:
    known = _LISTS.get(key)
    if known is not None and known[0] == plain and len(known[1]) == len(listed) and \
            all(a is b for a, b in zip(known[1], listed)):
        return known[2]
    data = docs.encode(make())
    _LISTS[key] = (plain, listed, data)
    return data


def _stamp(path: str) -> tuple:
    try:
        stat = os.stat(path)
    except OSError:
        return ()
    return stat.st_size, stat.st_mtime_ns


# output root → file → (the bytes written, the file's (inode, size, mtime)): a publisher does not read every
# unchanged document back on every publish (a file someone else replaced has another stamp). Two roots are kept:
# the publisher's tree and one other (a full build, the nightly comparison), so a server process does not grow.
_WRITTEN: dict[str, dict[str, tuple[bytes, tuple]]] = {}
_ROOTS_KEPT = 2


def _written_in(output_path: str) -> dict[str, tuple[bytes, tuple]]:
    known = _WRITTEN.pop(output_path, {})
    _WRITTEN[output_path] = known  # the most recent last
    while len(_WRITTEN) > _ROOTS_KEPT:
        del _WRITTEN[next(iter(_WRITTEN))]
    return known


def _emit(settings: dict, output_path: str, rel: str, data: bytes, written: dict) -> None:
    target = os.path.join(output_path, rel)
    known = written.get(rel)
    if known is not None and known[0] == data and _file_stamp(target) == known[1]:
        outputs = settings.setdefault("MUNICMS_OUTPUTS", {})
        outputs[rel] = outputs.get(rel, False)
        return
    write_output(settings, output_path, rel, data)
    written[rel] = (data, _file_stamp(target))


def _file_stamp(path: str) -> tuple:
    try:
        stat = os.stat(path)
    except OSError:
        return ()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def _write_api(pelican) -> None:
    settings = pelican.settings
    instance = settings.get("MUNICMS_INSTANCE")
    if instance is None:
        return
    articles, pages = settings.pop(_INPUT, ([], []))
    base = instance.municipality.site_url.rstrip("/") + "/"
    content_root = settings["PATH"]
    out = pelican.output_path
    written = _written_in(out)
    entries: dict[int, dict] = {}
    for article in articles:
        if not article.section.dated and article.slug == "index":  # its document would be the section's index
            log.error("%s: 'index' adresi açık veri dizininin adı; başka bir başlık ya da 'slug' seçin.",
                      article.relative_source_path)
            continue
        entry, data = _cached_item(article, base, content_root, instance)
        entries[id(article)] = entry
        _emit(settings, out, docs.item_path(article), data, written)
    by_tur: dict[str, list] = {}
    for article in docs.newest_first(articles):
        by_tur.setdefault(article.tur, []).append(article)
    for tur, section in instance.sections.items():
        items = [article for article in by_tur.get(tur, []) if id(article) in entries]
        rel = docs.section_path(section)
        _emit(settings, out, rel, _list_bytes((base, rel), (section, tur), [entries[id(a)] for a in items],
                                             lambda: docs.section_document(section, tur, items, base, entries)),
              written)
        if section.dated:
            years: dict[int, list] = {}
            for article in items:
                years.setdefault(article.date.year, []).append(article)
            for year, year_items in years.items():
                rel = docs.year_path(section, year)
                _emit(settings, out, rel, _list_bytes(
                    (base, rel), (section, tur), [entries[id(a)] for a in year_items],
                    lambda: docs.year_document(section, tur, year, year_items, base, entries)), written)
    _write_chart(pelican, instance, pages, base, written)
    newest = max((getattr(a, "modified", a.date) for a in articles), default=None)
    _emit(settings, out, docs.API + "index.json",
          docs.encode(docs.index_document(instance, base, newest, list(SCHEMAS))), written)
    for kind in SCHEMAS:
        url = docs.schema_url(base, kind)
        _emit(settings, out, url[len(base):], docs.encode(published_schema(kind, url)), written)


def _write_chart(pelican, instance, pages, base: str, written: dict) -> None:
    from orgchart import department_heads, unit_pages  # the chart plugin: the same heads and pages as its page

    settings = pelican.settings
    now = settings["MUNICMS_NOW"]
    try:
        heads = department_heads(Path(settings["PATH"]).parent)
        charts = chart_documents(instance, instance.root, now.astimezone(instance.tz).date(),
                                 unit_pages(instance, pages), heads, base)
    except yaml.YAMLError:
        return  # the chart plugin reports the file and fails the build
    for rel, document in charts.items():
        _emit(settings, pelican.output_path, rel, docs.encode(document), written)


class OpenDataGenerator(Generator):
    """Writes /acik-veri/, the page that documents the API (from its schemas) and names its licence."""

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer) -> None:
        instance = self.settings["MUNICMS_INSTANCE"]
        licence = instance.open_data.licence  # plain values: the publisher's quick digest knows them
        writer.write_file(PAGE, self.get_template("open_data"), self.context, url="acik-veri/",
                          page_url="acik-veri/", kinds=document_kinds(),
                          licence={"name": licence.name, "url": licence.url},
                          data_contact=instance.open_data.contact or instance.municipality.contact.email)


def _generators(pelican):
    return OpenDataGenerator if "MUNICMS_INSTANCE" in pelican.settings else None


def register() -> None:
    signals.get_generators.connect(_generators)
    signals.all_generators_finalized.connect(_collect)
    signals.finalized.connect(_write_api)
