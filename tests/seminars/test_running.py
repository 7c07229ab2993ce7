"""Running a seminar: a cancellation with a public reason told to every registrant, new dates through an
edit (review and four-eyes again) recorded as a postponement with places kept, attendance after the start."""

from __future__ import annotations

import datetime as dt

import pytest

from municms.actions.seminar_registration import Person, register_citizen
from municms.actions.seminar_running import cancel_seminar, mark_attendance, record_dates
from municms.clock import FixedClock
from municms.errors import PermissionDenied, ValidationError
from municms.model import CONFIRMED, WAITING
from municms.seminars.facts import CANCELLED, facts_of
from tests.municipality import submission_text
from tests.seminars.conftest import BASE


def people(m, item, *names):
    return [register_citizen(m.ledger, m.instance, m.paths, m.clock, item.id,
                             Person(name=n, email=f"kisi{i}@example.org"), consent=True).registration
            for i, n in enumerate(names)]


def test_a_cancelled_seminar_tells_everyone_its_public_reason_and_takes_no_more_registrations(seminar_town):
    m, item = seminar_town()
    people(m, item, "Ayşe Yılmaz", "Işıl Çağlar", "Ömer Şahin")  # two places, one waiting
    with pytest.raises(PermissionDenied):
        cancel_seminar(m.ledger, m.instance, m.paths, m.clock, m.actor("fen1"), item.id, "Eğitmen hasta.")
    with pytest.raises(ValidationError) as no_reason:
        cancel_seminar(m.ledger, m.instance, m.paths, m.clock, m.actor("web1"), item.id, "  ")
    assert [p.field for p in no_reason.value.problems] == ["gerekce"]
    facts = cancel_seminar(m.ledger, m.instance, m.paths, m.clock, m.actor("web1"), item.id,
                           "Eğitmenin rahatsızlığı nedeniyle.")
    assert (facts.phase, facts.notice.cancel_reason) == (CANCELLED, "Eğitmenin rahatsızlığı nedeniyle.")
    told = [(msg.recipient, msg.kind) for msg in m.ledger.messages() if msg.kind == "seminer-iptal"]
    assert told == [("kisi0@example.org", "seminer-iptal"), ("kisi1@example.org", "seminer-iptal"),
                    ("kisi2@example.org", "seminer-iptal")]
    assert "Gerekçe: Eğitmenin rahatsızlığı nedeniyle." in m.ledger.messages()[-1].body
    with pytest.raises(ValidationError) as refused:
        people(m, item, "Gül Ünal")
    assert [p.message_tr for p in refused.value.problems] == [
        "Bu seminer iptal edildi: Eğitmenin rahatsızlığı nedeniyle."]


def test_new_dates_go_through_review_again_and_are_recorded_as_a_postponement_with_places_kept(seminar_town):
    m, item = seminar_town()
    people(m, item, "Ayşe Yılmaz", "Işıl Çağlar", "Ömer Şahin")
    assert record_dates(m.ledger, m.instance, m.paths, m.clock, item) is False  # told dates = published ones
    moved = submission_text("seminer", "Temel Bilgisayar Semineri", "Uygulamalı eğitim.\n",
                            **{**BASE, "baslangic": "2026-12-17 10:00", "bitis": "2026-12-17 12:30",
                               "kayit_son": "2026-12-15"})
    m.edit(item.number, moved, by="web2")
    assert record_dates(m.ledger, m.instance, m.paths, m.clock, item) is False  # not published yet
    m.approve(item.number, by="web3")
    m.publish()
    assert record_dates(m.ledger, m.instance, m.paths, m.clock, item) is True
    assert record_dates(m.ledger, m.instance, m.paths, m.clock, item) is False  # once
    facts = facts_of(m.ledger, m.ledger.item(item.id), m.clock.now(), m.instance.tz)
    assert facts.postponed and facts.notice.postponed_from == (("2026-12-10T10:00:00+03:00",
                                                                "2026-12-10T12:30:00+03:00"),)
    assert [r.status for r in m.ledger.registrations(item.id)] == [CONFIRMED, CONFIRMED, WAITING]
    letters = [msg for msg in m.ledger.messages() if msg.kind == "tarih-degisti"]
    assert [msg.recipient for msg in letters] == ["kisi0@example.org", "kisi1@example.org", "kisi2@example.org"]
    assert "Önceki tarih: 10 Aralık 2026 Perşembe 10:00" in letters[0].body
    assert "Tarih: 17 Aralık 2026 Perşembe 10:00 – 12:30" in letters[0].body


def test_attendance_is_marked_after_the_start_for_confirmed_registrations_only(seminar_town):
    m, item = seminar_town()
    came, absent, waiting = people(m, item, "Ayşe Yılmaz", "Işıl Çağlar", "Ömer Şahin")
    with pytest.raises(ValidationError):  # before the start
        mark_attendance(m.ledger, m.instance, m.clock, m.actor("web1"), item.id, {came.id: True})
    m.clock = FixedClock(dt.datetime(2026, 12, 10, 12, 45, tzinfo=m.instance.tz))
    with pytest.raises(ValidationError) as not_confirmed:
        mark_attendance(m.ledger, m.instance, m.clock, m.actor("web1"), item.id, {waiting.id: True})
    assert not_confirmed.value.problems[0].message_tr == (
        f"Bu seminerde kesin kaydı olmayan kayıt numaraları: {waiting.id}.")
    marked = mark_attendance(m.ledger, m.instance, m.clock, m.actor("web1"), item.id,
                             {came.id: True, absent.id: False})
    assert [(r.name, r.attended) for r in marked] == [("Ayşe Yılmaz", True), ("Işıl Çağlar", False)]
    event = [e for e in m.ledger.events(item.id) if e.action == "seminar_attendance"][-1]
    assert (event.actor, event.data) == ("web1", {"attended": 1, "absent": 1})
