"""Rejection with a reason: final."""

from __future__ import annotations

from .. import signals
from ..auth import Actor
from ..clock import Clock
from ..config import Instance
from ..ledger import Ledger
from ..model import Item
from ..workflow import REJECT
from ._transition import Expect, run


def reject(ledger: Ledger, instance: Instance, ref: int | str, actor: Actor, clock: Clock,
           reason: str | None = None, expect: Expect | None = None) -> Item:
    """assigned | in_review → rejected; the reason is required."""
    return run(ledger, ref, REJECT, actor, clock, signals.item_rejected, reason=reason, expect=expect)
