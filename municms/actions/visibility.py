"""What an actor may see: department staff their department's items, editors their unit's, the director,
the administrator and the system all. Every front end reads items through these functions."""

from __future__ import annotations

import datetime as dt

from ..auth import Actor
from ..errors import NotFound
from ..ledger import Ledger
from ..model import Item
from ..workflow import may_see, visibility_scope
from ._transition import load_actor


def visible_items(ledger: Ledger, actor: Actor, state: str | None = None) -> list[Item]:
    """The items `actor` may see, in register order."""
    user = load_actor(ledger, actor)
    return [item for item in ledger.items(state=state) if may_see(user, item)]


def visible_item(ledger: Ledger, actor: Actor, ref: int | str) -> Item:
    """One item, if `actor` may see it; otherwise the same NotFound as for a number that does not exist."""
    user = load_actor(ledger, actor)
    try:
        item = ledger.item(ref)
    except NotFound:
        item = None
    if item is None or not may_see(user, item):
        raise NotFound(f"'{ref}' numaralı kayıt bulunamadı ya da görme yetkiniz yok.",
                       f"item '{ref}' not found or not visible to '{user.login}'")
    return item


def visible_register(ledger: Ledger, actor: Actor, date_from: dt.date, date_to: dt.date) -> list[Item]:
    """The register lines between two days that `actor` may see."""
    user = load_actor(ledger, actor)
    return [item for item in ledger.register_rows(date_from, date_to) if may_see(user, item)]


def find_visible(ledger: Ledger, actor: Actor, **filters) -> list[Item]:
    """One page of ledger.find_items() within what `actor` may see: the scope is part of the query, so a
    department's or a unit's page is as fast at 20,000 items as at 20."""
    user = load_actor(ledger, actor)
    scope = visibility_scope(user)  # the same scope as may_see, put into the query
    if scope is not None:
        column, value = scope
        if filters.get(column) not in (None, value):
            return []  # asked for another department's (unit's) items: there are none to see
        filters[column] = value
    return ledger.find_items(**filters)
