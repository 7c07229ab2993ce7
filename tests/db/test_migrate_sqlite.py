"""`publish.py migrate` on the default backend: a new SQLite ledger is created, an up-to-date one left as it is."""

from municms.ledger import SCHEMA_VERSION
from tests.municipality import bare_instance, cli_in_process


def test_migrate_creates_a_sqlite_ledger_then_finds_it_up_to_date(tmp_path):
    import sqlite3

    root = bare_instance(tmp_path / "kurulum")
    code, out, err = cli_in_process(root, "migrate", "--system")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "SQLite kayıt veritabanının şeması oluşturuldu (sürüm 7)."
    database = root / "var" / "municms.sqlite3"
    before = database.read_bytes()
    assert cli_in_process(root, "migrate", "--system") == (
        0, "SQLite kayıt veritabanı güncel (şema sürümü 7); yapılacak bir şey yok.\n", "")
    assert database.read_bytes() == before
    assert sqlite3.connect(database).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 7
