"""The register's part in each way the public site changes: a publish, a deploy of a build made elsewhere, a
rollback. Each is called under the deploy lock and inside the ledger transaction that records the switch."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from ..checks import page_file
from ..materialise import is_public
from .chain import EXPORT_DIR, public_hashes, replay
from .layout import LAYOUT_FILE
from .records import ledger_records, new_record, public_item
from .stamp import Stamp, prepare, recover, tree_files


def publish_stamp(tx, instance, paths, output: Path, hashes: dict[str, str], release: str, entries, placed,
                  built_at: dt.datetime, at: dt.datetime, actor: str) -> Stamp:
    """The record of a publish and its export in `output`. It lists every item whose own page the build has (a
    training for staff only has none and is named nowhere public; an emergency banner, which has no page of its
    own, is in the record through the hash of the banner file)."""
    recover(tx, paths.current, at.isoformat())
    items = {}
    for entry in entries:
        where = placed.get(entry.item.number)
        if where is not None and is_public(entry, built_at) and page_file(where.url) in hashes:
            item = entry.item
            items[item.number] = public_item(tx, item, item.current_rev, where.url, item.state)
    return prepare(tx, kind="publish", release=release, at=at.isoformat(), actor=actor, items=items, hashes=hashes,
                   site_name=instance.municipality.name, output=output)


def stage_copy(source: Path, staging: Path) -> None:
    """A copy of a tree made of hard links (copies across file systems), following a release's shard links and
    leaving out an export it carries (but not the build's layout of the export's pages)."""
    source = Path(os.path.realpath(source))
    shutil.rmtree(staging, ignore_errors=True)
    for folder, _, names in os.walk(source, followlinks=True):
        rel = os.path.relpath(folder, source)
        if rel.replace(os.sep, "/").split("/")[0] == EXPORT_DIR:
            names = [name for name in names if os.path.join(rel, name).replace(os.sep, "/") == LAYOUT_FILE]
            if not names:
                continue
        target = staging / rel if rel != "." else staging
        target.mkdir(parents=True, exist_ok=True)
        for name in names:
            try:
                os.link(os.path.join(folder, name), target / name)
            except OSError:
                shutil.copy2(os.path.join(folder, name), target / name)


def deploy_stamp(tx, instance, paths, build_dir: Path, staging: Path, release: str, at: dt.datetime,
                 actor: str) -> Stamp:
    """The record of a build made elsewhere (its items are not known here: the files are) and a staged copy of
    the build with the export, which is what gets deployed (the given folder is never modified)."""
    recover(tx, paths.current, at.isoformat())
    stage_copy(build_dir, staging)
    hashes = tree_files(staging)
    items = replay(ledger_records(tx)).items  # unchanged: only the files are compared
    return prepare(tx, kind="deploy", release=release, at=at.isoformat(), actor=actor, items=items, hashes=hashes,
                   site_name=instance.municipality.name, output=staging)


def rollback_record(tx, paths, previous: str | None, release: str, at: dt.datetime, actor: str) -> dict:
    """The record of a rollback to `release`: the files and items as the chain last recorded that release (read
    from the release itself when the chain has no record of it), the changes from what was public before (the
    caller ran `recover` before the switch)."""
    records = ledger_records(tx)
    upto = max((i for i, r in enumerate(records) if r["release"] == release), default=None)
    if upto is not None:
        restored = replay(records[:upto + 1])
        hashes, items = restored.hashes, restored.items
    else:
        hashes, items = public_hashes(tree_files(paths.releases / release)), replay(records).items
    return new_record(replay(records), kind="rollback", release=release, at=at.isoformat(), actor=actor,
                      items=items, hashes=hashes, rolled_back_from=previous)
