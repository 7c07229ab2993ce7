"""Preview: the exact page an item's current revision would get, built by the real pipeline in a private copy.

The copy holds the instance's site parts, a hard-linked copy of content/ and data/, and the registered files
(linked, read-only; with the bucket of originals, its cache under var/ linked). Materialise writes the item
into it as if it were approved and due now; Pelican builds it with the theme and plugins of the public site;
the post-build checks run, and the problems that concern the item's page are returned beside it. Nothing is
written to content/, var/current or any public file; previews live under var/previews/, which no web server
serves.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .build import build_site
from .checks import check_site
from .clock import Clock
from .config import Instance, load_instance
from .errors import BuildError, MunicmsError, NotFound
from .fragments import BANNER_FILE
from .item_checks import check_revision
from .ledger import Ledger
from .materialise import Entry, load_entries, materialise
from .model import APPROVED, Item
from .paths import InstancePaths
from .private import private_dir
from .register_store import S3Store, register_store

SITE_PARTS = ("instance.yaml", "pelicanconf.py", "plugins", "themes")
LINKED_TREES = ("content", "data")
KEEP_PREVIEWS = 20


@dataclass
class Preview:
    """One built preview: where its site is, the item's page in it, and what is wrong with the page."""

    number: str
    rev: int
    site: Path                      # the built preview site (var/previews/<number>-r<rev>/site)
    page: str | None                # the item's page relative to site ("" for types without a page)
    problems: list[dict] = field(default_factory=list)   # {"rule", "page", "message"}

    @property
    def html(self) -> str | None:
        return (self.site / self.page).read_text(encoding="utf-8") if self.page else None


def _link_tree(source: Path, target: Path) -> None:
    """A copy whose files are hard links: cheap for a large content/; materialise replaces files by rename,
    so the originals are never changed through a link."""
    if source.is_dir():
        shutil.copytree(source, target, copy_function=os.link, symlinks=True)


def _private_instance(instance: Instance, paths: InstancePaths, root: Path) -> Instance:
    root.mkdir(parents=True)
    for name in SITE_PARTS:
        part = instance.root / name
        if part.is_dir():
            shutil.copytree(part, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif part.is_file():
            shutil.copy2(part, root / name)
    for name in LINKED_TREES:
        _link_tree(instance.root / name, root / name)
    (root / "submissions").mkdir()
    if paths.registered.is_dir():
        (root / "submissions" / "registered").symlink_to(paths.registered.resolve())
    store = register_store(instance, paths)
    if isinstance(store, S3Store):  # the copy reads the bucket through the instance's own cache
        private_dir(root / "var" / "cache")
        private_dir(store.cache)
        (root / "var" / "cache" / "registered").symlink_to(store.cache.resolve())
    return load_instance(root)


def _as_due(item: Item, ledger: Ledger, now: dt.datetime) -> Entry:
    revision = ledger.revision(item.id, item.current_rev)
    if revision is None:
        raise NotFound(f"{item.number} için sürüm bulunamadı.", f"no revision {item.current_rev} of {item.number}")
    shown = item.with_changes(state=APPROVED, publish_at=None, expire_at=None)
    return Entry(shown, revision, approved_at=now, changed_at=now, was_published=False)


def build_preview(ledger: Ledger, instance: Instance, item: Item, clock: Clock) -> Preview:
    """Build the site as it would be with `item`'s current revision published now (in var/previews/)."""
    paths = InstancePaths(instance.root)
    now = clock.now()
    target = paths.var / "previews" / f"{item.number}-r{item.current_rev}"
    shutil.rmtree(target, ignore_errors=True)
    copy = _private_instance(instance, paths, target / "instance")
    entry = _as_due(item, ledger, now)
    entries = [e for e in load_entries(ledger) if e.item.id != item.id] + [entry]
    preview = Preview(item.number, item.current_rev, target / "site", None)
    preview.problems = [{"rule": c.rule, "page": "", "message": c.message_tr, "blocking": c.blocking,
                         "field": c.field, "line": c.line}
                        for c in check_revision(instance, item, entry.revision)]
    try:
        change = materialise(entries, copy, InstancePaths(copy.root), now)
        change.commit()
        where = change.placed.get(item.number)
        # a banner has no page of its own: it shows on every page, through the fragment they include
        banner = item.tur == "acil-duyuru"
        preview.page = f"{where.url}index.html" if where else ("index.html" if banner else "")
        result = build_site(copy, output=preview.site, now=now, build_id=f"preview-{item.number}", check=False,
                            search=False)
        try:
            check_site(result.output, copy.municipality.site_url, copy.required_pages)
        except BuildError as exc:
            preview.problems += [{"rule": p.rule, "page": p.page, "message": p.message_tr, "blocking": True}
                                 for p in getattr(exc, "problems", [])
                                 if preview.page and (p.page == preview.page or (banner and p.page == BANNER_FILE))]
    except MunicmsError as exc:
        preview.page = None
        preview.problems.append({"rule": "build", "page": "", "message": exc.message_tr, "blocking": True})
    finally:
        shutil.rmtree(target / "instance", ignore_errors=True)
    _prune(paths.var / "previews")
    return preview


def _prune(folder: Path) -> None:
    """Keep the newest previews only."""
    previews = sorted((p for p in folder.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in previews[KEEP_PREVIEWS:]:
        shutil.rmtree(old, ignore_errors=True)
