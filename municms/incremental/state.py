"""What a long-lived publisher keeps between builds: the content objects of unchanged sources, the digest of
every page's inputs, the working tree those pages live in, the hash of every file in it, and the links of
every page (to re-check only pages whose targets changed).

Only a successful build commits its digests; a failed one forgets the digests of every page it touched, so
the next build renders them again whatever the working tree holds.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .digest import SequenceMemo
from .listing import FolderCache
from .store import ContentStore
from .pelican import ContentCache
from .search_prep import remove_leftovers

STORE_FILE = "content.sqlite"  # parsed content objects, next to the tree (var/work/)
# Outputs the search indexer manages inside the tree; the stale-file pass leaves them to it.
SEARCH_DIR = "pagefind/"


@dataclass
class SiteState:
    """One instance's publisher state (serve keeps it; a CLI run starts with an empty one)."""

    work: Path                                              # var/work/site: the tree every build updates
    content: ContentCache = field(default_factory=ContentCache)
    fingerprints: dict[str, str] = field(default_factory=dict)   # output → digest of its inputs
    hashes: dict[str, str] = field(default_factory=dict)         # file in the tree → sha256
    links: dict[str, frozenset[str]] = field(default_factory=dict)   # page → output files it links to
    anchors: dict[str, frozenset[str]] = field(default_factory=dict)  # page → files it links to with #fragment
    outputs: set[str] = field(default_factory=set)          # every output of the last successful build
    bundles: dict[str, str] | None = None                   # page → search bundle it is indexed in (None: unknown)
    quick: dict[str, tuple] = field(default_factory=dict)   # page → (its inputs as a plain tuple, their digest)
    groups: dict[tuple, tuple] = field(default_factory=dict)  # group of pages → (inputs, items, its pages)
    folders: FolderCache = field(default_factory=FolderCache)  # content folder listings
    sequences: SequenceMemo = field(default_factory=SequenceMemo)  # digests of lists of kept articles
    embargoed: tuple = ()                                   # what the last successful build checked against
    environment: str = ""                                   # digest of theme, settings, plugins, code
    generation: int = 0                                     # successful builds saved (registry.save)
    dirty: bool = True                                      # the tree may hold files the state knows nothing of
    built_at: str | None = None                             # the moment (site time) the tree was built for
    fresh: bool = True                                      # this build starts from no digests at all
    lock: threading.Lock = field(default_factory=threading.Lock)
    prepared: object = None                                 # year bundles indexed in the background (search_prep)
    preparing: object = None                                # the thread preparing them
    prep_guard: threading.Lock = field(default_factory=threading.Lock)
    _journal: object = None                                 # open journal of the build under way
    # one build's bookkeeping
    pending: dict[str, str] = field(default_factory=dict)
    pending_groups: dict[tuple, tuple] = field(default_factory=dict)  # groups of this build (skipped or written)
    outputs_seen: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)          # absolute paths written by this build

    @property
    def journal_path(self) -> Path:
        return self.work.parent / "journal"

    def recover(self) -> None:
        """A build killed before its state was saved may have replaced or removed any file it had named in the
        journal: forget what the state says of those files (they are rendered and hashed again)."""
        try:
            names = self.journal_path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return
        for name in names:
            if name.startswith(SEARCH_DIR):
                self.bundles = None  # the search index was being rebuilt
            for table in (self.fingerprints, self.hashes, self.links, self.anchors):
                for rel in [r for r in table if r == name or (name.endswith("/") and r.startswith(name))]:
                    table.pop(rel, None)
        self.dirty = True

    def record(self, rel: str) -> None:
        """Name a file in the journal before it is replaced or removed (a folder: a name ending in /)."""
        if self._journal is not None:
            self._journal.write(rel + "\n")
            self._journal.flush()

    def record_path(self, path: str) -> None:
        self.record(Path(path).relative_to(self.work).as_posix())

    def end_journal(self) -> None:
        """The state on disk now describes the tree: the journal is no longer needed."""
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        self.journal_path.unlink(missing_ok=True)

    def begin(self, environment: str) -> None:
        """Start a build; a different environment (theme, settings, code) makes every page stale."""
        self.recover()
        if self.content.store is None:
            self.content.store = ContentStore(self.work.parent / STORE_FILE)
        self.content.store.begin(environment)
        self.journal_path.parent.mkdir(parents=True, exist_ok=True)
        if self._journal is not None:
            self._journal.close()
        # appended to, never truncated: a build killed after recover() and before its state was saved must leave
        # the names of the killed build before it in the journal too (the saved state still trusts those files)
        self._journal = open(self.journal_path, "a", encoding="utf-8")
        if environment != self.environment or not self.work.is_dir():
            self.fingerprints.clear()
            self.links.clear()
            self.anchors.clear()
        self.environment = environment
        self.fresh = not self.fingerprints
        self.pending, self.outputs_seen, self.changed = {}, set(), set()
        self.pending_groups = {}
        if self.fresh or self.dirty:
            self.groups = {}  # a group is skipped only when every page it had is known to be in the tree
        self.content.reset_counts()
        self.work.mkdir(parents=True, exist_ok=True)
        # Temp files of a killed build need no sweep here: its journal makes the tree untrusted, and
        # remove_stale deletes every file of an untrusted tree that the build did not produce. Search work
        # folders next to the tree are not part of it.
        remove_leftovers(self.work.parent)

    def needs(self, name: str, fingerprint: str) -> bool:
        """Whether the page `name` must be rendered: its inputs changed, or (in a tree not trusted) it is missing."""
        self.outputs_seen.add(name)
        if self.fingerprints.get(name) == fingerprint and (not self.dirty or (self.work / name).is_file()):
            return False
        self.pending[name] = fingerprint
        return True

    def indexed(self, done, whole: bool) -> None:
        """Record which pages the search bundles just built hold (`whole`: every bundle was built)."""
        if whole:
            self.bundles = {}
        elif self.bundles is None:
            return
        gone = set(done.built) | set(done.removed)
        self.bundles = {rel: part for rel, part in self.bundles.items() if part not in gone}
        self.bundles.update({rel: part for part, pages in done.pages.items() for rel in pages})

    def relative_changed(self) -> set[str]:
        return {Path(p).relative_to(self.work).as_posix() for p in self.changed}

    def trusted(self) -> None:
        """The tree now holds exactly the outputs and hashes the state records."""
        self.dirty = False

    def fail(self) -> None:
        """A failed build: the pages it touched are rendered again next time, and sources whose preparation
        logged an error are read again (so the error is logged again, not hidden by the kept object)."""
        self.content.entries = {path: entry for path, entry in self.content.entries.items()
                                if getattr(entry[1], "_municms_prepared", True)}
        for name in self.pending:
            self.fingerprints.pop(name, None)
        for rel in self.relative_changed():
            self.fingerprints.pop(rel, None)
            self.hashes.pop(rel, None)
        self.pending, self.changed = {}, set()
        self.pending_groups, self.groups = {}, {}
        self.dirty = True

    def forget_digests(self) -> None:
        """Render every page again at the next build (the tree stays; unchanged files are not rewritten)."""
        self.fingerprints.clear()
        self.groups = {}
        self.links.clear()
        self.anchors.clear()
        self.dirty = True

    def commit(self, extra_outputs: set[str], embargoed: tuple) -> None:
        self.fingerprints.update(self.pending)
        self.groups = self.pending_groups  # groups this build did not have are gone
        self.pending_groups = {}
        self.content.save()
        if len(self.quick) > 2 * len(self.outputs_seen):  # pages that are gone
            self.quick = {name: entry for name, entry in self.quick.items() if name in self.outputs_seen}
        self.outputs = set(self.outputs_seen) | extra_outputs
        self.embargoed = embargoed
        self.pending = {}

    def remove_stale(self, extra_outputs: set[str]) -> set[str]:
        """Delete the files of the tree that this build did not produce (outside the search index): those of
        the last successful build's outputs it no longer has, or every unknown file of a tree not trusted."""
        keep = self.outputs_seen | extra_outputs
        if not self.dirty and not self.fresh:
            removed = {rel for rel in self.outputs - keep if not rel.startswith(SEARCH_DIR)}
            for rel in removed:
                self.record(rel)
                (self.work / rel).unlink(missing_ok=True)
                for table in (self.fingerprints, self.hashes, self.links, self.anchors):
                    table.pop(rel, None)
            for folder in sorted({(self.work / rel).parent for rel in removed}, key=lambda p: -len(p.parts)):
                while folder != self.work and folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
                    folder = folder.parent
            return removed
        removed = set()
        for dirpath, _, filenames in os.walk(self.work):
            rel_dir = os.path.relpath(dirpath, self.work).replace(os.sep, "/")
            prefix = "" if rel_dir == "." else rel_dir + "/"
            if prefix.startswith(SEARCH_DIR):
                continue
            for name in filenames:
                rel = prefix + name
                if rel not in keep:
                    self.record(rel)
                    os.unlink(os.path.join(dirpath, name))
                    self.fingerprints.pop(rel, None)
                    self.hashes.pop(rel, None)
                    self.links.pop(rel, None)
                    self.anchors.pop(rel, None)
                    removed.add(rel)
        _remove_empty_dirs(self.work)
        return removed

    def update_hashes(self, files: set[str]) -> None:
        for rel in files:
            path = self.work / rel
            if path.is_file():
                self.hashes[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                self.hashes.pop(rel, None)

    def missing_hashes(self) -> set[str]:
        """Files of the tree without a recorded hash (a first build, or after a failure)."""
        found = set()
        for dirpath, _, filenames in os.walk(self.work):
            rel_dir = os.path.relpath(dirpath, self.work).replace(os.sep, "/")
            prefix = "" if rel_dir == "." else rel_dir + "/"
            found.update(prefix + n for n in filenames if (prefix + n) not in self.hashes)
        return found

    def reset(self) -> None:
        """Forget everything and empty the tree (a full build starts from nothing)."""
        shutil.rmtree(self.work, ignore_errors=True)
        self.content = ContentCache()
        self.folders = FolderCache()
        self.sequences = SequenceMemo()
        self.fingerprints.clear()
        self.hashes.clear()
        self.links.clear()
        self.anchors.clear()
        self.outputs.clear()
        self.groups = {}
        self.bundles = None
        self.environment = ""
        with self.prep_guard:
            if self.prepared is not None:
                self.prepared.discard()
            self.prepared = None


def _remove_empty_dirs(root: Path) -> None:
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        if dirpath != str(root) and not os.listdir(dirpath):
            try:
                os.rmdir(dirpath)
            except OSError:
                pass
