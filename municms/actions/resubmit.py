"""Resubmission: the department answers a change request with a new revision of the same item."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..auth import Actor
from ..clock import Clock
from ..ledger import Transaction
from ..model import Event, Item, Revision
from ..workflow import RESUBMIT
from ._transition import apply, event_data, load_actor


def add_revision(tx: Transaction, item: Item, revision: Revision, actor: Actor, clock: Clock,
                 **changes) -> tuple[Item, Event]:
    """Store `revision` as revision N+1 of `item` and move it changes_requested → in_review (one event).

    Runs inside the caller's transaction (intake); the caller sends signals.item_resubmitted after commit.
    Approvals belong to a revision, so the new revision starts with none. `changes` may update item
    fields taken from the new front matter (title, slug, publish_at, expire_at).
    """
    now: dt.datetime = clock.now()
    user = load_actor(tx, actor)
    new_rev = tx.next_rev(item.id)

    if item.live_rev is not None:  # published content keeps its address and publication time
        changes = {k: v for k, v in changes.items() if k not in ("slug", "publish_at")}

    def execute(tx, item, user, to_state, now):
        tx.insert_revision(replace(revision, item_id=item.id, rev=new_rev,
                                   created_at=revision.created_at or now))
        return {"current_rev": new_rev, **changes}

    return apply(tx, item, RESUBMIT, user, now,
                 data=event_data(actor, {"rev": new_rev, "source_name": revision.source_name}),
                 execute=execute)
