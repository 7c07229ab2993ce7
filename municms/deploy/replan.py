"""The plan of a publisher's tree, worked out again from the last one: a publish changes a few files of a tree
of tens of thousands, and splitting the whole file list into shards again cost half a second at 20,000 items.

Only for `exact` hashes (the publisher names every file of its tree with its sha256). The last plan of each
tree is kept with the hashes it was made from; a new plan changes the shards the changed files are in and the
top-level files. When a change could move a shard boundary (a file in a new folder above the shards, a shard
that is not a year folder gaining its first year folder or losing its last, or growing past SMALL_FOLDER files
with years in it; a real folder shrinking to SMALL_FOLDER files; a shard left empty), the tree is planned from
scratch.
"""

from __future__ import annotations

import threading

from . import shards as _shards
from .shards import IDENTITY_FILE, Plan, Shard, is_year, plan_tree, shard_digest, splits

_LAST: dict[str, tuple[dict[str, str], Plan]] = {}   # tree → (the hashes it was planned from, its plan)
_GUARD = threading.Lock()


def plan_exact(build_dir, hashes: dict[str, str]) -> Plan:
    """plan_tree(build_dir, hashes, exact=True), from the tree's last plan when the change allows it."""
    key = str(build_dir)
    with _GUARD:
        last = _LAST.get(key)
    plan = replan(last[0], last[1], hashes) if last is not None else None
    if plan is None:
        plan = plan_tree(build_dir, hashes, exact=True)
    with _GUARD:
        _LAST[key] = (dict(hashes), plan)
    return plan


def forget(build_dir=None) -> None:
    with _GUARD:
        if build_dir is None:
            _LAST.clear()
        else:
            _LAST.pop(str(build_dir), None)


def replan(before: dict[str, str], plan: Plan, hashes: dict[str, str]) -> Plan | None:
    """The plan of a tree whose files are now `hashes`, from its plan when they were `before`; None when the
    tree must be planned from scratch. Shards no file of which changed are the same objects as before."""
    changed = [rel for rel, digest in hashes.items() if before.get(rel) != digest]
    removed = [rel for rel in before if rel not in hashes]
    if IDENTITY_FILE in changed or IDENTITY_FILE in removed:
        return None
    shards = {shard.rel: shard for shard in plan.shards}
    real_dirs = set(plan.real_dirs)
    top_files = set(plan.top_files)
    touched: dict[str, set[str]] = {}   # shard → its files (relative to it) after the change
    for rel, gone in [(rel, False) for rel in changed] + [(rel, True) for rel in removed]:
        owner = _owner(rel, shards)
        if owner is None:
            folder = rel.rpartition("/")[0]
            if folder and folder not in real_dirs:
                return None  # a new folder above the shards
            (top_files.discard if gone else top_files.add)(rel)
            continue
        inside = rel[len(owner) + 1:]
        files = touched.setdefault(owner, set(shards[owner].files))
        (files.discard if gone else files.add)(inside)
    if removed and _real_folder_shrinks(removed, real_dirs, hashes):
        return None
    new_shards = []
    for shard in plan.shards:
        files = touched.get(shard.rel)
        if files is None:
            new_shards.append(shard)
            continue
        if not files:
            return None  # an empty shard: its folder goes, and the folder above may stop being a real one
        name = shard.rel.rpartition("/")[2]
        if not is_year(name):
            has_year = _has_year(files)
            if has_year != _has_year(shard.files) or splits(name, has_year, len(files)):
                return None  # the shard splits, or a folder above it may stop (or start) being a real one
        fresh = Shard(shard.rel, sorted(files), sorted(_folders(files)))
        fresh.digest = shard_digest({f: hashes[f"{shard.rel}/{f}"] for f in fresh.files}, fresh.dirs)
        new_shards.append(fresh)
    all_hashes = dict(sorted(hashes.items()))
    all_hashes.pop(IDENTITY_FILE, None)
    return Plan(list(plan.real_dirs), sorted(top_files), new_shards, all_hashes)


def _has_year(files) -> bool:
    """Whether files (relative to a shard) are in a year folder beneath it."""
    return any(is_year(name) for rel in files for name in rel.split("/")[:-1])


def _real_folder_shrinks(removed: list[str], real_dirs: set[str], hashes: dict[str, str]) -> bool:
    """Whether a real folder above a removed file is left with few enough files to be one shard."""
    above = set()
    for rel in removed:
        folder = rel.rpartition("/")[0]
        while folder:
            if folder in real_dirs:
                above.add(folder)
            folder = folder.rpartition("/")[0]
    for folder in above:
        prefix, count = folder + "/", 0
        for rel in hashes:
            if rel.startswith(prefix):
                count += 1
                if count > _shards.SMALL_FOLDER:  # (read when called: tests set a small one)
                    break
        else:
            return True
    return False


def _owner(rel: str, shards: dict[str, Shard]) -> str | None:
    """The shard a file of the tree is in, if it is in one."""
    end = rel.find("/")
    while end != -1:
        if rel[:end] in shards:
            return rel[:end]
        end = rel.find("/", end + 1)
    return None


def _folders(files) -> set[str]:
    """Every folder the files are in (paths relative to the shard), as a walk of the shard lists them."""
    found = set()
    for rel in files:
        folder = rel.rpartition("/")[0]
        while folder and folder not in found:
            found.add(folder)
            folder = folder.rpartition("/")[0]
    return found
