"""What a page says about itself to other programs: its description, canonical address, Open Graph and Twitter
card values and its schema.org data (JSON-LD). Pure: built from the values a page is rendered with."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from markupsafe import Markup

from . import turkish

DESCRIPTION_LENGTH = 160
SHARE_FOLDER = "paylasim"        # /paylasim/<section>.png: the share card of a section, site.png the site's
SITE_CARD = "site"
LOGO = "icon-512.png"
# output file → (title, description) of the pages that have no item or listing of their own
FIXED_PAGES = {
    "etiket/index.html": ("Konular", "{name} sitesindeki bütün konular (etiketler) ve her konudaki içerik sayısı."),
    "birimler/index.html": ("Birimler", "{name} müdürlükleri ve birimleri: görevleri, yöneticileri ve iletişim "
                                        "bilgileri."),
    "arama/index.html": ("Arama", "{name} sitesinde haber, duyuru, hizmet ve sayfalar arasında arama."),
    "404.html": ("Sayfa bulunamadı", "Aradığınız sayfa {name} sitesinde bulunamadı."),
    "kurumsal/index.html": ("Kurumsal", "{name}: başkan, meclis, organizasyon şeması, birimler, mevzuat, bütçe "
                                        "ve raporlar."),
}
# Page kinds shown under Kurumsal in the breadcrumb: corporate pages (yer: kurumsal) and regulations.
CORPORATE_TRAIL = "Kurumsal"
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                 0x2028: "\\u2028", 0x2029: "\\u2029"}


def json_for_script(data) -> Markup:
    """JSON to put inside <script type="application/ld+json">: `<`, `>` and `&` written as \\u escapes, so no
    text (`</script>`, `<!--`) can end the element or change how it is read. Safe by construction, hence Markup."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    return Markup(text.translate(_JSON_ESCAPES))


def plain_description(text, length: int = DESCRIPTION_LENGTH) -> str:
    """One line of plain text of at most `length` characters, cut at a word with '…'."""
    words = " ".join(str(text or "").split())
    if len(words) <= length:
        return words
    cut = words[:length - 1]
    if " " in cut and words[length - 1] != " ":
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


@dataclass
class Image:
    url: str
    width: int
    height: int
    alt: str
    kind: str = "image/png"


@dataclass
class PageMeta:
    title: str
    description: str
    url: str                     # canonical, absolute; "" for the 404 page
    type: str                    # article | website
    image: Image
    jsonld: list[dict] = field(default_factory=list)

    def jsonld_text(self) -> list[Markup]:
        return [json_for_script(data) for data in self.jsonld]


def page_meta(values: dict, municipality, site_name: str, sections: dict) -> PageMeta:
    """The sharing facts of one page from what it is rendered with (article, page or listing, output_file …)."""
    site = municipality.site_url.rstrip("/")
    output = values.get("output_file") or "index.html"
    path = output[:-len("index.html")] if output.endswith("index.html") else output
    url = "" if output == "404.html" else f"{site}/{path}"
    item = values.get("article") or values.get("page")
    listing = values.get("listing")
    card = _card(site, site_name, sections, item, listing)
    organisation = _organisation(municipality, site)
    if item is not None:
        title, description = item.title, item.summary
        # an ended or withdrawn item's page shows no photo: its link preview shows none either
        ended = item.metadata.get("durum") is not None
        image = (None if ended else _photo_image(site, item)) or card
        kind = "article" if values.get("article") is not None else "website"
        jsonld = [data for data in (_item_data(item, url, image, organisation, municipality, site),) if data]
        trail = [(f"{site}/{item.section.slug}/", item.section.title)] if hasattr(item, "section") else []
        if getattr(item, "yer", None) == "kurumsal" or getattr(item, "tur", None) == "mevzuat":
            trail.insert(0, (f"{site}/kurumsal/", CORPORATE_TRAIL))
        jsonld.append(_breadcrumbs(site, trail + [(url, item.title)]))
    elif listing is not None:
        title, description, trail = _listing_facts(values, listing, site, site_name)
        image, kind = card, "website"
        jsonld = [_breadcrumbs(site, trail)]
    elif output == "index.html":
        title = site_name
        description = (f"{site_name} resmî internet sitesi: e-hizmetler, haberler, duyurular, vergi son günleri, "
                       "seminerler ve iletişim bilgileri.")
        image, kind, jsonld = card, "website", [organisation]
    else:
        # a page of its own kind: its writer may pass share_title and share_description (as a generator's
        # keyword arguments, so the page's digest covers them), else the known pages' texts are used
        known = FIXED_PAGES.get(output)
        default_title, default_description = known or (site_name, "{name} resmî internet sitesi.")
        title = values.get("share_title") or default_title
        description = values.get("share_description") or default_description.format(name=site_name)
        image, kind = card, "website"
        # its breadcrumb is known only for the pages above (a trail that differs from the page's own is worse
        # than none)
        jsonld = [_breadcrumbs(site, [(url, title)])] if url and known else []
    return PageMeta(str(title), plain_description(description), url, kind, image, jsonld)


# -- parts --------------------------------------------------------------------------------------------

def card_path(section_slug: str | None) -> str:
    return f"{SHARE_FOLDER}/{section_slug or SITE_CARD}.png"


def _card(site: str, site_name: str, sections: dict, item, listing) -> Image:
    """The share card of the item's or listing's section (`sections`: section address → title), else the site's."""
    section = getattr(item, "section", None) if item is not None else None
    if section is not None:
        slug, title = section.slug, section.title
    elif listing is not None and listing.url in sections:
        slug, title = listing.url.rstrip("/"), sections[listing.url]
    else:
        slug, title = None, site_name
    return Image(f"{site}/{card_path(slug)}", 1200, 630, f"{site_name}: {title}" if slug else site_name)


def _photo_image(site: str, item) -> Image | None:
    photos = getattr(item, "photos", None)
    if not photos:
        return None
    first = photos[0]
    largest = first.renditions[-1]
    return Image(f"{site}/{largest.url('jpg')}", largest.width, largest.height, first.alt, "image/jpeg")


def _organisation(municipality, site: str) -> dict:
    contact = municipality.contact
    return {"@context": "https://schema.org", "@type": "GovernmentOrganization", "name": municipality.name,
            "url": f"{site}/", "logo": f"{site}/{LOGO}",
            "address": {"@type": "PostalAddress", "streetAddress": contact.address,
                        "addressLocality": municipality.short_name, "addressCountry": "TR"},
            "telephone": contact.phone, "email": contact.email}


def _publisher(organisation: dict) -> dict:
    return {"@type": "GovernmentOrganization", "name": organisation["name"], "url": organisation["url"],
            "logo": {"@type": "ImageObject", "url": organisation["logo"]}}


def _moment(value) -> str:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)


def _item_data(item, url: str, image: Image, organisation: dict, municipality, site: str) -> dict | None:
    tur = getattr(item, "tur", None)
    if getattr(item, "durum", None) is not None:
        return None  # an expired or withdrawn item is kept for the record, not offered as current
    if tur == "haber":
        return {"@context": "https://schema.org", "@type": "NewsArticle", "headline": plain_description(item.title, 110),
                "description": plain_description(item.summary), "url": url, "mainEntityOfPage": url,
                "datePublished": _moment(item.date), "dateModified": _moment(getattr(item, "modified", item.date)),
                "image": [image.url], "inLanguage": "tr-TR", "publisher": _publisher(organisation)}
    if tur == "seminer" and hasattr(item, "baslangic"):
        return _event(item, url, organisation, municipality)
    if tur == "e-hizmet" and hasattr(item, "adres"):
        data = {"@context": "https://schema.org", "@type": "GovernmentService", "name": item.title,
                "description": plain_description(item.summary), "url": item.adres,
                "provider": _publisher(organisation), "areaServed": municipality.short_name}
        if getattr(item, "grup", None):
            data["serviceType"] = item.grup
        return data
    return None


def _event(item, url: str, organisation: dict, municipality) -> dict:
    status = "EventScheduled"
    if item.metadata.get("iptal_nedeni") is not None:
        status = "EventCancelled"
    elif item.metadata.get("onceki_tarih") is not None:
        status = "EventRescheduled"
    data = {"@context": "https://schema.org", "@type": "Event", "name": item.title,
            "description": plain_description(item.summary), "url": url, "startDate": _moment(item.baslangic),
            "eventStatus": f"https://schema.org/{status}",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": {"@type": "Place", "name": getattr(item, "yer", municipality.name),
                         "address": {"@type": "PostalAddress", "streetAddress": municipality.contact.address,
                                     "addressLocality": municipality.short_name, "addressCountry": "TR"}},
            "organizer": _publisher(organisation), "isAccessibleForFree": True, "inLanguage": "tr-TR"}
    if hasattr(item, "bitis"):
        data["endDate"] = _moment(item.bitis)
    if status == "EventRescheduled":
        data["previousStartDate"] = _moment(item.metadata["onceki_tarih"])
    if getattr(item, "egitmen", None):
        data["performer"] = {"@type": "Person", "name": item.egitmen}
    registration = item.metadata.get("kayit_durumu")
    if status != "EventCancelled" and registration in ("acik", "dolu"):
        offer = {"@type": "Offer", "price": "0", "priceCurrency": "TRY", "url": url,
                 "availability": "https://schema.org/" + ("InStock" if registration == "acik" else "SoldOut")}
        if getattr(item, "kayit_son", None):
            offer["validThrough"] = _moment(item.kayit_son)
        data["offers"] = offer
    if getattr(item, "kontenjan", None):
        data["maximumAttendeeCapacity"] = item.kontenjan
    return data


def _breadcrumbs(site: str, trail: list[tuple[str, str]]) -> dict:
    """Ana Sayfa, then the trail (address, name) as the page's breadcrumb shows it."""
    steps = [(f"{site}/", "Ana Sayfa")] + [(url, str(name)) for url, name in trail]
    return {"@context": "https://schema.org", "@type": "BreadcrumbList",
            "itemListElement": [{"@type": "ListItem", "position": index, "name": name, "item": url}
                                for index, (url, name) in enumerate(steps, 1)]}


def _listing_facts(values: dict, listing, site: str, site_name: str) -> tuple[str, str, list]:
    """(title, description, breadcrumb trail) of a listing page: a section, tag or department, or one of its
    year or month archives."""
    kind = values.get("kind")
    year, month = values.get("year"), values.get("month")
    trail = {"tag": [(f"{site}/etiket/", "Konular")], "department": [(f"{site}/birimler/", "Birimler")],
             "regulations": [(f"{site}/kurumsal/", CORPORATE_TRAIL)]}.get(kind, [])
    own = f"{site}/{listing.url}"
    trail.append((own, listing.title))
    if kind == "tag":
        description = f"“{listing.title}” konusundaki {site_name} haberleri, duyuruları ve diğer içerikleri."
    elif kind == "department":
        duties = (getattr(listing, "details", None) or {}).get("gorevler")
        description = (" ".join(duties) if isinstance(duties, list) else duties) if duties else \
            f"{listing.title}: görevleri, iletişim bilgileri, haberleri ve duyuruları."
    elif kind == "regulations":
        description = (f"{site_name} Meclisince kabul edilen yönetmelik ve yönergeler: karar tarihleri, yürürlük "
                       "tarihleri ve tam metinleri.")
    elif kind == "section":
        description = f"{site_name} {listing.title}: en yeni içerikler ve yıllara göre arşiv."
    else:
        description = listing.description or f"{site_name} {listing.title}: bütün çevrim içi hizmetler, gruplarına göre."
    title = listing.title
    if year is not None:
        trail.append((f"{own}{year}/", str(year)))
        period = str(year)
        if month is not None:
            period = turkish.format_day(month, "LLLL y")
            trail.append((f"{own}{year}/{month.month:02d}/", period))
        title = f"{listing.title}: {period}"
        description = f"{listing.title} arşivi, {period}: bu dönemde yayımlanan bütün içerikler."
    return title, description, trail
