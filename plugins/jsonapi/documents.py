"""The documents of the static JSON API as plain data: the API index, a section's index, a section's year, one
item. Pure functions of the content objects (no clock, no IO apart from the attachments' hashes), so a full build
and an incremental one at the same moment give the same bytes."""

from __future__ import annotations

import datetime as dt
import json
import mimetypes
import os

from municms import turkish
from municms.deploy.shards import file_sha256

API = "api/v1/"
SCHEMA_DIR = API + "semalar/"
LIVE = "yayinda"   # `durum` of an item that is neither expired (suresi-doldu) nor withdrawn (geri-cekildi)
WITHDRAWN = "geri-cekildi"


def schema_url(base: str, kind: str) -> str:
    return f"{base}{SCHEMA_DIR}{kind}.json"


def encode(document: dict) -> bytes:
    """The bytes of a document: UTF-8 (Turkish letters as they are), keys in the order built, one final newline."""
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def moment(value) -> str | None:
    """ISO 8601: a date as YYYY-MM-DD, a moment with its UTC offset (2026-11-25T09:00:00+03:00)."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return None


# -- addresses ---------------------------------------------------------------------------------------------

def section_path(section) -> str:
    return f"{API}{section.slug}/index.json"


def year_path(section, year: int) -> str:
    return f"{API}{section.slug}/{year:04d}.json"


def item_path(article) -> str:
    """/api/v1/haberler/2026/<slug>.json for a dated item, /api/v1/e-hizmetler/<slug>.json for an undated one:
    the address of its page with `.json` for the final slash."""
    return API + article.url.rstrip("/") + ".json"


# -- one item ------------------------------------------------------------------------------------------------

# path → ((size, mtime_ns), sha256): an attachment is hashed again only when its file changes
_HASHES: dict[str, tuple[tuple[int, int], str]] = {}


def file_facts(path: str) -> tuple[int, str]:
    """(size in bytes, SHA-256 hex) of a file."""
    stat = os.stat(path)
    stamp = (stat.st_size, stat.st_mtime_ns)
    known = _HASHES.get(path)
    if known is None or known[0] != stamp:
        known = _HASHES[path] = (stamp, file_sha256(path))
    return stamp[0], known[1]


def status(article) -> str:
    return article.metadata.get("durum") or LIVE


def entry(article, base: str) -> dict:
    """What a list (a section's year, an undated section) says of an item."""
    return {
        "kayit_no": article.metadata.get("kayit_no"),
        "baslik": article.title,
        "ozet": article.metadata.get("summary") or "",
        "yayin_tarihi": moment(article.date),
        "degisiklik_tarihi": moment(getattr(article, "modified", None)),
        "durum": status(article),
        "birim": article.birim or None,
        "sayfa": base + article.url,
        "adres": base + item_path(article),
    }


def _attachments(article, base: str, content_root: str) -> list[dict]:
    found = []
    for name, _kind in getattr(article, "attachment_files", ()):
        size, sha = file_facts(os.path.join(content_root, article.attachment_dir, name))
        found.append({"ad": name, "adres": base + article.attachment_dir + name,
                      "medya_turu": mimetypes.guess_type(name)[0] or "application/octet-stream",
                      "boyut": size, "sha256": sha})
    return found


def _photos(article, base: str) -> list[dict]:
    if status(article) != LIVE:
        return []  # the page of an ended item shows no photos either
    return [{"ad": photo.name, "alt": photo.alt, "genislik": photo.width, "yukseklik": photo.height,
             "boyutlar": [{"genislik": r.width, "yukseklik": r.height, "webp": base + r.url("webp"),
                           "jpeg": base + r.url("jpg")} for r in photo.renditions]}
            for photo in getattr(article, "photos", ())]


def _tags(article, base: str) -> list[dict]:
    return [{"ad": str(tag), "sayfa": f"{base}etiket/{turkish.slugify(str(tag))}/"}
            for tag in getattr(article, "tags", None) or []]


def _seminar(article, meta: dict, base: str) -> dict:
    room = getattr(article, "room", None)
    return {
        "baslangic": moment(meta.get("baslangic")), "bitis": moment(meta.get("bitis")),
        "yer": meta.get("yer"),
        "salon": {"ad": room.name, "kapasite": room.capacity, "erisilebilir": room.accessible,
                  "erisim_notu": room.access_note} if room else None,
        "egitmen": meta.get("egitmen"), "hedef_kitle": list(meta.get("hedef_kitle") or []),
        "kayit_son": moment(meta.get("kayit_son")), "kontenjan": meta.get("kontenjan"),
        "kalan_yer": meta.get("kalan_yer"), "yedek_liste": meta.get("yedek_liste") or 0,
        "kayit_durumu": meta.get("kayit_durumu"),
        "iptal_nedeni": meta.get("iptal_nedeni"), "onceki_tarih": moment(meta.get("onceki_tarih")),
        # its calendar file, next to its page while it is current (plugins/seminars)
        "takvim": base + article.url + "takvim.ics" if meta.get("baslangic") is not None
        and status(article) == LIVE else None,
    }


def _regulation(meta: dict) -> dict:
    return {"karar_tarihi": moment(meta.get("karar_tarihi")), "karar_sayisi": meta.get("karar_sayisi"),
            "yururluk": moment(meta.get("yururluk")), "resmi_gazete_tarihi": moment(meta.get("resmi_gazete_tarihi")),
            "resmi_gazete_sayisi": meta.get("resmi_gazete_sayisi"), "ilan_tarihi": moment(meta.get("ilan_tarihi"))}


def item_document(article, base: str, content_root: str, instance) -> dict:
    """Everything the item's page shows, as data: metadata, the sanitised body HTML, attachments with size and
    SHA-256, photo renditions with their alt text, and the facts of its type."""
    meta = article.metadata
    section = article.section
    document = {
        "$schema": schema_url(base, "oge"),
        **entry(article, base),
        "bolum": {"anahtar": article.tur, "baslik": section.title, "adres": base + section_path(section)},
        "birim_adi": article.birim_adi or None,
        "gecmis_notu": getattr(article, "past_note", "") or None,
        "etiketler": _tags(article, base),
        "govde_html": str(article.content),
        "ekler": _attachments(article, base, content_root),
        "fotograflar": _photos(article, base),
    }
    if status(article) != WITHDRAWN:  # a withdrawn item's page shows its public reason only
        if article.tur == "mukellef-duyurusu":
            document["son_basvuru"] = moment(meta.get("son_basvuru"))
        elif article.tur == "seminer":
            document["seminer"] = _seminar(article, meta, base)
        elif article.tur == "e-hizmet":
            document["e_hizmet"] = {"adres": meta.get("adres"), "grup": meta.get("grup")}
        elif article.tur == "mevzuat":
            document["mevzuat"] = _regulation(meta)
    return document


# -- lists -----------------------------------------------------------------------------------------------------

def section_head(section, tur: str, base: str) -> dict:
    return {"anahtar": tur, "baslik": section.title, "tarihli": section.dated, "sayfa": f"{base}{section.slug}/",
            "adres": base + section_path(section)}


def section_document(section, tur: str, items: list, base: str, entries: dict) -> dict:
    """A section's index: its years with their number of items (dated), or all its items (undated)."""
    document = {"$schema": schema_url(base, "bolum"), "bolum": section_head(section, tur, base)}
    if section.dated:
        years: dict[int, int] = {}
        for article in items:
            years[article.date.year] = years.get(article.date.year, 0) + 1
        document["yillar"] = [{"yil": year, "adet": count, "adres": base + year_path(section, year)}
                              for year, count in sorted(years.items(), reverse=True)]
    else:
        ordered = turkish.sort_words(items, key=lambda a: a.title)
        document["ogeler"] = [entries[id(article)] for article in ordered]
    return document


def year_document(section, tur: str, year: int, items: list, base: str, entries: dict) -> dict:
    """The items of one year of a dated section, newest first (expired and withdrawn ones with their `durum`)."""
    return {"$schema": schema_url(base, "yil"), "bolum": section_head(section, tur, base), "yil": year,
            "ogeler": [entries[id(article)] for article in items]}


def newest_first(items) -> list:
    return sorted(items, key=lambda a: (a.date, a.relative_source_path), reverse=True)


def index_document(instance, base: str, newest, kinds: list[str]) -> dict:
    """The API's entry point: the publisher, the licence, the sections, the org chart and the schemas."""
    town = instance.municipality
    licence = instance.open_data.licence
    return {
        "$schema": schema_url(base, "dizin"),
        "yayinci": {"ad": town.name, "site": base, "e_posta": instance.open_data.contact or town.contact.email},
        "lisans": {"ad": licence.name, "adres": licence.url},
        "surum": "v1",
        "guncelleme": moment(newest),
        "belgeler": base + "acik-veri/",
        "bolumler": [section_head(section, tur, base) for tur, section in instance.sections.items()],
        "organizasyon": f"{base}{API}organizasyon/index.json",
        "semalar": {kind: schema_url(base, kind) for kind in kinds},
    }
