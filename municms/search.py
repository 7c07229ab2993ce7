"""Full-text search of the built site with Pagefind (Turkish stemming, static files, no server), split into
bundles that the search page merges in the browser, so a publish re-indexes a few hundred pages, not the site.

Layout under <site>/pagefind/ (a page belongs to exactly one bundle, so merged results hold no duplicates):
  (the folder itself)  genel: undated pages (corporate pages, e-services, org chart …); the primary bundle, whose
                       scripts the search page loads
  yeni/                dated items published since the recent bundle's first day: small, rebuilt on every
                       publish. A full index starts it on the first of the month (site time); a publish keeps
                       the day it finds, so it never rebuilds a year's bundle for items leaving yeni/. `serve`
                       indexes those years in the background for a yeni/ starting today
                       (incremental/search_prep.py); the next publish moves the first day to today and puts
                       the finished bundles in place.
  2016/ …              dated items of that year (the year of their address /<section>/<year>/<slug>/), except
                       those in yeni/; named like the site's year folders, so a release stores each as a shard
  parcalar.json        the bundles merged into the primary one and the first day of yeni/; the search script
                       reads it, so a new year's bundle changes no page
Only pages whose content carries data-pagefind-body are indexed (withdrawn and expired items do not), each through
its search copy (search_copy.py): Turkish text folded as people type it, the original words kept for showing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pagefind_bin_extended import get_executable

from .errors import BuildError
from .search_copy import COPIES

SEARCH_DIR = "pagefind"
GENERAL = "genel"
RECENT = "yeni"
PARTS_FILE = "parcalar.json"
WORKERS = 2  # one Pagefind process per core of the publishing machine
_PART_NAME = re.compile(r"^(genel|yeni|\d{4})$")
_YEAR = re.compile(r"^\d{4}$")
_DATED_PAGE = re.compile(r"^[^/]+/(\d{4})/[^/]+/index\.html$")  # /<section>/<year>/<slug>/ of dated items
_BODY = b"data-pagefind-body"
# the publication date in the item header of article.html (a seminar's later <time>s are its sessions)
_PUBLISHED = re.compile('Yayın tarihi: <time datetime="(\\d{4}-\\d{2}-\\d{2})'.encode())


@dataclass
class BundleBuild:
    """One Pagefind run: the bundle, how many pages it holds, its wall-clock and CPU seconds."""
    part: str
    pages: int
    seconds: float
    cpu_seconds: float


@dataclass
class SearchIndex:
    """What index_site did: bundles built, bundles removed because no page belongs to them any more."""
    built: dict[str, BundleBuild] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    pages: dict[str, list[str]] = field(default_factory=dict)  # the pages of each bundle built


def bundle_of(rel: str) -> str | None:
    """The bundle a file of the site's search folder belongs to (rel: its path in the site); PARTS_FILE for the
    list of bundles, None outside the search folder."""
    if not rel.startswith(SEARCH_DIR + "/"):
        return None
    inside = rel[len(SEARCH_DIR) + 1:]
    first, _, rest = inside.partition("/")
    if rest and _PART_NAME.match(first) and first != GENERAL:
        return first
    return PARTS_FILE if inside == PARTS_FILE else GENERAL


def files_under(site: Path, folder: Path) -> set[str]:
    """Every file below `folder` (paths relative to the site)."""
    return {p.relative_to(site).as_posix() for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else set()


def bundle_files(site: Path, part: str) -> set[str]:
    """The files of one bundle now in site/pagefind/ (paths relative to the site)."""
    root = Path(site) / SEARCH_DIR
    if part == PARTS_FILE:
        return {f"{SEARCH_DIR}/{PARTS_FILE}"} if (root / PARTS_FILE).is_file() else set()
    if part != GENERAL:
        return files_under(site, root / part)
    found = set()
    for entry in root.iterdir() if root.is_dir() else ():
        rel = f"{SEARCH_DIR}/{entry.name}"
        if entry.is_file() and entry.name != PARTS_FILE and not entry.name.startswith("."):
            found.add(rel)
        elif entry.is_dir() and not _PART_NAME.match(entry.name) and not entry.name.startswith("."):
            found |= files_under(site, entry)
    return found


def year_part(year: int) -> str:
    return f"{year:04d}"


def recent_from(now: dt.datetime) -> str:
    """First day (ISO date) of the recent bundle of a full index: the first of the current month (site time)."""
    return now.date().replace(day=1).isoformat()


def recent_start(site: Path, now: dt.datetime) -> str:
    """First day of the recent bundle of a site's index: the one its list of bundles names, else that of a full
    index (recent_from)."""
    return (read_parts_file(site) or {}).get("yeni_baslangic") or recent_from(now)


def part_of(rel: str, html: bytes, recent_start: str) -> str | None:
    """The bundle of one built page (rel: its path in the site), or None when the page is not indexed."""
    if _BODY not in html:
        return None
    dated = _DATED_PAGE.match(rel)
    if not dated:
        return GENERAL
    published = _PUBLISHED.search(html)
    if published and published.group(1).decode() >= recent_start:
        return RECENT
    return year_part(int(dated.group(1)))


def parts_for(changed: list[str] | set[str]) -> set[str]:
    """Bundles to rebuild after the given output files changed (paths relative to the site): the recent bundle
    always, the year of each dated item, genel for any other page."""
    parts = {RECENT}
    for rel in changed:
        if rel.endswith(".html") and not rel.startswith(SEARCH_DIR + "/"):
            dated = _DATED_PAGE.match(rel)
            parts.add(year_part(int(dated.group(1))) if dated else GENERAL)
    return parts


def split_site(site: Path, recent_start: str, parts: set[str] | None = None,
               known: dict[str, str] | None = None) -> dict[str, list[str]]:
    """Indexed pages of the built site by bundle, sorted; only the bundles in parts (all when None). `known`:
    the bundle of every indexed page of the site, from the publisher (no page is read)."""
    if known is not None and parts is not None:
        split: dict[str, list[str]] = {}
        for rel, part in sorted(known.items()):
            if part in parts:
                split.setdefault(part, []).append(rel)
        return split
    if parts is None or GENERAL in parts:
        candidates = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                            if not p.relative_to(site).parts[0].startswith((SEARCH_DIR, ".")))
    else:
        years = {int(p) for p in parts if _YEAR.match(p)}
        if RECENT in parts:  # items of the recent bundle live under their year, this year or later ones
            first = int(recent_start[:4])
            years |= {int(d.name) for d in site.glob("*/[0-9][0-9][0-9][0-9]")
                      if int(d.name) >= first and d.parent.name != SEARCH_DIR}
        candidates = sorted(p.relative_to(site).as_posix() for year in years
                            for p in site.glob(f"*/{year}/*/index.html"))
    split: dict[str, list[str]] = {}
    for rel in candidates:
        part = part_of(rel, (site / rel).read_bytes(), recent_start)
        if part and (parts is None or part in parts):
            split.setdefault(part, []).append(rel)
    return split


def index_site(site: Path, parts: set[str] | None = None, now: dt.datetime | None = None,
               known: dict[str, str] | None = None, start: str | None = None,
               ready: dict[str, Path] | None = None) -> SearchIndex:
    """Write the search bundles into site/pagefind/: all of them when parts is None (two Pagefind processes at a
    time), else only the named ones (e.g. {"yeni", "2026"}); other bundles are left as they are.

    `start`: the recent bundle's first day (default: the first of the month for a full index, else the one the
    index has; the years of the items that leave the recent bundle are built too). `known`: the bundle of every
    indexed page for that first day (see split_site). `ready`: bundles already indexed elsewhere (part → Pagefind's output
    folder, for exactly the pages `known` puts in that part), put in place instead of being built."""
    started = time.perf_counter()
    site = Path(site)
    now = now or dt.datetime.now().astimezone()
    root = site / SEARCH_DIR
    previous = read_parts_file(site)
    if start is None:
        start = recent_from(now) if parts is None else recent_start(site, now)
    if parts is not None:
        unknown = sorted(p for p in parts if not _PART_NAME.match(p))
        if unknown:
            raise ValueError(f"unknown search bundles: {unknown}")
        parts = set(parts) | _moved_out_of_recent(previous, start, parts)
        if previous is None:  # no index yet: every bundle
            parts = None
    pages = split_site(site, start, parts, known)
    ready = {part: folder for part, folder in (ready or {}).items() if pages.get(part) and parts is not None}
    wanted = set(pages) | {GENERAL} if parts is None else set(parts)
    result = SearchIndex()
    root.mkdir(parents=True, exist_ok=True)
    for part in sorted(wanted - {GENERAL}):
        if not pages.get(part):
            if _remove_bundle(root, part):
                result.removed.append(part)
    if parts is None:  # bundles of years that have no page left
        for folder in sorted(root.glob("[0-9][0-9][0-9][0-9]")) + sorted(root.glob(RECENT)):
            if folder.name not in pages and _PART_NAME.match(folder.name) and _remove_bundle(root, folder.name):
                result.removed.append(folder.name)
    todo = sorted((p for p in wanted if (pages.get(p) or p == GENERAL) and p not in ready),
                  key=lambda p: -len(pages.get(p, ())))
    with ThreadPoolExecutor(max_workers=min(WORKERS, os.cpu_count() or 1)) as pool:
        for build in pool.map(lambda part: _build_bundle(site, part, pages.get(part, [])), todo):
            result.built[build.part] = build
    for part, folder in sorted(ready.items()):
        trash = Path(tempfile.mkdtemp(prefix=f".arama-{part}-", dir=site.parent))
        try:
            _replace_folder(root / part, folder, trash)
        finally:
            shutil.rmtree(trash, ignore_errors=True)
        result.built[part] = BundleBuild(part, len(pages[part]), 0.0, 0.0)
    _write_parts_file(site, start)
    result.pages = {part: pages.get(part, []) for part in result.built}
    result.seconds = time.perf_counter() - started
    return result


def _moved_out_of_recent(previous: dict | None, start: str, parts: set[str]) -> set[str]:
    """When the recent bundle's first day moves, the items that leave it must go back into their year's bundle,
    or they could not be found: those years are built too."""
    if previous is None or RECENT not in parts or previous.get("yeni_baslangic") == start:
        return set()
    return years_between(previous.get("yeni_baslangic") or start, start)


def years_between(first: str, second: str) -> set[str]:
    """The year bundles of the days from one ISO date to another (either order), both included."""
    low, high = sorted((int(first[:4]), int(second[:4])))
    return {year_part(year) for year in range(low, high + 1)}


def read_parts_file(site: Path) -> dict | None:
    """The contents of pagefind/parcalar.json, or None when the site has no split index."""
    path = Path(site) / SEARCH_DIR / PARTS_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def _write_parts_file(site: Path, start: str) -> None:
    """List the bundles present (recent first, then years newest first); unchanged bytes are not rewritten."""
    root = site / SEARCH_DIR
    years = sorted((d.name for d in root.glob("[0-9][0-9][0-9][0-9]") if d.is_dir()), reverse=True)
    merged = ([RECENT] if (root / RECENT).is_dir() else []) + years
    text = json.dumps({"birincil": GENERAL, "parcalar": merged, "yeni_baslangic": start},
                      ensure_ascii=False, indent=1) + "\n"
    path = root / PARTS_FILE
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        temporary = path.with_name(f".{PARTS_FILE}.tmp-{secrets.token_hex(4)}")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)


def _build_bundle(site: Path, part: str, pages: list[str]) -> BundleBuild:
    """Index exactly these pages into a fresh folder (Pagefind never removes files it wrote before), then put
    it in place of the bundle's old files."""
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix=f".arama-{part}-", dir=site.parent))
    try:
        chosen = work / "site"
        stage_pages(site, pages, chosen)
        output = work / "bundle"
        cpu = run_pagefind(chosen, output)
        if part == GENERAL:
            _replace_primary(site / SEARCH_DIR, output, work)
        else:
            _replace_folder(site / SEARCH_DIR / part, output, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BundleBuild(part, len(pages), round(time.perf_counter() - started, 3), cpu)


def stage_pages(site: Path, pages: list[str], chosen: Path) -> None:
    """The pages to index, as a folder of their own: the search copy of each (search_copy.py: its text folded
    for Turkish search, its original words as metadata; remembered by the page's digest, as a publisher indexes
    the same recent pages again), written when staged, so a page the site replaces later keeps its indexed
    version here."""
    for rel in pages:
        (chosen / rel).parent.mkdir(parents=True, exist_ok=True)
        (chosen / rel).write_bytes(COPIES.copy_of((site / rel).read_bytes()))
    chosen.mkdir(parents=True, exist_ok=True)


def run_pagefind(chosen: Path, output: Path) -> float:
    """Run Pagefind over the folder of chosen pages; return the CPU seconds it used."""
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen([str(get_executable()), "--site", str(chosen),
                                    "--output-path", str(output), "--quiet"], stdout=log, stderr=log)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            log.seek(0)
            detail = log.read().decode("utf-8", errors="replace").strip()[-500:]
            raise BuildError("Arama dizini oluşturulamadı: " + detail,
                             f"pagefind failed with exit code {process.returncode}")
    return round(usage.ru_utime + usage.ru_stime, 3)


def _replace_folder(target: Path, new: Path, work: Path) -> None:
    old = work / "old"
    if target.exists():
        target.rename(old)
    new.rename(target)


def _replace_primary(root: Path, new: Path, work: Path) -> None:
    """The primary bundle's files are pagefind/ itself: swap them one entry at a time, keep the other bundles."""
    trash = work / "old"
    trash.mkdir()
    fresh = {entry.name for entry in new.iterdir()}
    for entry in list(root.iterdir()):
        if entry.name in fresh or not (_PART_NAME.match(entry.name) or entry.name == PARTS_FILE
                                       or entry.name.startswith(".")):
            entry.rename(trash / entry.name)
    for name in sorted(fresh):
        (new / name).rename(root / name)


def _remove_bundle(root: Path, part: str) -> bool:
    folder = root / part
    if part == GENERAL or not folder.is_dir():
        return False
    shutil.rmtree(folder)
    return True
