"""The system's own state changes by the clock: schedule (approved, `yayin` ahead) and expire (`bitis` passed)."""

from __future__ import annotations

from .. import signals
from ..auth import Actor, system_actor
from ..clock import Clock
from ..config import Instance
from ..ledger import Ledger
from ..model import APPROVED, PUBLISHED, Item
from ..workflow import EXPIRE, SCHEDULE
from ._transition import run


def expire(ledger: Ledger, instance: Instance, ref: int | str, actor: Actor, clock: Clock,
           reason: str | None = None) -> Item:
    """published → expired: the page stays with a notice, listings and feeds drop it."""
    return run(ledger, ref, EXPIRE, actor, clock, signals.item_expired, reason=reason)


def schedule(ledger: Ledger, instance: Instance, ref: int | str, actor: Actor, clock: Clock,
             reason: str | None = None) -> Item:
    """approved → scheduled: its `yayin` is still ahead."""
    data: dict = {}

    def execute(tx, item, user, to_state, now):  # after the check: an item without `yayin` is refused first
        data["publish_at"] = item.publish_at.isoformat() if item.publish_at else None
        return {}

    return run(ledger, ref, SCHEDULE, actor, clock, None, reason=reason, data=data, execute=execute)


def expire_due(ledger: Ledger, instance: Instance, clock: Clock) -> list[Item]:
    """Expire every published item whose `bitis` has passed."""
    now = clock.now()
    return [expire(ledger, instance, item.id, system_actor("zamanlayıcı"), clock) for item in ledger.items(state=PUBLISHED)
            if item.expire_at is not None and item.expire_at <= now]


def schedule_waiting(ledger: Ledger, instance: Instance, clock: Clock) -> list[Item]:
    """Mark approved items whose `yayin` is still ahead as scheduled."""
    now = clock.now()
    return [schedule(ledger, instance, item.id, system_actor("zamanlayıcı"), clock) for item in ledger.items(state=APPROVED)
            if item.publish_at is not None and item.publish_at > now]
