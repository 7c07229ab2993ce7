"""Releases composed of immutable, content-addressed shards, so a deploy writes only what changed.

A built tree is split into shards: every year folder (`haberler/2026/`, `etiket/imar/2026/`), every folder
with no year folder beneath it (`theme/`, `pagefind/`, `kurumsal/`) and every folder of at most SMALL_FOLDER
files (a tag's or a department's listings on a small site: `etiket/imar/`) is one shard. The root and the
other folders above year folders (`haberler/`, `etiket/`) stay real folders of the release: they hold their
own files (the top level, a few files per section) and one relative symlink per shard. A release is composed of
a few hundred symlinks, not one per tag and year.

A shard is stored once, as `shards/<name>-<digest>/`: name is its path with `/` written `+`, digest the sha256
of its file list (`shard_digest`). It is never changed after it is renamed into place, so every release that
needs the same files links the same folder, and a deploy creates only the shards whose files changed.

    plan, new = plan_release(build_dir, hashes, stored)  # which files go where; the shards not stored yet
    stage_shards(new, build_dir, shards, placer)         # <name>-<digest>.tmp/ for each of them
    compose_release(plan, build_dir, staging, shards, placer, identity)
    (sync) → publish_shards(new) → rename the release → switch → collect_garbage(shards, releases)

Files are hard-linked from the build (copied when it is on another file system), so the given tree is never
modified; a tree kept between builds must replace its files by rename, never rewrite them in place, because a
shard shares their inodes. `surum.json` at the root of every release names it (`release_identity`).
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import logging
import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DeployError

log = logging.getLogger(__name__)

IDENTITY_FILE = "surum.json"
# A folder with year folders beneath it and at most this many files is one shard, not one per year: linking
# a few dozen files again when one of them changes costs less than a symlink per year in every release.
SMALL_FOLDER = 64


def is_year(name: str) -> bool:
    return len(name) == 4 and name.isdigit()


@dataclass
class Shard:
    """One shard of a built tree: its folder in the tree, its files and folders (relative to it), its digest."""

    rel: str
    files: list[str] = field(default_factory=list)
    dirs: list[str] = field(default_factory=list)
    digest: str = ""

    @property
    def name(self) -> str:
        return f"{self.rel.replace('/', '+')}-{self.digest}"


@dataclass
class Plan:
    """How a built tree becomes a release: real folders, their own files, and shards; sha256 of every file."""

    real_dirs: list[str]
    top_files: list[str]
    shards: list[Shard]
    hashes: dict[str, str]

    def tree_digest(self) -> str:
        """What `surum.json` calls `sha256`: see tree_digest."""
        return tree_digest(self.hashes)


def tree_digest(hashes: dict[str, str]) -> str:
    """sha256 of a whole site's file list: the sorted lines `f <path> <sha256>`, one per file."""
    return _digest(f"f {path} {sha}" for path, sha in hashes.items())


def _digest(lines) -> str:
    return hashlib.sha256("".join(f"{line}\n" for line in sorted(lines)).encode("utf-8")).hexdigest()


def shard_digest(files: dict[str, str], dirs: list[str]) -> str:
    """sha256 of the sorted lines `f <path> <sha256>` per file and `d <path>` per folder (paths inside the shard)."""
    return _digest([f"f {path} {sha}" for path, sha in files.items()] + [f"d {path}" for path in dirs])


def file_sha256(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def tree_sha256(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """The SHA-256 of every file below root by relative path (following a release's links into its shards),
    except those whose path starts with one of `skip`."""
    found = {}
    for dirpath, _, filenames in os.walk(root, followlinks=True):
        for name in filenames:
            rel = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
            if not rel.startswith(skip):
                found[rel] = file_sha256(os.path.join(dirpath, name))
    return found


class _Node:
    __slots__ = ("files", "dirs", "has_year", "count")

    def __init__(self) -> None:
        self.files: list[str] = []
        self.dirs: dict[str, _Node] = {}
        self.has_year = False
        self.count = 0  # files beneath it


def splits(name: str, has_year: bool, count: int) -> bool:
    """Whether a folder (not the root) is a real folder of the release, its year folders and the folders
    without years beneath it each a shard; else it is one shard."""
    return not is_year(name) and has_year and count > SMALL_FOLDER


def _scan(path: str, rel: str) -> _Node:
    node = _Node()
    with os.scandir(path) as scan:
        entries = sorted(scan, key=lambda e: e.name)
    for entry in entries:
        if entry.is_symlink():  # a shard must hold only regular files (serve and nginx trust its contents)
            raise DeployError(f"Derlemede sembolik bağlantı var: {rel}{entry.name}; yayına alınmadı.",
                              f"build contains a symlink: {rel}{entry.name}")
        if entry.is_dir():
            child = _scan(entry.path, f"{rel}{entry.name}/")
            node.dirs[entry.name] = child
            node.has_year = node.has_year or child.has_year or is_year(entry.name)
            node.count += child.count
        else:
            node.files.append(entry.name)
    node.count += len(node.files)
    return node


def _shard_of(node: _Node, rel: str) -> Shard:
    shard = Shard(rel)

    def walk(n: _Node, prefix: str) -> None:
        shard.files.extend(prefix + name for name in n.files)
        for name, child in n.dirs.items():
            shard.dirs.append(prefix + name)
            walk(child, f"{prefix}{name}/")

    walk(node, "")
    return shard


def _listed(files) -> _Node:
    """The folder tree of a list of file paths (what _scan finds, from a listing known to be exact)."""
    root = _Node()
    for parts in sorted(rel.split("/") for rel in files):  # the order _scan lists names in
        node = root
        for name in parts[:-1]:
            child = node.dirs.get(name)
            if child is None:
                child = node.dirs[name] = _Node()
            node = child
        node.files.append(parts[-1])
    _mark_years(root)
    return root


def _mark_years(node: _Node) -> bool:
    """Set has_year and count of node and every folder beneath it."""
    node.count = len(node.files)
    for name, child in node.dirs.items():
        node.has_year = _mark_years(child) or is_year(name) or node.has_year
        node.count += child.count
    return node.has_year


def plan_tree(build_dir: Path, hashes: dict[str, str] | None = None, exact: bool = False) -> Plan:
    """Split build_dir into real folders, their files and shards, with every file's sha256 (read unless `hashes`
    has it). The folders are walked: a file list is trusted only from the tree itself, or when `exact` says
    that `hashes` names every file of the tree with its current sha256 (a publisher that wrote the tree and
    keeps its hashes)."""
    build_dir = str(build_dir)
    root = _listed(hashes) if exact and hashes is not None else _scan(build_dir, "")
    real_dirs, top_files, shards = [], [], []

    def split(node: _Node, rel: str) -> None:
        top_files.extend(rel + name for name in node.files)
        for name, child in node.dirs.items():
            path = rel + name
            if not splits(name, child.has_year, child.count):
                shards.append(_shard_of(child, path))
            else:
                real_dirs.append(path)
                split(child, path + "/")

    split(root, "")
    known = hashes or {}
    all_hashes = {}
    for path in top_files + [f"{s.rel}/{f}" for s in shards for f in s.files]:
        all_hashes[path] = known.get(path) or file_sha256(os.path.join(build_dir, path))
    for shard in shards:
        shard.digest = shard_digest({f: all_hashes[f"{shard.rel}/{f}"] for f in shard.files}, shard.dirs)
    all_hashes.pop(IDENTITY_FILE, None)  # the release writes its own
    return Plan(real_dirs, [f for f in top_files if f != IDENTITY_FILE], shards, dict(sorted(all_hashes.items())))


class Placer:
    """Puts a file of the build into a shard or release: hard link, else copy (another file system), or move."""

    def __init__(self, move: bool = False):
        self.move = move
        self.stats = {"linked": 0, "copied": 0, "moved": 0, "bytes_copied": 0}

    def place(self, src: str, dst: str) -> None:
        try:
            if self.move:
                os.rename(src, dst)
                self.stats["moved"] += 1
            else:
                os.link(src, dst)
                self.stats["linked"] += 1
            return
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK):
                raise
        shutil.copyfile(src, dst)
        st = os.stat(src)
        os.chmod(dst, stat.S_IMODE(st.st_mode))
        os.utime(dst, ns=(st.st_atime_ns, st.st_mtime_ns))
        self.stats["copied"] += 1
        self.stats["bytes_copied"] += st.st_size


def remove_tree(path: Path) -> None:
    """Remove a file, symlink or folder (symlinks inside are removed, never followed)."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def plan_release(build_dir: Path, hashes: dict[str, str] | None, stored,
                 exact: bool = False) -> tuple[Plan, list[Shard]]:
    """The plan of build_dir and its shards not stored yet (`stored(name)` says whether one is).

    Given hashes are trusted for the shards that are stored already (not reading them is the point); the
    files this deploy writes (the top level and the new shards) are read anyway, and if one of them differs
    from its given hash, the hashes are stale (the tree changed since) and every file is hashed. `exact`
    hashes (see plan_tree) are trusted for every file."""
    if exact and hashes is not None:
        from .replan import plan_exact  # (it builds on this module)
        plan = plan_exact(build_dir, hashes)
    else:
        plan = plan_tree(build_dir, hashes, exact)
    new = _not_stored(plan, stored)
    if hashes and not exact:
        written = plan.top_files + [f"{s.rel}/{f}" for s in new for f in s.files]
        stale = [rel for rel in written if _sha256_or_none(os.path.join(build_dir, rel)) != plan.hashes[rel]]
        if stale:
            log.warning("given hashes are stale for %d files (%s …): hashing the whole build", len(stale), stale[0])
            plan = plan_tree(build_dir)
            new = _not_stored(plan, stored)
    return plan, new


def _sha256_or_none(path: str) -> str | None:
    try:
        return file_sha256(path)
    except FileNotFoundError:
        return None


def _not_stored(plan: Plan, stored) -> list[Shard]:
    new, seen = [], set()
    for shard in plan.shards:
        if shard.name not in seen and not stored(shard.name):
            seen.add(shard.name)
            new.append(shard)
    return new


def stage_shards(new: list[Shard], build_dir: Path, shards_root: Path, placer: Placer) -> None:
    """Fill `<name>.tmp/` in shards_root for each new shard."""
    shards_root.mkdir(parents=True, exist_ok=True)
    for shard in new:
        staging = shards_root / f"{shard.name}.tmp"
        remove_tree(staging)
        os.mkdir(staging)
        for folder in shard.dirs:
            os.mkdir(staging / folder)
        source = os.path.join(build_dir, shard.rel)
        for rel in shard.files:
            placer.place(os.path.join(source, rel), os.path.join(staging, rel))


def publish_shards(new: list[Shard], shards_root: Path) -> None:
    """Rename staged shards into place (call after their files are on disk)."""
    for shard in new:
        os.rename(shards_root / f"{shard.name}.tmp", shards_root / shard.name)


def release_identity(release_id: str, plan: Plan, build_id: str) -> dict:
    """What `surum.json` says: the release, its build and the sha256 of its file list (see Plan.tree_digest)."""
    return {"release": release_id, "build_id": build_id, "files": len(plan.hashes), "sha256": plan.tree_digest()}


def compose_release(plan: Plan, build_dir: Path, dest: Path, shards_root: Path, placer: Placer,
                    identity: dict) -> None:
    """Make dest a release: real folders, their files, a relative symlink per shard, and surum.json."""
    os.mkdir(dest)
    for folder in plan.real_dirs:
        os.mkdir(dest / folder)
    for rel in plan.top_files:
        placer.place(os.path.join(build_dir, rel), os.path.join(dest, rel))
    for shard in plan.shards:
        link = dest / shard.rel
        os.symlink(os.path.relpath(shards_root / shard.name, link.parent), link)
    (dest / IDENTITY_FILE).write_text(json.dumps(identity, sort_keys=True) + "\n", encoding="utf-8")


def shards_of(release_dir: Path) -> frozenset[str]:
    """Names of the shards a release links to (its symlinks; a release copied whole has none). A release folder
    is never changed once renamed into place, so what was found is kept by its inode and times."""
    st = os.stat(release_dir)
    return _shards_of(str(release_dir), st.st_ino, st.st_mtime_ns, st.st_ctime_ns)


@functools.lru_cache(maxsize=256)
def _shards_of(release_dir: str, inode: int, mtime: int, ctime: int) -> frozenset[str]:
    names = set()
    for dirpath, dirnames, filenames in os.walk(release_dir):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            if os.path.islink(path):
                names.add(os.path.basename(os.readlink(path)))
    return frozenset(names)


def collect_garbage(shards_root: Path, releases_root: Path) -> list[str]:
    """Delete every shard no release folder links to, and staging leftovers (renamed `.tmp` first, so a
    removal cut short is never mistaken for a complete shard)."""
    if not shards_root.is_dir():
        return []
    used = set()
    for release in releases_root.iterdir() if releases_root.is_dir() else ():
        if release.is_dir() and not release.is_symlink():
            used |= shards_of(release)
    doomed = sorted(p.name for p in shards_root.iterdir() if p.name not in used)
    for name in doomed:
        path = shards_root / name
        if not name.endswith(".tmp"):
            trash = shards_root / f"{name}.tmp"
            remove_tree(trash)
            os.rename(path, trash)
            path = trash
        remove_tree(path)
    return [name for name in doomed if not name.endswith(".tmp")]
