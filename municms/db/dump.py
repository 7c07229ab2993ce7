"""A PostgreSQL ledger in a backup archive: `pg_dump` (custom format) of one snapshot, its check with
`pg_restore --list`, and its restore into an empty database with `pg_restore` in one transaction.

The client programs come from Debian's postgresql-client (or postgresql): the newest versioned ones under
/usr/lib/postgresql/<major>/bin, which read every older server, else the ones on PATH. The schema version and
the item count the manifest records are read in the snapshot pg_dump takes (`pg_export_snapshot`), so they
describe exactly what the dump holds. A URL is never shown with its password."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

from ..errors import BackupError
from . import redact
from .migrations import postgres_version

TIMEOUT = 6 * 3600


def pg_tool(name: str) -> str:
    """The path of pg_dump or pg_restore."""
    versioned = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                       key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    found = versioned[-1] if versioned else shutil.which(name)
    if not found:
        raise BackupError(f"'{name}' bulunamadı: PostgreSQL istemci araçlarını kurun (Debian: apt-get install "
                          "postgresql-client).", f"{name} not found")
    return found


def _run(args: list[str], url: str, what_tr: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    done = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT, env=env)
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["?"])[-1].replace(url, redact(url))
        raise BackupError(f"{what_tr} başarısız ({redact(url)}): {detail}", f"{args[0]} failed: {detail}")
    return done


@contextmanager
def _connected(url: str, message_tr: str):
    """A ledger connection to url (municms.db.postgres.Connection), closed afterwards; BackupError if none."""
    import psycopg

    from .postgres import Connection

    try:
        conn = Connection(url)
    except psycopg.Error as exc:
        raise BackupError(f"{message_tr}: {redact(url)}. Adresi ve sunucuyu denetleyin.",
                          f"cannot connect to {redact(url)}: {exc}") from None
    try:
        yield conn
    finally:
        conn.close()


def dump_ledger(url: str, target: Path) -> tuple[int, int, list[str]]:
    """pg_dump of the ledger at url into target; (schema version, item count, registered folders) of the same
    snapshot."""
    from ..ledger import _Reader  # the ledger's own queries, on the snapshot's connection

    with _connected(url, "PostgreSQL kayıt veritabanına bağlanılamadı") as conn:
        conn.begin_read()
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        version = postgres_version(conn)
        items = conn.execute("SELECT count(*) FROM items").fetchone()[0]
        stored = sorted(_Reader(conn).stored_dirs())
        _run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
              f"--file={target}", f"--dbname={url}"], url, "Veritabanının dökümü (pg_dump)")
        conn.rollback()
    return version, items, stored


def check_dump(dump: Path) -> None:
    """The dump's table of contents reads (pg_restore --list): a custom-format dump, whole."""
    done = subprocess.run([pg_tool("pg_restore"), "--list", str(dump)], capture_output=True, text=True,
                          timeout=600)
    if done.returncode != 0 or "TABLE DATA" not in done.stdout:
        detail = (done.stderr.strip().splitlines() or ["tablo verisi yok"])[-1]
        raise BackupError(f"Yedekteki PostgreSQL dökümü okunamıyor (pg_restore --list: {detail}).",
                          f"pg_restore --list failed: {detail}")


def restore_ledger(dump: Path, url: str) -> tuple[int, int]:
    """Restore the dump into the empty database at url in one transaction; its (schema version, item count)."""
    with _connected(url, "PostgreSQL veritabanına bağlanılamadı") as conn:
        conn.begin_read()
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
        conn.rollback()
        if tables:
            raise BackupError(f"{redact(url)} boş değil ({tables} tablo var); yedek yalnız boş bir veritabanına "
                              "geri yüklenir. Yeni bir veritabanı oluşturup onu verin.",
                              f"{redact(url)} is not empty")
        _run([pg_tool("pg_restore"), "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges",
              f"--dbname={url}", str(dump)], url, "Veritabanının geri yüklenmesi (pg_restore)")
        conn.begin_read()
        result = postgres_version(conn), conn.execute("SELECT count(*) FROM items").fetchone()[0]
        conn.rollback()
        return result
