"""An editor's edit is a revision like a department's: same parser and messages, four-eyes on approval, the
edit lock respected, published content going through review again (never changed in place)."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest

from municms.actions.comments import add_comment, item_comments
from municms.actions.edit_lock import release_edit_lock, take_edit_lock
from municms.errors import ConflictError, InvalidTransition, NotFound, PermissionDenied, ValidationError
from municms.model import IN_REVIEW, PUBLISHED, REGISTERED
from tests.municipality import submission_text

@contextlib.contextmanager
def refused(kind, turkish: str):
    """The action raises `kind` and its Turkish message (the one users read) says `turkish`."""
    with pytest.raises(kind) as caught:
        yield
    error = caught.value
    said = " ".join([error.message_tr, *(p.message_tr for p in getattr(error, "problems", []))])
    assert turkish in said, said


EDITED = submission_text("duyuru", "Su Kesintisi (güncellendi)", "Kesinti **saat 14.00'te** bitecek.\n")


@pytest.fixture
def town(municipality):
    m = municipality()
    item = m.submit("duyuru", "Su Kesintisi", "Kesinti saat 12.00'de bitecek.\n")
    m.assign(item.number, to="web1")
    m.review(item.number, by="web1")
    return m, item.number


def test_an_edit_is_a_new_revision_by_the_editor_with_one_event(town):
    m, number = town
    item = m.edit(number, EDITED, by="web2")
    assert (item.state, item.current_rev, item.title, item.reviewer) == (IN_REVIEW, 2, "Su Kesintisi (güncellendi)",
                                                                         "web1")
    revision = m.ledger.revision(item.id, 2)
    assert (revision.author, revision.body) == ("web2", "Kesinti **saat 14.00'te** bitecek.\n")
    assert (m.paths.registered / revision.stored_dir / "index.md").is_file()
    event = m.ledger.events(item.id)[-1]
    assert (event.action, event.actor, event.from_state, event.to_state, event.data) == (
        "edit", "web2", IN_REVIEW, IN_REVIEW, {"rev": 2, "from_rev": 1})


def test_the_editor_of_a_revision_cannot_approve_it(town):
    m, number = town
    m.edit(number, EDITED, by="web2")
    with refused(PermissionDenied, "düzenleyen kişi onu onaylayamaz"):
        m.approve(number, by="web2")
    with refused(PermissionDenied, "incelemeye alan kişi"):
        m.approve(number, by="web1")
    assert m.approve(number, by="web3").state == "approved"


def test_an_editor_stays_barred_after_the_department_answers_their_edit(town):
    m, number = town
    m.edit(number, EDITED, by="web2")
    m.request_changes(number, by="web1", reason="Saat bilgisini siz doğrulayın.")
    text = submission_text("duyuru", "Su Kesintisi", "Kesinti saat 14.00'te bitti.\n", kayit_no=number)
    assert m.drop("fen-isleri", "cevap.md", text).status == "resubmitted"
    with refused(PermissionDenied, "düzenleyen kişi"):
        m.approve(number, by="web2")  # rev 3 still carries what web2 wrote into rev 2


def test_an_invalid_edit_is_refused_with_the_intake_messages_and_changes_nothing(town):
    m, number = town
    m.actor("web2")  # logged in before the snapshot
    before = m.ledger.dump()
    bad = submission_text("duyuru", "", "Metin.\n", yayin="31.12.2026 25:00")
    with pytest.raises(ValidationError) as refused:
        m.edit(number, bad, by="web2")
    assert {p.field for p in refused.value.problems} == {"baslik", "yayin"}
    assert m.ledger.dump() == before
    assert not list(m.paths.registered.rglob("*.r2"))


def test_an_edit_cannot_change_the_type(town):
    m, number = town
    with refused(ValidationError, "türü"):
        m.edit(number, submission_text("haber", "Su Kesintisi", "Metin.\n"), by="web2")


def test_who_may_edit(town, municipality):
    m, number = town
    with pytest.raises(NotFound):
        m.edit(number, EDITED, by="egitim1")  # another unit's item is not even visible
    with pytest.raises(PermissionDenied):
        m.edit(number, EDITED, by="fen1")  # departments answer change requests with a revision instead
    other = m.submit("duyuru", "Yeni Kayıt")
    with pytest.raises(InvalidTransition):
        m.edit(other.number, EDITED, by="web2")  # registered, not yet assigned (havale first)
    assert m.ledger.item(other.number).state == REGISTERED


def test_attachments_are_kept_removed_and_added(municipality):
    m = municipality()
    item = m.submit("duyuru", "Ekli Duyuru", "Metin.\n", attachments={"liste.pdf": PDF, "harita.pdf": PDF})
    m.assign(item.number, to="web1")
    doc = submission_text("duyuru", "Ekli Duyuru", "Metin.\n", ekler=["liste.pdf", "yeni-liste.pdf"])
    edited = m.edit(item.number, doc, by="web2", keep=("liste.pdf",), uploads={"yeni-liste.pdf": PDF})
    assert edited.state == IN_REVIEW and edited.reviewer == "web2"  # editing an assigned item starts its review
    revision = m.ledger.revision(item.id, 2)
    assert revision.attachments == ["ekler/liste.pdf", "ekler/yeni-liste.pdf"]
    for name in revision.attachments:
        assert (m.paths.registered / revision.stored_dir / name).read_bytes() == PDF
    with refused(ValidationError, "eklerinden biri değil"):
        m.edit(item.number, doc, by="web2", keep=("yok.pdf",))
    with refused(ValidationError, "bir ek dosyasının adı olamaz"):
        m.edit(item.number, doc, by="web2", uploads={"../x.pdf": PDF})


def test_the_edit_lock_keeps_others_out_until_it_ends(town):
    m, number = town
    lock = take_edit_lock(m.ledger, m.instance, number, m.actor("web2"), m.clock)
    assert (lock.login, lock.expires_at - lock.taken_at) == ("web2", dt.timedelta(minutes=30))
    with refused(ConflictError, "web2 tarafından düzenleniyor"):
        take_edit_lock(m.ledger, m.instance, number, m.actor("web3"), m.clock)
    with refused(ConflictError, "web2 tarafından düzenleniyor"):
        m.edit(number, EDITED, by="web3")
    with pytest.raises(ConflictError):
        release_edit_lock(m.ledger, number, m.actor("web3"), m.clock)
    m.edit(number, EDITED, by="web2")  # the holder saves: the lock ends with the save
    assert m.ledger.edit_lock(m.ledger.item(number).id) is None
    take_edit_lock(m.ledger, m.instance, number, m.actor("web2"), m.clock)
    m.clock.advance(dt.timedelta(minutes=31))
    assert take_edit_lock(m.ledger, m.instance, number, m.actor("web3"), m.clock).login == "web3"  # expired
    assert release_edit_lock(m.ledger, number, m.actor("mudur1"), m.clock) is True  # a director lifts it


def test_comments_are_kept_in_order_for_everyone_who_sees_the_item(town):
    m, number = town
    add_comment(m.ledger, number, m.actor("web1"), m.clock, "Saat bilgisini müdürlükle doğruladım.")
    add_comment(m.ledger, number, m.actor("fen1"), m.clock, "  Teşekkürler.\r\n")
    shown = [(c.author, c.rev, c.text) for c in item_comments(m.ledger, m.actor("mudur1"), number)]
    assert shown == [("web1", 1, "Saat bilgisini müdürlükle doğruladım."), ("fen1", 1, "Teşekkürler.")]
    with pytest.raises(NotFound):
        add_comment(m.ledger, number, m.actor("mali1"), m.clock, "Başka müdürlük.")
    with refused(ValidationError, "boş olamaz"):
        add_comment(m.ledger, number, m.actor("web1"), m.clock, "   ")
    with refused(ValidationError, "en çok 4000"):
        add_comment(m.ledger, number, m.actor("web1"), m.clock, "x" * 4001)


def test_comments_cannot_be_changed_in_the_database(town):
    import sqlite3
    m, number = town
    add_comment(m.ledger, number, m.actor("web1"), m.clock, "İlk yorum.")
    conn = sqlite3.connect(m.paths.database)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE comments SET text = 'değişti'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM comments")
    conn.close()


def test_rejecting_published_content_is_refused_and_discarding_keeps_it(municipality):
    m = municipality(site="tiny")
    item = m.submit("duyuru", "Yol Çalışması")
    m.approve(item.number)
    m.publish()
    edited = m.edit(item.number, submission_text("duyuru", "Yol Çalışması", "Yeni metin.\n"), by="web2")
    assert (edited.state, edited.live_rev, edited.current_rev) == (IN_REVIEW, 1, 2)
    with refused(InvalidTransition, "reddedilemez"):
        m.reject(item.number, by="web1")
    back = m.discard(item.number, by="web1", reason="Eski metin doğru.")
    assert (back.state, back.current_rev, back.live_rev) == (PUBLISHED, 1, 1)
    again = m.edit(item.number, submission_text("duyuru", "Yol Çalışması", "Üçüncü.\n"), by="web2")
    assert again.current_rev == 3  # the turned-down revision 2 stays in the history
    assert [r.rev for r in m.ledger.revisions(item.id)] == [1, 2, 3]


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" \
      b"trailer<</Root 1 0 R>>\n%%EOF\n"

