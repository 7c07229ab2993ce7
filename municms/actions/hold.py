"""Hold back: an approved item whose page fails the post-build checks stays out of a release, with the reason.

A hold is an event in the register that leaves the item's state (and its `updated_at`) as it was, so the
scheduler's view of the ledger does not change and nothing rebuilds in a loop. The item stays held, and
every later publish leaves it out without trying it, until it changes: a new revision or a new state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from .. import workflow
from ..ledger import Transaction, _Reader
from ..model import Event, Item, User
from ..workflow import HOLD

MAX_RECORDED = 10  # problems kept in one event; the build log has all of them


def hold(tx: Transaction, item: Item, user: User, now: dt.datetime, problems: list[dict],
         extra: dict | None = None) -> Event:
    """Record (inside tx) that `item` was left out of a release because of `problems` (rule, page, message)."""
    to_state = workflow.check(item, HOLD, user)
    first = problems[0]
    data = {**(extra or {}), "rev": item.current_rev, "rule": first.get("rule", ""), "page": first.get("page", ""),
            "message": first.get("message", ""),
            "problems": [{k: p.get(k, "") for k in ("rule", "page", "message")} for p in problems[:MAX_RECORDED]]}
    event = Event(item_id=item.id, at=now, actor=user.login, action=HOLD, from_state=item.state, to_state=to_state,
                  data=data)
    return replace(event, id=tx.append_event(event))


def held_since(reader: _Reader, item: Item) -> Event | None:
    """The hold that still stands for `item`: its last event, for this revision in this state; else None."""
    events = reader.events(item.id)
    last = events[-1] if events else None
    if last is not None and last.action == HOLD and last.from_state == item.state \
            and last.data.get("rev") == item.current_rev:
        return last
    return None


def held_items(reader: _Reader, items: list[Item]) -> dict[str, Event]:
    """Of `items`, those held back and not changed since: registration number → the hold event."""
    found = {}
    for item in items:
        event = held_since(reader, item)
        if event is not None:
            found[item.number] = event
    return found
