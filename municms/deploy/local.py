"""Local target: var/releases/<id>/ side by side, var/current a symlink switched atomically.

A release is a small folder of top-level files and relative symlinks to shards in var/shards/ (see
municms.deploy.shards): a deploy stores only the shards that are new and links the others.

Crash safety, step by step (each step leaves `var/current` pointing at one complete release):
new shards filled as `var/shards/<name>.tmp/`, the release as `var/releases/<id>.tmp/` → one syncfs → shards
renamed into place → release renamed to `<id>/` → switch `var/current` (temp link + os.replace) → write
`<id>.json` (temp + os.replace) → prune releases, then the shards no release links to. A release without
its `.json` is unfinished; the next deploy of the same id completes it, and every deploy first removes
`*.tmp` leftovers.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import json
import logging
import os
import shutil
import time
from pathlib import Path

from ..errors import ConflictError, DeployError
from ..files import fsync_path, write_atomic
from ..paths import InstancePaths
from . import Release, check_deploy_input, now_iso, prune_plan, rollback_choice
from .lock import deploy_lock
from .shards import (Placer, collect_garbage, compose_release, plan_release, publish_shards, release_identity,
                     remove_tree, stage_shards)

log = logging.getLogger(__name__)


def sync_filesystem(path: Path) -> None:
    """Flush the file system holding path to disk: one syncfs(2) instead of an fsync per copied file."""
    fd = os.open(path, os.O_RDONLY)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if getattr(libc, "syncfs", None) is None or libc.syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


def write_json_atomic(path: Path, data: dict) -> None:
    """Write release metadata whole and durably (a killed deploy leaves only a `*.tmp` that recover removes)."""
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str), durable=True)


class LocalTarget:
    """Releases under var/releases/, served from the var/current symlink."""

    def __init__(self, paths: InstancePaths, keep_releases: int = 5, clock=None):
        self.paths = paths
        self.keep = keep_releases
        self.clock = clock
        self.root = paths.releases
        self.shards = paths.var / "shards"

    # -- reading -------------------------------------------------------------------------------------
    def current_id(self) -> str | None:
        try:
            target = os.readlink(self.paths.current)
        except (FileNotFoundError, OSError):
            return None
        return Path(target).name

    def _finished_ids(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.stem for p in self.root.glob("*.json")
                      if not p.name.endswith(".tmp") and (self.root / p.stem).is_dir())

    def _release(self, rid: str, current: str | None) -> Release:
        meta_path = self.root / f"{rid}.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        created = meta.pop("created_at", "")
        meta.pop("id", None)
        return Release(rid, created, str(self.root / rid), meta, rid == current)

    def releases(self) -> list[Release]:
        """Every finished release, newest first (plus the current one if its metadata is not written yet)."""
        current = self.current_id()
        ids = set(self._finished_ids())
        if current and (self.root / current).is_dir():
            ids.add(current)
        return [self._release(rid, current) for rid in sorted(ids, reverse=True)]

    def current(self) -> Release | None:
        current = self.current_id()
        return self._release(current, current) if current and (self.root / current).is_dir() else None

    # -- writing -------------------------------------------------------------------------------------
    def recover(self, retrying: str | None = None) -> None:
        """Remove what an interrupted deploy, rollback or prune left behind (`retrying`: the id being redeployed)."""
        self.root.mkdir(parents=True, exist_ok=True)
        for leftover in [*self.root.glob("*.tmp"), *self.shards.glob("*.tmp")]:
            log.info("removing leftover %s", leftover)
            remove_tree(leftover)
        for meta in self.root.glob("*.json"):
            if not (self.root / meta.stem).is_dir():
                meta.unlink()
        link_tmp = self.paths.var / ".current.tmp"
        if link_tmp.is_symlink() or link_tmp.exists():
            remove_tree(link_tmp)
        current = self.current_id()
        for folder in list(self.root.iterdir()):
            if not folder.is_dir() or (self.root / f"{folder.name}.json").exists():
                continue
            if folder.name == current:  # served, but its deploy was killed before the metadata: keep it
                if folder.name == retrying:
                    continue  # this deploy writes the real record
                write_json_atomic(self.root / f"{folder.name}.json", {
                    "id": folder.name, "created_at": now_iso(at=dt.datetime.fromtimestamp(
                        folder.stat().st_mtime, dt.timezone.utc)), "items": [], "published_by": "",
                    "build_id": folder.name, "recovered": True})
            else:  # complete on disk but never served (killed before the switch)
                log.info("removing unfinished release %s", folder)
                os.rename(folder, self.root / f"{folder.name}.tmp")
                shutil.rmtree(self.root / f"{folder.name}.tmp")
        # a prune killed after it deleted a release, before it collected that release's shards
        collect_garbage(self.shards, self.root)

    def switch(self, rid: str) -> None:
        """Point var/current at releases/<rid> atomically (a temp link renamed over it)."""
        current, link_tmp = self.paths.current, self.paths.var / ".current.tmp"
        if current.exists() and not current.is_symlink():
            raise DeployError(f"{current} bir klasör; yayın bağlantısı (symlink) olmalı. Klasörü taşıyın.",
                              f"{current} is not a symlink")
        os.symlink(os.path.join("releases", rid), link_tmp)
        os.replace(link_tmp, current)
        fsync_path(self.paths.var)

    def deploy(self, build_dir: Path, release_id: str, meta: dict, hashes: dict[str, str] | None = None,
               link: bool = True, exact: bool = False) -> Release:
        """Make a built site release `release_id` (new shards stored, the others linked) and make it current.

        `hashes`: sha256 per file path of the build (its manifest), so that those files are not read again;
        `exact`: they name every file of the build (the publisher's own tree): it is not walked either.
        `link` (default): hard-link the build's files (copy them across file systems); the tree is never
        modified. `link=False`: files of new shards may be moved out of the build, which the caller drops."""
        build_dir = check_deploy_input(build_dir, release_id)
        with deploy_lock(self.paths):
            started = time.perf_counter()
            final, meta_path = self.root / release_id, self.root / f"{release_id}.json"
            self.recover(retrying=release_id)
            if meta_path.exists():
                raise ConflictError(f"'{release_id}' kimlikli yayın zaten yapılmış.",
                                    f"release {release_id!r} was already deployed")
            current = self.current_id()
            stats = {}
            if current != release_id or not final.is_dir():  # else the switch was done, only metadata is missing
                try:
                    stats = self._stage(build_dir, release_id, meta.get("build_id", release_id), hashes, link, exact)
                except OSError as exc:
                    self._drop_staging(exc)
                    raise
                self.switch(release_id)
            stats["seconds"] = round(time.perf_counter() - started, 3)
            record = {"id": release_id, "created_at": now_iso(self.clock, meta.get("created_at")),
                      "items": list(meta.get("items", [])), "published_by": meta.get("published_by", "sistem"),
                      "build_id": meta.get("build_id", release_id), "stats": stats,
                      **{k: v for k, v in meta.items()
                         if k not in ("items", "published_by", "build_id", "created_at")}}
            write_json_atomic(meta_path, record)
            self.prune()
            log.info("deployed release %s: %s", release_id, stats)
            return self._release(release_id, release_id)

    def _stage(self, build_dir: Path, release_id: str, build_id: str, hashes: dict[str, str] | None,
               link: bool, exact: bool = False) -> dict:
        """New shards and the release folder as *.tmp, one sync, then shards and release renamed into place."""
        plan, new = plan_release(build_dir, hashes, lambda name: (self.shards / name).is_dir(), exact)
        placer = Placer(move=not link)
        stage_shards(new, build_dir, self.shards, placer)
        staging = self.root / f"{release_id}.tmp"
        compose_release(plan, build_dir, staging, self.shards, placer, release_identity(release_id, plan, build_id))
        sync_filesystem(self.paths.var)  # file data and folder entries, before a rename makes anything visible
        publish_shards(new, self.shards)
        if new:
            fsync_path(self.shards)
        os.rename(staging, self.root / release_id)
        fsync_path(self.root)
        written = sum(len(s.files) for s in new) + len(plan.top_files) + 1
        return {"files": len(plan.hashes), "files_written": written, "shards": len(plan.shards),
                "shards_new": len(new), "shards_reused": len(plan.shards) - len(new), **placer.stats}

    def _drop_staging(self, exc: OSError) -> None:
        """A full disk while staging: remove the half-written release and shards now (they hold the space the
        user is asked to free; var/current was not touched) and say so in Turkish."""
        from ..health import disk_full, is_disk_full

        if not is_disk_full(exc):
            return
        for leftover in [*self.root.glob("*.tmp"), *self.shards.glob("*.tmp")]:
            remove_tree(leftover)
        raise disk_full(exc, "yayına alma") from exc

    def prune(self) -> list[str]:
        """Delete releases beyond keep_releases (never the current one or the one before it), then the shards
        no remaining release links to."""
        doomed = prune_plan(self._finished_ids(), self.current_id(), self.keep)
        for rid in doomed:
            trash = self.root / f"{rid}.tmp"
            os.rename(self.root / rid, trash)
            (self.root / f"{rid}.json").unlink(missing_ok=True)
            shutil.rmtree(trash)
        collect_garbage(self.shards, self.root)
        return doomed

    def rollback(self, to: str | None = None, by: str = "sistem", at: dt.datetime | None = None) -> Release:
        """Switch var/current back to `to` (default: the release before the current one)."""
        with deploy_lock(self.paths):
            self.recover()
            current = self.current_id()
            target = rollback_choice(self._finished_ids(), current, to)
            when = now_iso(self.clock, at)
            self.switch(target)
            if current and (self.root / f"{current}.json").exists():
                self._update_meta(current, {"rolled_back_at": when, "rolled_back_by": by,
                                            "rolled_back_to": target})
            self._update_meta(target, {"restored_at": when, "restored_by": by, "restored_from": current})
            log.info("rolled back from %s to %s by %s", current, target, by)
            return self._release(target, target)

    def _update_meta(self, rid: str, changes: dict) -> None:
        path = self.root / f"{rid}.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        data.update(changes)
        write_json_atomic(path, data)
