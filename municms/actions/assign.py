"""Havale: the director assigns an item to a person of an editorial unit (Madde 15: recorded)."""

from __future__ import annotations

from .. import signals
from ..auth import Actor
from ..clock import Clock
from ..config import Instance
from ..errors import PermissionDenied, Problem, ValidationError
from ..ledger import Ledger
from ..model import ASSIGNED, EDITOR, REGISTERED, Item, User
from ..workflow import ASSIGN, TRANSITIONS
from ._transition import Expect, load_actor, run


def assign(ledger: Ledger, instance: Instance, ref: int | str, actor: Actor, clock: Clock, to: str,
           reason: str | None = None, expect: Expect | None = None) -> Item:
    """Assign item `ref` to editor `to`; the item moves to that editor's unit queue."""

    def execute(tx, item, user, to_state, now):
        target = tx.user(to)
        if not target.active or target.role != EDITOR or target.unit not in instance.editorial_units:
            raise ValidationError(
                [Problem("to", f"'{to}' etkin bir yayın birimi editörü değil; havale yalnız "
                               f"{', '.join(instance.editorial_units)} birimlerinin editörlerine yapılır.",
                         f"'{to}' is not an active editor of an editorial unit")],
                "Havale yapılamadı.", "assignment refused")
        return {"assignee": target.login, "unit": target.unit}

    return run(ledger, ref, ASSIGN, actor, clock, signals.item_assigned, reason=reason,
               data={"assignee": to}, execute=execute, expect=expect)


def assignable_editors(ledger: Ledger, instance: Instance, actor: Actor) -> list[User]:
    """The active editors of the editorial units, by unit then login: whom a director may assign to."""
    user = load_actor(ledger, actor)
    if not any(user.role in TRANSITIONS[(state, ASSIGN)].roles for state in (REGISTERED, ASSIGNED)):
        raise PermissionDenied("Havale yalnız müdür yapabilir.", f"'{user.login}' ({user.role}) may not assign")
    order = {unit: index for index, unit in enumerate(instance.editorial_units)}
    editors = [u for u in ledger.users() if u.active and u.role == EDITOR and u.unit in order]
    return sorted(editors, key=lambda u: (order[u.unit], u.login))
