"""Ledger: schema, gapless numbering, append-only events, reads by number."""

from __future__ import annotations

import sqlite3

import pytest

from municms.errors import NotFound
from municms.ledger import open_ledger
from municms.model import REGISTERED


def _raw(m):
    """A plain connection to the municipality's ledger (no municms code in between) and its integrity error."""
    if isinstance(m.ledger.path, str):
        import psycopg
        return psycopg.connect(m.ledger.path, autocommit=True), psycopg.IntegrityError
    return sqlite3.connect(m.paths.database), sqlite3.IntegrityError


def test_schema_is_idempotent_and_wal(municipality, ledger_backend):
    from municms.ledger import migrate

    m = municipality()
    again = open_ledger(m.ledger.path)
    assert again.items() == []
    assert migrate(m.ledger.path).applied == []
    if ledger_backend == "sqlite":
        conn = sqlite3.connect(m.paths.database)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    else:
        assert not m.paths.database.exists()


def test_numbers_are_gapless_when_a_transaction_rolls_back(municipality):
    ledger = municipality().ledger
    with ledger.transaction() as tx:
        assert tx.allocate_number("BİM", 2026) == (1, "BİM-2026-000001")
    with pytest.raises(RuntimeError):
        with ledger.transaction() as tx:
            assert tx.allocate_number("BİM", 2026) == (2, "BİM-2026-000002")
            raise RuntimeError("crash during registration")
    with ledger.transaction() as tx:
        assert tx.allocate_number("BİM", 2026) == (2, "BİM-2026-000002")
        assert tx.allocate_number("BİM", 2027) == (1, "BİM-2027-000001")


def test_item_by_number_id_and_ascii_prefix(municipality):
    m = municipality()
    ledger = m.ledger
    made = m.submit("duyuru", "Işıklı Çarşı İhalesi")
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
def test_events_cannot_be_updated_or_deleted(municipality, sql):
    m = municipality()
    m.submit("duyuru", "Işıklı Çarşı İhalesi")
    conn, integrity_error = _raw(m)
    with pytest.raises(integrity_error, match="events are append-only"):
        conn.execute(sql)
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 1


def test_user_table_events_have_no_item(municipality):
    m = municipality()
    m.person("web1")  # the first yonetici, then web1 added by them
    assert [(e.item_id, e.actor, e.action, e.data["login"], e.at) for e in m.ledger.events()] == [
        (None, "sistem", "user_init", "yonetici1", m.clock.now()),
        (None, "yonetici1", "user_add", "web1", m.clock.now())]


def test_busy_ledger_and_unusable_file_give_turkish_errors(municipality, tmp_path):
    from municms.errors import ConflictError, MunicmsError

    m = municipality()
    blocker, _ = _raw(m)
    if isinstance(m.ledger.path, str):  # another host's writer holds the writers' advisory lock
        from municms.db.postgres import WRITE_LOCK
        blocker.execute("BEGIN")
        blocker.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
    else:
        blocker.isolation_level = None
        blocker.execute("BEGIN IMMEDIATE")
    impatient = open_ledger(m.ledger.path, busy_timeout=0.2)
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


def test_both_backends_share_one_read_transaction():
    """Ledger._read is written once: the PostgreSQL ledger changes only how a read begins and ends (its guard for
    a connection the server closed), so a fix to one backend's reads cannot miss the other's."""
    from municms.ledger import Ledger, PgLedger

    assert "_read" not in PgLedger.__dict__ and PgLedger._read is Ledger._read
    assert {"_begin_read", "_end_read"} <= set(PgLedger.__dict__)
