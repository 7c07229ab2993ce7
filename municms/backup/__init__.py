"""Backups of an instance: one verified archive (`publish.py backup`), its check (`backup --verify`), a restore
into a new folder (`publish.py restore`) and the daily backup inside `serve`."""

from __future__ import annotations

from pathlib import Path

from ..paths import InstancePaths
from .archive import NAME_RE, BackupResult, archive_name, write_backup
from .manifest import Manifest
from .reader import read_archive
from .restore import restore_archive

__all__ = ["BackupResult", "Manifest", "archive_name", "backups_in", "newest_backup", "read_archive",
           "restore_archive", "write_backup"]


def backups_in(folder: Path) -> list[Path]:
    """The archives of municms's own naming in folder, oldest first (by the time in their name)."""
    if not Path(folder).is_dir():
        return []
    found = [(m.group(1), p) for p in Path(folder).iterdir() if (m := NAME_RE.match(p.name)) and p.is_file()]
    return [p for _, p in sorted(found, key=lambda pair: (pair[0], pair[1].name))]


def newest_backup(instance, paths: InstancePaths) -> Path | None:
    """The newest archive in the instance's backup folder (instance.yaml backup.dir), or None when there is none."""
    found = backups_in(instance.backup.folder(paths.root))
    return found[-1] if found else None
