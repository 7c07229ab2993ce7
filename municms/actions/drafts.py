"""Drafts: the form a user was sending when their session had expired, kept for them until they send it again.

A draft belongs to a login (proven by the expired session's id and CSRF token), never to a cookie alone: after
logging in again the user, and only they, gets the form back filled in."""

from __future__ import annotations

from ..auth import Actor
from ..clock import Clock
from ..ledger import Ledger
from ._transition import load_actor


def save_draft(ledger: Ledger, login: str, path: str, fields: dict[str, str | list[str]], clock: Clock) -> None:
    """Keep `fields` (secrets and the CSRF token already removed) for `login`'s screen at `path`."""
    with ledger.transaction() as tx:
        tx.user(login)  # NotFound for a login that does not exist
        tx.save_draft(login, path, fields, clock.now())


def latest_draft(ledger: Ledger, actor: Actor) -> dict | None:
    """The actor's most recent draft (path, fields, saved_at), if any."""
    user = load_actor(ledger, actor)
    return ledger.latest_draft(user.login)


def draft_for(ledger: Ledger, actor: Actor, path: str) -> dict | None:
    """The actor's draft of the screen at `path`, if any."""
    user = load_actor(ledger, actor)
    return ledger.draft(user.login, path)


def discard_draft(ledger: Ledger, actor: Actor, path: str) -> None:
    """The form was sent again (or abandoned): its draft goes."""
    user = load_actor(ledger, actor)
    with ledger.transaction() as tx:
        tx.delete_draft(user.login, path)
