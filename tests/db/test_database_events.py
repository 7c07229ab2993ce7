"""`publish.py migrate` and `publish.py db copy --to URL` are actions: only a yonetici or the system may run them,
and each records who ran it, from which schema version to which (and the rows it copied) in the ledger it changed."""

from __future__ import annotations

import os
import pwd

import pytest

from municms.ledger import open_ledger
from tests.municipality import bare_instance, cli_in_process

OWNER = f"--system (işletim sistemi kullanıcısı {pwd.getpwuid(os.geteuid()).pw_name})"
NO_CREDENTIALS = "Bu komut kimlik doğrulaması ister"


def _events(ledger, action: str) -> list:
    return [(e.actor, e.item_id, e.data) for e in ledger.events() if e.action == action]


def test_migrate_of_postgres_is_recorded_in_it(tmp_path, pg_server, monkeypatch):
    url = pg_server.create_database()
    root = bare_instance(tmp_path / "kurulum")
    monkeypatch.setenv("MUNICMS_DATABASE_URL", url)
    for credentials in ((), ("--as", "yonetici1", "--password-stdin")):  # no user can exist yet
        code, out, err = cli_in_process(root, "migrate", *credentials, stdin="x\n")
        assert code != 0 and ("PostgreSQL kayıt veritabanının şeması yok: ilk 'migrate' kullanıcılar olmadan "
                              "yalnız --system ile çalıştırılabilir.") in err
    assert pg_server.sql("SELECT to_regclass('schema_migrations') IS NULL", url.rsplit("/", 1)[1]) == [(True,)]

    code, out, err = cli_in_process(root, "migrate", "--system")
    created = "PostgreSQL kayıt veritabanının şeması oluşturuldu (sürüm 7)."
    assert (code, out.splitlines()[0]) == (0, created), err
    ledger = open_ledger(url)
    assert _events(ledger, "migrate") == [
        ("sistem", None, {"backend": "postgresql", "from": 0, "to": 7, "applied": [2, 3, 4, 5, 6, 7],
                          "via": OWNER})]
    code, out, err = cli_in_process(root, "migrate", "--system")
    assert (code, out) == (0, "PostgreSQL kayıt veritabanı güncel (şema sürümü 7); yapılacak bir şey yok.\n")
    assert len(_events(ledger, "migrate")) == 1  # nothing changed, nothing recorded
    code, out, err = cli_in_process(root, "migrate")
    assert code != 0 and NO_CREDENTIALS in err  # with a schema, the refusal asks for credentials
    ledger.close()


def test_a_postgres_migration_and_its_event_commit_together(tmp_path, pg_server):
    """The event is appended inside the migration's transaction: if it cannot be written, no schema is left."""
    from municms.ledger import migrate

    url = pg_server.create_database()

    def broken(report):
        raise RuntimeError("the event could not be made")
    with pytest.raises(RuntimeError):
        migrate(url, record=broken)
    assert pg_server.sql("SELECT to_regclass('schema_migrations') IS NULL, to_regclass('items') IS NULL",
                         url.rsplit("/", 1)[1]) == [(True, True)]


def test_migrate_of_sqlite_is_recorded_in_it(tmp_path):
    root = bare_instance(tmp_path / "kurulum")
    code, out, err = cli_in_process(root, "migrate", "--system")
    assert (code, out.splitlines()[0]) == (0, "SQLite kayıt veritabanının şeması oluşturuldu (sürüm 7)."), err
    ledger = open_ledger(root / "var" / "municms.sqlite3")
    assert _events(ledger, "migrate") == [
        ("sistem", None, {"backend": "sqlite", "from": 0, "to": 7, "applied": [2, 3, 4, 5, 6, 7], "via": OWNER})]
    ledger.close()


def test_db_copy_is_recorded_in_the_copy_by_a_yonetici_only(municipality, pg_server):
    m = municipality("tiny")
    first = m.submit("duyuru", "Işıklı Çarşı İhalesi")
    m.approve(first.number)
    m.publish()
    url = pg_server.create_database()
    code, out, err = m.run("db", "copy", "--to", url)
    assert code != 0 and NO_CREDENTIALS in err
    code, out, err = m.run("db", "copy", "--to", url, login="mudur1")
    assert code != 0 and "Kayıt veritabanını yalnız yönetici kopyalayabilir." in err, err
    assert pg_server.sql("SELECT to_regclass('events') IS NULL", url.rsplit("/", 1)[1]) == [(True,)]

    source_events = m.ledger.events()
    code, out, err = m.run("db", "copy", "--to", url, login="yonetici1")
    assert code == 0, err
    copy = open_ledger(url)
    counts = dict(line.strip().split(": ", 1) for line in out.splitlines()[1:] if "satır" in line)
    counts = {table: int(text.split()[0]) for table, text in counts.items()}
    assert counts["events"] == len(source_events) and counts["items"] == 1
    assert _events(copy, "db_copy") == [
        ("yonetici1", None, {"from": "sqlite", "to": url, "schema": 7, "counts": counts, "chain_records": 1})]
    assert copy.events()[-1].id == source_events[-1].id + 1   # after every copied event
    assert _events(m.ledger, "db_copy") == []                  # the source is not changed
    copy.close()
