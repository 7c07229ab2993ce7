"""What a department reads about its own items besides their state: the receipt of each revision and the
latest change request, the same texts intake and request-changes write into submissions/receipts/."""

from __future__ import annotations

from dataclasses import dataclass

from ..auth import Actor
from ..ledger import Ledger
from ..paths import InstancePaths
from .request_changes import change_request_path
from .visibility import visible_item


@dataclass(frozen=True)
class Receipt:
    rev: int
    name: str
    text: str


def receipts(ledger: Ledger, instance, actor: Actor, ref: int | str) -> list[Receipt]:
    """The receipt of every revision of an item `actor` may see (a receipt naming another number is skipped)."""
    item = visible_item(ledger, actor, ref)
    folder = InstancePaths(instance.root).receipts / item.department
    found = []
    for revision in ledger.revisions(item.id):
        for name in (f"{revision.source_name}.alindi.txt", f"{revision.source_name}.{item.number}.alindi.txt"):
            path = folder / name
            text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
            if item.number in text:
                found.append(Receipt(revision.rev, name, text))
                break
    return found


def change_request_note(ledger: Ledger, instance, actor: Actor, ref: int | str) -> str | None:
    """The latest change request the department received for an item `actor` may see, if any."""
    item = visible_item(ledger, actor, ref)
    path = change_request_path(InstancePaths(instance.root), item)
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
