"""The findings table: an existing ledger of schema version 5 is upgraded to 6 keeping its rows, and findings,
like events, are never changed or deleted. And the scan's bounds: an attachment that would expand too far is a
note, not a scan that runs out of memory."""

from __future__ import annotations

import io
import sqlite3
import zipfile

import pytest

from municms.ledger import SCHEMA_VERSION, open_ledger
from tests.municipality import submission_text

from .files import docx


def test_a_version_5_ledger_is_upgraded_and_keeps_its_items(municipality):
    m = municipality()
    number = m.drop("fen-isleri", "a.md", submission_text("duyuru", "Eski Kayıt", "Tel 0532 123 45 67\n")).number
    m.ledger.close()
    with sqlite3.connect(m.paths.database) as conn:  # the ledger as version 5 left it: no findings table
        conn.executescript("DROP TRIGGER kvkk_findings_no_update; DROP TRIGGER kvkk_findings_no_delete; "
                           "DROP TABLE kvkk_findings; PRAGMA user_version = 5;")
    ledger = open_ledger(m.paths.database)
    try:
        with sqlite3.connect(m.paths.database) as conn:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 7
        item = ledger.item(number)
        assert item.title == "Eski Kayıt" and ledger.kvkk_findings(item.id, 1) == []  # not scanned back then
        upgrades = [(e.actor, e.item_id, e.data) for e in ledger.events() if e.action == "migrate"]
        assert upgrades == [("sistem", None, {"backend": "sqlite", "from": 5, "to": 7, "applied": [6, 7],
                                              "via": "kayıt veritabanı açılırken"})]
        ledger.close()
        ledger = open_ledger(m.paths.database)  # up to date now: nothing more recorded
        assert [e.action for e in ledger.events()].count("migrate") == 1
    finally:
        ledger.close()


def test_findings_are_never_updated_or_deleted(municipality):
    m = municipality()
    m.drop("fen-isleri", "a.md", submission_text("duyuru", "Kayıt", "Tel 0532 123 45 67\n"))
    with sqlite3.connect(m.paths.database) as conn:
        for statement in ("UPDATE kvkk_findings SET masked = '0532 123 45 67'", "DELETE FROM kvkk_findings"):
            with pytest.raises(sqlite3.IntegrityError, match="findings belong to their revision"):
                conn.execute(statement)
        assert conn.execute("SELECT kind, masked FROM kvkk_findings").fetchall() == [("telefon", "0532*****67")]


def test_an_attachment_that_expands_too_far_is_a_note_and_the_rest_is_registered(municipality):
    m = municipality()
    package = io.BytesIO(docx(["Kimlik 12345678950"]))
    with zipfile.ZipFile(package, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/bos.bin", b"\0" * (3 << 20))  # 3 MiB of zeros in a few kilobytes
    text = submission_text("duyuru", "Tutanak", "Ektedir.\n", ekler=["tutanak.docx"])
    result = m.drop("fen-isleri", "tutanak", {"index.md": text, "tutanak.docx": package.getvalue()})
    assert result.status == "registered"
    assert [(f.kind, f.place, f.status_tr) for f in result.kvkk] == [
        ("taranamadi", "ek 'tutanak.docx'", "elle denetleyin")]
    assert "olağan dışı sıkıştırılmış" in result.kvkk[0].message_tr
