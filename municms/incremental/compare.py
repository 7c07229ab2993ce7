"""The guard of incremental publishing: a full build from nothing, at the moment of the last incremental build,
compared hash by hash with the files the publisher's tree holds. `build --full` runs it, and so does serve's
scheduler every night (instance.yaml publish.full_rebuild_at). Any difference is reported file by file and
makes the publisher forget its digests, so the next publish renders every page again.

The search bundles are not compared (they are built by Pagefind from the compared pages)."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Instance
from ..deploy.shards import tree_sha256
from ..paths import InstancePaths
from .registry import save, state_for

log = logging.getLogger(__name__)
NOT_COMPARED = ("pagefind/",)


@dataclass
class Comparison:
    files: int                                          # files of the full build compared
    seconds: float
    only_full: list[str] = field(default_factory=list)  # the full build has them, the publisher's tree not
    only_incremental: list[str] = field(default_factory=list)
    differing: list[str] = field(default_factory=list)
    built_at: str | None = None                         # the moment both builds are of

    @property
    def same(self) -> bool:
        return not (self.only_full or self.only_incremental or self.differing)

    def as_dict(self) -> dict:
        return {"ok": self.same, "files": self.files, "seconds": round(self.seconds, 3), "built_at": self.built_at,
                "only_full": self.only_full, "only_incremental": self.only_incremental,
                "differing": self.differing}


def tree_hashes(root: Path, skip: tuple[str, ...] = NOT_COMPARED) -> dict[str, str]:
    """The sha256 of every file below root (following a release's links into its shards), except `skip`."""
    return tree_sha256(root, skip)


def compare_with_full_build(instance: Instance, paths: InstancePaths) -> Comparison:
    """A full build at the last publish's moment, compared with the tree as that publish left it.

    Under the deploy lock only for an instant: content/, data/, the theme and plugins and the tree are copied
    as hard links (they are replaced, never rewritten), so publishing goes on during the full build. Any
    difference makes the publisher forget its digests."""
    import time

    from ..build import build_site
    from ..config import load_instance
    from ..deploy import deploy_lock
    from .build import snapshot

    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix=".tam-derleme-", dir=paths.var))
    try:
        with deploy_lock(paths):
            state = state_for(paths)
            with state.lock:
                if state.built_at is None or not state.work.is_dir():
                    return Comparison(0, time.perf_counter() - started)  # nothing published incrementally yet
                built_at, generation = state.built_at, state.generation
                _mirror_sources(instance.root, folder / "kaynak")
                snapshot(state.work, folder / "agac")
        copy = load_instance(folder / "kaynak")
        with contextlib.redirect_stdout(sys.stderr):  # Pelican's summary line must not mix with --json output
            build_site(copy, output=folder / "tam", now=dt.datetime.fromisoformat(built_at),
                       build_id="tam-derleme", check=False, search=False)
        full, mine = tree_hashes(folder / "tam"), tree_hashes(folder / "agac")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result = Comparison(len(full), 0.0, sorted(set(full) - set(mine)), sorted(set(mine) - set(full)),
                        sorted(rel for rel in set(full) & set(mine) if full[rel] != mine[rel]), built_at)
    if not result.same:
        log.error("full build differs from the incremental tree of %s: %d only in the full build, %d only in the "
                  "tree, %d differing (%s); every page is rendered again at the next publish", built_at,
                  len(result.only_full), len(result.only_incremental), len(result.differing),
                  ", ".join((result.differing + result.only_full + result.only_incremental)[:10]))
        with deploy_lock(paths):
            state = state_for(paths)
            with state.lock:
                state.forget_digests()
                save(state, paths)  # every process forgets them (another may have published since: harmless)
    result.seconds = time.perf_counter() - started
    log.info("full build compared with the incremental tree (generation %s): %d files, %s, %.1f s", generation,
             result.files, "same" if result.same else "DIFFERENT", result.seconds)
    return result


SOURCES = ("content", "data", "themes", "plugins")
SOURCE_FILES = ("instance.yaml", "pelicanconf.py")


def _mirror_sources(root: Path, target: Path) -> None:
    """What a build reads, as hard links (copies of the two settings files)."""
    from .build import snapshot

    target.mkdir(parents=True)
    for name in SOURCE_FILES:
        if (root / name).is_file():
            shutil.copy2(root / name, target / name)
    for name in SOURCES:
        if (root / name).is_dir():
            snapshot(root / name, target / name)
