"""Putting the register into a release: the next record, the export written into the tree that is deployed, and
the record appended in the ledger transaction that follows the switch. A kill between the switch and the commit
leaves a served export whose newest record the ledger lacks; `recover` (run before every new record) appends it
from the served export when it follows the ledger's newest record, so the chain and the live site agree again.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..deploy.shards import IDENTITY_FILE, tree_sha256
from .chain import EXPORT_DIR, GENESIS, public_hashes, replay
from .export import CHAIN_FILE, export_files, write_export
from .layout import LAYOUT_FILE, read_layout
from .records import append, ledger_records, new_record

log = logging.getLogger(__name__)


@dataclass
class Stamp:
    """A record about to be appended and the hashes of the tree it is deployed with (export included)."""

    record: dict
    hashes: dict[str, str]
    layout: str | None = None  # the build's layout of the register pages the tree held (municms.register.layout)

    @property
    def release(self) -> str:
        return self.record["release"]


def tree_files(root: Path) -> dict[str, str]:
    """SHA-256 of every file below root (following symlinks: a release's shards), by relative path."""
    return tree_sha256(Path(os.path.realpath(root)))


def served_chain(site: Path) -> list[dict]:
    """The records the export of the site at `site` holds (empty when it has none)."""
    chain_path = Path(site) / EXPORT_DIR / CHAIN_FILE
    if not chain_path.is_file():
        return []
    chain = json.loads(chain_path.read_text(encoding="utf-8"))
    records = []
    for name in chain.get("files", []):
        text = (Path(site) / EXPORT_DIR / name).read_bytes()
        records += [json.loads(line) for line in text.splitlines() if line.strip()]
    return records


def live_release(site: Path) -> str | None:
    """The release the site at `site` says it is (its surum.json), if any."""
    try:
        return json.loads((Path(site) / IDENTITY_FILE).read_text(encoding="utf-8"))["release"]
    except (OSError, ValueError, KeyError):
        return None


def recover(tx, site: Path | None, at: str) -> dict | None:
    """Make the ledger's chain end with the release served at `site` after a kill between a switch and its
    commit: append the served export's newest record when it follows the ledger's newest (a killed publish or
    deploy), else a `recovered` record of the served files (a killed rollback). The record appended, if any."""
    release = live_release(site) if site is not None else None
    if release is None:
        return None
    head = tx.register_head()
    if head is not None and head["release"] == release:
        return None
    try:
        served = served_chain(site)
    except (OSError, ValueError):
        served = []
    head_hash, head_seq = (head["hash"], head["seq"]) if head else (GENESIS, 0)
    if served and served[-1].get("seq") == head_seq + 1 and served[-1].get("previous") == head_hash \
            and served[-1].get("release") == release:
        record = served[-1]
    else:
        records = ledger_records(tx)
        known = [i for i, r in enumerate(records) if r["release"] == release]
        items = replay(records[:known[-1] + 1] if known else records).items
        record = new_record(replay(records), kind="recovered", release=release, at=at, actor="sistem", items=items,
                            hashes=public_hashes(tree_files(site)))
    append(tx, record)
    log.warning("register: release %s was served without its record; recorded (%s)", release, record["kind"])
    return record


def prepare(tx, *, kind: str, release: str, at: str, actor: str, items: dict[str, dict], hashes: dict[str, str],
            site_name: str, output: Path, **extra) -> Stamp:
    """The next record for a release of `hashes`, and its export written into `output` (the tree deployed) in
    place of the folder the build left there (the layout of its pages, read first)."""
    records = ledger_records(tx)
    record = new_record(replay(records), kind=kind, release=release, at=at, actor=actor, items=items,
                        hashes=hashes, **extra)
    layout = read_layout(output)
    remove_export(output)
    written = write_export(output, export_files([*records, record], site_name, layout))
    tree = {path: sha for path, sha in hashes.items() if not path.startswith(EXPORT_DIR + "/")}
    return Stamp(record, {**tree, **written}, layout)


def remove_export(output: Path, layout: str | None = None) -> None:
    """Remove the export from `output`; with `layout`, the build's layout is put back (the publisher's own tree,
    which keeps every file its build wrote)."""
    shutil.rmtree(Path(output) / EXPORT_DIR, ignore_errors=True)
    if layout is not None:
        write_export(output, {LAYOUT_FILE: layout.encode("utf-8")})


def commit(tx, stamp: Stamp) -> str:
    """Append the stamp's record (inside the transaction that follows the switch); its hash."""
    return append(tx, stamp.record)


