"""A seminar's public page and calendar follow the register: places left after every registration (the
scheduler publishes again), a cancellation with its reason and STATUS:CANCELLED, a postponement with the
earlier date and the same calendar UID; staff-only seminars and closed registrations get no form."""

from __future__ import annotations

import datetime as dt

from bs4 import BeautifulSoup
from icalendar import Calendar

from municms.actions.seminar_registration import Person, register_citizen
from municms.actions.seminar_running import cancel_seminar, record_dates
from municms.clock import FixedClock
from municms.scheduler import run_due
from tests.municipality import submission_text
from tests.seminars.conftest import BASE


def page(m, item) -> BeautifulSoup:
    item = m.ledger.item(item.id)
    events = [e for e in m.ledger.events(item.id) if e.action == "publish"]
    url = events[-1].data["url"].strip("/")
    return BeautifulSoup((m.paths.current / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def calendar(m, item):
    item = m.ledger.item(item.id)
    url = [e for e in m.ledger.events(item.id) if e.action == "publish"][-1].data["url"].strip("/")
    return [c for c in Calendar.from_ical((m.paths.current / url / "takvim.ics").read_bytes()).walk("VEVENT")][0]


def places(soup) -> str:
    terms = soup.select("dl.facts dt")
    return next(t.find_next_sibling("dd").get_text(" ", strip=True) for t in terms if t.get_text() == "Kontenjan")


def register(m, item, name, email):
    return register_citizen(m.ledger, m.instance, m.paths, m.clock, item.id, Person(name=name, email=email),
                            consent=True)


def test_places_left_follow_every_registration_through_the_scheduler(seminar_town):
    m, item = seminar_town()
    assert places(page(m, item)) == "2 kişi (kalan yer: 2)"
    register(m, item, "Ayşe Yılmaz", "ayse@example.org")
    assert run_due(m.ledger, m.instance, m.paths, m.clock).published is not None
    assert places(page(m, item)) == "2 kişi (kalan yer: 1)"
    register(m, item, "Işıl Çağlar", "isil@example.org")
    register(m, item, "Ömer Şahin", "omer@example.org")
    run_due(m.ledger, m.instance, m.paths, m.clock)
    assert places(page(m, item)) == "2 kişi (kontenjan doldu; yedek listede 1 kişi)"
    assert run_due(m.ledger, m.instance, m.paths, m.clock).published is None  # nothing changed: no publish


def test_a_cancelled_seminar_says_so_with_its_reason_on_its_page_card_and_calendar(seminar_town):
    m, item = seminar_town()
    uid = str(calendar(m, item)["uid"])
    cancel_seminar(m.ledger, m.instance, m.paths, m.clock, m.actor("web1"), item.id, "Eğitmen <b>rahatsız</b>.")
    run_due(m.ledger, m.instance, m.paths, m.clock)
    notice = page(m, item).select_one("p.notice-ended")
    assert notice.get_text(" ", strip=True) == "Bu seminer iptal edildi. Gerekçe: Eğitmen <b>rahatsız</b>."
    assert notice.find("b") is None  # the reason is text
    assert places(page(m, item)) == "2 kişi"
    event = calendar(m, item)
    assert (str(event["uid"]), str(event["status"]), str(event["summary"])) == (
        uid, "CANCELLED", "İptal edildi: Temel Bilgisayar Semineri")
    listing = BeautifulSoup((m.paths.current / "seminerler" / "index.html").read_text(encoding="utf-8"),
                            "html.parser")
    card = next(c for c in listing.select("article.card") if "Temel Bilgisayar Semineri" in c.get_text())
    assert card.select_one("p.deadline").get_text(strip=True) == "İptal edildi"


def test_a_postponed_seminar_shows_the_earlier_date_and_keeps_its_calendar_uid(seminar_town):
    m, item = seminar_town()
    uid = str(calendar(m, item)["uid"])
    register(m, item, "Ayşe Yılmaz", "ayse@example.org")
    moved = submission_text("seminer", "Temel Bilgisayar Semineri", "Uygulamalı eğitim.\n",
                            **{**BASE, "baslangic": "2026-12-17 10:00", "bitis": "2026-12-17 12:30",
                               "kayit_son": "2026-12-15"})
    m.edit(item.number, moved, by="web2")
    m.approve(item.number, by="web3")
    m.publish()
    assert record_dates(m.ledger, m.instance, m.paths, m.clock, item)
    run_due(m.ledger, m.instance, m.paths, m.clock)
    notice = page(m, item).select_one("p.notice-changed")
    assert " ".join(notice.get_text(" ", strip=True).split()) == (
        "Bu seminer ertelendi. Önceki tarih: 10 Aralık 2026 Perşembe 10:00 ; yeni tarih aşağıdadır. "
        "Yapılmış kayıtlar geçerlidir.")
    event = calendar(m, item)
    assert str(event["uid"]) == uid
    assert event.decoded("dtstart") == dt.datetime(2026, 12, 17, 10, 0, tzinfo=m.instance.tz)


def test_after_the_deadline_the_scheduler_publishes_again_and_the_page_takes_no_registrations(seminar_town):
    m, item = seminar_town()
    assert "kalan yer" in places(page(m, item))
    m.clock = FixedClock(dt.datetime(2026, 12, 9, 0, 5, tzinfo=m.instance.tz))
    assert run_due(m.ledger, m.instance, m.paths, m.clock).published is not None
    assert places(page(m, item)) == "2 kişi"
    texts = [text for path in m.paths.content.rglob("*.md")
             if item.number in (text := path.read_text(encoding="utf-8"))]
    assert len(texts) == 1 and "Kayit_durumu: kapandi" in texts[0] and "Kayit_formu" not in texts[0]
