"""Restore an archive into a new instance folder: checked in full first, written to a staging folder next to the
target, renamed into place only when everything matched; an existing, non-empty folder is never touched."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..errors import BackupError
from ..deploy.local import sync_filesystem
from ..files import fsync_path
from .archive import Progress
from .manifest import Manifest
from .reader import read_archive


def restore_archive(archive: Path, into: Path, progress: Progress | None = None) -> Manifest:
    """Check `archive` and extract it as the instance folder `into` (missing or empty); the manifest."""
    into = Path(os.path.abspath(into))
    if into.is_symlink() or (into.exists() and (not into.is_dir() or any(into.iterdir()))):
        raise BackupError(f"'{into}' boş değil; geri yükleme yalnız yeni ya da boş bir klasöre yapılır (var olan "
                          "dosyaların üzerine hiçbir şey yazılmaz). Başka bir klasör verin.",
                          f"{into} exists and is not empty")
    into.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{into.name}.geri-yukleme-", dir=into.parent))
    try:
        manifest = read_archive(archive, into=staging, progress=progress)
        os.chmod(staging, 0o755)  # like a fresh instance folder: the web server reaches var/current through it
        os.chmod(staging / "var", 0o700)
        for part in ("submissions/inbox", "submissions/quarantine", "var/logs"):
            (staging / part).mkdir(parents=True, exist_ok=True)
        sync_filesystem(staging)  # file data on disk before the rename makes the instance visible
        if into.exists():
            into.rmdir()  # empty, checked above
        os.rename(staging, into)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    fsync_path(into.parent)
    return manifest
