"""Owner-only files and folders: the ledger (password hashes) and the register's copies (confidential
correspondence, Madde 13) are readable by the instance's owner alone, whatever the umask."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
_OTHERS = stat.S_IRWXG | stat.S_IRWXO


def tighten(path: Path) -> None:
    """Take every group and other permission off path (never adds one); a missing path is fine."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode & _OTHERS:
            os.chmod(path, mode & ~_OTHERS)
    except FileNotFoundError:
        pass
    except PermissionError:  # someone else's file: reported, not fatal; only its owner can fix it
        log.warning("cannot make %s owner-only: not its owner", path)


def create_private_file(path: Path) -> None:
    """Create path empty and owner-only if it does not exist (the mode is given at creation, so it is never
    readable by others, even for a moment); an existing one is tightened."""
    path = Path(path)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    tighten(path)


def private_dir(path: Path) -> Path:
    """mkdir -p path and make path itself owner-only (tightened if it already existed wider)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    tighten(path)
    return path


def is_private(path: Path) -> bool:
    return not stat.S_IMODE(os.stat(path).st_mode) & _OTHERS
