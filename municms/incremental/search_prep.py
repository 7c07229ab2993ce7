"""Year bundles indexed in the background, so that no publish waits for them.

A publish keeps the recent search bundle's first day (search.py): items pile up in `yeni/`, which each publish
indexes again. `serve` calls `prepare_soon` after each scheduler pass: when the first day is before today, a
thread indexes, outside every lock, the year bundles that would take the items leaving `yeni/` if it started
today (the pages are hard-linked first, so the index is of the versions it read). The next publish uses them
(`usable`) when every page of those years is still the one indexed; then `yeni/` starts today and holds only
today's items. Otherwise they are dropped and the publish keeps the old first day (prepared again later).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..processes import pid_alive
from ..search import RECENT, part_of, read_parts_file, run_pagefind, stage_pages, years_between

log = logging.getLogger(__name__)
PREFIX = ".hazir-"   # var/work/.hazir-<pid>-*: bundles being prepared or ready


@dataclass
class Prepared:
    """Year bundles indexed for a recent bundle starting on `start`."""

    start: str
    folder: Path
    pages: dict[str, dict[str, str | None]] = field(default_factory=dict)  # part → {page: its sha256 indexed}

    def output(self, part: str) -> Path:
        return self.folder / part / "bundle"

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def today(now: dt.datetime) -> str:
    """The first day of a settled recent bundle: today (site time)."""
    return now.date().isoformat()


def bundles_for(state, start: str) -> dict[str, str] | None:
    """The bundle of every indexed page of the state's tree if the recent bundle started on `start` (pages in the
    recent bundle are read again: those published before `start` go to their year); None if unknown."""
    if state.bundles is None:
        return None
    known = dict(state.bundles)
    for rel, part in state.bundles.items():
        if part == RECENT:
            try:
                known[rel] = part_of(rel, (state.work / rel).read_bytes(), start) or RECENT
            except FileNotFoundError:  # removed by the build under way (it drops the page from the bundles)
                continue
    return known


def prepare(state, now: dt.datetime) -> Prepared | None:
    """Index the year bundles for a recent bundle starting today; None when there is nothing to move."""
    remove_orphans(state.work.parent)
    with state.lock:  # a snapshot of the tree's pages (hard links) and of the state's view of them
        start, new = (read_parts_file(state.work) or {}).get("yeni_baslangic"), today(now)
        if not start or start >= new:
            return None
        known = bundles_for(state, new)
        if known is None:
            return None
        years = years_between(start, new)
        pages = {part: sorted(rel for rel, p in known.items() if p == part) for part in years}
        pages = {part: rels for part, rels in pages.items() if rels}
        prepared = Prepared(new, Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=state.work.parent)))
        try:
            for part, rels in pages.items():
                stage_pages(state.work, rels, prepared.folder / part / "site")
                prepared.pages[part] = {rel: state.hashes.get(rel) for rel in rels}
        except BaseException:
            prepared.discard()
            raise
    try:
        for part in prepared.pages:
            run_pagefind(prepared.folder / part / "site", prepared.output(part))
    except BaseException:
        prepared.discard()
        raise
    return prepared


def usable(prepared: Prepared, state, known: dict[str, str] | None, written: set[str], removed: set[str]) -> bool:
    """Whether the prepared bundles hold exactly the pages `known` (the bundles for their first day, after this
    build) puts in their years, each in the version indexed (nothing written or removed since)."""
    if known is None:
        return False
    for part, indexed in prepared.pages.items():
        now_in = {rel for rel, p in known.items() if p == part}
        if now_in != set(indexed):
            return False
        if any(rel in written or rel in removed or state.hashes.get(rel) != digest for rel, digest in indexed.items()):
            return False
    return True


def take(state) -> Prepared | None:
    """The prepared bundles, no longer the state's (the caller installs or discards them)."""
    with state.prep_guard:
        prepared, state.prepared = state.prepared, None
    return prepared


def prepare_soon(state, now: dt.datetime) -> threading.Thread | None:
    """Start preparing in a daemon thread unless a preparation runs or is ready for today."""
    with state.prep_guard:
        if state.preparing is not None and state.preparing.is_alive():
            return None
        if state.prepared is not None:
            if state.prepared.start == today(now):
                return None
            state.prepared.discard()  # a day passed: prepared for a first day that is no longer today
            state.prepared = None
        thread = threading.Thread(target=_prepare_into, args=(state, now), name="municms-arama", daemon=True)
        state.preparing = thread
    thread.start()
    return thread


def _prepare_into(state, now: dt.datetime) -> None:
    try:
        prepared = prepare(state, now)
    except Exception:
        log.exception("search bundles could not be prepared in the background")
        return
    if prepared is None:
        return
    with state.prep_guard:
        if state.prepared is not None:
            state.prepared.discard()
        state.prepared = prepared
    log.info("search: year bundles %s prepared for a recent bundle from %s", sorted(prepared.pages), prepared.start)


def remove_leftovers(work_parent: Path) -> None:
    """Bundle builds a killed build left (call under the deploy lock: no other build runs), and preparations of
    processes that are gone."""
    for folder in work_parent.glob(".arama-*"):
        shutil.rmtree(folder, ignore_errors=True)
    remove_orphans(work_parent)


def remove_orphans(work_parent: Path) -> None:
    """Preparations of processes that are gone (a serve that was stopped or killed)."""
    for folder in work_parent.glob(f"{PREFIX}*"):
        owner = folder.name.removeprefix(PREFIX).split("-", 1)[0]
        if not (owner.isdigit() and pid_alive(int(owner))):
            shutil.rmtree(folder, ignore_errors=True)


    return True
