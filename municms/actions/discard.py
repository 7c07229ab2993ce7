"""Turning down a new revision of published content: the item goes back to its published revision, which the
public site never stopped showing; the revision stays in the history. A reason is required."""

from __future__ import annotations

from .. import signals
from ..auth import Actor
from ..clock import Clock
from ..config import Instance
from ..ledger import Ledger
from ..model import Item
from ..workflow import DISCARD
from ._transition import Expect, run
from .edit_lock import release


def discard(ledger: Ledger, instance: Instance, ref: int | str, actor: Actor, clock: Clock,
            reason: str | None = None, expect: Expect | None = None) -> Item:
    """in_review | changes_requested | approved | scheduled (of published content) → published."""

    data: dict = {}

    def execute(tx, item, user, to_state, now):
        release(tx, item)
        data.update(rev=item.current_rev, live_rev=item.live_rev)
        return {"current_rev": item.live_rev}

    return run(ledger, ref, DISCARD, actor, clock, signals.item_discarded, reason=reason, expect=expect,
               execute=execute, data=data)
