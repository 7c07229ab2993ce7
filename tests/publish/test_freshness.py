"""Nothing stale: a tax notice whose last day is over and a seminar that took place say so in words and come after
current items in every listing, the home page's blocks keep only what is still ahead, and all of it follows the
clock: the scheduler publishes again when a boundary passes with no change to the item, and the incremental site
is then byte for byte a full build at the same moment.

Items come from real intake, people approve them, and the scheduler (`Scheduler.run_once`, as `serve` runs it)
publishes."""

from __future__ import annotations

import datetime as dt

from bs4 import BeautifulSoup

from municms.scheduler import Scheduler
from tests.publish.test_incremental import assert_same_as_full_build


def page(site, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site.paths.current / rel).read_text(encoding="utf-8"), "html.parser")


def cards(site, rel: str) -> list[tuple[str, str | None]]:
    """(title, the card's past note or None) of every card of a listing page, in order."""
    found = []
    for card in page(site, rel).select("article.card"):
        note = card.select_one(".past-note")
        found.append((card.select_one(".card-title").get_text(strip=True), note.get_text(" ", strip=True)
                      if note else None))
    return found


def deadline_block(site) -> list[str]:
    block = page(site, "index.html").find("section", attrs={"aria-labelledby": "h-mukellef"})
    return [" ".join(li.get_text(" ", strip=True).split()) for li in block.select("li")]


def notice_of(site, rel: str) -> str:
    return " ".join(page(site, rel).select_one(".item-header ~ .notice").get_text(" ", strip=True).split())


def test_a_tax_notice_whose_last_day_is_over_says_so_and_moves_after_current_ones(site):
    scheduler = Scheduler(site.ledger, site.instance, site.paths, site.clock)
    later = site.submit("mukellef-duyurusu", "İlan ve Reklam Vergisi Beyanı", "Beyan süresi.\n",
                        son_basvuru="2026-12-10")
    site.approve(later.number)
    site.clock.advance(dt.timedelta(minutes=30))  # approved later: the newer notice
    soon = site.submit("mukellef-duyurusu", "Çevre Temizlik Vergisi Hatırlatması", "Son gün yarın.\n",
                       son_basvuru="2026-11-26")
    site.approve(soon.number)
    assert scheduler.run_once().published is not None
    archive = "mukellef-duyurulari/2026/index.html"
    # newest first while all are current (the tiny site's own notice, due 30 November, is the oldest)
    assert cards(site, archive) == [("Çevre Temizlik Vergisi Hatırlatması", None),
                                    ("İlan ve Reklam Vergisi Beyanı", None), ("Emlak Vergisi 2. Taksit", None)]
    assert deadline_block(site) == ["Çevre Temizlik Vergisi Hatırlatması Son gün: 26 Kasım 2026 Perşembe",
                                    "Emlak Vergisi 2. Taksit Son gün: 30 Kasım 2026 Pazartesi"]
    soon_page = "mukellef-duyurulari/2026/cevre-temizlik-vergisi-hatirlatmasi/index.html"
    assert notice_of(site, soon_page) == "Son gün: 26 Kasım 2026 Perşembe"

    # the next morning its day is over: nothing about the item changed, the clock did
    site.clock.set(dt.datetime(2026, 11, 27, 9, 0, tzinfo=site.instance.tz))
    assert scheduler.run_once().published is not None
    assert cards(site, archive) == [("İlan ve Reklam Vergisi Beyanı", None), ("Emlak Vergisi 2. Taksit", None),
                                    ("Çevre Temizlik Vergisi Hatırlatması",
                                     "Son başvuru tarihi geçti: 26 Kasım 2026 Perşembe")]
    assert cards(site, "mukellef-duyurulari/index.html") == [("İlan ve Reklam Vergisi Beyanı", None),
                                                              ("Emlak Vergisi 2. Taksit", None)]
    assert notice_of(site, soon_page) == "Son başvuru tarihi geçti: 26 Kasım 2026 Perşembe"
    assert deadline_block(site) == ["Emlak Vergisi 2. Taksit Son gün: 30 Kasım 2026 Pazartesi",
                                    "İlan ve Reklam Vergisi Beyanı Son gün: 10 Aralık 2026 Perşembe"]
    assert_same_as_full_build(site, site.root.parent / "tam-1")
    assert scheduler.run_once().published is None  # nothing else passed: no publish in a loop

    # the content folder's own notice (no ledger item) turns past at the next publish, as in a full build
    site.clock.set(dt.datetime(2026, 12, 1, 9, 0, tzinfo=site.instance.tz))
    site.publish()
    assert cards(site, archive) == [("İlan ve Reklam Vergisi Beyanı", None),
                                    ("Çevre Temizlik Vergisi Hatırlatması",
                                     "Son başvuru tarihi geçti: 26 Kasım 2026 Perşembe"),
                                    ("Emlak Vergisi 2. Taksit", "Son başvuru tarihi geçti: 30 Kasım 2026 Pazartesi")]
    assert deadline_block(site) == ["İlan ve Reklam Vergisi Beyanı Son gün: 10 Aralık 2026 Perşembe"]
    assert_same_as_full_build(site, site.root.parent / "tam-2")


SEMINAR = dict(egitmen="Selin Aydoğan", kontenjan=30, hedef_kitle=["vatandaş"], department="bilgi-islem")


def test_a_seminar_that_took_place_says_so_leaves_the_home_page_and_offers_no_calendar(site):
    scheduler = Scheduler(site.ledger, site.instance, site.paths, site.clock)
    today = site.submit("seminer", "Akıllı Telefon Güvenliği Semineri", "Bugün.\n", yer="Belediye Konferans Salonu",
                        baslangic="2026-11-25 13:00", bitis="2026-11-25 15:00", kayit_son="2026-11-24",
                        **SEMINAR)
    site.approve(today.number)
    site.clock.advance(dt.timedelta(minutes=30))
    ahead = site.submit("seminer", "Kompost Semineri", "Gelecek ay.\n", yer="Kültür Merkezi Küçük Salon",
                        baslangic="2026-12-16 14:00", bitis="2026-12-16 16:00", kayit_son="2026-12-14", **SEMINAR)
    site.approve(ahead.number)
    assert scheduler.run_once().published is not None
    held_page = "seminerler/2026/akilli-telefon-guvenligi-semineri/index.html"
    archive = "seminerler/2026/index.html"
    # the tiny site's own seminar (10 December, announced 10 November) is the oldest
    assert cards(site, archive) == [("Kompost Semineri", None), ("Akıllı Telefon Güvenliği Semineri", None),
                                    ("e-Devlet Kullanımı Semineri", None)]
    assert page(site, held_page).select_one(".calendar-link").get_text(strip=True) == "Takvime ekle (.ics)"
    home = page(site, "index.html").find("section", attrs={"aria-labelledby": "h-seminerler"})
    assert [a.get_text(strip=True) for a in home.select("li > a")] == ["Akıllı Telefon Güvenliği Semineri",
                                                                       "e-Devlet Kullanımı Semineri"]
    assert home.select_one(".calendar-link a")["href"] == "/seminerler.ics"

    site.clock.set(dt.datetime(2026, 11, 25, 15, 30, tzinfo=site.instance.tz))  # it ended half an hour ago
    assert scheduler.run_once().published is not None
    meta = "25 Kasım 2026 Çarşamba 13:00 · Belediye Konferans Salonu"
    assert cards(site, archive) == [("Kompost Semineri", None), ("e-Devlet Kullanımı Semineri", None),
                                    ("Akıllı Telefon Güvenliği Semineri", "Gerçekleşti")]
    held_card = page(site, archive).select("article.card")[2]
    assert " ".join(held_card.select_one(".meta").get_text(" ", strip=True).split()) == meta
    assert notice_of(site, held_page) == "Gerçekleşti. Bu seminer sona erdi."
    assert page(site, held_page).select_one(".calendar-link") is None
    home = page(site, "index.html").find("section", attrs={"aria-labelledby": "h-seminerler"})
    assert [a.get_text(strip=True) for a in home.select("li > a")] == ["e-Devlet Kullanımı Semineri",
                                                                       "Kompost Semineri"]
    assert_same_as_full_build(site, site.root.parent / "tam-1")
