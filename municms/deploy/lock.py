"""The deploy lock: one deploy or rollback at a time per instance; others wait their turn."""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from pathlib import Path

from ..paths import InstancePaths

# Per lock file: a re-entrant thread lock, the open file and how deep the holder is. Re-entrant so
# that publish() may hold the lock around Target.deploy(), which takes it again.
_registry_guard = threading.Lock()
_held: dict[Path, list] = {}


def _entry(path: Path) -> list:
    with _registry_guard:
        return _held.setdefault(path, [threading.RLock(), None, 0])


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
        entry[2] += 1
        try:
            yield
        finally:
            entry[2] -= 1
            if entry[2] == 0:
                fd, entry[1] = entry[1], None
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
