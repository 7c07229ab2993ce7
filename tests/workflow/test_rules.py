"""Rules beyond the table: four-eyes, two approvers, resubmission, scopes, reasons, notes, signals."""

from __future__ import annotations

import datetime as dt

import pytest

from municms import signals
from municms.actions.approve import approve
from municms.actions.assign import assign
from municms.actions.request_changes import change_request_path, request_changes
from municms.actions.resubmit import add_revision
from municms.actions.withdraw import withdraw
from municms.errors import NotFound, PermissionDenied, ValidationError
from municms.model import (APPROVED, ASSIGNED, BIRIM, CHANGES_REQUESTED, EDITOR, IN_REVIEW, MUDUR, PUBLISHED,
                           REGISTERED, WITHDRAWN, Revision)


def test_author_cannot_approve_own_item(ledger, instance, clock, item, user):
    editor = user(EDITOR)
    made = item(state=IN_REVIEW, author=editor.login)
    before = ledger.dump()
    with pytest.raises(PermissionDenied) as err:
        approve(ledger, instance, made.number, editor.login, clock)
    assert err.value.message_tr == "Kendi hazırladığınız içeriği onaylayamazsınız (dört göz ilkesi)."
    assert ledger.dump() == before


def test_last_editor_cannot_approve(ledger, instance, clock, item, user):
    editor = user(EDITOR)
    made = item(state=CHANGES_REQUESTED)
    with ledger.transaction() as tx:
        add_revision(tx, tx.item(made.id), Revision(body="Düzenlendi.", author=editor.login), "sistem", clock)
    before = ledger.dump()
    with pytest.raises(PermissionDenied) as err:
        approve(ledger, instance, made.number, editor.login, clock)
    assert err.value.message_tr == "İçeriği son düzenleyen kişi onu onaylayamaz (dört göz ilkesi)."
    assert ledger.dump() == before
    assert approve(ledger, instance, made.number, user(EDITOR).login, clock).state == APPROVED


def test_emergency_banner_needs_two_distinct_approvers(ledger, instance, clock, item, user):
    first, second = user(EDITOR), user(EDITOR)
    made = item(state=IN_REVIEW, tur="acil-duyuru")
    received = []

    def receiver(sender, item, event):
        received.append(item.state)

    with signals.item_approved.connected_to(receiver):
        after_first = approve(ledger, instance, made.number, first.login, clock)
        assert after_first.state == IN_REVIEW and received == []
        with pytest.raises(PermissionDenied) as err:
            approve(ledger, instance, made.number, first.login, clock)
        assert err.value.message_tr == "Bu sürümü zaten onayladınız; ikinci onay başka bir kişiden gelmelidir."
        after_second = approve(ledger, instance, made.number, second.login, clock)
        assert after_second.state == APPROVED and received == [APPROVED]
    assert ledger.approvals(made.id, 1) == [first.login, second.login]
    events = [(e.action, e.from_state, e.to_state, e.actor, e.data) for e in ledger.events(made.id)[1:]]
    assert events == [("approve", IN_REVIEW, IN_REVIEW, first.login, {"rev": 1, "approvals": 1}),
                      ("approve", IN_REVIEW, APPROVED, second.login, {"rev": 1, "approvals": 2})]


def test_resubmission_creates_revision_two_and_clears_approvals(ledger, instance, clock, item, user):
    made = item(state=IN_REVIEW, tur="acil-duyuru")
    approve(ledger, instance, made.number, user(EDITOR).login, clock)
    editor = user(EDITOR)
    request_changes(ledger, instance, made.number, editor.login, clock, reason="Tarih eksik.")
    clock.advance(dt.timedelta(hours=2))
    staff = user(BIRIM)
    with ledger.transaction() as tx:
        updated, event = add_revision(tx, tx.item(made.id), Revision(body="Tarih eklendi.", author=staff.login,
                                                                     source_name="duzeltme.md"),
                                      staff.login, clock, title="Işıklı Çarşı İhalesi (düzeltilmiş)")
    assert (updated.state, updated.current_rev, updated.title) == (IN_REVIEW, 2, "Işıklı Çarşı İhalesi (düzeltilmiş)")
    assert [r.rev for r in ledger.revisions(made.id)] == [1, 2]
    assert ledger.revisions(made.id)[1].created_at == clock.now()
    assert ledger.approvals(made.id, 2) == []
    assert (event.action, event.from_state, event.to_state, event.actor, event.data) == \
        ("resubmit", CHANGES_REQUESTED, IN_REVIEW, staff.login, {"rev": 2, "source_name": "duzeltme.md"})
    # the earlier approval was for revision 1: two fresh approvals are needed again
    assert approve(ledger, instance, made.number, editor.login, clock).state == IN_REVIEW


def test_department_staff_resubmit_only_their_own_items(ledger, clock, item, user):
    made = item(state=CHANGES_REQUESTED, department="fen-isleri")
    other = user(BIRIM, department="mali-hizmetler")
    before = ledger.dump()
    with pytest.raises(PermissionDenied) as err:
        with ledger.transaction() as tx:
            add_revision(tx, tx.item(made.id), Revision(body="x", author=other.login), other.login, clock)
    assert "başka bir müdürlüğe aittir" in err.value.message_tr
    assert ledger.dump() == before


def test_editor_acts_only_on_items_of_their_unit(ledger, instance, clock, item, user):
    made = item(state=IN_REVIEW, unit="egitim")
    editor = user(EDITOR, unit="web")
    before = ledger.dump()
    with pytest.raises(PermissionDenied) as err:
        approve(ledger, instance, made.number, editor.login, clock)
    assert err.value.message_tr == f"{made.number} 'egitim' biriminin işidir; siz 'web' biriminin editörüsünüz."
    assert ledger.dump() == before


def test_request_changes_needs_a_reason_and_writes_the_department_note(ledger, instance, paths, clock, item,
                                                                        user):
    made = item(state=IN_REVIEW)
    editor = user(EDITOR)
    before = ledger.dump()
    with pytest.raises(ValidationError) as err:
        request_changes(ledger, instance, made.number, editor.login, clock, reason="  ")
    assert err.value.message_tr == "değişiklik isteme için gerekçe zorunludur.".capitalize()
    assert ledger.dump() == before
    updated = request_changes(ledger, instance, made.number, editor.login, clock, reason="Fotoğraf eksik.")
    assert updated.state == CHANGES_REQUESTED
    note = change_request_path(paths, updated)
    assert note == paths.receipts / "fen-isleri" / "BİM-2026-000001.degisiklik.txt"
    text = note.read_text(encoding="utf-8")
    assert "Kayıt no   : BİM-2026-000001" in text and "Müdürlük   : Fen İşleri Müdürlüğü" in text
    assert "Gerekçe:\nFotoğraf eksik.\n" in text and text.endswith("kayit_no: BİM-2026-000001\n")
    assert "25 Kasım 2026 Çarşamba 12:00" in text


def test_withdrawing_published_content_stores_the_public_reason(ledger, instance, clock, item, user):
    made = item(state=PUBLISHED)
    editor = user(EDITOR)
    with pytest.raises(ValidationError):
        withdraw(ledger, instance, made.number, editor.login, clock)
    updated = withdraw(ledger, instance, made.number, editor.login, clock, reason="Etkinlik iptal edildi.")
    assert (updated.state, updated.public_reason, updated.closed_at) == \
        (WITHDRAWN, "Etkinlik iptal edildi.", clock.now())
    approved = item(state=APPROVED)
    assert withdraw(ledger, instance, approved.number, editor.login, clock).public_reason is None


def test_director_assigns_to_an_editor_of_an_editorial_unit(ledger, instance, clock, item, user):
    made = item(state=REGISTERED)
    director, editor, staff = user(MUDUR), user(EDITOR), user(BIRIM)
    before = ledger.dump()
    with pytest.raises(ValidationError) as err:
        assign(ledger, instance, made.number, director.login, clock, to=staff.login)
    assert err.value.problems[0].field == "to"
    with pytest.raises(NotFound):
        assign(ledger, instance, made.number, director.login, clock, to="yok")
    assert ledger.dump() == before
    updated = assign(ledger, instance, made.number, director.login, clock, to=editor.login)
    assert (updated.state, updated.assignee, updated.unit) == (ASSIGNED, editor.login, "web")
    assert ledger.events(made.id)[-1].data == {"assignee": editor.login}


def test_director_force_publish_needs_a_recorded_reason(ledger, instance, clock, item, user):
    from municms.actions._transition import run
    made = item(state=APPROVED)
    director = user(MUDUR)
    with pytest.raises(ValidationError):
        run(ledger, made.number, "publish", director.login, clock, None)
    updated = run(ledger, made.number, "publish", director.login, clock, None, reason="Acil kamu yararı.")
    assert updated.state == PUBLISHED
    assert ledger.events(made.id)[-1].reason == "Acil kamu yararı."


def test_inactive_or_unknown_actor_is_refused(ledger, instance, clock, item, user):
    made = item(state=IN_REVIEW)
    sleeper = user(EDITOR, active=False)
    with pytest.raises(PermissionDenied) as err:
        approve(ledger, instance, made.number, sleeper.login, clock)
    assert err.value.message_tr == f"'{sleeper.login}' kullanıcısı devre dışı bırakılmış."
    with pytest.raises(NotFound) as err:
        approve(ledger, instance, made.number, "hayalet", clock)
    assert err.value.message_tr == "'hayalet' adlı kullanıcı bulunamadı."
