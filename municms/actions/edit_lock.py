"""The edit lock: while an editor has an item's edit form open, nobody else can save an edit of it, and
every screen of the item says who holds it. A lock ends when its holder saves or cancels, or after
`editorial.edit_lock_minutes` (instance.yaml) without use; a director may lift another person's lock."""

from __future__ import annotations

import datetime as dt

from ..auth import Actor
from ..clock import Clock
from ..errors import ConflictError
from ..ledger import Transaction, _Reader
from ..model import MUDUR, EditLock, Item
from ..workflow import EDIT, check
from ._transition import load_actor, participants
from .visibility import visible_item


def _clock_text(moment: dt.datetime) -> str:
    return moment.strftime("%H:%M")


def held_by_other(lock: EditLock | None, login: str, now: dt.datetime) -> EditLock | None:
    """The lock if someone other than `login` holds it now."""
    return lock if lock is not None and lock.login != login and lock.expires_at > now else None


def refuse_if_locked(reader: _Reader, item: Item, login: str, now: dt.datetime) -> None:
    """ConflictError naming the holder when another person is editing the item."""
    other = held_by_other(reader.edit_lock(item.id), login, now)
    if other is not None:
        raise ConflictError(
            f"{item.number} şu anda {other.login} tarafından düzenleniyor ({_clock_text(other.taken_at)} "
            f"saatinden beri; kilit en geç {_clock_text(other.expires_at)} saatinde kalkar). Değişikliğiniz "
            "kaydedilmedi; düzenleme bitince yeniden deneyin.",
            f"{item.number} is being edited by {other.login} until {other.expires_at.isoformat()}")


def current_lock(reader: _Reader, item: Item, now: dt.datetime) -> EditLock | None:
    """The item's edit lock if it is still in force."""
    lock = reader.edit_lock(item.id)
    return lock if lock is not None and lock.expires_at > now else None


def take_edit_lock(ledger, instance, ref: int | str, actor: Actor, clock: Clock) -> EditLock:
    """Take (or renew) the edit lock of an item `actor` may edit now."""
    now = clock.now()
    with ledger.transaction() as tx:
        item = visible_item(tx, actor, ref)
        user = load_actor(tx, actor)
        check(item, EDIT, user, participants(tx, item))
        refuse_if_locked(tx, item, user.login, now)
        own = tx.edit_lock(item.id)
        taken = own.taken_at if own is not None and own.login == user.login and own.expires_at > now else now
        lock = EditLock(item.id, user.login, taken, now + dt.timedelta(minutes=instance.editorial.edit_lock_minutes))
        tx.put_edit_lock(lock)
    return lock


def release_edit_lock(ledger, ref: int | str, actor: Actor, clock: Clock) -> bool:
    """Give up one's own lock; a director may lift anyone's. True if a lock was removed."""
    with ledger.transaction() as tx:
        item = visible_item(tx, actor, ref)
        user = load_actor(tx, actor)
        if user.role != MUDUR:
            refuse_if_locked(tx, item, user.login, clock.now())
        return release(tx, item)


def release(tx: Transaction, item: Item) -> bool:
    return tx.delete_edit_lock(item.id) > 0
