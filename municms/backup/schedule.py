"""The daily backup inside `serve`: at backup.daily_at (site time) one archive, the newest backup.keep kept, a copy
sent to backup.copy_to. A failure is logged loudly and tried again an hour later (never past the next day's
run); it never stops `serve`."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import secrets
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..auth import system_actor
from ..clock import Clock
from ..daily import DailyTask, next_run
from ..deploy.rsync import ssh_command as rsync_ssh
from ..errors import BackupError, MunicmsError
from ..files import fsync_path
from ..db import ledger_target
from ..ledger import open_ledger
from ..paths import InstancePaths
from . import BackupResult, backups_in

log = logging.getLogger(__name__)
RETRY = dt.timedelta(hours=1)
_REMOTE = re.compile(r"^(?:(?P<user>[A-Za-z0-9._-]+)@)?(?P<host>[A-Za-z0-9._-]+):(?P<path>.+)$")


@dataclass
class DailyResult:
    backup: BackupResult | None = None
    removed: list[Path] = field(default_factory=list)
    copied_to: str = ""
    error: str = ""


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives of our own naming in folder; the deleted ones."""
    old = backups_in(folder)[:-keep]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def ssh_command(settings) -> list[str]:
    """The ssh options of the rsync deploy target (municms/deploy/rsync.py), from backup's own settings."""
    return rsync_ssh(settings.ssh_port, settings.identity_file, settings.known_hosts_file)


def copy_archive(archive: Path, settings, root: Path) -> str:
    """Copy archive to settings.copy_to: a folder (temp name, fsync, rename; rotated like the first place) or
    user@host:/path with rsync over ssh (rsync writes a temp file and renames it). Where it went."""
    where = settings.copy_to
    remote = _REMOTE.match(where)
    if remote and not where.startswith("/"):
        command = ["rsync", "--chmod=F600", "-e", shlex.join(ssh_command(settings)), str(archive),
                   where.rstrip("/") + "/"]
        proc = subprocess.run(command, capture_output=True, text=True, timeout=3600)
        if proc.returncode != 0:
            raise BackupError(f"Yedek {where} adresine kopyalanamadı (rsync {proc.returncode}): "
                              f"{proc.stderr.strip()[-300:]}", f"rsync to {where} failed: {proc.stderr.strip()}")
        return where
    folder = (root / where).resolve()
    temp = folder / f".{archive.name}.tmp-{secrets.token_hex(4)}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with archive.open("rb") as source, os.fdopen(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600),
                                                     "wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
            target.flush()
            os.fsync(target.fileno())
        os.replace(temp, folder / archive.name)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise BackupError(f"Yedek {folder} klasörüne kopyalanamadı: {exc.strerror or exc}",
                          f"copy to {folder} failed: {exc}") from None
    fsync_path(folder)
    rotate(folder, settings.keep)
    return str(folder)


def daily_backup(instance, paths: InstancePaths, clock: Clock) -> DailyResult:
    """One scheduled run: archive (as the system, recorded), rotate, copy. Errors are caught and returned."""
    from ..actions.backup import take_backup

    result = DailyResult()
    try:
        ledger = open_ledger(ledger_target(instance, paths))
        try:
            result.backup = take_backup(ledger, instance, paths, clock, system_actor("günlük yedek"))
        finally:
            ledger.close()
        result.removed = rotate(result.backup.path.parent, instance.backup.keep)
        if instance.backup.copy_to:
            result.copied_to = copy_archive(result.backup.path, instance.backup, paths.root)
        log.info("daily backup: %s (%d bytes), removed %d old, copied to %s", result.backup.path,
                 result.backup.size, len(result.removed), result.copied_to or "-")
    except MunicmsError as exc:
        result.error = exc.message_tr
        log.error("GÜNLÜK YEDEK ALINAMADI: %s (daily backup failed: %s)", exc.message_tr, exc.message_en)
    except Exception as exc:  # never stop serve; the next try comes
        result.error = str(exc)
        log.exception("GÜNLÜK YEDEK ALINAMADI (daily backup failed)")
    return result


class DailyBackup(DailyTask):
    """Every day at backup.daily_at: back up (again an hour later, after a failure)."""

    thread_name = "municms-backup"
    last: DailyResult | None

    def next_attempt(self, now: dt.datetime) -> dt.datetime:
        """The next daily time, or an hour from now when the last run failed (if that comes sooner)."""
        daily = next_run(now, self.at)
        return min(daily, now + RETRY) if self.last is not None and self.last.error else daily

    def run_once(self) -> DailyResult:
        self.last = daily_backup(self.instance, self.paths, self.clock)
        return self.last
