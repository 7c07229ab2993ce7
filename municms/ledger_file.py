"""The ledger as a file, for what must not go through open_ledger (which creates a missing schema): a consistent
copy for backups, integrity checks of a file that may be broken, and a read-only peek for the start-up checks.
The SQL of the register lives in ledger.py and here only."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def _connect(path: Path, mode: str, timeout: float = 5.0) -> sqlite3.Connection:
    """An existing database file only (never created): mode 'ro', or 'rw' (a WAL file's readers need its -shm)."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode={mode}", uri=True, timeout=timeout)


def integrity(path: Path, full: bool = True, mode: str = "ro", limit: int = 20) -> tuple[list[str], int]:
    """(PRAGMA integrity_check rows, or quick_check's when not full; PRAGMA user_version). ['ok'] is whole.
    sqlite3.Error propagates: the caller says what it means (busy, disk full, not a database)."""
    conn = _connect(path, mode)
    try:
        pragma = "integrity_check" if full else "quick_check"
        rows = [row[0] for row in conn.execute(f"PRAGMA {pragma}({int(limit)})").fetchall()]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    return rows, version


def page_count(path: Path, mode: str = "ro") -> tuple[int, int]:
    """(pages, page size) as SQLite reads them (the header, or the write-ahead log's newer count)."""
    conn = _connect(path, mode)
    try:
        return (conn.execute("PRAGMA page_count").fetchone()[0], conn.execute("PRAGMA page_size").fetchone()[0])
    finally:
        conn.close()


def dump(path: Path) -> list[str]:
    """The ledger as SQL statements (iterdump): what two ledgers hold is the same when their dumps are."""
    conn = _connect(path, "ro")
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def snapshot(database: Path, target: Path) -> tuple[int, int]:
    """Copy the ledger with SQLite's online backup API (one read transaction: writers in WAL mode go on) into a
    self-contained file (journal_mode DELETE); (schema version, item count). sqlite3.Error propagates."""
    source = sqlite3.connect(database, timeout=60)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # all pages in one step
        copy.execute("PRAGMA journal_mode = DELETE")
        version = copy.execute("PRAGMA user_version").fetchone()[0]
        has_items = copy.execute("SELECT 1 FROM sqlite_master WHERE name = 'items'").fetchone()
        items = copy.execute("SELECT count(*) FROM items").fetchone()[0] if has_items else 0
    finally:
        copy.close()
        source.close()
    return version, items


def stored_dirs(path: Path) -> list[str]:
    """The registered folder (year/number[.rN]) of every revision of the ledger file at path, sorted."""
    conn = _connect(path, "ro")
    try:
        return [row[0] for row in conn.execute("SELECT DISTINCT stored_dir FROM revisions WHERE stored_dir != '' "
                                               "ORDER BY stored_dir")]
    finally:
        conn.close()


def edit_locks(path: Path) -> list[tuple[str, str, str]]:
    """(item number, login, expires_at) of every edit lock, read without opening the ledger for writing."""
    conn = _connect(path, "rw")
    try:
        return conn.execute("SELECT items.number, edit_locks.login, edit_locks.expires_at FROM edit_locks "
                            "JOIN items ON items.id = edit_locks.item_id").fetchall()
    finally:
        conn.close()
