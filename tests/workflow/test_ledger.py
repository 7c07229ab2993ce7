"""Ledger: schema, gapless numbering, append-only events, reads by number."""

from __future__ import annotations

import sqlite3

import pytest

from municms.errors import NotFound
from municms.ledger import open_ledger
from municms.model import Event, REGISTERED


def test_schema_is_idempotent_and_wal(paths, ledger):
    again = open_ledger(paths.database)
    assert again.items() == []
    conn = sqlite3.connect(paths.database)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_numbers_are_gapless_when_a_transaction_rolls_back(ledger):
    with ledger.transaction() as tx:
        assert tx.allocate_number("BİM", 2026) == (1, "BİM-2026-000001")
    with pytest.raises(RuntimeError):
        with ledger.transaction() as tx:
            assert tx.allocate_number("BİM", 2026) == (2, "BİM-2026-000002")
            raise RuntimeError("crash during registration")
    with ledger.transaction() as tx:
        assert tx.allocate_number("BİM", 2026) == (2, "BİM-2026-000002")
        assert tx.allocate_number("BİM", 2027) == (1, "BİM-2027-000001")


def test_item_by_number_id_and_ascii_prefix(item, ledger):
    made = item()
    assert made.number == "BİM-2026-000001"
    assert ledger.item(made.number) == made
    assert ledger.item(made.id) == made
    assert ledger.item(str(made.id)) == made
    assert ledger.item("BIM-2026-000001") == made
    assert made.state == REGISTERED and made.created_at.utcoffset().total_seconds() == 3 * 3600
    with pytest.raises(NotFound) as err:
        ledger.item("BİM-2026-000099")
    assert err.value.message_tr == "'BİM-2026-000099' numaralı kayıt bulunamadı."


@pytest.mark.parametrize("sql", ["UPDATE events SET reason = 'x'", "DELETE FROM events"])
def test_events_cannot_be_updated_or_deleted(item, paths, sql):
    item()
    conn = sqlite3.connect(paths.database)
    with pytest.raises(sqlite3.IntegrityError, match="events are append-only"):
        conn.execute(sql)
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 1


def test_user_table_events_have_no_item(ledger, clock):
    with ledger.transaction() as tx:
        tx.append_event(Event(item_id=None, at=clock.now(), actor="admin", action="user_add",
                              data={"login": "ayse"}))
    [event] = ledger.events()
    assert event.item_id is None and event.data == {"login": "ayse"} and event.at == clock.now()


def test_busy_ledger_and_unusable_file_give_turkish_errors(paths, ledger, tmp_path):
    from municms.errors import ConflictError, MunicmsError

    blocker = sqlite3.connect(paths.database, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    impatient = open_ledger(paths.database, busy_timeout=0.2)
    with pytest.raises(ConflictError) as err:
        with impatient.transaction() as tx:
            tx.allocate_number("BİM", 2026)
    assert err.value.message_tr == "Kayıt veritabanı şu anda meşgul; birkaç saniye sonra yeniden deneyin."
    blocker.execute("ROLLBACK")
    garbage = tmp_path / "bozuk.sqlite3"
    garbage.write_bytes(b"bu bir veritabani degil" * 100)
    with pytest.raises(MunicmsError) as err:
        open_ledger(garbage)
    assert err.value.message_tr.startswith("Kayıt veritabanı açılamadı: ")
