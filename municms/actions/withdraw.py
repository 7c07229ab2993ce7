"""Withdrawal; for published content the reason is public and shown on the page."""

from __future__ import annotations

from .. import signals
from ..auth import Actor
from ..clock import Clock
from ..config import Instance
from ..ledger import Ledger
from ..model import PUBLISHED, Item
from ..workflow import WITHDRAW
from ._transition import Expect, run
from .edit_lock import release


def withdraw(ledger: Ledger, instance: Instance, ref: int | str, actor: Actor, clock: Clock,
             reason: str | None = None, expect: Expect | None = None) -> Item:
    """approved | scheduled | published → withdrawn; content that is public (also while a new revision of it
    is in review) needs the public reason, and its edit lock ends."""

    def execute(tx, item, user, to_state, now):
        release(tx, item)
        return {"public_reason": reason.strip()} if item.state == PUBLISHED or item.live_rev else {}

    return run(ledger, ref, WITHDRAW, actor, clock, signals.item_withdrawn, reason=reason, execute=execute,
               expect=expect)
