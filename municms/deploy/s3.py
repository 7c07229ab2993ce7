"""s3 target: releases side by side in a bucket of any S3-compatible object store, switched by one pointer object.

Keys under `<prefix>/` of the bucket (boto3, path-style addressing):

    releases/<id>/<path>   the files of the segments release <id> stores (municms.deploy.s3_layout: the root,
                           and the folders that changed since the live release), each with the Content-Type,
                           Cache-Control and Content-Language nginx sends for it (municms.deploy.objects);
                           surum.json names it
    current                the pointer: one small object whose body and `x-amz-meta-release` name the live
                           release, `x-amz-meta-base` and `x-amz-meta-segments` where its segments are stored;
                           one PUT switches the site (S3 writes of one object are atomic)
    meta/<id>.json         the release's metadata (who, when, items, stats, rollback marks, its layout)
    manifests/<id>.json    path → sha256 of every file of the release, and its layout

Only releases/ and current need to be readable by the web server; meta/ and manifests/ stay private.

Deploy: a segment whose files are those of the live release keeps the release that stores it; of the other
segments, a file whose sha256 the current or the newest release has already is copied inside the store
(CopyObject: no bytes sent; its headers set anew), the others are uploaded; then surum.json, the manifest, the
pointer (the switch), the metadata, and pruning to keep_releases. A pruned release that a kept one still reads
segments from is retired, not deleted: out of the list and of rollback's reach, it keeps only the segments
still read. A release folder without its metadata is unfinished: if the pointer names it (a deploy killed after
the switch) it gets a placeholder record, else the next deploy or rollback deletes it. Credentials come only
from the standard AWS environment variables.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import ConflictError, DeployError
from ..s3client import WORKERS, delete_keys, is_missing, list_keys, s3_client, s3_errors
from . import Release, check_deploy_input, now_iso, prune_plan, rollback_choice
from .lock import deploy_lock
from .objects import object_headers
from .s3_layout import Layout, plan_layout, segment
from .shards import IDENTITY_FILE, plan_tree, release_identity

log = logging.getLogger(__name__)

POINTER = "current"


class S3Target:
    """Releases under <prefix>/releases/ of a bucket, the live one named by <prefix>/current."""

    def __init__(self, settings, paths, keep_releases: int = 5, clock=None):
        self.bucket = settings.bucket
        self.endpoint = settings.endpoint_url
        self.region = settings.region
        prefix = settings.prefix.strip("/")
        self.base = f"{prefix}/" if prefix else ""
        self.paths = paths
        self.keep = keep_releases
        self.clock = clock
        self._client = None

    # -- plumbing -------------------------------------------------------------------------------------
    @property
    def client(self):
        if self._client is None:
            self._client = s3_client(self.endpoint, self.region)
        return self._client

    def key(self, *parts: str) -> str:
        return self.base + "/".join(parts)

    def _errors(self):
        """botocore's exceptions as a DeployError saying in Turkish what to check."""
        return s3_errors(self.endpoint, self.bucket, "deploy", DeployError)

    def _list(self, prefix: str, delimiter: str | None = None) -> tuple[list[str], list[str]]:
        """Keys and (with a delimiter) common prefixes under prefix."""
        return list_keys(self.client, self.bucket, prefix, delimiter)

    def _get(self, key: str) -> bytes | None:
        from botocore.exceptions import ClientError
        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except ClientError as exc:
            if is_missing(exc):
                return None
            raise

    def _put_json(self, key: str, data: dict) -> None:
        body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str).encode("utf-8")
        self.client.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType="application/json; charset=utf-8",
                               CacheControl="no-store")

    def _delete(self, keys: list[str]) -> None:
        delete_keys(self.client, self.bucket, keys, DeployError, "S3'te eski yayın")

    # -- state ----------------------------------------------------------------------------------------
    def _pointer(self) -> str | None:
        body = self._get(self.key(POINTER))
        if body is None:
            return None
        return body.decode("utf-8").strip() or None

    def _state(self, clean: bool = False, retrying: str | None = None) -> tuple[str | None, dict[str, dict]]:
        """The live release's id and each finished release's metadata. With `clean` (a deploy or rollback, under
        the lock) what a killed one left is removed: unfinished release folders (not `retrying`, the release
        being deployed again, which its uploads overwrite), metadata and manifests of releases whose objects are
        gone. A served release without metadata (killed after the switch) gets a placeholder record unless it is
        `retrying`."""
        current = self._pointer()
        meta_prefix, release_prefix = self.key("meta") + "/", self.key("releases") + "/"
        meta_keys = [k for k in self._list(meta_prefix)[0] if k.endswith(".json") and "/" not in k[len(meta_prefix):]]
        with ThreadPoolExecutor(WORKERS) as pool:
            bodies = list(pool.map(self._get, meta_keys))
        metas = {k[len(meta_prefix):-len(".json")]: json.loads(body) for k, body in zip(meta_keys, bodies) if body}
        folders = {p[len(release_prefix):-1] for p in self._list(release_prefix, "/")[1]}
        for rid in sorted(set(metas) - folders):  # its objects are gone: not a release one can switch to
            metas.pop(rid)
            if clean:
                self._delete([f"{meta_prefix}{rid}.json"])
        for rid in sorted(folders - set(metas)):
            if rid == retrying:
                continue
            if rid == current:
                metas[rid] = {"id": rid, "created_at": now_iso(self.clock), "items": [], "published_by": "",
                              "build_id": rid, "recovered": True}
                if clean:
                    self._put_json(self.key("meta", f"{rid}.json"), metas[rid])
            elif clean:
                log.info("removing unfinished release %s from s3://%s/%s", rid, self.bucket, release_prefix)
                self._delete(self._list(f"{release_prefix}{rid}/")[0])
        if clean:
            manifest_prefix = self.key("manifests") + "/"
            stale = [k for k in self._list(manifest_prefix)[0]
                     if k[len(manifest_prefix):-len(".json")] not in {*metas, retrying}]
            self._delete(stale)
        return current, metas

    def _release(self, rid: str, meta: dict, current: str | None) -> Release:
        meta = dict(meta)
        created = meta.pop("created_at", "")
        meta.pop("id", None)
        return Release(rid, created, f"s3://{self.bucket}/{self.key('releases', rid)}/", meta, rid == current)

    # -- interface -------------------------------------------------------------------------------------
    def releases(self) -> list[Release]:
        with self._errors():
            current, metas = self._state()
        return [self._release(rid, metas[rid], current) for rid in sorted(_active(metas), reverse=True)]

    def current(self) -> Release | None:
        """The live release: the pointer and that release's metadata only (the scheduler asks often)."""
        with self._errors():
            current = self._pointer()
            body = self._get(self.key("meta", f"{current}.json")) if current else None
        if current is None:
            return None
        meta = json.loads(body) if body else {"items": [], "published_by": "", "build_id": current, "recovered": True}
        return self._release(current, meta, current)

    def download(self, release_id: str, into: Path) -> int:
        """Every file of release `release_id` into the folder `into` (its tree as served, each file read from
        the release that stores its segment); the count."""
        with self._errors():
            manifest = self._manifest(release_id)
            if manifest is None:  # a release without its manifest: what its own prefix holds
                base = self.key("releases", release_id) + "/"
                sources = {key[len(base):]: key for key in self._list(base)[0]}
            else:
                layout = Layout.of(release_id, manifest)
                sources = {rel: self.key("releases", layout.store_of(rel), rel)
                           for rel in [*manifest["files"], IDENTITY_FILE]}

            def fetch(item: tuple[str, str]) -> None:
                rel, key = item
                target = into / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read())

            with ThreadPoolExecutor(WORKERS) as pool:
                list(pool.map(fetch, sorted(sources.items())))
        return len(sources)

    def _manifest(self, rid: str) -> dict | None:
        body = self._get(self.key("manifests", f"{rid}.json"))
        return json.loads(body) if body else None

    def _layout(self, rid: str, meta: dict | None) -> Layout:
        """Where release rid's segments are stored: from its metadata, else from its manifest (a placeholder
        record of a deploy killed after the switch), else all in its own prefix (a release of before)."""
        if meta and meta.get("stores") is not None:
            return Layout.of(rid, meta)
        return Layout.of(rid, self._manifest(rid))

    def deploy(self, build_dir: Path, release_id: str, meta: dict, hashes: dict[str, str] | None = None,
               link: bool = True, exact: bool = False) -> Release:
        """Store the build as release `release_id` (files the live or newest release has copied inside the
        store, the others uploaded), switch the pointer to it, record it, prune. `hashes` and `exact` as for the
        local target; `link` has no meaning here (the build is only read)."""
        build_dir = check_deploy_input(build_dir, release_id)
        with deploy_lock(self.paths), self._errors():
            started = time.perf_counter()
            current, metas = self._state(clean=True, retrying=release_id)
            if release_id in metas:
                raise ConflictError(f"'{release_id}' kimlikli yayın zaten yapılmış.",
                                    f"release {release_id!r} was already deployed")
            stats = {}
            if current != release_id:  # else the switch was done, only the metadata is missing
                sources = [rid for rid in dict.fromkeys([current, max(_active(metas), default=None)])
                           if rid in metas]
                stats, layout = self._store(build_dir, release_id, meta.get("build_id", release_id), hashes, exact,
                                            sources, current)
                self._switch(layout)
            else:
                layout = self._layout(release_id, None)
            stats["seconds"] = round(time.perf_counter() - started, 3)
            record = {"id": release_id, "created_at": now_iso(self.clock, meta.get("created_at")),
                      "items": list(meta.get("items", [])), "published_by": meta.get("published_by", "sistem"),
                      "build_id": meta.get("build_id", release_id), "stats": stats, **layout.record(),
                      **{k: v for k, v in meta.items()
                         if k not in ("items", "published_by", "build_id", "created_at", "base", "stores")}}
            self._put_json(self.key("meta", f"{release_id}.json"), record)
            metas[release_id] = record
            self._prune(release_id, metas)
            log.info("deployed release %s to s3://%s/%s: %s", release_id, self.bucket, self.base, stats)
            return self._release(release_id, record, release_id)

    def _known(self, sources: list[str]) -> tuple[dict[str, tuple[str, str]], dict[str, str], dict[str, dict]]:
        """Files stored already: path → (sha256, key) and sha256 → key, from the manifests of `sources`
        (the first one wins), and each source's manifest."""
        by_path, by_sha, manifests = {}, {}, {}
        for rid in reversed(sources):
            manifest = manifests[rid] = self._manifest(rid) or {"files": {}}
            layout = Layout.of(rid, manifest)
            for rel, sha in manifest["files"].items():
                key = self.key("releases", layout.store_of(rel), rel)
                by_path[rel] = (sha, key)
                by_sha[sha] = key
        return by_path, by_sha, manifests

    def _store(self, build_dir: Path, rid: str, build_id: str, hashes: dict[str, str] | None, exact: bool,
               sources: list[str], current: str | None) -> tuple[dict, Layout]:
        """The files of the segments that changed since the live release `current` (one of `sources`) as
        objects of the release, then surum.json and the manifest; the stats and the release's layout."""
        plan = plan_tree(build_dir, hashes, exact)
        by_path, by_sha, manifests = self._known(sources)
        live = manifests.get(current)
        layout, writes = plan_layout(rid, plan.hashes, Layout.of(current, live) if live else None,
                                     live["files"] if live else None)

        def put(rel: str) -> tuple[str, int, bool]:
            sha, dest, headers = plan.hashes[rel], self.key("releases", rid, rel), object_headers(rel)
            known = by_path.get(rel)
            source = known[1] if known and known[0] == sha else by_sha.get(sha)
            if source is not None:
                self.client.copy_object(Bucket=self.bucket, Key=dest, CopySource={"Bucket": self.bucket, "Key": source},
                                        MetadataDirective="REPLACE", **headers)
                return "copied", 0, True
            data = (build_dir / rel).read_bytes()
            self.client.put_object(Bucket=self.bucket, Key=dest, Body=data, **headers)
            return "uploaded", len(data), hashlib.sha256(data).hexdigest() == sha

        with ThreadPoolExecutor(WORKERS) as pool:
            done = list(pool.map(put, writes))
        if not all(fresh for _, _, fresh in done):
            if exact or hashes is None:
                raise DeployError("Derleme klasörü yayına alınırken değişti; yayın yapılmadı.",
                                  f"build {build_dir} changed while it was uploaded")
            log.warning("stale hashes for build %s: every file is read again", build_id)
            return self._store(build_dir, rid, build_id, None, False, sources, current)
        identity = release_identity(rid, plan, build_id)
        self.client.put_object(Bucket=self.bucket, Key=self.key("releases", rid, IDENTITY_FILE),
                               Body=(json.dumps(identity, sort_keys=True) + "\n").encode("utf-8"),
                               **object_headers(IDENTITY_FILE))
        self._put_json(self.key("manifests", f"{rid}.json"),
                       {"release": rid, "files": plan.hashes, **layout.record()})
        uploaded = [size for kind, size, _ in done if kind == "uploaded"]
        own = sorted(seg for seg, at in layout.stores.items() if at == rid)
        return ({"files": len(plan.hashes), "files_uploaded": len(uploaded), "bytes_uploaded": sum(uploaded),
                 "files_copied": len(done) - len(uploaded), "files_kept": len(plan.hashes) - len(done),
                 "segments": len(layout.stores), "segments_written": len(own),
                 "rebased": layout.base == rid}, layout)

    def _switch(self, layout: Layout) -> None:
        """Point <prefix>/current at the release and where its segments are: one PUT, atomic for every reader."""
        rid = layout.release
        self.client.put_object(Bucket=self.bucket, Key=self.key(POINTER), Body=f"{rid}\n".encode("ascii"),
                               ContentType="text/plain; charset=utf-8", CacheControl="no-store",
                               Metadata={"release": rid, "base": layout.base,
                                         **({"segments": layout.listed()} if layout.listed() else {})})

    def _prune(self, current: str, metas: dict[str, dict]) -> list[str]:
        """Delete releases beyond keep_releases (never the live one or the one before it): the metadata first
        (so a prune killed halfway leaves an unfinished folder, which the next cleanup removes). A release a
        kept one still reads segments from is retired instead, keeping only those segments; a retired release
        no kept one reads from any more is deleted."""
        doomed = prune_plan(sorted(_active(metas)), current, self.keep)
        kept = [rid for rid in _active(metas) if rid not in doomed]
        read: dict[str, set[str]] = {}
        for rid in kept:
            for seg, at in self._layout(rid, metas[rid]).stores.items():
                read.setdefault(at, set()).add(seg)
        retired = [rid for rid in metas if metas[rid].get("retired")]
        for rid in [*doomed, *retired]:
            prefix = self.key("releases", rid) + "/"
            if rid not in read:
                self._delete([self.key("meta", f"{rid}.json")])
                self._delete(self._list(prefix)[0])
                self._delete([self.key("manifests", f"{rid}.json")])
                metas.pop(rid)
                continue
            if metas[rid].get("segments_read") == sorted(read[rid]):
                continue  # trimmed to these already: its keys are not listed again at every deploy
            if not metas[rid].get("retired"):
                metas[rid] = {**metas[rid], "retired": True, **self._layout(rid, metas[rid]).record()}
                self._put_json(self.key("meta", f"{rid}.json"), metas[rid])
            unread = [key for key in self._list(prefix)[0]
                      if key[len(prefix):] != IDENTITY_FILE and segment(key[len(prefix):]) not in read[rid]]
            self._delete(unread)
            metas[rid] = {**metas[rid], "segments_read": sorted(read[rid])}  # after the trim: a kill redoes it
            self._put_json(self.key("meta", f"{rid}.json"), metas[rid])
        return doomed

    def rollback(self, to: str | None = None, by: str = "sistem", at: dt.datetime | None = None) -> Release:
        """Point <prefix>/current back at `to` (default: the release before the live one)."""
        with deploy_lock(self.paths), self._errors():
            current, metas = self._state(clean=True, retrying="")
            target = rollback_choice(sorted(_active(metas)), current, to)
            when = now_iso(self.clock, at)
            self._switch(self._layout(target, metas[target]))
            if current in metas:
                metas[current] = {**metas[current], "rolled_back_at": when, "rolled_back_by": by,
                                  "rolled_back_to": target}
                self._put_json(self.key("meta", f"{current}.json"), metas[current])
            metas[target] = {**metas[target], "restored_at": when, "restored_by": by, "restored_from": current}
            self._put_json(self.key("meta", f"{target}.json"), metas[target])
            log.info("rolled back s3://%s/%s from %s to %s by %s", self.bucket, self.base, current, target, by)
            return self._release(target, metas[target], target)


def _active(metas: dict[str, dict]) -> list[str]:
    """The releases one can list and roll back to: not those kept only for the segments others read."""
    return [rid for rid, meta in metas.items() if not meta.get("retired")]
