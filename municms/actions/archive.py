"""Archiving of finished documents (Madde 21)."""

from __future__ import annotations

from .. import signals
from ..auth import Actor
from ..clock import Clock
from ..config import Instance
from ..ledger import Ledger
from ..model import Item
from ..workflow import ARCHIVE
from ._transition import Expect, run


def archive(ledger: Ledger, instance: Instance, ref: int | str, actor: Actor, clock: Clock,
            reason: str | None = None, expect: Expect | None = None) -> Item:
    """expired | withdrawn → archived."""
    return run(ledger, ref, ARCHIVE, actor, clock, signals.item_archived, reason=reason, expect=expect)
