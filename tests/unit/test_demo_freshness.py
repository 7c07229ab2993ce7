"""The demo site built on 1 December 2026, after two tax deadlines (30 November) and the İnönü Caddesi road works
(16–27 November) ended: nothing past looks current. Its feeds, parsed with feedparser, carry each notice's last
day and each seminar's date and place, with every link absolute."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import feedparser
import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from tests.tinysite import build
from tests.unit.test_demo_content import copy_demo

DECEMBER_FIRST = dt.datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/Istanbul"))
SITE = "http://127.0.0.1:8000"  # the demo's municipality.site_url


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    root = copy_demo(tmp_path_factory.mktemp("demo") / "corum")
    build(root, root.parent / "out", now=DECEMBER_FIRST)
    return root.parent / "out"


def soup(out: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def cards(out: Path, rel: str) -> list[tuple[str, str | None]]:
    return [(text(card.select_one(".card-title")), text(note) if (note := card.select_one(".past-note")) else None)
            for card in soup(out, rel).select("article.card")]


def test_passed_tax_deadlines_say_so_and_follow_the_current_one(out):
    assert cards(out, "mukellef-duyurulari/index.html") == [
        ("2025'te Edinilen Taşınmazlar İçin Emlak Vergisi Beyan Dönemi", None),
        ("İşyerleri İçin Çevre Temizlik Vergisi 2. Taksit Hatırlatması",
         "Son başvuru tarihi geçti: 30 Kasım 2026 Pazartesi"),
        ("Emlak Vergisi 2. Taksit Ödemesi İçin Son Gün 30 Kasım", "Son başvuru tarihi geçti: 30 Kasım 2026 Pazartesi"),
        ("Emlak Vergisi 1. Taksit Ödemeleri 1 Haziran'da Sona Eriyor",
         "Son başvuru tarihi geçti: 1 Haziran 2026 Pazartesi"),
        ("İlan ve Reklam Vergisi Beyan ve Ödeme Süresi", "Son başvuru tarihi geçti: 2 Şubat 2026 Pazartesi"),
        ("2025 Yılı Emlak Vergisi 2. Taksit Süresi 1 Aralık'ta Doluyor",
         "Son başvuru tarihi geçti: 1 Aralık 2025 Pazartesi"),
        ("2024 Yılı Emlak Vergisi 1. Taksit Ödemeleri Başladı", "Son başvuru tarihi geçti: 31 Mayıs 2024 Cuma")]
    # the home page lists only what a taxpayer can still pay (the section has the rest, marked)
    block = soup(out, "index.html").find("section", attrs={"aria-labelledby": "h-mukellef"})
    assert [text(li) for li in block.select("li")] == [
        "2025'te Edinilen Taşınmazlar İçin Emlak Vergisi Beyan Dönemi Son gün: 31 Aralık 2026 Perşembe"]
    page = soup(out, "mukellef-duyurulari/2026/emlak-vergisi-2-taksit-odemesi-icin-son-gun-30-kasim/index.html")
    assert text(page.select_one(".notice")) == "Son başvuru tarihi geçti: 30 Kasım 2026 Pazartesi"


def test_the_ended_road_works_are_not_the_top_announcement(out):
    works = "İnönü Caddesi'nde Yol Çalışması Nedeniyle Trafik Düzenlemesi"
    announcements = [title for title, _ in cards(out, "duyurular/index.html")]
    assert announcements[0] == "Kasım Ayı Olağan Meclis Toplantısı Gündemi"
    assert works not in announcements
    home = soup(out, "index.html").find("section", attrs={"aria-labelledby": "h-duyurular"})
    assert works not in text(home)
    page = soup(out, "duyurular/2026/inonu-caddesinde-yol-calismasi-nedeniyle-trafik-duzenlemesi/index.html")
    assert text(page.select_one(".notice-ended")).startswith("Yayın süresi doldu.")


def test_the_seminar_that_took_place_says_so_after_the_coming_ones(out):
    listed = cards(out, "seminerler/index.html")
    assert listed[-1] == ("Emekliler İçin Temel Bilgisayar ve Akıllı Telefon Kursu", "Gerçekleşti")
    assert [note for _, note in listed[:-1]] == [None] * 4
    card = soup(out, "seminerler/index.html").select("article.card")[-1]
    assert text(card.select_one(".meta")) == "1 Ekim 2024 Salı 14:00 · Kültür Merkezi Bilgisayar Sınıfı"


def test_a_seminar_page_links_its_own_calendar_and_the_lists_link_all_of_them(out):
    folder = "seminerler/2026/e-devlet-ve-e-belediye-hizmetleri-kullanim-semineri/"
    link = soup(out, folder + "index.html").select_one(".calendar-link a")
    assert (link.get_text(), link["href"], link["type"]) == ("Takvime ekle (.ics)", "takvim.ics", "text/calendar")
    [event] = Calendar.from_ical((out / folder / "takvim.ics").read_bytes()).walk("VEVENT")
    assert (str(event["SUMMARY"]), str(event["LOCATION"])) == ("e-Devlet ve e-Belediye Hizmetleri Kullanım Semineri",
                                                               "Belediye Konferans Salonu")
    assert event.decoded("DTSTART") == dt.datetime(2026, 12, 9, 10, 0, tzinfo=ZoneInfo("Europe/Istanbul"))
    for rel in ("index.html", "seminerler/index.html"):
        hrefs = [a["href"] for a in soup(out, rel).select(".calendar-link a")]
        assert hrefs == ["/seminerler.ics"], rel


def test_the_meta_line_keeps_a_space_on_both_sides_of_each_separator(out):
    meta = soup(out, "etiket/altyapi/2026/index.html").select(".card .meta")
    assert meta[0].get_text().split() == ["15", "Eylül", "2026", "Salı", "·", "Duyurular", "·", "Fen", "İşleri",
                                            "Müdürlüğü"]


def feeds(out: Path) -> dict[str, feedparser.FeedParserDict]:
    return {p.relative_to(out).as_posix(): feedparser.parse(p.read_bytes()) for p in sorted(out.rglob("atom.xml"))}


def test_every_feed_parses_and_every_link_in_it_is_absolute(out):
    parsed = feeds(out)
    assert sorted(parsed) == ["atom.xml", "duyurular/atom.xml", "faaliyet-raporlari/atom.xml", "haberler/atom.xml",
                              "mukellef-duyurulari/atom.xml", "seminerler/atom.xml"]
    links = 0
    for rel, feed in parsed.items():
        assert not feed.bozo, (rel, feed.get("bozo_exception"))
        assert feed.entries, rel
        for entry in feed.entries:
            assert entry.link.startswith(SITE + "/"), entry.link
            raw = [entry.summary] + [part.value for part in entry.get("content", [])]
            for html in raw:
                for node in BeautifulSoup(html, "html.parser").select("[href], [src]"):
                    address = node.get("href") or node.get("src")
                    assert urlsplit(address).scheme in ("http", "https", "mailto", "tel"), (rel, address)
                    links += 1
    assert links > 20
    # and in the file itself, before any resolving by the parser: no root-relative link is left
    for path in out.rglob("atom.xml"):
        assert not re.search(r'(href|src)=(&quot;|")/', path.read_text(encoding="utf-8")), path


def test_feed_entries_carry_deadlines_dates_and_places(out):
    parsed = feeds(out)
    entries = {e.title: e for e in parsed["mukellef-duyurulari/atom.xml"].entries}
    assert entries["2025'te Edinilen Taşınmazlar İçin Emlak Vergisi Beyan Dönemi"].summary == (
        "<p>2025 yılında taşınmaz edinen ya da yapısında değişiklik olan mükelleflerin beyan süresi 31 Aralık "
        "2026'da bitiyor.</p><p>Son başvuru tarihi: 31 Aralık 2026 Perşembe</p>")
    assert entries["Emlak Vergisi 2. Taksit Ödemesi İçin Son Gün 30 Kasım"].summary == (
        "<p>2026 yılı emlak vergisinin ikinci taksiti 30 Kasım 2026 Pazartesi gününe kadar ödenmelidir.</p>"
        "<p>Son başvuru tarihi geçti: 30 Kasım 2026 Pazartesi</p>")
    seminars = {e.title: e for e in parsed["seminerler/atom.xml"].entries}
    seminar = seminars["e-Devlet ve e-Belediye Hizmetleri Kullanım Semineri"]
    assert seminar.link == SITE + "/seminerler/2026/e-devlet-ve-e-belediye-hizmetleri-kullanim-semineri/"
    assert seminar.summary == (
        "<p>Borç sorgulama, online ödeme ve başvuruların internetten nasıl yapılacağı uygulamalı anlatılacak.</p>"
        "<p>Tarih: 9 Aralık 2026 Çarşamba 10:00–12:30</p><p>Yer: Belediye Konferans Salonu</p>")
    assert seminar.content[0].value.startswith(
        "<p>Tarih: 9 Aralık 2026 Çarşamba 10:00–12:30</p><p>Yer: Belediye Konferans Salonu</p>")
    assert seminars["Emekliler İçin Temel Bilgisayar ve Akıllı Telefon Kursu"].summary.endswith(
        "<p>Tarih: 1 Ekim 2024 Salı 14:00–16:00</p><p>Yer: Kültür Merkezi Bilgisayar Sınıfı</p><p>Gerçekleşti</p>")
    # the whole site's feed has the same entries' facts
    everything = {e.title: e for e in parsed["atom.xml"].entries}
    assert everything["e-Devlet ve e-Belediye Hizmetleri Kullanım Semineri"].summary == seminar.summary
