"""Rules beyond the table: four-eyes, two approvers, resubmission, scopes, reasons, notes, signals.

Items come from real intake (their author is `birim:<department>`, as production writes it) and every
person acts after a real login."""

from __future__ import annotations

import datetime as dt

import pytest

from municms import auth, signals
from municms.actions.approve import approve
from municms.actions.assign import assign
from municms.actions.publish import publish
from municms.actions.request_changes import change_request_path, request_changes
from municms.actions.resubmit import add_revision
from municms.actions.users import add_user, deactivate_user
from municms.actions.withdraw import withdraw
from municms.errors import NotFound, PermissionDenied, ValidationError
from municms.model import (APPROVED, ASSIGNED, CHANGES_REQUESTED, IN_REVIEW, PUBLISHED, WITHDRAWN,
                           Revision)
from tests.municipality import PASSWORD, submission_text
from tests.workflow.reach import reach

FOUR_EYES_REVIEWER = ("İçeriği incelemeye alan kişi onu onaylayamaz; onay başka bir kişiden gelmelidir "
                      "(dört göz ilkesi).")


def in_review(m, tur: str = "duyuru", title: str = "Işıklı Çarşı İhalesi", **front):
    """A submission of fen-isleri, assigned by mudur1 to web1 and taken into review by web1."""
    item = m.submit(tur, title, **front)
    m.assign(item.number, to="web1", by="mudur1")
    return m.review(item.number, by="web1")


def resubmit(m, item, name: str = "duzeltme.md", title: str | None = None, body: str = "Tarih eklendi.\n", **front):
    """The department drops its corrected file naming the item (`kayit_no`); intake makes revision N+1."""
    text = submission_text(item.tur, title or item.title, body, kayit_no=item.number, **front)
    return m.drop(item.department, name, text)


def test_the_department_that_wrote_an_item_cannot_approve_it(municipality):
    m = municipality()
    made = in_review(m)
    assert made.author == "birim:fen-isleri" and m.ledger.revisions(made.id)[0].author == "birim:fen-isleri"
    staff, admin = m.actor("fen1"), m.actor("yonetici1")
    before = m.ledger.dump()
    with pytest.raises(PermissionDenied) as err:  # its staff have no right to approve anything
        approve(m.ledger, m.instance, made.number, staff, m.clock)
    assert err.value.message_tr == "Onaylama yetkiniz yok (birim personeli: fen1)."
    assert m.ledger.dump() == before
    # and nobody can log in as the author intake records: it is not a login
    with pytest.raises(ValidationError) as err:
        add_user(m.ledger, m.instance, "birim:fen-isleri", "editor", PASSWORD, admin, m.clock, unit="web")
    assert [p.field for p in err.value.problems] == ["login"]
    assert m.ledger.dump() == before


def test_the_reviewer_cannot_approve_even_a_later_revision(municipality):
    m = municipality()
    made = in_review(m)
    assert made.reviewer == "web1"
    before = m.ledger.dump()
    with pytest.raises(PermissionDenied) as err:
        approve(m.ledger, m.instance, made.number, m.actor("web1"), m.clock)
    assert err.value.message_tr == FOUR_EYES_REVIEWER
    assert m.ledger.dump() == before
    m.request_changes(made.number, by="web1")
    assert resubmit(m, made).status == "resubmitted"
    assert m.ledger.item(made.number).current_rev == 2
    before = m.ledger.dump()
    with pytest.raises(PermissionDenied) as err:
        approve(m.ledger, m.instance, made.number, m.actor("web1"), m.clock)
    assert err.value.message_tr == FOUR_EYES_REVIEWER
    assert m.ledger.dump() == before
    assert approve(m.ledger, m.instance, made.number, m.actor("web2"), m.clock).state == APPROVED


def test_emergency_banner_needs_two_distinct_approvers(municipality):
    m = municipality()
    made = in_review(m, "acil-duyuru", "Acil: Merkez İlçede Su Kesintisi", bitis="2026-11-27 18:00")
    first, second = m.actor("web2"), m.actor("web3")
    received = []

    def receiver(sender, item, event):
        received.append(item.state)

    with signals.item_approved.connected_to(receiver):
        after_first = approve(m.ledger, m.instance, made.number, first, m.clock)
        assert after_first.state == IN_REVIEW and received == []
        with pytest.raises(PermissionDenied) as err:
            approve(m.ledger, m.instance, made.number, first, m.clock)
        assert err.value.message_tr == "Bu sürümü zaten onayladınız; ikinci onay başka bir kişiden gelmelidir."
        with pytest.raises(PermissionDenied) as err:  # neither approver may be the reviewer
            approve(m.ledger, m.instance, made.number, m.actor("web1"), m.clock)
        assert err.value.message_tr == FOUR_EYES_REVIEWER
        after_second = approve(m.ledger, m.instance, made.number, second, m.clock)
        assert after_second.state == APPROVED and received == [APPROVED]
    assert m.ledger.approvals(made.id, 1) == ["web2", "web3"]
    events = [(e.action, e.from_state, e.to_state, e.actor, e.data) for e in m.ledger.events(made.id)[3:]]
    assert events == [("approve", IN_REVIEW, IN_REVIEW, "web2", {"rev": 1, "approvals": 1}),
                      ("approve", IN_REVIEW, APPROVED, "web3", {"rev": 1, "approvals": 2})]


def test_resubmission_creates_revision_two_and_clears_approvals(municipality):
    m = municipality()
    made = in_review(m, "acil-duyuru", "Acil: Merkez İlçede Su Kesintisi", bitis="2026-11-27 18:00")
    m.approve(made.number, by="web2")
    m.request_changes(made.number, by="web1", reason="Tarih eksik.")
    m.clock.advance(dt.timedelta(hours=2))
    result = resubmit(m, made, title="Acil: Merkez İlçede Su Kesintisi (düzeltilmiş)", bitis="2026-11-27 20:00")
    assert (result.status, result.number, result.rev) == ("resubmitted", made.number, 2)
    updated = m.ledger.item(made.number)
    assert (updated.state, updated.current_rev, updated.title) == \
        (IN_REVIEW, 2, "Acil: Merkez İlçede Su Kesintisi (düzeltilmiş)")
    revisions = m.ledger.revisions(made.id)
    assert [(r.rev, r.author, r.source_name) for r in revisions] == \
        [(1, "birim:fen-isleri", "gonderi-1.md"), (2, "birim:fen-isleri", "duzeltme.md")]
    assert revisions[1].created_at == m.clock.now()
    assert m.ledger.approvals(made.id, 2) == []
    event = m.ledger.events(made.id)[-1]
    assert (event.action, event.from_state, event.to_state, event.actor, event.data) == \
        ("resubmit", CHANGES_REQUESTED, IN_REVIEW, "sistem", {"rev": 2, "source_name": "duzeltme.md", "via": "kayıt"})
    # the earlier approval was for revision 1: two fresh approvals are needed again, and web2 may give one
    assert approve(m.ledger, m.instance, made.number, m.actor("web2"), m.clock).state == IN_REVIEW


def test_department_staff_resubmit_only_their_own_items(municipality):
    m = municipality()
    made = in_review(m)
    m.request_changes(made.number, by="web1")
    other = m.actor("mali1")
    before = m.ledger.dump()
    # through the inbox: another department's file naming the item is quarantined
    result = resubmit(m, made.with_changes(department="mali-hizmetler"), name="baskasi.md")
    assert result.status == "quarantined" and result.problems[0].field == "kayit_no"
    assert result.problems[0].message_tr == (
        f"'{made.number}' numaralı kayıt müdürlüğünüzün kayıtları arasında bulunamadı; kayit_no yalnız kendi "
        "müdürlüğünüzün bir kaydını gösterebilir.")
    assert "fen-isleri" not in result.report.read_text(encoding="utf-8")
    assert m.ledger.dump() == before
    # and the table's own scope: a logged-in staff member of another department may not resubmit it
    with pytest.raises(PermissionDenied) as err:
        with m.ledger.transaction() as tx:
            add_revision(tx, tx.item(made.id), Revision(body="x", author="birim:mali-hizmetler"),
                         other, m.clock)
    assert err.value.message_tr == (f"{made.number} başka bir müdürlüğe aittir; yalnız kendi müdürlüğünüzün "
                                    "kayıtlarında işlem yapabilirsiniz.")
    assert m.ledger.dump() == before


def test_editor_acts_only_on_items_of_their_unit(municipality):
    m = municipality()
    made = m.submit("seminer", "Temel Bilgisayar Semineri", egitmen="Mehmet Kaya", yer="Konferans Salonu", kontenjan=40,
                    baslangic="2026-12-10 10:00", bitis="2026-12-10 12:30")
    assert made.unit == "egitim"
    m.assign(made.number, to="egitim1", by="mudur1")
    m.review(made.number, by="egitim1")
    web_editor = m.actor("web2")
    before = m.ledger.dump()
    with pytest.raises(PermissionDenied) as err:
        approve(m.ledger, m.instance, made.number, web_editor, m.clock)
    assert err.value.message_tr == f"{made.number} 'egitim' biriminin işidir; siz 'web' biriminin editörüsünüz."
    assert m.ledger.dump() == before
    assert approve(m.ledger, m.instance, made.number, m.actor("egitim2"), m.clock).state == APPROVED


def test_request_changes_needs_a_reason_and_writes_the_department_note(municipality):
    m = municipality()
    made = in_review(m)
    before = m.ledger.dump()
    with pytest.raises(ValidationError) as err:
        request_changes(m.ledger, m.instance, made.number, m.actor("web1"), m.clock, reason="  ")
    assert err.value.message_tr == "değişiklik isteme için gerekçe zorunludur.".capitalize()
    assert m.ledger.dump() == before
    updated = request_changes(m.ledger, m.instance, made.number, m.actor("web1"), m.clock, reason="Fotoğraf eksik.")
    assert updated.state == CHANGES_REQUESTED
    note = change_request_path(m.paths, updated)
    assert note == m.paths.receipts / "fen-isleri" / "BİM-2026-000001.degisiklik.txt"
    text = note.read_text(encoding="utf-8")
    assert "Kayıt no   : BİM-2026-000001" in text and "Müdürlük   : Fen İşleri Müdürlüğü" in text
    assert "İsteyen    : web1" in text
    assert "Gerekçe:\nFotoğraf eksik.\n" in text and text.endswith("kayit_no: BİM-2026-000001\n")
    assert "25 Kasım 2026 Çarşamba 12:00" in text


def test_withdrawing_published_content_stores_the_public_reason(municipality):
    m = municipality(site="tiny")
    [made] = reach(m, PUBLISHED)
    editor = m.actor("web3")
    with pytest.raises(ValidationError):
        withdraw(m.ledger, m.instance, made.number, editor, m.clock)
    updated = withdraw(m.ledger, m.instance, made.number, editor, m.clock, reason="Etkinlik iptal edildi.")
    assert (updated.state, updated.public_reason, updated.closed_at) == \
        (WITHDRAWN, "Etkinlik iptal edildi.", m.clock.now())
    [approved] = reach(m, APPROVED)
    assert withdraw(m.ledger, m.instance, approved.number, editor, m.clock).public_reason is None


def test_director_assigns_to_an_editor_of_an_editorial_unit(municipality):
    m = municipality()
    made = m.submit("duyuru", "Işıklı Çarşı İhalesi")
    director, editor = m.actor("mudur1"), m.actor("web2")
    m.person("fen1"), m.person("web1")
    before = m.ledger.dump()
    with pytest.raises(ValidationError) as err:
        assign(m.ledger, m.instance, made.number, director, m.clock, to="fen1")
    assert err.value.problems[0].field == "to"
    with pytest.raises(NotFound):
        assign(m.ledger, m.instance, made.number, director, m.clock, to="yok")
    with pytest.raises(PermissionDenied) as err:  # havale is the director's
        assign(m.ledger, m.instance, made.number, editor, m.clock, to="web1")
    assert err.value.message_tr == "Havale yetkiniz yok (editör: web2)."
    assert m.ledger.dump() == before
    updated = assign(m.ledger, m.instance, made.number, director, m.clock, to="web1")
    assert (updated.state, updated.assignee, updated.unit) == (ASSIGNED, "web1", "web")
    assert m.ledger.events(made.id)[-1].data == {"assignee": "web1"}


def test_director_force_publish_needs_a_recorded_reason(municipality):
    m = municipality(site="tiny")
    [made] = reach(m, APPROVED)
    director = m.actor("mudur1")
    before = m.ledger.dump()
    with pytest.raises(ValidationError) as err:
        publish(m.ledger, m.instance, m.paths, m.clock, director)
    assert err.value.message_tr == "Yayımlama için gerekçe zorunludur."
    assert m.ledger.dump() == before and not m.paths.current.exists()
    result = publish(m.ledger, m.instance, m.paths, m.clock, director, reason="Acil kamu yararı.")
    assert result.items == [made.number] and m.ledger.item(made.number).state == PUBLISHED
    event = m.ledger.events(made.id)[-1]
    assert (event.action, event.actor, event.reason) == ("publish", "mudur1", "Acil kamu yararı.")


def test_inactive_unknown_or_unproven_actor_is_refused(municipality):
    m = municipality()
    made = in_review(m)
    sleeper = m.actor("web3")  # logged in before a yonetici deactivated the account
    deactivate_user(m.ledger, "web3", m.actor("yonetici1"), m.clock)
    before = m.ledger.dump()
    with pytest.raises(PermissionDenied) as err:
        approve(m.ledger, m.instance, made.number, sleeper, m.clock)
    assert err.value.message_tr == "'web3' kullanıcısı devre dışı bırakılmış."
    assert m.ledger.dump() == before
    for login in ("web3", "hayalet"):  # nor can an inactive or unknown login log in
        with pytest.raises(auth.AuthenticationFailed) as err:
            auth.login_with_password(m.ledger, login, PASSWORD, m.clock)
        assert err.value.message_tr == "Kullanıcı adı ya da parola hatalı."
    assert [(e.actor, e.action) for e in m.ledger.events()[-2:]] == [("web3", "login_failed"),
                                                                     ("hayalet", "login_failed")]
    # a bare login, or an Actor not made by municms.auth, is refused before anything is read
    m.person("web2")
    before = m.ledger.dump()
    for unproven in ("web2", auth.Actor("web2", "password")):
        with pytest.raises(PermissionDenied) as err:
            approve(m.ledger, m.instance, made.number, unproven, m.clock)
        assert err.value.message_tr.startswith("Kimliği doğrulanmamış bir işlem reddedildi")
    assert m.ledger.dump() == before
