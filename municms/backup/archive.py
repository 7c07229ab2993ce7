"""Write one backup archive: the ledger taken with SQLite's online backup API (or, in PostgreSQL, pg_dump of one
snapshot: municms.db.dump), then the instance's own files.

The ledger is copied first, in one read transaction (consistent while `serve` writes), and the files after it:
a registration's stored file is on disk before its row is committed, so every file the copied ledger names is
in the archive. Originals kept in a bucket (storage.registered.target s3) are downloaded, checked against their
SHA-256, and archived under submissions/registered/ as if they were on disk: every folder the copied ledger
names, read through the register's store. The archive is a gzip'd tar written under a hidden temp name,
fsync'd, then linked into place (never over an existing archive)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
import sqlite3
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import ledger_file
from ..db import database_url
from ..errors import BackupError
from ..files import fsync_path
from ..paths import InstancePaths
from ..private import private_dir
from ..turkish import slugify
from .manifest import DATABASE, DATABASE_DUMP, MANIFEST, MANIFEST_SUM, POSTGRESQL, SQLITE, Manifest, digest_line

# What an instance holds that cannot be made again; the rest of var/ (builds, releases, shards, caches) can.
PARTS = ("instance.yaml", "pelicanconf.py", "content", "data", "submissions/registered", "submissions/receipts",
         "themes", "plugins")
SECRETS = ("var/form.key",)       # the seminar form's signing key: without it every issued link breaks
SKIP_NAMES = ("__pycache__",)
SKIP_SUFFIXES = (".pyc",)
NAME_RE = re.compile(r"^municms-yedek-[a-z0-9-]+-(\d{8}-\d{6})\.tar\.gz$")

Progress = Callable[[int, int, int, int], None]   # files done, files in all, bytes done, bytes in all


@dataclass
class BackupResult:
    path: Path
    size: int
    sha256: str
    files: int
    items: int
    seconds: float


def archive_name(prefix: str, now: dt.datetime) -> str:
    """municms-yedek-<prefix>-YYYYMMDD-HHMMSS.tar.gz (site time)."""
    return f"municms-yedek-{slugify(prefix) or 'kurum'}-{now:%Y%m%d-%H%M%S}.tar.gz"


def instance_files(paths: InstancePaths) -> list[tuple[str, Path]]:
    """(archive path, file) of every file to back up besides the ledger, sorted."""
    found = []
    for part in PARTS + SECRETS:
        source = paths.root / part
        if source.is_file() and not source.is_symlink():
            found.append((part, source))
        elif source.is_dir():
            for folder, dirs, names in os.walk(source):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_NAMES)
                for name in names:
                    path = Path(folder) / name
                    if name.endswith(SKIP_SUFFIXES) or path.is_symlink() or not path.is_file():
                        continue
                    found.append((path.relative_to(paths.root).as_posix(), path))
    return sorted(found)


def bucket_files(instance, paths: InstancePaths, stored_dirs: Callable[[], list[str]]) -> list[tuple[str, Path]]:
    """(archive path, cached copy) of every registered file the ledger copy names (`stored_dirs`, read only when
    the originals live in a bucket)."""
    from ..register_store import S3Store, register_store

    store = register_store(instance, paths)
    if not isinstance(store, S3Store):
        return []
    found = []
    for stored in stored_dirs():
        folder = store.folder(stored)
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file():
                found.append((f"submissions/registered/{stored}/{path.relative_to(folder).as_posix()}", path))
    return found


def snapshot_ledger(database: Path, target: Path) -> tuple[int, int]:
    """Copy the ledger with the online backup API (one consistent state); (schema version, item count)."""
    if not database.is_file():
        raise BackupError(f"Kayıt veritabanı bulunamadı: {database}. Yedeklenecek bir kurulum yok.",
                          f"no ledger at {database}")
    try:
        return ledger_file.snapshot(database, target)
    except sqlite3.Error as exc:
        raise BackupError(f"Kayıt veritabanı kopyalanamadı: {exc}", f"ledger backup failed: {exc}") from None


class _HashingWriter:
    """The archive file: every byte written is hashed (the archive's SHA-256, for the audit event)."""

    def __init__(self, handle):
        self.handle, self.hash, self.size = handle, hashlib.sha256(), 0

    def write(self, data) -> int:
        self.hash.update(data)
        self.size += len(data)
        return self.handle.write(data)

    def flush(self) -> None:
        self.handle.flush()


class _HashingReader:
    """A file being added: hashed as tarfile reads it."""

    def __init__(self, handle):
        self.handle, self.hash = handle, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.hash.update(data)
        return data


def _member(name: str, size: int, mtime: float, mode: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode, info.type = size, int(mtime), mode, tarfile.REGTYPE
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def write_backup(instance, paths: InstancePaths, folder: Path, now: dt.datetime,
                 progress: Progress | None = None) -> BackupResult:
    """One archive of the instance in `folder`; BackupError (and nothing left behind) when it cannot be written."""
    try:
        return _write_backup(instance, paths, Path(folder), now, progress)
    except OSError as exc:
        raise BackupError(f"Yedek yazılamadı ({folder}): {exc.strerror or exc}. Boş yeri ve izinleri denetleyin.",
                          f"cannot write backup: {exc}") from None


def _write_backup(instance, paths: InstancePaths, folder: Path, now: dt.datetime,
                  progress: Progress | None) -> BackupResult:
    started = time.perf_counter()
    folder = private_dir(folder)
    target = folder / archive_name(instance.registration.prefix, now)
    if target.exists():
        raise BackupError(f"Aynı adla bir yedek zaten var: {target}. Bir saniye sonra yeniden deneyin.",
                          f"backup {target} exists")
    temp = folder / f".{target.name}.tmp-{secrets.token_hex(4)}"
    with tempfile.TemporaryDirectory(prefix=".yedek-", dir=folder) as scratch:
        url = database_url(instance)
        if url:
            from ..db.dump import dump_ledger
            dump = Path(scratch) / "municms.pgdump"
            version, items, stored = dump_ledger(url, dump)
            files = [(DATABASE_DUMP, dump)] + instance_files(paths) + bucket_files(instance, paths, lambda: stored)
        else:
            database = Path(scratch) / "municms.sqlite3"
            version, items = snapshot_ledger(paths.database, database)
            files = [(DATABASE, database)] + instance_files(paths) + bucket_files(
                instance, paths, lambda: ledger_file.stored_dirs(database))
        manifest = Manifest(created_at=now.isoformat(timespec="seconds"), schema_version=version, items=items,
                            municipality=instance.municipality.name, prefix=instance.registration.prefix,
                            ledger=POSTGRESQL if url else SQLITE)
        try:
            sink = _write(temp, files, manifest, progress)
            os.link(temp, target)  # never over an archive that appeared meanwhile
        except FileExistsError:
            raise BackupError(f"Aynı adla bir yedek zaten var: {target}.", f"backup {target} exists") from None
        finally:
            temp.unlink(missing_ok=True)
    fsync_path(folder)
    return BackupResult(target, sink.size, sink.hash.hexdigest(), len(manifest.files), items,
                        time.perf_counter() - started)


def _write(temp: Path, files: list[tuple[str, Path]], manifest: Manifest, progress: Progress | None):
    sizes = {name: _size(path) for name, path in files}
    total, done_bytes = sum(sizes.values()), 0
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # password hashes: owner-only from the start
    with os.fdopen(fd, "wb") as handle:
        sink = _HashingWriter(handle)
        with tarfile.open(fileobj=sink, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT) as tar:
            for count, (name, path) in enumerate(files, 1):
                try:
                    source = path.open("rb")
                except FileNotFoundError:  # renamed or deleted since it was listed (a writer's temp file)
                    continue
                with source:
                    stat = os.fstat(source.fileno())
                    private = name.startswith("var/")
                    mode = 0o600 if private else (0o755 if stat.st_mode & 0o100 else 0o644)
                    reader = _HashingReader(source)
                    try:
                        tar.addfile(_member(name, stat.st_size, stat.st_mtime, mode), reader)
                    except OSError as exc:
                        raise BackupError(f"'{name}' yedeklenirken değişti ya da okunamadı; yedeği yeniden alın.",
                                          f"{name} changed while being archived: {exc}") from None
                    manifest.add(name, stat.st_size, reader.hash.hexdigest())
                done_bytes += sizes[name]
                if progress:
                    progress(count, len(files), done_bytes, total)
            body = manifest.to_bytes()
            for name, data in ((MANIFEST, body), (MANIFEST_SUM, digest_line(body))):
                tar.addfile(_member(name, len(data), manifest_time(manifest), 0o600), _Bytes(data))
        handle.flush()
        os.fsync(handle.fileno())
    return sink


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def manifest_time(manifest: Manifest) -> float:
    return dt.datetime.fromisoformat(manifest.created_at).timestamp()


class _Bytes:
    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.at + size
        chunk, self.at = self.data[self.at:end], min(end, len(self.data))
        return chunk
