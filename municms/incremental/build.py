"""An incremental build: real Pelican over the whole content, rendering and writing only what changed, into the
state's working tree; then the search index, the checks (on the changed pages and the pages linking to what
changed or went away) and the file hashes of what changed. The tree itself is deployed (a deploy hard-links
its files; every file of the tree is a new inode when it changes, so a release never changes afterwards).

`build --full` (and the nightly comparison) builds from nothing into a fresh tree and compares hash by hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..checks import Embargoed, check_site
from ..compliance import Rules
from ..config import Instance
from ..search import (PARTS_FILE, RECENT, SEARCH_DIR, bundle_files, bundle_of, files_under, index_site,
                      part_of, parts_for, recent_start)
from . import memory, search_prep
from .pelican import TEMPLATES, IncrementalPelican, replace_file
from .state import SiteState

log = logging.getLogger(__name__)
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


@dataclass
class IncrementalBuild:
    build_id: str
    tree: Path
    seconds: float
    articles: int
    pages: int
    files: int
    written: list[str]                     # files created or replaced in the tree
    removed: list[str]                     # files the tree no longer has
    rendered: int                          # pages and feeds rendered (the others were up to date)
    read: int                              # source files parsed (the others reused)
    warnings: list[str] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)


def environment_digest(instance: Instance, settings: dict) -> str:
    """Theme, plugins, Pelican settings and instance.yaml: if any changes, every page is rendered again."""
    digest = hashlib.sha256()
    roots = [Path(settings["THEME"]), *[Path(p) for p in settings.get("PLUGIN_PATHS") or []]]
    files = [instance.root / "instance.yaml", instance.root / "pelicanconf.py"]
    for root in roots:
        files += sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in files:
        if path.is_file():
            digest.update(str(path).encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def build_incremental(instance: Instance, state: SiteState, now: dt.datetime, build_id: str,
                      embargoed: list[Embargoed] = (), check: bool = True, search: bool = True) -> IncrementalBuild:
    """Bring the state's tree up to date with content/ and data/; BuildError (tree state forgotten) on failure."""
    from ..build import BUILD_MARKER, MARKER_TEXT, _Collector, pelican_settings

    started = time.perf_counter()
    phases: dict[str, float] = {}
    with state.lock:
        settings = pelican_settings(instance, state.work, build_id, now)
        settings["MUNICMS_OUTPUTS"] = {}
        settings["MUNICMS_JOURNAL"] = state.record_path
        settings["SPEEDUPS_PROCESSES"] = 1  # few files are read or rendered: a second process costs more than it saves
        settings["JINJA_ENVIRONMENT"] = {**settings["JINJA_ENVIRONMENT"], "bytecode_cache": TEMPLATES}
        settings.pop("MUNICMS_MANIFEST", None)  # the state knows each page's inputs; no per-page source scan
        state.begin(environment_digest(instance, settings))
        collector = _Collector()
        root_logger = logging.getLogger()
        root_logger.addHandler(collector)
        try:
            IncrementalPelican(settings, state).run()
            collector.raise_errors()
            phases["pelican"] = time.perf_counter() - started
            plugin_outputs = settings["MUNICMS_OUTPUTS"]
            state.changed |= {str(state.work / rel) for rel, written in plugin_outputs.items() if written}
            if replace_file(str(state.work / BUILD_MARKER), MARKER_TEXT.encode(), state.record_path):
                state.changed.add(str(state.work / BUILD_MARKER))
            extra = set(plugin_outputs) | {BUILD_MARKER}
            removed = state.remove_stale(extra)
            written = state.relative_changed()
            searched: set[str] = set()  # search files hashed below, where their changes are found
            if search and (written or removed or not (state.work / "pagefind").is_dir()):
                fresh = state.fresh or not (state.work / "pagefind").is_dir()
                state.record("pagefind/")
                done = index_site(state.work, now=now) if fresh else _index_changes(state, written, removed, now)
                state.indexed(done, whole=fresh)
                # only the bundles this run built or removed (and the list of bundles) changed
                touched = None if fresh else set(done.built) | set(done.removed) | {PARTS_FILE}
                before = {rel: digest for rel, digest in state.hashes.items()
                          if (part := bundle_of(rel)) is not None and (touched is None or part in touched)}
                index = set().union(*(bundle_files(state.work, part) for part in touched)) if touched is not None \
                    else files_under(state.work, state.work / SEARCH_DIR)
                searched = index | set(before)
                state.update_hashes(searched)
                written |= {rel for rel in index if state.hashes.get(rel) != before.get(rel)}
                removed |= set(before) - index
            phases["search"] = time.perf_counter() - started - sum(phases.values())
            unhashed = state.missing_hashes() if state.dirty or state.fresh else set()
            state.update_hashes((written | unhashed | removed) - searched)
            if check:
                _check(instance, state, written | unhashed, removed, embargoed, now)
            phases["checks"] = time.perf_counter() - started - sum(phases.values())
            rendered = len(state.pending)
            state.commit(extra, tuple(embargoed))
            state.built_at = now.isoformat()
            state.trusted()
            memory.settle()
        except BaseException:
            state.fail()
            raise
        finally:
            root_logger.removeHandler(collector)
        stats = settings.get("MUNICMS_STATS", {})
        warnings = [r.getMessage() for r in collector.records if r.levelno == logging.WARNING]
        return IncrementalBuild(build_id, state.work, time.perf_counter() - started, stats.get("articles", 0),
                                stats.get("pages", 0), len(state.hashes), sorted(written), sorted(removed),
                                rendered, state.content.read, warnings, {k: round(v, 3) for k, v in phases.items()},
                                dict(state.hashes))


def _check(instance: Instance, state: SiteState, changed: set[str], removed: set[str],
           embargoed: list[Embargoed], now: dt.datetime) -> None:
    """The checks of a full build on what this build can have broken: changed pages, pages whose link targets
    changed or went away; the embargo scan over every file when the embargoed items changed."""
    pages = {rel for rel in changed if rel.endswith(".html")}
    # a link breaks only when its target goes away; an anchor also when its (changed) target drops the id
    pages |= {page for page, targets in state.links.items() if targets & removed}
    pages |= {page for page, targets in state.anchors.items() if targets & changed}
    if state.fresh or (not state.links and any(not rel.startswith("pagefind/") for rel in removed)):
        pages = None  # nothing checked yet, or links into a removed file unknown (state read from disk)
    full_embargo = tuple(embargoed) != state.embargoed
    # the tree's files from the hashes the state keeps (an empty file has the hash of no bytes)
    files = {rel: 0 if digest == EMPTY_SHA256 else 1 for rel, digest in state.hashes.items()}
    links, anchors = check_site(state.work, instance.municipality.site_url, Rules.of(instance, now), embargoed,
                                pages=pages, embargo_files=None if full_embargo else changed, files=files)
    state.links.update(links)
    state.anchors.update(anchors)
    for rel in removed:
        state.links.pop(rel, None)
        state.anchors.pop(rel, None)


def _index_changes(state: SiteState, written: set[str], removed: set[str], now: dt.datetime):
    """Index what this build changed: with the year bundles prepared in the background when they still hold
    exactly the pages they would (the recent bundle then starts on their day), else keeping its first day."""
    prepared = search_prep.take(state)
    stored = recent_start(state.work, now)
    try:
        if prepared is not None and prepared.start > stored:
            parts, known = _search_parts(state, written, removed, prepared.start, stored)
            if search_prep.usable(prepared, state, known, written, removed):
                return index_site(state.work, parts, now=now, known=known, start=prepared.start,
                                  ready={part: prepared.output(part) for part in prepared.pages})
        parts, known = _search_parts(state, written, removed, stored, stored)
        return index_site(state.work, parts, now=now, known=known, start=stored)
    finally:
        if prepared is not None:
            prepared.discard()


def _search_parts(state: SiteState, written: set[str], removed: set[str], start: str,
                  stored: str) -> tuple[set[str], dict[str, str] | None]:
    """The search bundles to build again: the recent one, the bundle of every written page (read from the page:
    a listing or the home page is in none) and the bundle each written or removed page was indexed in (a
    withdrawn item's page is written without searchable content and must leave its bundle). With them, the
    bundle of every indexed page of the tree for a recent bundle from `start` when the state knows them (None:
    the indexer reads the pages; `stored`: the first day the index has now)."""
    parts = {RECENT}
    known = dict(state.bundles) if state.bundles is not None and start == stored else \
        search_prep.bundles_for(state, start)
    for rel in written:
        if rel.endswith(".html") and not rel.startswith(SEARCH_DIR + "/"):
            part = part_of(rel, (state.work / rel).read_bytes(), start)
            parts |= ({part} if part else set()) | _indexed_in(state, rel)
            if known is not None:
                known.pop(rel, None)
                if part:
                    known[rel] = part
    for rel in removed:
        parts |= _indexed_in(state, rel)
        if known is not None:
            known.pop(rel, None)
    return parts, known


def _indexed_in(state: SiteState, rel: str) -> set[str]:
    """The bundle a page was indexed in; when the state does not know, every bundle it may have been in."""
    if state.bundles is None:
        return parts_for([rel])
    part = state.bundles.get(rel)
    return {part} if part else set()


def snapshot(tree: Path, target: Path) -> int:
    """A copy of the tree made of hard links: every file of the tree (pages, and the search bundles, which are
    built in fresh folders and swapped in) is replaced, never rewritten in place. Returns the number of files."""
    count = 0
    for dirpath, _, filenames in os.walk(tree):
        rel = os.path.relpath(dirpath, tree).replace(os.sep, "/")
        folder = target / rel if rel != "." else target
        folder.mkdir(parents=True, exist_ok=True)
        for name in filenames:
            os.link(os.path.join(dirpath, name), folder / name)
            count += 1
    return count
