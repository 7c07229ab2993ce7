"""Claims of intake: a session (one intake process, alive while it holds its lock) and its claimed files."""

from __future__ import annotations

import fcntl
import os
import queue
import threading
import uuid
from pathlib import Path

from ..paths import InstancePaths
from .intake_files import remove_tree

CLAIM_SEPARATOR = "--"
HIDDEN = (".sessions", ".done")  # folders of processing/ that are not departments


class Session:
    """One intake process's claim on files: an id and an flock held while the process lives."""

    def __init__(self, paths: InstancePaths):
        self.paths = paths
        self.id = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.sessions = processing_dir(paths) / ".sessions"
        self.sessions.mkdir(parents=True, exist_ok=True)
        self.lock_path = self.sessions / f"{self.id}.lock"
        # Lock first, then publish the name: a recoverer never sees an unlocked lock of a live session.
        temp = self.sessions / f".{self.id}.new"
        self._fd = os.open(temp, os.O_CREAT | os.O_RDWR, 0o644)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        os.rename(temp, self.lock_path)
        self._staged = 0
        self._done: queue.Queue | None = None
        self._deleter: threading.Thread | None = None

    def discard(self, claimed: Path) -> None:
        """Drop a finished claim: a quick rename into processing/.done/, deleted by a background thread
        (deleting is the slowest file operation of a registration; a crash leaves it to recover())."""
        done = processing_dir(self.paths) / ".done"
        done.mkdir(exist_ok=True)
        target = done / f"{self.id}{CLAIM_SEPARATOR}{uuid.uuid4().hex[:8]}"
        os.rename(claimed, target)
        if self._done is None:
            self._done = queue.Queue()
            self._deleter = threading.Thread(target=self._delete_done, args=(self._done,), daemon=True)
            self._deleter.start()
        self._done.put(target)

    @staticmethod
    def _delete_done(pending: queue.Queue) -> None:
        while (path := pending.get()) is not None:
            remove_tree(path)

    def close(self) -> None:
        if self._done is not None:  # let the deleter finish before the lock is released
            self._done.put(None)
            self._deleter.join()
            self._done = self._deleter = None
        if self._fd is not None:
            self.lock_path.unlink(missing_ok=True)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def staging_name(self) -> str:
        self._staged += 1
        return f".staging-{self.id}-{self._staged}"

    def claim_target(self, department: str, name: str) -> Path:
        """Where this session's claim of inbox/<department>/<name> lives (processing/<dep>/<session>--<name>)."""
        target_dir = processing_dir(self.paths) / department
        target_dir.mkdir(parents=True, exist_ok=True)
        return target_dir / f"{self.id}{CLAIM_SEPARATOR}{name}"

    def claim(self, path: Path) -> Path | None:
        """Atomically move a dropped entry into processing/<dep>/; None if another process took it first."""
        target = self.claim_target(path.parent.name, path.name)
        try:
            os.rename(path, target)
        except FileNotFoundError:
            return None
        return target


def processing_dir(paths: InstancePaths) -> Path:
    return paths.submissions / "processing"


def session_alive(paths: InstancePaths, session_id: str, remove_dead: bool = True) -> bool:
    """True while the process that owns the session holds its lock. A dead session's lock file is removed
    (its claims are about to be recovered by the caller) unless remove_dead is False."""
    lock = processing_dir(paths) / ".sessions" / f"{session_id}.lock"
    try:
        fd = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        if remove_dead:
            lock.unlink(missing_ok=True)
        return False
    finally:
        os.close(fd)


def session_alive_quiet(paths: InstancePaths, session_id: str) -> bool:
    """Like session_alive, but leaves the lock file of a dead session for the claim recovery."""
    return session_alive(paths, session_id, remove_dead=False)
