"""Request changes: the reason goes back to the department as a receipt-style file."""

from __future__ import annotations

from pathlib import Path

from .. import signals
from ..auth import Actor
from ..clock import Clock
from ..config import Instance
from ..files import write_atomic
from ..ledger import Ledger
from ..model import Event, Item
from ..paths import InstancePaths
from ..turkish import format_moment
from ..workflow import REQUEST_CHANGES
from ._transition import Expect, run


def change_request_path(paths: InstancePaths, item: Item) -> Path:
    """Where the department finds the latest change request for its item."""
    return paths.receipts / item.department / f"{item.number}.degisiklik.txt"


def change_request_text(instance: Instance, item: Item, event: Event) -> str:
    """The Turkish note the department reads: what to change and how to resubmit."""
    return (f"{instance.municipality.name} — Değişiklik İsteği\n\n"
            f"Kayıt no   : {item.number}\n"
            f"Başlık     : {item.title}\n"
            f"Müdürlük   : {instance.department_name(item.department)}\n"
            f"Sürüm      : {item.current_rev}\n"
            f"Tarih      : {format_moment(event.at)}\n"
            f"İsteyen    : {event.actor}\n\n"
            f"Gerekçe:\n{event.reason}\n\n"
            f"Düzeltilmiş metni, ön bilgiye (front matter) aşağıdaki satırı ekleyerek müdürlüğünüzün\n"
            f"gelen kutusuna (submissions/inbox/{item.department}/) yeniden bırakın:\n\n"
            f"kayit_no: {item.number}\n")


def request_changes(ledger: Ledger, instance: Instance, ref: int | str, actor: Actor, clock: Clock,
                    reason: str | None = None, expect: Expect | None = None) -> Item:
    """in_review → changes_requested; writes submissions/receipts/<department>/<number>.degisiklik.txt."""

    def write_note(item: Item, event: Event) -> None:
        target = change_request_path(InstancePaths(instance.root), item)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, change_request_text(instance, item, event))

    return run(ledger, ref, REQUEST_CHANGES, actor, clock, signals.changes_requested, reason=reason,
               after_commit=write_note, expect=expect)
