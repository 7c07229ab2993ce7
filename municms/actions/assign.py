"""Havale: the director assigns an item to a person of an editorial unit (Madde 15: recorded)."""

from __future__ import annotations

from .. import signals
from ..auth import Actor
from ..clock import Clock
from ..config import Instance
from ..errors import Problem, ValidationError
from ..ledger import Ledger
from ..model import EDITOR, Item
from ..workflow import ASSIGN
from ._transition import Expect, run


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
