"""An editor of the item's unit takes an assigned item into review."""

from __future__ import annotations

from .. import signals
from ..auth import Actor
from ..clock import Clock
from ..config import Instance
from ..item_checks import check_current
from ..ledger import Ledger
from ..model import Item
from ..seminar_checks import current_checks
from ..workflow import START_REVIEW
from ._transition import Expect, run


def start_review(ledger: Ledger, instance: Instance, ref: int | str, actor: Actor, clock: Clock,
                 reason: str | None = None, expect: Expect | None = None) -> Item:
    """assigned → in_review; the reviewer is recorded, and the four-eyes rules keep them from approving.
    The item's own checks (item_checks; a seminar's conflicts with rooms and other seminars) go into the event,
    for the reviewer to see with `show`."""
    item = ledger.item(ref)
    checks = check_current(ledger, instance, item) + current_checks(ledger, instance, item)

    def execute(tx, item, user, to_state, now):
        return {"reviewer": user.login}

    return run(ledger, ref, START_REVIEW, actor, clock, signals.item_review_started, reason=reason,
               data={"checks": [c.as_dict() for c in checks]} if checks else None, execute=execute,
               expect=expect)
