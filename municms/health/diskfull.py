"""A full disk (ENOSPC, EDQUOT, SQLITE_FULL) as one clear Turkish error instead of a traceback."""

from __future__ import annotations

import errno
import shutil
import sqlite3

from ..errors import MunicmsError

_FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)
# SQLITE_FULL, and SQLITE_IOERR_SHMSIZE: the -shm file of a WAL database could not grow (no space for it)
_SQLITE_FULL = (getattr(sqlite3, "SQLITE_FULL", 13), getattr(sqlite3, "SQLITE_IOERR_SHMSIZE", 4874))


class DiskFull(MunicmsError):
    """The file system ran out of space (or quota) while writing; what was started was undone."""


def is_disk_full(exc: BaseException | None) -> bool:
    """True for OSError ENOSPC/EDQUOT and SQLite's SQLITE_FULL ('database or disk is full'), also when wrapped."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, DiskFull):
            return True
        if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
            return True
        if isinstance(exc, shutil.Error) and any("No space left" in str(row) for row in exc.args[0] or ()):
            return True
        if isinstance(exc, sqlite3.Error) and (getattr(exc, "sqlite_errorcode", None) in _SQLITE_FULL
                                               or "database or disk is full" in str(exc)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def disk_full(exc: BaseException, where: str = "") -> DiskFull:
    """The user-facing error for a full disk met while doing `where` (Turkish, e.g. 'gönderi kaydı')."""
    filename = getattr(exc, "filename2", None) or getattr(exc, "filename", None)
    place = f" ({filename})" if filename else ""
    doing = f" {where} sırasında" if where else ""
    return DiskFull(
        f"Diskte yer kalmadı{doing}. Yarım kalan iş geri alındı; yayındaki site ve kayıtlar değişmedi. "
        "Yapılacak: diskte yer açın (eski derlemeler var/build/, günlükler var/logs/, başka büyük dosyalar; "
        "boş alanı 'df -h' ile görün) ve komutu yeniden çalıştırın.",
        f"no space left on device{' while ' + where if where else ''}{place}: {exc}")
