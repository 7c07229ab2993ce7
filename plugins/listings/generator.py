"""The generator that writes listings, tags, departments, feeds, the home page and the 404 page."""

from __future__ import annotations

import logging
from pathlib import Path

from pelican.generators import Generator

from municms import turkish
from municms.files import safe_yaml
from municms.fragments import BANNER_FILE
from municms.orgchart import HEAD_TITLES

from .banners import is_ended, load_banners
from .feeds import FeedEntry, as_html
from .freshness import HELD, current_first, mark_past
from .model import Listing, build_tags, by_month, newest_first, upcoming

log = logging.getLogger(__name__)


def _nav(instance, pages) -> list[dict]:
    """Main navigation: the fixed public sections in the order citizens look for them."""
    sections = instance.sections
    entries = [("", "Ana Sayfa"), ("kurumsal/", "Kurumsal")]
    for tur in ("haber", "duyuru", "mukellef-duyurusu", "e-hizmet", "seminer"):
        if tur in sections:
            entries.append((sections[tur].slug + "/", sections[tur].title))
    entries += [("birimler/", "Birimler"), ("iletisim/", "İletişim")]
    return [{"url": url, "title": title} for url, title in entries]


def corporate_links(instance, sections) -> list[dict]:
    """What /kurumsal/ lists after the corporate pages: units, regulations, reports (the sections there are)."""
    links = [{"url": "birimler/", "title": "Birimler",
              "summary": "Müdürlüklerin görevleri, yöneticileri, iletişim bilgileri ve son içerikleri."}]
    about = {"mevzuat": "Belediye Meclisince kabul edilen yönetmelik ve yönergeler, madde madde.",
             "faaliyet-raporu": "Her yılın faaliyet raporu; belediyenin yaptığı işler ve harcamaları."}
    for listing in sections:
        if listing.key in about:
            links.append({"url": listing.url, "title": listing.title, "summary": about[listing.key]})
    return links


class ListingsGenerator(Generator):
    """Writes every listing page from the articles other generators read."""

    def generate_context(self) -> None:
        instance = self.settings["MUNICMS_INSTANCE"]
        now = self.settings["MUNICMS_NOW"]
        mark_past(self.context.get("articles", []), now)  # before anything reads `durum` or writes a page
        # Expired or withdrawn items keep their own page but leave every listing, feed and the home page.
        articles = [a for a in self.context.get("articles", []) if not is_ended(a)]
        pages = self.context.get("pages", [])
        self.instance = instance
        self.today = now.date()

        # sorted once: every listing takes its items in this order (current ones first: a passed deadline or a
        # seminar that took place is no longer news); feeds keep the order of publication
        chronological = newest_first(articles)
        ordered = current_first(chronological)
        self.sections = []
        by_tur: dict[str, list] = {}
        for article in ordered:
            by_tur.setdefault(article.tur, []).append(article)
        for tur, section in instance.sections.items():
            self.sections.append(Listing(tur, section.title, f"{section.slug}/", by_tur.get(tur, [])))
        self.section_by_tur = {listing.key: listing for listing in self.sections}
        dated = [a for a in ordered if a.section.dated]
        # Every item page links its tags, e-services included, so every used tag needs its page.
        self.tags = build_tags(ordered)
        self.departments = self._departments(dated)
        self.feed_items = {}
        for article in chronological:
            self.feed_items.setdefault(article.tur, []).append(article)
        self.feed_everything = [a for a in chronological if a.section.dated]

        self.context.update({
            # the footer's feed links and year: what every page shows of the site as a whole
            "FEED_LINKS": [(listing.url + "atom.xml", listing.title) for listing in self.sections
                           if listing.items and instance.sections[listing.key].dated],
            "COPYRIGHT_YEAR": self.today.year,
            "MUNICIPALITY": instance.municipality,
            "NAV": _nav(instance, pages),
            "BUILD_ID": self.settings["MUNICMS_BUILD_ID"],
            "TODAY": self.today,
            "SECTIONS": self.section_by_tur,
            "CORPORATE_PAGES": [p for p in pages if p.yer == "kurumsal"],
            "FOOTER_PAGES": {p.slug: p for p in pages},
            "BANNERS": load_banners(Path(self.settings["PATH"]).parent / "data" / "acil.yaml"),
        })
        self.settings["MUNICMS_STATS"] = {"articles": len(articles), "pages": len(pages)}

    def _departments(self, articles) -> list[Listing]:
        """One listing per department, its items in the order given (newest first)."""
        details_file = Path(self.settings["PATH"]).parent / "data" / "birimler.yaml"
        details = {}
        if details_file.is_file():
            details = safe_yaml(details_file.read_text(encoding="utf-8")) or {}
        by_department: dict[str, list] = {}
        for article in articles:
            by_department.setdefault(article.birim, []).append(article)
        listings = []
        for dep in self.instance.departments:
            items = by_department.get(dep, [])
            listing = Listing(dep, self.instance.department_name(dep), f"birimler/{dep}/", items)
            listing.details = dict(details.get(dep) or {})
            unit = self.instance.units_by_id.get(dep)
            if listing.details and unit is not None:  # the director's title: Daire Başkanı for a daire başkanlığı
                listing.details.setdefault("unvan", HEAD_TITLES.get(unit.kind, "Müdür"))
            listings.append(listing)
        return turkish.sort_words(listings, key=lambda listing: listing.title)

    # -- output ---------------------------------------------------------------------------------

    def generate_output(self, writer) -> None:
        self.writer = writer
        listings_cfg = self.instance.listings
        self._write_home(listings_cfg.home_latest)
        for listing in self.sections:
            section = self.instance.sections[listing.key]
            if section.dated:
                self._write_listing(listing, "section.html", kind="section")
                self._write_feed(self.feed_items.get(listing.key, []), listing.url + "atom.xml", listing.title)
            elif listing.key == "mevzuat":
                self._write("regulations.html", listing.url + "index.html", listing=listing, kind="regulations",
                            items=turkish.sort_words(listing.items, key=lambda a: a.title))
            else:
                self._write("eservices.html", listing.url + "index.html", listing=listing,
                            groups=self._eservice_groups(listing.items))
        self._write("corporate.html", "kurumsal/index.html", links=corporate_links(self.instance, self.sections))
        self._write("tags.html", "etiket/index.html",
                    tags=[(tag.head(), len(tag.items)) for tag in self.tags])
        for listing in self.tags:
            self._write_listing(listing, "tag.html", kind="tag")
        self._write("departments.html", "birimler/index.html", departments=[d.head() for d in self.departments])
        for listing in self.departments:
            self._write_listing(listing, "department.html", kind="department")
        self._write_feed(self.feed_everything, "atom.xml", None)
        self._write("search.html", "arama/index.html")
        self._write("404.html", "404.html")
        # the banner fragment every page includes (municms/fragments.py); only it reads BANNERS
        self._write("acil.html", BANNER_FILE)

    def _write(self, template: str, save_as: str, **kwargs) -> None:
        url = save_as[:-len("index.html")] if save_as.endswith("index.html") else save_as
        self.writer.write_file(save_as, self.get_template(template.removesuffix(".html")), self.context,
                               url=url, page_url=url, **kwargs)

    def _write_listing(self, listing: Listing, template: str, kind: str) -> None:
        """A listing's pages; a writer that keeps groups of pages (the publisher's) skips them all when the
        listing's items, head and the global values its templates read are those of its last build."""
        group = getattr(self.writer, "page_group", None)
        if group is None:
            return self._write_listing_pages(listing, template, kind)
        cfg = self.instance.listings
        ways = [(self.get_template(template.removesuffix(".html")), _PASSED),
                (self.get_template("archive"), _PASSED | {"year", "months"}),
                (self.get_template("archive"), _PASSED | {"year", "months", "month"})]
        plain = (listing.head(), kind, template, cfg.latest, cfg.month_split_over)
        with group(("listing", listing.url), self.context, ways, plain, listing.items) as unchanged:
            if not unchanged:
                self._write_listing_pages(listing, template, kind)

    def _write_listing_pages(self, listing: Listing, template: str, kind: str) -> None:
        cfg = self.instance.listings
        years, head = listing.year_list(), listing.head()
        self._write(template, listing.url + "index.html", listing=head, items=listing.latest(cfg.latest),
                    years=years, kind=kind)
        for year, items in listing.by_year().items():
            base = f"{listing.url}{year}/"
            if len(items) > cfg.month_split_over:
                months = by_month(items)
                self._write("archive.html", base + "index.html", listing=head, year=year, items=[],
                            months=[(m, len(v), v[0].date) for m, v in months.items()], years=years, kind=kind)
                for month, month_items in months.items():
                    self._write("archive.html", f"{base}{month:02d}/index.html", listing=head, year=year,
                                month=month_items[0].date, items=month_items, months=[], years=years,
                                kind=kind)
            else:
                self._write("archive.html", base + "index.html", listing=head, year=year, items=items,
                            months=[], years=years, kind=kind)

    def _write_home(self, count: int) -> None:
        sections = self.section_by_tur
        seminars = sections.get("seminer")
        taxes = sections.get("mukellef-duyurusu")
        eservices = sections.get("e-hizmet")
        self._write("index.html", "index.html",
                    news=sections["haber"].latest(count) if "haber" in sections else [],
                    announcements=sections["duyuru"].latest(count) if "duyuru" in sections else [],
                    deadlines=upcoming(taxes.items, "son_basvuru", self.today, count) if taxes else [],
                    seminars=self._home_seminars(seminars.items, count) if seminars else [],
                    **self._home_tasks(eservices.items if eservices else []))

    def _home_tasks(self, items) -> dict:
        """The home page's tasks: the e-services of instance.yaml's `home.eservices` in that order (the first
        eight alphabetically when it names none), the Beyaz Masa e-service and the e-Devlet address."""
        home = self.instance.home
        by_url = {item.url: item for item in items}
        base = self.instance.sections["e-hizmet"].slug if "e-hizmet" in self.instance.sections else ""
        chosen = []
        for slug in home.eservices:
            item = by_url.get(f"{base}/{slug}/")
            if item is None:  # withdrawn or renamed: the home page goes on without it
                log.warning("home.eservices: '%s' e-hizmeti bulunamadı; ana sayfada gösterilmiyor.", slug)
            else:
                chosen.append(item)
        if not home.eservices:
            chosen = turkish.sort_words(items, key=lambda a: a.title)[:8]
        beyaz_masa = by_url.get(f"{base}/{home.beyaz_masa}/") if home.beyaz_masa else None
        return {"eservices": chosen, "eservice_count": len(items), "beyaz_masa": beyaz_masa,
                "e_devlet": home.e_devlet}

    def _home_seminars(self, items, count: int) -> list:
        """Seminars starting today or later, soonest first, without those already held today; a cancelled one
        stays (someone may have planned to come) after the ones that take place."""
        ahead = [item for item in upcoming(items, "baslangic", self.today, len(items)) if item.past_note != HELD]
        return current_first(ahead)[:count]

    def _eservice_groups(self, items) -> list[tuple[str, list]]:
        groups: dict[str, list] = {}
        for item in items:
            groups.setdefault(item.metadata.get("grup", "Diğer"), []).append(item)
        return [(name, turkish.sort_words(groups[name], key=lambda a: a.title))
                for name in turkish.sort_words(groups)]

    def _write_feed(self, items, path: str, title: str | None) -> None:
        site_url = self.instance.municipality.site_url.rstrip("/")
        context = dict(self.context, SITEURL=site_url, FEED_DOMAIN=site_url,
                       SITENAME=as_html(self.context["SITENAME"]))
        self.writer.write_feed([FeedEntry(item, site_url) for item in items[:30]], context, path, path, "atom",
                               feed_title=as_html(title) if title else None)


# the values every listing page is given (_write, _write_listing_pages); archive pages add year, months, month
_PASSED = frozenset({"url", "page_url", "listing", "items", "years", "kind"})
