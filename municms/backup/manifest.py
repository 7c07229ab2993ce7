"""The manifest of a backup archive: what it holds (path, size, SHA-256 of every file) and what made it.

It is the archive's second-to-last member, `MANIFEST.json`; the last, `MANIFEST.sha256`, holds the manifest's own
SHA-256, so an archive cut short (or a manifest changed by hand) is told apart from a complete one."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from .. import __version__
from ..errors import BackupError

FORMAT = "municms-yedek"
FORMAT_VERSION = 1
MANIFEST = "MANIFEST.json"
MANIFEST_SUM = "MANIFEST.sha256"
DATABASE = "var/municms.sqlite3"
DATABASE_DUMP = "var/municms.pgdump"   # a ledger in PostgreSQL: pg_dump's custom format (municms.db.dump)
SQLITE, POSTGRESQL = "sqlite", "postgresql"


@dataclass
class Manifest:
    created_at: str
    schema_version: int
    items: int
    municipality: str
    prefix: str
    files: dict[str, dict] = field(default_factory=dict)   # path → {"size": n, "sha256": hex}
    municms_version: str = __version__
    format_version: int = FORMAT_VERSION
    ledger: str = SQLITE                                   # where the ledger was: its member is ledger_member

    @property
    def ledger_member(self) -> str:
        return DATABASE_DUMP if self.ledger == POSTGRESQL else DATABASE

    def add(self, path: str, size: int, sha256: str) -> None:
        self.files[path] = {"size": size, "sha256": sha256}

    @property
    def total_bytes(self) -> int:
        return sum(f["size"] for f in self.files.values())

    def to_bytes(self) -> bytes:
        data = {"format": FORMAT, "format_version": self.format_version, "municms_version": self.municms_version,
                "created_at": self.created_at, "ledger": self.ledger, "ledger_schema_version": self.schema_version,
                "items": self.items,
                "municipality": self.municipality, "prefix": self.prefix,
                "files": [{"path": p, **self.files[p]} for p in sorted(self.files)]}
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def digest_line(manifest_bytes: bytes) -> bytes:
    """The content of MANIFEST.sha256 (sha256sum's format)."""
    return f"{hashlib.sha256(manifest_bytes).hexdigest()}  {MANIFEST}\n".encode()


def _damaged(what_tr: str, what_en: str) -> BackupError:
    return BackupError(f"Yedeğin içindekiler listesi (MANIFEST.json) bozuk: {what_tr}. Bu arşive güvenilemez.",
                       f"manifest damaged: {what_en}")


def parse(manifest_bytes: bytes, sum_bytes: bytes) -> Manifest:
    """The manifest, after checking it against its own SHA-256 and its format; BackupError otherwise."""
    if sum_bytes != digest_line(manifest_bytes):
        raise _damaged("kendi SHA-256 özeti tutmuyor (değiştirilmiş ya da bozulmuş)", "its own SHA-256 differs")
    try:
        data = json.loads(manifest_bytes.decode("utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError("format")
        version = data["format_version"]
    except (ValueError, KeyError, TypeError, AttributeError):
        raise _damaged("okunamıyor", "not readable") from None
    if version != FORMAT_VERSION:
        raise BackupError(f"Bu yedek biçimi (sürüm {version}) desteklenmiyor; bu municms sürümü {FORMAT_VERSION}. "
                          "sürüm yedekleri okur. Yedeği alan municms sürümüyle geri yükleyin.",
                          f"unsupported backup format version {version}")
    try:
        manifest = Manifest(created_at=str(data["created_at"]), schema_version=int(data["ledger_schema_version"]),
                            items=int(data["items"]), municipality=str(data["municipality"]),
                            prefix=str(data["prefix"]), municms_version=str(data["municms_version"]),
                            ledger=str(data.get("ledger", SQLITE)))
        if manifest.ledger not in (SQLITE, POSTGRESQL):
            raise ValueError(manifest.ledger)
        for entry in data["files"]:
            manifest.add(str(entry["path"]), int(entry["size"]), str(entry["sha256"]))
    except (ValueError, KeyError, TypeError):
        raise _damaged("alanları eksik", "fields missing") from None
    return manifest
