"""Restore an archive into a new instance folder: checked in full first, written to a staging folder next to the
target, renamed into place only when everything matched; an existing, non-empty folder is never touched.

An archive of a PostgreSQL ledger is restored into an empty database given by its URL (pg_restore in one
transaction, municms.db.dump); the new instance's instance.yaml then names that database, and the dump is not
kept in its folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..errors import BackupError
from ..deploy.local import sync_filesystem
from ..files import fsync_path
from .archive import Progress
from .manifest import DATABASE_DUMP, POSTGRESQL, Manifest
from .reader import read_archive


def restore_archive(archive: Path, into: Path, progress: Progress | None = None,
                    database_url: str | None = None) -> Manifest:
    """Check `archive` and extract it as the instance folder `into` (missing or empty); the manifest. An archive
    of a PostgreSQL ledger needs `database_url`, an empty database to restore it into."""
    into = Path(os.path.abspath(into))
    if into.is_symlink() or (into.exists() and (not into.is_dir() or any(into.iterdir()))):
        raise BackupError(f"'{into}' boş değil; geri yükleme yalnız yeni ya da boş bir klasöre yapılır (var olan "
                          "dosyaların üzerine hiçbir şey yazılmaz). Başka bir klasör verin.",
                          f"{into} exists and is not empty")
    into.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{into.name}.geri-yukleme-", dir=into.parent))
    try:
        manifest = read_archive(archive, into=staging, progress=progress)
        _restore_ledger(manifest, staging, archive.name, database_url)
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


def _restore_ledger(manifest: Manifest, staging: Path, name: str, url: str | None) -> None:
    """A PostgreSQL ledger into the database at url, and instance.yaml pointed at it; nothing for SQLite (its file
    is in var/ already), where a URL is refused rather than ignored."""
    from ..db import is_url, redact

    if manifest.ledger != POSTGRESQL:
        if url:
            raise BackupError(f"'{name}' bir SQLite kayıt veritabanı içeriyor; --database-url yalnız PostgreSQL "
                              "yedeklerinde kullanılır. Önce geri yükleyin, sonra 'publish.py db copy' ile "
                              "taşıyın.", f"{name}: SQLite ledger, --database-url given")
        return
    if not url or not is_url(url):
        raise BackupError(f"'{name}' kayıt veritabanını PostgreSQL dökümü olarak içeriyor: geri yüklemek için "
                          "--database-url ile boş bir PostgreSQL veritabanı verin (postgresql://kullanıcı@sunucu/"
                          "veritabanı).", f"{name}: PostgreSQL ledger needs --database-url")
    from ..db.dump import restore_ledger

    dump = staging / DATABASE_DUMP
    version, items = restore_ledger(dump, url)
    if (version, items) != (manifest.schema_version, manifest.items):
        raise BackupError(f"{redact(url)} veritabanına geri yüklenen kayıt ({items} kayıt, şema {version}) yedeğin "
                          f"içindekiler listesiyle ({manifest.items} kayıt, şema {manifest.schema_version}) tutmuyor.",
                          f"restored ledger differs: {(version, items)} != "
                          f"{(manifest.schema_version, manifest.items)}")
    dump.unlink()
    config = staging / "instance.yaml"
    lines = [line for line in config.read_text(encoding="utf-8").splitlines()
             if not line.startswith("database_url:")]
    config.write_text("\n".join(lines) + f"\ndatabase_url: {url}\n", encoding="utf-8")
