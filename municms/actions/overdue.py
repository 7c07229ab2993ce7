"""Overdue items: open longer after registration than the SLA of their type (editorial.sla_days)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..auth import Actor
from ..config import SUBMISSION_TYPES, Instance
from ..ledger import Ledger
from ..model import CLOSING_STATES, RECEIVED, SCHEDULED, STATES, Item
from .visibility import find_visible

# Open: not closed. A scheduled item waits for its publication time on purpose, so it is not late.
OPEN_STATES = tuple(s for s in STATES if s not in CLOSING_STATES and s not in (RECEIVED, SCHEDULED))
LIMIT_PER_TYPE = 1000


@dataclass(frozen=True)
class Overdue:
    item: Item
    sla_days: int
    days_late: int          # whole days past the SLA (0: late by less than a day)


def overdue_items(ledger: Ledger, instance: Instance, actor: Actor, now: dt.datetime) -> list[Overdue]:
    """The items `actor` may see that are overdue at `now`, the longest overdue first."""
    found = []
    for tur in SUBMISSION_TYPES:
        days = instance.editorial.sla_for(tur)
        deadline = now - dt.timedelta(days=days)
        # the query narrows by day (indexed), the exact moment is compared here
        for item in find_visible(ledger, actor, tur=tur, states=OPEN_STATES, until=deadline.date(),
                                 limit=LIMIT_PER_TYPE):
            if item.created_at is not None and item.created_at <= deadline:
                late = now - item.created_at - dt.timedelta(days=days)
                found.append(Overdue(item, days, late.days))
    return sorted(found, key=lambda o: (o.item.created_at + dt.timedelta(days=o.sla_days), o.item.year,
                                        o.item.seq))
