"""The shared part of every action: check with the workflow table, update the item, write one event."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Callable

from blinker import Signal

from .. import workflow
from ..clock import Clock
from ..errors import PermissionDenied
from ..ledger import Ledger, Transaction, _Reader
from ..model import CLOSING_STATES, SYSTEM, SYSTEM_USER, Event, Item, User

# execute(tx, item, user, to_state, now) -> extra item fields; runs after the check, before the update.
Execute = Callable[[Transaction, Item, User, str, dt.datetime], dict]


def load_actor(reader: _Reader, login: str) -> User:
    """The acting user: the built-in `sistem`, or an existing, active user."""
    if login == SYSTEM:
        return SYSTEM_USER
    user = reader.user(login)
    if not user.active:
        raise PermissionDenied(f"'{login}' kullanıcısı devre dışı bırakılmış.", f"user '{login}' is inactive")
    return user


def apply(tx: Transaction, item: Item, action: str, user: User, now: dt.datetime, *,
          reason: str | None = None, data: dict | None = None,
          execute: Execute | None = None) -> tuple[Item, Event]:
    """Check `action` on `item`, run `execute`, update the item and append its one event (inside tx)."""
    revision = tx.revision(item.id, item.current_rev)
    approvals = tx.approvals(item.id, item.current_rev)
    to_state = workflow.check(item, action, user, approvals,
                              last_editor=revision.author if revision else None, reason=reason)
    changes = execute(tx, item, user, to_state, now) if execute else {}
    fields = {"state": to_state, "updated_at": now, **changes}
    if to_state in CLOSING_STATES and item.closed_at is None:
        fields["closed_at"] = now
    tx.update_item(item.id, **fields)
    event = Event(item_id=item.id, at=now, actor=user.login, action=action, from_state=item.state,
                  to_state=to_state, reason=reason.strip() if reason else None, data=data or {})
    event = replace(event, id=tx.append_event(event))
    return tx.item(item.id), event


def run(ledger: Ledger, ref: int | str, action: str, actor: str, clock: Clock, signal: Signal | None, *,
        reason: str | None = None, data: dict | None = None, execute: Execute | None = None,
        after_commit: Callable[[Item, Event], None] | None = None) -> Item:
    """One whole action in its own transaction; the signal is sent only after the commit."""
    with ledger.transaction() as tx:
        user = load_actor(tx, actor)
        item = tx.item(ref)
        updated, event = apply(tx, item, action, user, clock.now(), reason=reason, data=data, execute=execute)
    if after_commit is not None:
        after_commit(updated, event)
    if signal is not None:
        signal.send(action, item=updated, event=event)
    return updated
