"""Leftover locks and claims: the deploy lock, materialise backups, intake claims, expired edit locks."""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import os
import sqlite3

from .. import ledger_file


def deploy_lock_holder(paths) -> tuple[bool, str]:
    """(held now, what the lock file records: 'pid command' of its last holder, '' when released cleanly)."""
    path = paths.var / "deploy.lock"
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False, ""
    try:
        recorded = os.read(fd, 400).decode("utf-8", "replace").strip()
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                return True, recorded
            raise
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False, recorded
    finally:
        os.close(fd)


    return True


def materialise_leftovers(paths) -> int:
    """Temp files and undo copies an interrupted content write left (removed by the next publish)."""
    count = sum(1 for p in (paths.var / "materialise").rglob("*") if p.is_file()) \
        if (paths.var / "materialise").is_dir() else 0
    for folder in (paths.content, paths.data):
        if folder.is_dir():
            count += sum(1 for p in folder.rglob(".#*") if p.is_file())
    return count


def intake_claims(paths) -> tuple[int, int]:
    """(claims of live intake sessions, claims of sessions that died) in submissions/processing/."""
    from ..actions.intake_claims import CLAIM_SEPARATOR, HIDDEN, processing_dir, session_alive_quiet

    processing = processing_dir(paths)
    live = dead = 0
    alive: dict[str, bool] = {}
    if not processing.is_dir():
        return 0, 0
    for department in (p for p in processing.iterdir() if p.is_dir() and p.name not in HIDDEN):
        for claimed in department.iterdir():
            owner = claimed.name.partition(CLAIM_SEPARATOR)[0]
            if owner not in alive:
                alive[owner] = session_alive_quiet(paths, owner)
            live, dead = (live + 1, dead) if alive[owner] else (live, dead + 1)
    return live, dead


def expired_edit_locks(paths, now: dt.datetime) -> list[tuple[str, str]]:
    """(item number, login) of edit locks whose time is over (they block nobody; the next editor takes them)."""
    try:
        rows = ledger_file.edit_locks(paths.database)
    except sqlite3.Error:
        return []
    expired = []
    for number, login, expires in rows:
        try:
            when = dt.datetime.fromisoformat(expires)
        except (TypeError, ValueError):
            continue
        if (when if when.tzinfo else when.replace(tzinfo=now.tzinfo)) <= now:
            expired.append((number, login))
    return expired
