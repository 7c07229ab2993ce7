"""The record of one deploy: which items it changed (and who approved them), which files, chained to the last."""

from __future__ import annotations

import json

from ..ledger import _Reader
from ..model import ARCHIVED, EXPIRED, WITHDRAWN
from .chain import FORMAT, GENESIS, State, canonical, file_changes, public_hashes, record_hash, replay

STATUS = {WITHDRAWN: "geri çekildi", EXPIRED: "süresi doldu", ARCHIVED: "arşivlendi"}
LIVE = "yayında"


def ledger_records(reader: _Reader) -> list[dict]:
    """Every record of the ledger's register, parsed, in order."""
    return [json.loads(row["record"]) for row in reader.register_records()]


def item_entries(before: dict[str, dict], now: dict[str, dict]) -> list[dict]:
    """The items whose public state differs from `before` (number → entry), each with what happened."""
    changed = []
    for number, entry in sorted(now.items()):
        old = before.get(number)
        if old is None:
            change = "ilk yayın" if entry["status"] == LIVE else entry["status"]
        elif old["status"] != entry["status"]:
            change = "yeniden yayında" if entry["status"] == LIVE else entry["status"]
        elif (old["rev"], old["url"], old["title"]) != (entry["rev"], entry["url"], entry["title"]):
            change = "değişiklik"
        else:
            continue
        changed.append({**entry, "change": change})
    for number in sorted(set(before) - set(now)):
        changed.append({**before[number], "change": "kaldırıldı"})
    return changed


def public_item(reader: _Reader, item, rev: int, url: str, state: str) -> dict:
    """An item as a record lists it: number, title, address, revision, status and who approved the revision."""
    return {"number": item.number, "title": item.title, "url": "/" + url.lstrip("/") if url else "", "rev": rev,
            "status": STATUS.get(state, LIVE), "approved_by": reader.approvals(item.id, rev)}


def new_record(previous: State, *, kind: str, release: str, at: str, actor: str, items: dict[str, dict],
               hashes: dict[str, str], **extra) -> dict:
    """The record that follows `previous`: the item changes, the file changes and the link."""
    files = public_hashes(hashes)
    return {"format": FORMAT, "seq": previous.seq + 1, "previous": previous.head or GENESIS, "kind": kind,
            "release": release, "at": at, "published_by": actor, "items": item_entries(previous.items, items),
            "files": file_changes(previous.hashes, files), **extra}


def state_of(reader: _Reader) -> State:
    return replay(ledger_records(reader))


def append(tx, record: dict) -> str:
    """Write `record` as the register's next row (inside the caller's transaction); its hash."""
    digest = record_hash(record)
    tx.append_register_record(record["seq"], record["release"], record["at"], canonical(record).decode("utf-8"),
                              digest)
    return digest
