"""Is the ledger file a whole SQLite database? Checks that read only (opened without creating, no write)."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from pathlib import Path

from .. import ledger_file
from .diskfull import is_disk_full

HEADER_SIZE = 100  # bytes of an SQLite file header


def has_history(paths) -> bool:
    """Signs that this instance has been used (so a missing or empty ledger is a loss, not a fresh start)."""
    cache = paths.registered_cache  # originals kept in the bucket leave their copies here
    for registered in (paths.registered, cache):
        if registered.is_dir() and any(registered.iterdir()):
            return True
    return paths.releases.is_dir() and any(paths.releases.glob("*.json"))


RECHECK_AFTER = (0.2, 0.6, 1.5)  # seconds between the looks that must all find the same file broken


def database_problem(path: Path, full: bool = True, waits=RECHECK_AFTER) -> str | None:
    """What is wrong with the SQLite file at path (English detail), or None when it is whole.

    full: SQLite's integrity_check (every index against its table); else quick_check (faster, O(N) too).
    A file another process is writing can look broken for a moment (a checkpoint has written the new page count
    into the header before the pages; a reader opens while the last writer removes the -shm file: "disk I/O
    error"), so a problem counts only when it is found again after each of `waits`; a broken file stays broken."""
    problem = _look(path, full)
    for wait in waits:
        if problem is None:
            return None
        time.sleep(wait)
        problem = _look(path, full)
    return problem


def _look(path: Path, full: bool) -> str | None:
    """One look. This process may hold connections to the file, and opening and closing a descriptor of it here
    would drop their POSIX locks (another process could then remove the write-ahead log under them: a wrong
    "disk I/O error", or worse), so SQLite reads it; only a file SQLite found broken has its header read, by a
    child process, to say how."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return "the file is gone"
    if size == 0:
        return "the file is empty (0 bytes)"
    if size < HEADER_SIZE:
        return f"truncated: {size} bytes, shorter than the database header"
    try:
        pages, page_size = ledger_file.page_count(path, mode="rw")
        rows, _ = ledger_file.integrity(path, full=full, mode="rw")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc) or is_disk_full(exc):
            return None  # in use right now, or no room for its -shm file: not broken (the space check says so)
        return _header_problem(path) or f"{exc} ({getattr(exc, 'sqlite_errorname', 'SQLITE_ERROR')})"
    except sqlite3.DatabaseError as exc:
        return _header_problem(path) or str(exc)
    # SQLite's page count against the file, in this order: once no write-ahead log waits (every checkpoint is
    # done), the file must hold every page of what SQLite read before
    if _wal_empty(path) and pages * page_size > (size := path.stat().st_size):
        return f"truncated: {size} bytes, the header says {pages} pages of {page_size} bytes"
    if rows != ["ok"]:
        return _header_problem(path) or "; ".join(rows[:5])
    return None


def _header_problem(path: Path) -> str | None:
    """What the first 100 bytes say is wrong (read by `head`, a process of its own, for the reason above)."""
    header = subprocess.run(["head", "-c", str(HEADER_SIZE), str(path)], capture_output=True, check=False).stdout
    if not header.startswith(b"SQLite format 3\x00"):
        return "not an SQLite database (its header is wrong)"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # the in-header size is valid when "version-valid-for" equals the change counter (SQLite ≥ 3.7.0), and the
    # file must hold every page once no write-ahead log is waiting (a checkpoint writes the header first)
    valid = header[92:96] == header[24:28] and pages
    if valid and _wal_empty(path) and (size := path.stat().st_size) < pages * page_size:
        return f"truncated: {size} bytes, the header says {pages} pages of {page_size} bytes"
    return None


def _wal_empty(path: Path) -> bool:
    try:
        return path.with_name(path.name + "-wal").stat().st_size == 0
    except FileNotFoundError:
        return True
