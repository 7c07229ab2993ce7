"""An editor of the item's unit takes an assigned item into review."""

from __future__ import annotations

from .. import signals
from ..clock import Clock
from ..config import Instance
from ..ledger import Ledger
from ..model import Item
from ..workflow import START_REVIEW
from ._transition import run


def start_review(ledger: Ledger, instance: Instance, ref: int | str, actor: str, clock: Clock,
                 reason: str | None = None) -> Item:
    """assigned → in_review."""
    return run(ledger, ref, START_REVIEW, actor, clock, signals.item_review_started, reason=reason)
