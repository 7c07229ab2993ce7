"""`publish.py backup` of an instance whose ledger is in PostgreSQL: pg_dump of one snapshot in the archive, checked
by `backup --verify`, restored by `restore --database-url` into an empty database, which then holds the same rows,
its append-only triggers and its counters; refusals in Turkish with nothing written."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import psycopg
import pytest
import yaml

from municms.ledger import open_ledger
from tests.municipality import Municipality


@pytest.fixture
def ledger_backend() -> str:
    return "postgresql"


def table_rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every table of the database, in a fixed order."""
    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables}


def test_a_postgresql_ledger_is_backed_up_verified_and_restored_into_an_empty_database(municipality, pg_server,
                                                                                    tmp_path):
    m = municipality("bare")
    source = yaml.safe_load((m.root / "instance.yaml").read_text(encoding="utf-8"))["database_url"]
    first = m.submit("duyuru", "Su Kesintisi", "Mahallede su kesintisi olacaktır.")
    m.approve(first.number)
    second = m.submit("haber", "Park Açıldı", "Yeni park hizmete girdi.")

    code, out, err = m.run("--json", "backup", "--system")
    assert code == 0, err
    taken = json.loads(out)
    archive = Path(taken["file"])
    assert taken["items"] == 2
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("MANIFEST.json").read())
    assert "var/municms.pgdump" in names and "var/municms.sqlite3" not in names
    assert (manifest["ledger"], manifest["items"], manifest["ledger_schema_version"]) == ("postgresql", 2, 7)
    code, out, err = m.run("backup", "--verify", str(archive))
    assert code == 0 and out.startswith(f"Yedek sağlam: {archive}\n"), err
    with psycopg.connect(source) as conn:  # who took it, recorded after the dump (so not in it)
        recorded = [(actor, json.loads(data)) for actor, data in conn.execute(
            "SELECT actor, data FROM events WHERE action = 'backup'").fetchall()]
    assert recorded == [("sistem", {"file": str(archive), "sha256": taken["sha256"], "size": taken["size"],
                                    "items": 2, "via": recorded[0][1]["via"]})]

    # refused, nothing written: without a database, into a database that is not empty
    into = tmp_path / "geri"
    code, _, err = m.run("restore", str(archive), "--into", str(into))
    assert code == 1 and "--database-url ile boş bir PostgreSQL veritabanı verin" in err, err
    code, _, err = m.run("restore", str(archive), "--into", str(into), "--database-url", source)
    assert code == 1 and "boş değil" in err and "yalnız boş bir veritabanına" in err, err
    assert not into.exists() and list(tmp_path.glob(".geri.geri-yukleme-*")) == []

    target = pg_server.create_database()
    code, out, err = m.run("restore", str(archive), "--into", str(into), "--database-url", target)
    assert code == 0 and out.startswith(f"Yedek denetlendi ve geri yüklendi: {into}\n"), err
    before = table_rows(source)
    before["events"] = [row for row in before["events"] if "backup" not in row]  # appended after the dump
    assert table_rows(target) == before and len(before["events"]) > 5
    assert yaml.safe_load((into / "instance.yaml").read_text(encoding="utf-8"))["database_url"] == target
    assert not (into / "var" / "municms.pgdump").exists()

    restored = open_ledger(target)
    try:
        assert [restored.item(n).state for n in (first.number, second.number)] == [
            m.ledger.item(first.number).state, m.ledger.item(second.number).state]
    finally:
        restored.close()
    with psycopg.connect(target) as conn, pytest.raises(psycopg.errors.RestrictViolation, match="events are append-only"):
        conn.execute("UPDATE events SET actor = 'biri'")  # the append-only trigger came back with the rows
    # the restored instance goes on where the original was: the next registration takes the next number
    again = Municipality(into, m.clock.now())
    try:
        third = again.submit("duyuru", "Yol Çalışması", "Cadde trafiğe kapalı olacaktır.")
        assert third.number == second.number[:-6] + f"{int(second.number[-6:]) + 1:06d}"
    finally:
        again.close()

def test_a_sqlite_backup_refuses_a_database_url(tmp_path, pg_url):
    from tests.conftest import FIXED_NOW
    from tests.municipality import bare_instance

    m = Municipality(bare_instance(tmp_path / "sqlite"), FIXED_NOW)
    try:
        m.submit("duyuru", "Su Kesintisi", "Mahallede su kesintisi olacaktır.")
        code, out, err = m.run("--json", "backup", "--system")
        assert code == 0, err
        code, _, err = m.run("restore", json.loads(out)["file"], "--into", str(tmp_path / "geri"),
                             "--database-url", pg_url)
        assert code == 1 and "--database-url yalnız PostgreSQL yedeklerinde kullanılır" in err, err
        assert not (tmp_path / "geri").exists()
    finally:
        m.close()
