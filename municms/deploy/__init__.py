"""Deploy targets behind one small interface: releases side by side, an atomic switch, rollback.

    target = get_target(instance, paths)
    release = target.deploy(build_dir, release_id, {"items": [...], "published_by": "sistem", "build_id": ...},
                            hashes=manifest_hashes(paths, build_id))   # optional: sha256 per file, not read again
    target.releases()  # newest first      target.current()      target.rollback(to=None)

A release is composed of shared, immutable shards (municms.deploy.shards); a deploy never modifies the build
folder it is given. Release metadata is kept outside the served tree (`releases/<id>.json`); the release's
own `surum.json` at the site root names it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..errors import ConflictError, DeployError, NotFound
from .lock import deploy_lock

__all__ = ["Release", "Target", "get_target", "deploy_lock", "check_release_id", "check_deploy_input", "prune_plan",
           "rollback_choice", "manifest_hashes"]

RELEASE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")


@dataclass(frozen=True)
class Release:
    """One deployed release: its id (sortable), when it was made, where it lives, its metadata."""

    id: str
    created_at: str
    path: str
    meta: dict = field(default_factory=dict)
    current: bool = False

    @property
    def items(self) -> list:
        return list(self.meta.get("items", []))

    @property
    def published_by(self) -> str:
        return self.meta.get("published_by", "")

    @property
    def build_id(self) -> str:
        return self.meta.get("build_id", self.id)

    def as_dict(self) -> dict:
        return {"id": self.id, "created_at": self.created_at, "path": self.path, "current": self.current,
                "items": self.items, "published_by": self.published_by, "build_id": self.build_id,
                **{k: v for k, v in self.meta.items() if k not in ("items", "published_by", "build_id")}}


class Target(Protocol):
    def deploy(self, build_dir: Path, release_id: str, meta: dict, hashes: dict[str, str] | None = None,
               link: bool = True, exact: bool = False) -> Release: ...

    def releases(self) -> list[Release]: ...

    def current(self) -> Release | None: ...

    def rollback(self, to: str | None = None, by: str = "sistem", at: dt.datetime | None = None) -> Release: ...


def get_target(instance, paths, clock=None) -> Target:
    """The target instance.yaml names (deploy.target), local by default."""
    settings = instance.deploy
    if settings.target == "rsync":
        from .rsync import RsyncTarget
        return RsyncTarget(settings.rsync, paths, settings.rsync.keep_releases or settings.keep_releases, clock)
    if settings.target == "s3":
        from .s3 import S3Target
        return S3Target(settings, paths, settings.keep_releases, clock)
    from .local import LocalTarget
    return LocalTarget(paths, settings.keep_releases, clock)


def manifest_hashes(paths, build_id: str) -> dict[str, str] | None:
    """sha256 of every file of a build, from the manifest the build wrote (var/manifests/<id>.json); None if
    there is none."""
    path = paths.var / "manifests" / f"{build_id}.json"
    if not path.is_file():
        return None
    return {rel: entry["sha256"] for rel, entry in json.loads(path.read_text(encoding="utf-8"))["files"].items()}


def check_release_id(release_id: str) -> None:
    if not RELEASE_ID.match(release_id or "") or release_id.endswith(".tmp"):
        raise DeployError(f"Geçersiz yayın kimliği: '{release_id}'.", f"invalid release id {release_id!r}")


def check_deploy_input(build_dir: Path, release_id: str) -> Path:
    """What every target checks before it deploys: a valid release id and an existing build folder."""
    check_release_id(release_id)
    build_dir = Path(build_dir)
    if not build_dir.is_dir():
        raise DeployError(f"Derleme klasörü bulunamadı: {build_dir}", f"build dir {build_dir} missing")
    return build_dir


def now_iso(clock=None, at: dt.datetime | str | None = None) -> str:
    """A timestamp for metadata: the given moment, else the clock's, else UTC now."""
    if isinstance(at, str):
        return at
    moment = at or (clock.now() if clock is not None else dt.datetime.now(dt.timezone.utc))
    return moment.isoformat(timespec="seconds")


def prune_plan(ids: list[str], current: str | None, keep: int) -> list[str]:
    """Release ids to delete: all but the `keep` newest, never the current one nor the one just before it."""
    ordered = sorted(ids)
    protected = set()
    if current in ordered:
        protected.add(current)
        index = ordered.index(current)
        if index > 0:
            protected.add(ordered[index - 1])
    keep_set = set(ordered[-keep:]) | protected
    return [rid for rid in ordered if rid not in keep_set]


def rollback_choice(ids: list[str], current: str | None, to: str | None) -> str:
    """The release a rollback switches to: `to`, or the one before the current release."""
    if to is not None:
        if to not in ids:
            raise NotFound(f"'{to}' kimlikli bir yayın yok.", f"no release {to!r}")
        if to == current:
            raise ConflictError(f"'{to}' zaten yayında.", f"release {to!r} is already current")
        return to
    if current is None:
        raise NotFound("Henüz yayında bir sürüm yok; geri alınacak bir şey yok.", "no current release")
    older = [rid for rid in sorted(ids) if rid < current]
    if not older:
        raise NotFound("Yayındaki sürümden önce bir sürüm yok; geri alınamaz.",
                       "no release before the current one")
    return older[-1]
