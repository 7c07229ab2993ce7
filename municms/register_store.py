"""Where registered folders (original bytes, index.md, ekler/) live: the instance's disk or a bucket.

Two backends with one small interface (instance.yaml `storage.registered.target`):

    put(stored, staging)  inside the ledger transaction that records the registration, before its commit: the
                          staged folder becomes registered/<stored>/ (local: one rename; s3: every file uploaded
                          under <prefix>/registered/<stored>/ with its SHA-256 in the `sha256` metadata)
    seal(stored)          after the commit (local: the folder made read-only)
    folder(stored)        a local folder to read: the real one (local), or a disposable copy under
                          var/cache/registered/ filled from the bucket, every file checked against its SHA-256
    staging_parent(year)  where a registration is staged (local: beside its target, for the rename)

With s3 an upload failure raises StorageError inside the transaction: it rolls back, so no number is taken and
intake puts the submission back into the inbox. A crash between the upload and the commit leaves objects no
ledger row names (`unreferenced()` lists them); the next registration that is given the same number deletes
them under the same write lock before uploading, as the local backend replaces an orphan folder.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from pathlib import Path

from .deploy.shards import file_sha256
from .errors import StorageError
from .paths import InstancePaths
from .private import private_dir
from .s3client import delete_keys, is_missing, list_keys

log = logging.getLogger(__name__)

SECTION = "storage.registered"
CHUNK = 1 << 20


def register_store(instance, paths: InstancePaths | None = None):
    """The instance's store of registered folders (LocalStore or S3Store)."""
    paths = paths or InstancePaths(instance.root)
    settings = instance.storage.registered
    if settings.target == "s3":
        return S3Store(settings, paths)
    return LocalStore(paths)


_CLIENTS: dict = {}  # (endpoint, region) → boto3 client: one per process, making one takes ~50 ms and a few MB


class LocalStore:
    """registered/<year>/<number>[.rN]/ in the instance's submissions folder."""

    def __init__(self, paths: InstancePaths):
        self.root = paths.registered

    def staging_parent(self, year: int) -> Path:
        return private_dir(private_dir(self.root) / str(year))

    def put(self, stored: str, staging: Path) -> None:
        """Rename inside the write transaction: nobody else can hold this name, so a leftover is an orphan."""
        from .actions.intake_files import remove_tree

        target = self.root / stored
        if target.exists():
            remove_tree(target)
        os.rename(staging, target)

    def seal(self, stored: str) -> None:
        from .actions.intake_files import make_read_only

        make_read_only(self.root / stored)

    def folder(self, stored: str) -> Path:
        return self.root / stored


class S3Store:
    """<prefix>/registered/<year>/<number>[.rN]/<file> in a bucket; read through var/cache/registered/."""

    def __init__(self, settings, paths: InstancePaths):
        self.bucket, self.endpoint, self.region = settings.bucket, settings.endpoint_url, settings.region
        prefix = settings.prefix.strip("/")
        self.base = f"{prefix}/registered/" if prefix else "registered/"
        self.cache = paths.registered_cache
        self.staging = paths.var / "registered-staging"
        self._client = None

    # -- plumbing -------------------------------------------------------------------------------------
    @property
    def client(self):
        if self._client is None:
            from .s3client import s3_client
            key = (self.endpoint, self.region, os.environ.get("AWS_ACCESS_KEY_ID", ""))
            if key not in _CLIENTS:  # boto3 clients are thread-safe
                _CLIENTS[key] = s3_client(self.endpoint, self.region, error=StorageError)
            self._client = _CLIENTS[key]
        return self._client

    def _errors(self):
        from .s3client import s3_errors
        return s3_errors(self.endpoint, self.bucket, SECTION, StorageError)

    def key(self, stored: str, rel: str = "") -> str:
        return f"{self.base}{stored}/{rel}"

    def _keys(self, prefix: str) -> list[str]:
        return list_keys(self.client, self.bucket, prefix)[0]

    def _head(self, key: str) -> dict | None:
        from botocore.exceptions import ClientError
        try:
            return self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if is_missing(exc):
                return None
            raise

    # -- writing --------------------------------------------------------------------------------------
    def staging_parent(self, year: int) -> Path:
        return private_dir(private_dir(self.staging) / str(year))

    def put(self, stored: str, staging: Path) -> None:
        """Upload every file of the staged folder (called under the ledger's write lock, before the commit)."""
        from .actions.intake_files import remove_tree

        files = sorted((path.relative_to(staging).as_posix(), path) for path in staging.rglob("*") if path.is_file())
        with self._errors():
            leftovers = self._keys(self.key(stored))
            if leftovers:  # a registration that uploaded and never committed: no ledger row names them
                log.warning("removing %d objects no registration committed under %s", len(leftovers),
                            self.key(stored))
                self._delete(leftovers)
            for rel, path in files:
                self._put_new(self.key(stored, rel), path)
        remove_tree(staging)

    def _put_new(self, key: str, path: Path) -> None:
        """One object, never over another one with other content."""
        digest = file_sha256(str(path))
        existing = self._head(key)
        if existing is not None:
            if existing.get("Metadata", {}).get("sha256") == digest:
                return
            raise StorageError(f"Kovada '{key}' zaten başka bir içerikle var; kayıtlı dosyaların üzerine "
                               "yazılmaz. Gönderi gelen kutusunda bırakıldı.",
                               f"refusing to overwrite {key}: it exists with other content")
        with path.open("rb") as body:
            self.client.put_object(Bucket=self.bucket, Key=key, Body=body, Metadata={"sha256": digest},
                                   ContentType="application/octet-stream")

    def _delete(self, keys: list[str]) -> None:
        delete_keys(self.client, self.bucket, keys, StorageError, "Kovada yarım kalmış bir kaydın dosyası")

    def seal(self, stored: str) -> None:
        """Nothing to do: the objects are written once and never again."""

    # -- reading --------------------------------------------------------------------------------------
    def folder(self, stored: str) -> Path:
        """The cached copy of registered/<stored>/, downloaded and checked first if it is not there; a folder the
        bucket has nothing of is returned without being made (its files are missing, as on disk)."""
        target = self.cache / stored
        if target.is_dir():
            return target
        with self._errors():
            keys = self._keys(self.key(stored))
            if not keys:
                return target
            private_dir(self.cache)
            fill = self.cache / f".doldur-{secrets.token_hex(6)}"
            try:
                for key in keys:
                    self._download(key, fill / key[len(self.key(stored)):])
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.rename(fill, target)
                except OSError:  # another process filled it meanwhile
                    if not target.is_dir():
                        raise
            finally:
                from .actions.intake_files import remove_tree
                remove_tree(fill)
        return target

    def _download(self, key: str, target: Path) -> None:
        answer = self.client.get_object(Bucket=self.bucket, Key=key)
        expected = answer.get("Metadata", {}).get("sha256", "")
        digest = hashlib.sha256()
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            for chunk in answer["Body"].iter_chunks(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != expected:
            raise StorageError(f"Kovadaki kayıtlı dosya bozuk: '{key}' yazıldığı andaki SHA-256 özetini tutmuyor "
                               f"({self.endpoint}, kova '{self.bucket}'). Dosya kullanılmadı; yedekten geri "
                               "yükleyin.", f"{key}: sha256 {digest.hexdigest()} != recorded {expected!r}")
        os.chmod(target, 0o400)

    # -- upkeep ---------------------------------------------------------------------------------------
    def unreferenced(self, stored_dirs: set[str]) -> list[str]:
        """Keys under registered/ in folders no ledger revision names (left by registrations that never
        committed), sorted."""
        with self._errors():
            keys = self._keys(self.base)
        return sorted(k for k in keys if "/".join(k[len(self.base):].split("/")[:2]) not in stored_dirs)

