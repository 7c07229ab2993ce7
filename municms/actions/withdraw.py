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


def withdraw(ledger: Ledger, instance: Instance, ref: int | str, actor: Actor, clock: Clock,
             reason: str | None = None, expect: Expect | None = None) -> Item:
    """approved | scheduled | published → withdrawn (published needs the public reason)."""

    def execute(tx, item, user, to_state, now):
        return {"public_reason": reason.strip()} if item.state == PUBLISHED else {}

    return run(ledger, ref, WITHDRAW, actor, clock, signals.item_withdrawn, reason=reason, execute=execute,
               expect=expect)
