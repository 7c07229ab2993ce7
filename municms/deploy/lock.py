"""The deploy lock: one deploy or rollback at a time per instance; others wait their turn.

On one host a file lock (var/deploy.lock); when the ledger is in PostgreSQL (several hosts), also a session
advisory lock there, taken after the file lock: one publisher at a time across hosts. A host that dies frees it
(the server drops its connection)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import threading
from pathlib import Path

from ..paths import InstancePaths

# Per lock file: a re-entrant thread lock, the open file, how deep the holder is and the database's lock.
# Re-entrant so that publish() may hold the lock around Target.deploy(), which takes it again.
_registry_guard = threading.Lock()
_held: dict[Path, list] = {}


def _entry(path: Path) -> list:
    with _registry_guard:
        return _held.setdefault(path, [threading.RLock(), None, 0, None])


@contextlib.contextmanager
def deploy_lock(paths: InstancePaths):
    """Hold var/deploy.lock (fcntl, blocking): concurrent deploys and rollbacks queue, never interleave."""
    path = (paths.var / "deploy.lock").resolve()
    entry = _entry(path)
    with entry[0]:  # threads of this process queue here
        if entry[2] == 0:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)  # other processes queue here
            except BaseException:
                os.close(fd)
                raise
            entry[1] = fd
            try:
                entry[3] = _database_lock(paths)  # other hosts queue here
            except BaseException:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
                entry[1] = None
                raise
            _record_holder(fd, f"{os.getpid()} {' '.join(sys.argv)[:300]}\n")
        entry[2] += 1
        try:
            yield
        finally:
            entry[2] -= 1
            if entry[2] == 0:
                fd, entry[1] = entry[1], None
                shared, entry[3] = entry[3], None
                if shared is not None:
                    shared.release()
                _record_holder(fd, "")
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)


def _database_lock(paths: InstancePaths):
    """The PostgreSQL advisory deploy lock, waited for and held; None when the ledger is a SQLite file."""
    from ..db import url_for_root

    url = url_for_root(paths.root)
    if url is None:
        return None
    from ..db.postgres import DEPLOY_LOCK, AdvisoryLock

    import psycopg

    from ..db import redact
    from ..errors import DeployError

    lock = AdvisoryLock(url, DEPLOY_LOCK)
    try:
        lock.acquire()
    except psycopg.Error as exc:
        lock.close()
        raise DeployError(f"Yayın kilidi alınamadı: PostgreSQL'e bağlanılamadı ({redact(url)}).",
                          f"deploy lock: {exc}") from None
    except BaseException:
        lock.close()
        raise
    return lock


def _record_holder(fd: int, text: str) -> None:
    """Write who holds the lock ('pid command') into the lock file, for `publish.py doctor`; best effort (a full
    disk must not stop a deploy or a rollback, which is what frees space)."""
    try:
        os.ftruncate(fd, 0)
        if text:
            os.pwrite(fd, text.encode("utf-8", "replace"), 0)
    except OSError:
        pass
