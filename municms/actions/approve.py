"""Approval under the four-eyes rule; acil-duyuru needs two distinct approvers."""

from __future__ import annotations

from .. import signals
from ..auth import Actor
from ..clock import Clock
from ..config import Instance
from ..item_checks import check_current, refuse_blocking
from ..ledger import Ledger
from ..model import APPROVED, Item
from ..seminar_checks import current_checks
from ..workflow import APPROVE
from ._transition import Expect, run


def approve(ledger: Ledger, instance: Instance, ref: int | str, actor: Actor, clock: Clock,
            reason: str | None = None, expect: Expect | None = None) -> Item:
    """Record `actor`'s approval of the current revision; in_review → approved once enough approvals."""
    data: dict = {}

    def execute(tx, item, user, to_state, now):
        # a page that cannot be built; a seminar in a room or with a trainer another one has at that time
        refuse_blocking(item, check_current(tx, instance, item, with_site=False) + current_checks(tx, instance, item))
        tx.add_approval(item.id, item.current_rev, user.login, now)
        data.update(rev=item.current_rev, approvals=len(tx.approvals(item.id, item.current_rev)))
        return {}

    def announce(item: Item, event) -> None:  # the first of two approvals is not yet an approval
        if item.state == APPROVED:
            signals.item_approved.send(APPROVE, item=item, event=event)

    return run(ledger, ref, APPROVE, actor, clock, None, reason=reason, data=data, execute=execute,
               after_commit=announce, expect=expect)
