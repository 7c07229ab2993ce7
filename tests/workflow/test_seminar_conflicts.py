"""Seminar conflicts, through real intake, review and approval by logged-in staff: the same room or trainer at
overlapping times as another seminar, more places than the room has; all reported at once, in Turkish, naming
the other seminar by number and title. The receipt warns the department, review records the problems, and the
approval is refused until the seminar is moved."""

from __future__ import annotations

import pytest

from municms.actions.approve import approve
from municms.errors import ValidationError
from municms.item_checks import check_current
from municms.model import APPROVED, IN_REVIEW
from municms.seminar_checks import current_checks
from tests.municipality import submission_text

BASE = dict(egitmen="Mehmet Kaya", yer="Belediye Konferans Salonu", kontenjan=40,
            baslangic="2026-12-10 10:00", bitis="2026-12-10 12:30", kayit_son="2026-12-08")


def seminar(m, title: str, **changes):
    """A seminar registered through the Bilgi İşlem inbox; returns the intake result (receipt and warnings)."""
    seminar.dropped += 1
    result = m.drop("bilgi-islem", f"seminer-{seminar.dropped}.md", submission_text("seminer", title, "Eğitim.\n",
                                                                                   **{**BASE, **changes}))
    assert result.status == "registered", [p.__dict__ for p in result.problems]
    return result


seminar.dropped = 0


def to_review(m, number: str):
    m.assign(number, to="egitim1", by="mudur1")
    return m.review(number, by="egitim1")


def test_a_seminar_in_the_same_room_at_an_overlapping_time_is_reported_and_cannot_be_approved(municipality):
    m = municipality()
    first = seminar(m, "Temel Bilgisayar Semineri")
    assert [w for w in first.warnings if w.startswith("Seminer denetimi")] == []
    second = seminar(m, "e-Devlet Semineri", egitmen="Selin Aydoğan", baslangic="2026-12-10 12:00",
                     bitis="2026-12-10 14:00")
    expected = (f"Seminer denetimi: alan 'yer': 'yer': 'Belediye Konferans Salonu' aynı saatlerde {first.number} "
                "numaralı «Temel Bilgisayar Semineri» seminerinde kullanılıyor (10 Aralık 2026 Perşembe "
                "10:00–12:30). Bu düzeltilmeden içerik onaylanamaz.")
    assert [w for w in second.warnings if w.startswith("Seminer denetimi")] == [expected]
    assert second.receipt is not None and expected in second.receipt.read_text(encoding="utf-8")

    item = to_review(m, second.number)
    assert item.state == IN_REVIEW
    recorded = [e for e in m.ledger.events(item.id) if e.action == "start_review"][-1]
    assert [(c["field"], c["rule"], c["blocking"]) for c in recorded.data["checks"]] == [("yer", "seminar", True)]
    approver = m.actor("egitim2")  # logs in (added on first use)
    before = m.ledger.dump()
    with pytest.raises(ValidationError) as refused:
        approve(m.ledger, m.instance, second.number, approver, m.clock)
    assert [(p.field, p.message_tr) for p in refused.value.problems] == [
        ("yer", f"'yer': 'Belediye Konferans Salonu' aynı saatlerde {first.number} numaralı «Temel Bilgisayar "
                "Semineri» seminerinde kullanılıyor (10 Aralık 2026 Perşembe 10:00–12:30).")]
    assert m.ledger.dump() == before  # nothing recorded


def test_every_conflict_is_reported_at_once_and_a_seminar_that_ends_when_the_other_starts_is_not_one(municipality):
    m = municipality()
    first = seminar(m, "Temel Bilgisayar Semineri")
    after = seminar(m, "Öğleden Sonra Semineri", baslangic="2026-12-10 12:30", bitis="2026-12-10 15:00")
    assert [w for w in after.warnings if w.startswith("Seminer denetimi")] == []  # back to back: no conflict
    third = seminar(m, "Kalabalık Seminer", kontenjan=250, egitmen="MEHMET KAYA", baslangic="2026-12-10 09:00",
                    bitis="2026-12-10 11:00")
    lines = [w.removeprefix("Seminer denetimi: ") for w in third.warnings if w.startswith("Seminer denetimi")]
    assert lines == [
        "alan 'kontenjan': 'kontenjan' (250) 'Belediye Konferans Salonu' salonunun kapasitesinden (200 kişi) "
        "fazla. Bu düzeltilmeden içerik onaylanamaz.",
        f"alan 'yer': 'yer': 'Belediye Konferans Salonu' aynı saatlerde {first.number} numaralı «Temel Bilgisayar "
        "Semineri» seminerinde kullanılıyor (10 Aralık 2026 Perşembe 10:00–12:30). Bu düzeltilmeden içerik "
        "onaylanamaz.",
        f"alan 'egitmen': 'egitmen': MEHMET KAYA aynı saatlerde {first.number} numaralı «Temel Bilgisayar "
        "Semineri» seminerini veriyor (10 Aralık 2026 Perşembe 10:00–12:30). Bu düzeltilmeden içerik "
        "onaylanamaz."]


def test_a_withdrawn_or_rejected_seminar_frees_its_room_and_an_unknown_room_is_only_a_warning(municipality):
    m = municipality()
    first = seminar(m, "Temel Bilgisayar Semineri")
    second = seminar(m, "e-Devlet Semineri", egitmen="Selin Aydoğan")
    to_review(m, first.number)
    m.reject(first.number, by="egitim1", reason="Salon tadilatta.")
    item = to_review(m, second.number)
    assert current_checks(m.ledger, m.instance, item) == []
    assert approve(m.ledger, m.instance, second.number, m.actor("egitim2"), m.clock).state == APPROVED

    outside = seminar(m, "Park Semineri", yer="Gülabibey Parkı", baslangic="2027-01-05 10:00",
                      bitis="2027-01-05 11:00", kayit_son="2027-01-04")
    [warning] = [w for w in outside.warnings if w.startswith("Seminer denetimi")]
    assert warning.startswith("Seminer denetimi: alan 'yer': 'yer' alanındaki 'Gülabibey Parkı' tanımlı "
                              "salonlardan biri değil; kapasitesi ve erişilebilirliği denetlenemedi.")
    assert "onaylanamaz" not in warning
    to_review(m, outside.number)
    assert check_current(m.ledger, m.instance, m.ledger.item(outside.number)) == []
    assert approve(m.ledger, m.instance, outside.number, m.actor("egitim2"), m.clock).state == APPROVED


def test_moving_a_seminar_by_an_edit_clears_the_conflict(municipality):
    m = municipality()
    first = seminar(m, "Temel Bilgisayar Semineri")
    second = seminar(m, "e-Devlet Semineri", egitmen="Selin Aydoğan")
    to_review(m, second.number)
    moved = submission_text("seminer", "e-Devlet Semineri", "Eğitim.\n",
                            **{**BASE, "egitmen": "Selin Aydoğan", "yer": "meclis-salonu"})
    m.edit(second.number, moved, by="egitim1")
    assert current_checks(m.ledger, m.instance, m.ledger.item(second.number)) == []
    assert first.number != second.number
    assert approve(m.ledger, m.instance, second.number, m.actor("egitim2"), m.clock).state == APPROVED
