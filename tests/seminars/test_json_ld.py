"""A seminar's schema.org Event follows the register: open for registration (a free offer in stock until the
registration deadline), full (sold out), cancelled (EventCancelled, no offer) or postponed (EventRescheduled
with the earlier start); dates carry the time zone, the place its address."""

from __future__ import annotations

from municms.actions.seminar_registration import Person, register_citizen
from municms.actions.seminar_running import cancel_seminar, record_dates
from municms.scheduler import run_due
from tests.jsonld import jsonld_blocks
from tests.municipality import submission_text
from tests.seminars.conftest import BASE
from tests.seminars.test_public_page import page


def event(m, item) -> dict:
    return next(b for b in jsonld_blocks(str(page(m, item))) if b["@type"] == "Event")


def test_an_open_seminar_offers_free_places_then_sells_out(seminar_town):
    m, item = seminar_town()
    data = event(m, item)
    url = data["url"]
    assert url.startswith("https://www.deneme.bel.tr/seminerler/2026/") and url.endswith("/")
    assert {k: data[k] for k in ("name", "startDate", "endDate", "eventStatus", "location", "offers")} == {
        "name": "Temel Bilgisayar Semineri", "startDate": "2026-12-10T10:00:00+03:00",
        "endDate": "2026-12-10T12:30:00+03:00", "eventStatus": "https://schema.org/EventScheduled",
        "location": {"@type": "Place", "name": "Belediye Konferans Salonu",
                     "address": {"@type": "PostalAddress", "streetAddress": "Cumhuriyet Meydanı No: 1, Merkez",
                                 "addressLocality": "Deneme", "addressCountry": "TR"}},
        "offers": {"@type": "Offer", "price": "0", "priceCurrency": "TRY", "url": url,
                   "availability": "https://schema.org/InStock", "validThrough": "2026-12-08"}}
    assert data["organizer"]["name"] == "Deneme Belediyesi" and data["maximumAttendeeCapacity"] == 2
    for name, email in (("Ayşe Yılmaz", "ayse@example.org"), ("Işıl Çağlar", "isil@example.org")):
        register_citizen(m.ledger, m.instance, m.paths, m.clock, item.id, Person(name=name, email=email),
                         consent=True)
    run_due(m.ledger, m.instance, m.paths, m.clock)
    assert event(m, item)["offers"]["availability"] == "https://schema.org/SoldOut"


def test_a_cancelled_seminar_is_an_event_cancelled_without_an_offer(seminar_town):
    m, item = seminar_town()
    cancel_seminar(m.ledger, m.instance, m.paths, m.clock, m.actor("web1"), item.id, "Eğitmen rahatsız.")
    run_due(m.ledger, m.instance, m.paths, m.clock)
    data = event(m, item)
    assert data["eventStatus"] == "https://schema.org/EventCancelled" and "offers" not in data


def test_a_postponed_seminar_is_rescheduled_and_names_its_earlier_start(seminar_town):
    m, item = seminar_town()
    register_citizen(m.ledger, m.instance, m.paths, m.clock, item.id,
                     Person(name="Ayşe Yılmaz", email="ayse@example.org"), consent=True)
    moved = submission_text("seminer", "Temel Bilgisayar Semineri", "Uygulamalı eğitim.\n",
                            **{**BASE, "baslangic": "2026-12-17 10:00", "bitis": "2026-12-17 12:30",
                               "kayit_son": "2026-12-15"})
    m.edit(item.number, moved, by="web2")
    m.approve(item.number, by="web3")
    m.publish()
    assert record_dates(m.ledger, m.instance, m.paths, m.clock, item)
    run_due(m.ledger, m.instance, m.paths, m.clock)
    data = event(m, item)
    assert (data["eventStatus"], data["startDate"], data["previousStartDate"], data["endDate"]) == (
        "https://schema.org/EventRescheduled", "2026-12-17T10:00:00+03:00", "2026-12-10T10:00:00+03:00",
        "2026-12-17T12:30:00+03:00")
