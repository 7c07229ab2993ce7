"""The shared part of every action: check with the workflow table, update the item, write one event."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Callable

from blinker import Signal

from .. import workflow
from ..auth import Actor
from ..clock import Clock
from ..errors import PermissionDenied
from ..ledger import Ledger, Transaction, _Reader
from ..model import CLOSING_STATES, SYSTEM_USER, Event, Item, User

# execute(tx, item, user, to_state, now) -> extra item fields; runs after the check, before the update.
Execute = Callable[[Transaction, Item, User, str, dt.datetime], dict]
# expect(tx, item) raises if the item is not the version the caller last saw (the API's If-Match).
Expect = Callable[[_Reader, Item], None]


def load_actor(reader: _Reader, actor: Actor) -> User:
    """The acting user of an authenticated actor: the built-in `sistem`, or an existing, active user.

    A bare login (or an Actor not made by municms.auth) is refused: every action needs a proven actor."""
    if not isinstance(actor, Actor) or not actor.authentic:
        raise PermissionDenied("Kimliği doğrulanmamış bir işlem reddedildi; --as ile parola ya da "
                               "MUNICMS_TOKEN ile kişisel anahtar gereklidir.",
                               f"unauthenticated actor {actor!r}")
    if actor.is_system:
        return SYSTEM_USER
    user = reader.user(actor.login)
    if not user.active:
        raise PermissionDenied(f"'{actor.login}' kullanıcısı devre dışı bırakılmış.",
                               f"user '{actor.login}' is inactive")
    return user


def load_site_switcher(reader: _Reader, actor: Actor, what_tr: str) -> User:
    """The acting user, if their role may switch the public site by hand (workflow.SITE_SWITCH_ROLES)."""
    user = load_actor(reader, actor)
    if user.role not in workflow.SITE_SWITCH_ROLES:
        raise PermissionDenied(f"{what_tr} yalnız müdür ya da yönetici yapabilir.",
                               f"'{user.login}' ({user.role}) may not switch the public site")
    return user


def participants(reader: _Reader, item: Item) -> workflow.Participants:
    """The people the item's current revision already has, for the four-eyes rules of the table.

    Everyone who wrote a revision since the published one counts as an editor of the current revision: a
    department's answer to an editor's edit still carries the editor's text."""
    since = item.live_rev or 0
    editors = frozenset(r.author for r in reader.revisions(item.id) if r.rev > since and r.author)
    return workflow.Participants(author=item.author, editors=editors,
                                 reviewer=item.reviewer,
                                 approvals=tuple(reader.approvals(item.id, item.current_rev)))


def event_data(actor: Actor, data: dict | None) -> dict:
    """The event's data; a system run says on whose behalf (scheduler, watcher, --system by an OS user).

    The caller's dict itself, not a copy: an action's execute() fills it in later (approve: rev, approvals)."""
    data = {} if data is None else data
    if actor.is_system and actor.detail:
        data.setdefault("via", actor.detail)
    return data


def apply(tx: Transaction, item: Item, action: str, user: User, now: dt.datetime, *,
          reason: str | None = None, data: dict | None = None,
          execute: Execute | None = None) -> tuple[Item, Event]:
    """Check `action` on `item`, run `execute`, update the item and append its one event (inside tx)."""
    to_state = workflow.check(item, action, user, participants(tx, item), reason=reason)
    changes = execute(tx, item, user, to_state, now) if execute else {}
    fields = {"state": to_state, "updated_at": now, **changes}
    if to_state in CLOSING_STATES and item.closed_at is None:
        fields["closed_at"] = now
    tx.update_item(item.id, **fields)
    event = Event(item_id=item.id, at=now, actor=user.login, action=action, from_state=item.state,
                  to_state=to_state, reason=reason.strip() if reason else None, data=data or {})
    event = replace(event, id=tx.append_event(event))
    return tx.item(item.id), event


def run(ledger: Ledger, ref: int | str, action: str, actor: Actor, clock: Clock, signal: Signal | None, *,
        reason: str | None = None, data: dict | None = None, execute: Execute | None = None,
        after_commit: Callable[[Item, Event], None] | None = None, expect: Expect | None = None) -> Item:
    """One whole action in its own transaction; the signal is sent only after the commit.

    `expect` runs under the write lock, before the check: a version test there cannot be overtaken by
    another writer, so an update based on a stale read is refused instead of lost."""
    with ledger.transaction() as tx:
        user = load_actor(tx, actor)
        item = tx.item(ref)
        if expect is not None:
            expect(tx, item)
        updated, event = apply(tx, item, action, user, clock.now(), reason=reason,
                               data=event_data(actor, data), execute=execute)
    if after_commit is not None:
        after_commit(updated, event)
    if signal is not None:
        signal.send(action, item=updated, event=event)
    return updated
