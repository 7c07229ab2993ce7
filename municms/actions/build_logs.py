"""Build logs (var/logs/builds/<build id>.log) for the people who may switch the public site."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..auth import Actor
from ..deploy import RELEASE_ID
from ..errors import NotFound
from ..ledger import Ledger
from ..paths import InstancePaths
from ._transition import load_site_switcher


@dataclass(frozen=True)
class BuildLog:
    build_id: str
    size: int
    modified: dt.datetime


def _folder(paths: InstancePaths):
    return paths.logs / "builds"


def list_build_logs(ledger: Ledger, paths: InstancePaths, actor: Actor, limit: int = 100) -> list[BuildLog]:
    """The newest build logs first (build ids sort by time)."""
    load_site_switcher(ledger, actor, "Derleme günlüklerini görmeyi")
    folder = _folder(paths)
    files = sorted(folder.glob("*.log"), reverse=True) if folder.is_dir() else []
    logs = []
    for path in files[:limit]:
        stat = path.stat()
        logs.append(BuildLog(path.stem, stat.st_size, dt.datetime.fromtimestamp(stat.st_mtime, dt.timezone.utc)))
    return logs


def read_build_log(ledger: Ledger, paths: InstancePaths, actor: Actor, build_id: str) -> str:
    """The text of one build log; an id that is not a build id (or has no log) is NotFound."""
    load_site_switcher(ledger, actor, "Derleme günlüklerini görmeyi")
    path = _folder(paths) / f"{build_id}.log"
    if not RELEASE_ID.match(build_id or "") or not path.is_file():
        raise NotFound(f"'{build_id}' derlemesinin günlüğü yok.", f"no build log {build_id!r}")
    return path.read_text(encoding="utf-8", errors="replace")
