"""Is the ledger file a whole SQLite database? Checks that read only (opened without creating, no write)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .. import ledger_file
from .diskfull import is_disk_full

HEADER = b"SQLite format 3\x00"


def has_history(paths) -> bool:
    """Signs that this instance has been used (so a missing or empty ledger is a loss, not a fresh start)."""
    registered = paths.registered
    if registered.is_dir() and any(registered.iterdir()):
        return True
    return paths.releases.is_dir() and any(paths.releases.glob("*.json"))


def database_problem(path: Path, full: bool = True) -> str | None:
    """What is wrong with the SQLite file at path (English detail), or None when it is whole.

    full: SQLite's integrity_check (every index against its table); else quick_check (faster, O(N) too)."""
    size = path.stat().st_size
    if size == 0:
        return "the file is empty (0 bytes)"
    with open(path, "rb") as handle:
        header = handle.read(100)
    if not header.startswith(HEADER):
        return "not an SQLite database (its header is wrong)"
    if len(header) < 100:
        return f"truncated: {size} bytes, shorter than the database header"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # the in-header size is valid when "version-valid-for" equals the change counter (SQLite ≥ 3.7.0)
    if header[92:96] == header[24:28] and pages and size < pages * page_size:
        return f"truncated: {size} bytes, the header says {pages} pages of {page_size} bytes"
    try:
        rows, _ = ledger_file.integrity(path, full=full, mode="rw")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc) or is_disk_full(exc):
            return None  # in use right now, or no room for its -shm file: not broken (the space check says so)
        return str(exc)
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if rows != ["ok"]:
        return "; ".join(rows[:5])
    return None
