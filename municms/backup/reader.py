"""Read a backup archive member by member and check all of it: safe names, every SHA-256, the manifest and its own
digest, nothing missing or extra, and a ledger that opens and passes `SQLite integrity_check` (a PostgreSQL
dump: whose table of contents `pg_restore --list` reads).

`read_archive` hands each member's bytes to a sink (restore writes them to a staging folder; verify keeps only
the ledger) and raises BackupError with a Turkish message at the first problem."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tarfile
import tempfile
import zlib
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from .. import ledger_file
from ..errors import BackupError
from ..ledger import SCHEMA_VERSION
from .archive import PARTS, SECRETS, Progress
from .manifest import DATABASE, DATABASE_DUMP, MANIFEST, MANIFEST_SUM, POSTGRESQL, Manifest, parse

CHUNK = 1 << 20
TOP_LEVEL = {p.split("/")[0] for p in PARTS + SECRETS}


def _unsafe(name: str, member: str, why: str, why_en: str) -> BackupError:
    return BackupError(f"'{name}' güvenli değil: '{member}' üyesi {why}; arşivden hiçbir şey çıkarılmadı.",
                       f"unsafe member {member!r}: {why_en}")


def check_member(name: str, member: tarfile.TarInfo) -> str:
    """The member's path if it may be extracted: a regular file, relative, no '..', in one of the backed-up parts."""
    path = member.name
    if "\x00" in path or "\\" in path:
        raise _unsafe(name, path, "geçersiz karakter içeriyor", "bad character")
    if path.startswith("/") or PurePosixPath(path).is_absolute():
        raise _unsafe(name, path, "mutlak bir yol", "absolute path")
    parts = PurePosixPath(path).parts
    if ".." in parts or "." in parts or not parts:
        raise _unsafe(name, path, "'..' ya da '.' içeriyor", "'..' in path")
    if not member.isreg():
        raise _unsafe(name, path, "sıradan bir dosya değil (bağlantı, klasör ya da aygıt)", "not a regular file")
    if path not in (MANIFEST, MANIFEST_SUM) and parts[0] not in TOP_LEVEL:
        raise _unsafe(name, path, "yedeklenen bölümlerden birinde değil", "outside the backed-up parts")
    return path


def _truncated(name: str) -> BackupError:
    return BackupError(f"'{name}' eksik: arşiv yarıda kesilmiş (dosya tamamlanmadan bitiyor). Bu yedekten geri "
                       "yükleme yapılamaz; başka bir yedek kullanın.", f"{name}: archive truncated")


def _corrupt(name: str) -> BackupError:
    return BackupError(f"'{name}' bozuk: sıkıştırılmış veri okunamıyor (bir kısmı değişmiş). Bu yedekten geri "
                       "yükleme yapılamaz; başka bir yedek kullanın.", f"{name}: compressed data corrupt")


def read_archive(archive: Path, into: Path | None = None, progress: Progress | None = None) -> Manifest:
    """Read and check every member; with `into`, write each below that folder (restore), else only the ledger,
    to a temp folder deleted afterwards (verify). BackupError at the first problem."""
    archive = Path(archive)
    name = archive.name
    if not archive.is_file():
        raise BackupError(f"Yedek dosyası bulunamadı: {archive}", f"no such backup file: {archive}")
    try:
        tar = tarfile.open(archive, mode="r:gz")
    except (tarfile.ReadError, EOFError, OSError, zlib.error) as exc:
        if _gzip(archive) and _is_truncation(exc.__context__ or exc):
            raise _truncated(name) from None  # a gzip stream that ends before its first member does
        raise BackupError(f"'{name}' bir municms yedeği değil: gzip ile sıkıştırılmış bir tar arşivi olarak "
                          "okunamadı.", f"{name}: not a gzip'd tar archive") from None
    try:
        return _read(archive, name, tar, into, progress)
    except OSError as exc:  # writing the extracted files (a full disk, a folder that cannot be written)
        raise BackupError(f"'{name}' açılırken dosyalar yazılamadı: {exc.strerror or exc}. Boş yeri ve klasörün "
                          "izinlerini denetleyin.", f"cannot write extracted files: {exc}") from None


def _read(archive: Path, name: str, tar: tarfile.TarFile, into: Path | None, progress: Progress | None) -> Manifest:
    seen: dict[str, tuple[int, str]] = {}
    special: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix=".yedek-denetim-") as scratch, tar:
        root = Path(scratch) if into is None else Path(into)
        for member in _members(tar, name):
            path = check_member(name, member)
            if path in seen or path in special:
                raise _unsafe(name, path, "arşivde iki kez var", "duplicate member")
            if path in (MANIFEST, MANIFEST_SUM):
                special[path] = _read_all(tar, member, name)
                continue
            keep = into is not None or path in (DATABASE, DATABASE_DUMP)
            seen[path] = _copy(tar, member, _create(root, path, member) if keep else None, name)
            if keep:
                os.utime(root / path, (member.mtime, member.mtime))
            if progress:
                progress(len(seen), 0, sum(size for size, _ in seen.values()), 0)
        _read_to_the_end(tar, name)
        if MANIFEST not in special or MANIFEST_SUM not in special:
            raise BackupError(f"'{name}' bir municms yedeği değil ya da eksik: içindekiler listesi (MANIFEST.json) "
                              "yok.", f"{name}: no manifest")
        manifest = parse(special[MANIFEST], special[MANIFEST_SUM])
        compare(name, manifest, seen)
        check_ledger(name, manifest, root / manifest.ledger_member)
    return manifest


def _create(root: Path, path: str, member: tarfile.TarInfo) -> BinaryIO:
    """A new file for the member below root (its folders made; never an existing file, never outside root)."""
    target = root / path
    if not target.resolve().is_relative_to(root.resolve()):
        raise BackupError(f"'{path}' kurulum klasörünün dışına yazılamaz.", f"{path} escapes {root}")
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = 0o600 if path.startswith("var/") else (member.mode & 0o755) | 0o600
    return os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode), "wb")


def _read_to_the_end(tar: tarfile.TarFile, name: str) -> None:
    """Read past the tar's end blocks to the gzip trailer: its CRC and length, or a cut-off end, are checked too."""
    try:
        while tar.fileobj.read(CHUNK):
            pass
    except (EOFError, tarfile.ReadError) as exc:
        raise (_truncated(name) if _is_truncation(exc) else _corrupt(name)) from None
    except (zlib.error, OSError):
        raise _corrupt(name) from None


def _gzip(archive: Path) -> bool:
    with archive.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def _members(tar: tarfile.TarFile, name: str):
    """Each member in order; a short or damaged stream becomes BackupError."""
    while True:
        try:
            member = tar.next()
        except (EOFError, tarfile.ReadError) as exc:
            raise (_truncated(name) if _is_truncation(exc) else _corrupt(name)) from None
        except (zlib.error, OSError):
            raise _corrupt(name) from None
        if member is None:
            return
        yield member


def _is_truncation(exc: Exception) -> bool:
    text = str(exc).lower()
    return isinstance(exc, EOFError) or "unexpected end" in text or "truncated" in text or "empty file" in text


def _read_all(tar: tarfile.TarFile, member: tarfile.TarInfo, name: str) -> bytes:
    if member.size > 64 << 20:
        raise BackupError(f"'{name}' bozuk: içindekiler listesi olamayacak kadar büyük.", "manifest too large")
    handle = tar.extractfile(member)
    try:
        data = handle.read()
    except (EOFError, tarfile.ReadError, zlib.error, OSError) as exc:
        raise (_truncated(name) if _is_truncation(exc) else _corrupt(name)) from None
    if len(data) != member.size:
        raise _truncated(name)
    return data


def _copy(tar: tarfile.TarFile, member: tarfile.TarInfo, out: BinaryIO | None, name: str) -> tuple[int, str]:
    """(size, sha256) of the member's bytes, written to out if given."""
    digest, size = hashlib.sha256(), 0
    handle = tar.extractfile(member)
    try:
        while True:
            try:
                chunk = handle.read(CHUNK)
            except (EOFError, tarfile.ReadError, zlib.error, OSError) as exc:
                raise (_truncated(name) if _is_truncation(exc) else _corrupt(name)) from None
            if not chunk:
                break
            digest.update(chunk)
            size += len(chunk)
            if out is not None:
                out.write(chunk)
    finally:
        if out is not None:
            out.close()
    if size != member.size:
        raise _truncated(name)
    return size, digest.hexdigest()


def compare(name: str, manifest: Manifest, seen: dict[str, tuple[int, str]]) -> None:
    """Every listed file present with its size and SHA-256, and nothing else."""
    missing = sorted(set(manifest.files) - set(seen))
    if missing:
        raise BackupError(f"'{name}' eksik: içindekiler listesindeki {len(missing)} dosya arşivde yok (ilki: "
                          f"'{missing[0]}').", f"{name}: {len(missing)} listed files missing")
    extra = sorted(set(seen) - set(manifest.files))
    if extra:
        raise BackupError(f"'{name}' içindekiler listesinde olmayan {len(extra)} dosya içeriyor (ilki: '{extra[0]}'); "
                          "arşive sonradan eklenmiş.", f"{name}: {len(extra)} files not in the manifest")
    for path in sorted(seen):
        size, digest = seen[path]
        if (size, digest) != (manifest.files[path]["size"], manifest.files[path]["sha256"]):
            raise BackupError(f"'{name}' bozuk: '{path}' dosyasının SHA-256 özeti içindekiler listesindekiyle "
                              "tutmuyor.", f"{name}: checksum mismatch for {path}")


def check_ledger(name: str, manifest: Manifest, database: Path) -> None:
    """The ledger in the archive opens, passes integrity_check (a dump: its table of contents reads), and is of a
    schema this version reads."""
    member = manifest.ledger_member
    if member not in manifest.files:
        raise BackupError(f"'{name}' eksik: kayıt veritabanı ({member}) yedekte yok.", f"{name}: no ledger")
    other = DATABASE if member == DATABASE_DUMP else DATABASE_DUMP
    if other in manifest.files:
        raise BackupError(f"'{name}' bozuk: iki kayıt veritabanı içeriyor ({DATABASE}, {DATABASE_DUMP}).",
                          f"{name}: two ledgers")
    if manifest.schema_version > SCHEMA_VERSION:
        newer = manifest.schema_version
        raise BackupError(f"'{name}' daha yeni bir municms sürümüyle alınmış (veritabanı şeması {newer}, bu sürüm "
                          f"{SCHEMA_VERSION}); o sürümle geri yükleyin.",
                          f"{name}: ledger schema {manifest.schema_version} is newer than {SCHEMA_VERSION}")
    if manifest.ledger == POSTGRESQL:
        from ..db.dump import check_dump
        check_dump(database)
        return
    try:
        result, version = ledger_file.integrity(database, full=True, mode="ro", limit=100)
    except sqlite3.Error as exc:
        result, version = [str(exc)], None
    if result != ["ok"]:
        raise BackupError(f"'{name}' içindeki kayıt veritabanı bozuk (SQLite integrity_check: {result[0]}).",
                          f"{name}: ledger integrity check failed: {result[:3]}")
    if version != manifest.schema_version:
        raise BackupError(f"'{name}' bozuk: veritabanının şema sürümü ({version}) içindekiler listesindekiyle "
                          f"({manifest.schema_version}) tutmuyor.", f"{name}: schema version differs")
