"""Registering for a seminar, through the same actions the public form and the editorial app call: places
first come first served, then the waiting list; a cancelled place goes to the first on the list; the
deadline, a cancelled seminar and a staff-only seminar refuse in Turkish; nothing personal in events."""

from __future__ import annotations

import datetime as dt

import pytest

from municms.actions.seminar_registration import (Person, cancel_by_link, cancel_by_staff, register_citizen,
                                                  register_staff)
from municms.errors import NotFound, PermissionDenied, ValidationError
from municms.model import CANCELLED, CONFIRMED, WAITING
from municms.seminars.facts import FULL, OPEN, facts_of
from municms.clock import FixedClock
from tests.municipality import submission_text
from tests.seminars.conftest import BASE


def citizen(m, item, name, email=None, phone=None, consent=True):
    return register_citizen(m.ledger, m.instance, m.paths, m.clock, item.id,
                            Person(name=name, email=email or "", phone=phone or ""), consent=consent)


def test_places_then_waiting_list_then_a_cancellation_moves_the_first_waiting_up(seminar_town):
    m, item = seminar_town()
    first = citizen(m, item, "Ayşe Yılmaz", "ayse@example.org")
    second = citizen(m, item, "Işıl Çağlar", phone="0364 213 45 67")
    third = citizen(m, item, "Ömer Şahin", "omer@example.org")
    fourth = citizen(m, item, "Gül Ünal", "gul@example.org")
    assert [r.registration.status for r in (first, second, third, fourth)] == [CONFIRMED, CONFIRMED, WAITING,
                                                                              WAITING]
    assert (second.facts.phase, second.facts.remaining) == (FULL, 0)

    token = first.cancel_link.rsplit("anahtar=", 1)[1]
    reg, moved = cancel_by_link(m.ledger, m.instance, m.paths, m.clock, item.id, token)
    assert reg.status == CANCELLED
    assert [r.name for r in moved] == ["Ömer Şahin"]
    statuses = {r.name: r.status for r in m.ledger.registrations(item.id)}
    assert statuses == {"Ayşe Yılmaz": CANCELLED, "Işıl Çağlar": CONFIRMED, "Ömer Şahin": CONFIRMED,
                        "Gül Ünal": WAITING}
    kinds = [(msg.recipient, msg.kind) for msg in m.ledger.messages()]
    assert kinds == [("ayse@example.org", "onay"), ("omer@example.org", "yedek"), ("gul@example.org", "yedek"),
                     ("ayse@example.org", "kayit-iptal"), ("omer@example.org", "yedekten-kesine")]
    # the register's events name registrations by number only: no name, e-mail or phone
    events = [e for e in m.ledger.events(item.id) if e.action.startswith("seminar_")]
    assert [e.action for e in events] == ["seminar_register"] * 4 + ["seminar_unregister", "seminar_move_up"]
    assert not any(word in repr(events) for word in ("Ayşe", "ayse@", "0364", "Ömer"))


def test_the_same_person_twice_and_bad_details_are_refused_with_every_problem_at_once(seminar_town):
    m, item = seminar_town()
    citizen(m, item, "Ayşe Yılmaz", "Ayse@Example.org")
    with pytest.raises(ValidationError) as twice:
        citizen(m, item, "Ayşe Y.", "ayse@example.org")
    assert [(p.field, p.message_tr) for p in twice.value.problems] == [
        ("eposta", "Bu seminere bu iletişim bilgisiyle zaten kayıt yapılmış.")]
    with pytest.raises(ValidationError) as bad:
        citizen(m, item, "A", "not-an-address", "12")
    assert [p.field for p in bad.value.problems] == ["ad", "eposta", "telefon"]
    with pytest.raises(ValidationError) as no_consent:
        citizen(m, item, "Ali Veli", "ali@example.org", consent=False)
    assert [p.field for p in no_consent.value.problems] == ["onay"]
    assert len(m.ledger.registrations(item.id)) == 1


def test_after_the_deadline_registration_is_refused_in_turkish(seminar_town):
    m, item = seminar_town()
    m.clock = FixedClock(dt.datetime(2026, 12, 9, 0, 0, 1, tzinfo=m.instance.tz))
    with pytest.raises(ValidationError) as late:
        citizen(m, item, "Ayşe Yılmaz", "ayse@example.org")
    assert [(p.field, p.message_tr) for p in late.value.problems] == [
        ("seminer", "Bu seminerin kayıt süresi doldu (son gün 8 Aralık 2026).")]
    m.clock = FixedClock(dt.datetime(2026, 12, 8, 23, 59, tzinfo=m.instance.tz))
    assert citizen(m, item, "Ayşe Yılmaz", "ayse@example.org").registration.status == CONFIRMED


def test_a_staff_only_seminar_does_not_exist_for_the_public_form_but_takes_staff(seminar_town):
    m, item = seminar_town(hedef_kitle="belediye personeli")
    with pytest.raises(NotFound):
        citizen(m, item, "Ayşe Yılmaz", "ayse@example.org")
    reg = register_staff(m.ledger, m.instance, m.paths, m.clock, m.actor("fen1"), item.id,
                         Person(name="Hasan Kara", department="fen-isleri")).registration
    assert (reg.status, reg.audience, reg.department, reg.registered_by) == (CONFIRMED, "personel", "fen-isleri",
                                                                             "fen1")
    with pytest.raises(PermissionDenied):  # department staff register their own department only
        register_staff(m.ledger, m.instance, m.paths, m.clock, m.actor("fen1"), item.id,
                       Person(name="Zehra Ak", department="mali-hizmetler"))
    with pytest.raises(PermissionDenied):  # nor take another department's registration back
        cancel_by_staff(m.ledger, m.instance, m.paths, m.clock, m.actor("mali1"), reg.id)
    reg, moved = cancel_by_staff(m.ledger, m.instance, m.paths, m.clock, m.actor("web1"), reg.id, "Görevli.")
    assert (reg.status, moved) == (CANCELLED, [])
    assert facts_of(m.ledger, item, m.clock.now(), m.instance.tz).phase == OPEN


def test_a_published_seminar_being_edited_takes_registrations_and_a_withdrawn_one_does_not(seminar_town):
    m, item = seminar_town()
    edited = submission_text("seminer", "Temel Bilgisayar Semineri", "Yeni metin.\n", **BASE)
    assert m.edit(item.number, edited, by="web2").state == "in_review"
    assert citizen(m, item, "Ayşe Yılmaz", "ayse@example.org").registration.status == CONFIRMED
    m.withdraw(item.number, by="web1", reason="Salon onarımda.")
    with pytest.raises(ValidationError) as refused:
        citizen(m, item, "Işıl Çağlar", "isil@example.org")
    assert [p.message_tr for p in refused.value.problems] == ["Bu seminer yayından kaldırıldı; kayıt alınmıyor."]


def test_the_form_s_rate_limit_comes_from_instance_yaml(municipality):
    from municms.actions.seminar_registration import note_form_attempt
    from municms.config import load_instance
    from municms.errors import RateLimited

    m = municipality()
    path = m.root / "instance.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("form_posts_per_10_minutes: 5",
                                                             "form_posts_per_10_minutes: 3"), encoding="utf-8")
    limit = load_instance(m.root).seminars.form_posts_per_10_minutes
    assert limit == 3
    for _ in range(3):
        note_form_attempt(m.ledger, m.clock, "kayit:a", limit)
    with pytest.raises(RateLimited) as refused:
        note_form_attempt(m.ledger, m.clock, "kayit:a", limit)
    assert refused.value.message_tr == ("Kısa sürede çok fazla kayıt denemesi yapıldı. Lütfen 10 dakika sonra "
                                        "yeniden deneyin.")
    note_form_attempt(m.ledger, m.clock, "kayit:b", limit)   # another sender is not held back
    m.clock.set(m.clock.now() + dt.timedelta(minutes=10, seconds=1))
    note_form_attempt(m.ledger, m.clock, "kayit:a", limit)   # and the window passes
