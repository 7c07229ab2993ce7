"""`publish.py db copy --to URL`: a SQLite instance with history moves to PostgreSQL whole and verified, and goes on
there (numbers, ids and the register's chain continue)."""

from __future__ import annotations

from municms.ledger import open_ledger
from tests.municipality import Municipality


def _tables(dump) -> dict[str, list[str]]:
    return {table: sorted(repr(row) for row in rows) for table, rows in dump}


def test_a_sqlite_instance_moves_to_postgres_verified_and_goes_on_there(municipality, pg_server):
    m = municipality("tiny")
    first = m.submit("duyuru", "Işıklı Çarşı İhalesi")
    m.submit("haber", "Zabıta Haftası")
    m.approve(first.number)
    published = m.publish()
    assert published.items == [first.number]
    url = pg_server.create_database()

    code, out, err = m.run("db", "copy", "--to", url, login="yonetici1")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"Kayıt veritabanı PostgreSQL'e kopyalandı ve doğrulandı: {url}"
    assert "  items: 2 satır (kaynakla aynı)" in lines
    assert "  Yayın kaydının zinciri kopyada sağlam (1 kayıt)." in lines
    copy = open_ledger(url)
    recorded = copy.events()[-1]  # who copied it (tests/db/test_database_events.py), in the copy only
    assert (recorded.action, recorded.actor) == ("db_copy", "yonetici1")
    copied = dict(copy.dump())
    copied["events"] = [row for row in copied["events"] if row[0] != recorded.id]
    assert _tables(copied.items()) == _tables(m.ledger.dump())

    code, out, err = m.run("db", "copy", "--to", url, login="yonetici1")
    assert code != 0 and "Hedef PostgreSQL veritabanı boş değil" in err

    # the instance now uses the copy: numbering, ids and the register go on from where SQLite left them
    m.ledger.close()
    (m.root / "instance.yaml").write_text((m.root / "instance.yaml").read_text(encoding="utf-8")
                                          + f"database_url: {url}\n", encoding="utf-8")
    moved = Municipality(m.root, m.clock.now())
    assert moved.ledger.path == url
    third = moved.submit("duyuru", "Su Kesintisi")
    assert third.number == "BİM-2026-000003" and third.id == 3
    events = moved.ledger.events()
    assert [e.id for e in events] == list(range(1, len(events) + 1))
    moved.approve(third.number)
    assert moved.publish().items == [third.number]
    assert [r["seq"] for r in moved.ledger.register_records()] == [1, 2]
    code, out, err = moved.run("verify")
    assert code == 0, out + err
    moved.close()


def test_copy_refuses_what_is_not_a_postgres_url(municipality):
    m = municipality()
    code, out, err = m.run("db", "copy", "--to", "/tmp/baska.sqlite3")
    assert code != 0
    assert "--to bir PostgreSQL adresi olmalı" in err
