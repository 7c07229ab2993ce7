"""`publish.py backup` takes the SQLite file; on an instance whose ledger is in PostgreSQL it says so and what to
do instead, and writes no archive (one without the ledger would restore an instance with no register)."""

from __future__ import annotations

import pytest


@pytest.fixture
def ledger_backend() -> str:
    return "postgresql"


def test_backup_of_a_postgresql_ledger_is_refused_with_what_to_do(municipality):
    m = municipality("bare")
    m.submit("duyuru", "Su Kesintisi", "Mahallede su kesintisi olacaktır.")
    code, out, err = m.run("backup", "--system")
    assert code == 1, (out, err)
    assert err.startswith("HATA: Bu kurulumun kayıt veritabanı PostgreSQL'de; 'publish.py backup' yalnız SQLite "
                          "dosyasını yedekler."), err
    assert "pg_dump -Fc" in err
    backups = m.paths.var / "backups"
    assert not backups.exists() or list(backups.iterdir()) == []
