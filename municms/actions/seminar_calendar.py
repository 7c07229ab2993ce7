"""The staff's personal seminar calendar: a secret link a calendar program subscribes to (calendar programs
cannot log in, so the link itself is the key). Every logged-in person may make one for themselves, renew it
(the old link stops working) or revoke it. Only the link's SHA-256 is stored; the link is shown once. The feed
answers only while its owner is an active user."""

from __future__ import annotations

import secrets

from ..auth import Actor, token_hash
from ..clock import Clock
from ..config import Instance
from ..errors import NotFound, PermissionDenied
from ..ledger import Ledger
from ..model import Event
from ..seminars.ics import staff_calendar
from ..seminars.published import published_seminars
from ._transition import event_data, load_actor

ISSUE = "calendar_token_issue"
REVOKE = "calendar_token_revoke"
MAX_TOKEN = 128   # longer "tokens" are not looked up at all


def _person(tx, actor: Actor):
    user = load_actor(tx, actor)
    if actor.is_system:
        raise PermissionDenied("Takvim bağlantısı yalnız bir kişi için oluşturulabilir.",
                               "the system actor has no calendar")
    return user


def issue_calendar_token(ledger: Ledger, clock: Clock, actor: Actor) -> str:
    """A new calendar link key for the actor (an older one stops working); one event, without the key."""
    token = secrets.token_urlsafe(32)
    with ledger.transaction() as tx:
        user = _person(tx, actor)
        renewed = tx.has_calendar_token(user.login)
        tx.put_calendar_token(user.login, token_hash(token), clock.now())
        tx.append_event(Event(at=clock.now(), actor=user.login, action=ISSUE,
                              data=event_data(actor, {"renewed": renewed})))
    return token


def revoke_calendar_token(ledger: Ledger, clock: Clock, actor: Actor) -> bool:
    """The actor's calendar link stops working; False (and no event) if they had none."""
    with ledger.transaction() as tx:
        user = _person(tx, actor)
        if not tx.delete_calendar_token(user.login):
            return False
        tx.append_event(Event(at=clock.now(), actor=user.login, action=REVOKE, data=event_data(actor, {})))
    return True


def has_calendar_token(ledger: Ledger, actor: Actor) -> bool:
    return ledger.has_calendar_token(load_actor(ledger, actor).login)


def calendar_feed(ledger: Ledger, instance: Instance, clock: Clock, token: str) -> bytes:
    """The iCalendar of the link `token`, or NotFound (unknown or revoked key, owner inactive or gone)."""
    login = ledger.calendar_login(token_hash(token)) if token and len(token) <= MAX_TOKEN else None
    try:
        user = ledger.user(login) if login else None
    except NotFound:
        user = None
    if user is None or not user.active:
        raise NotFound("Takvim bağlantısı geçerli değil.", "unknown, revoked or inactive calendar token")
    now = clock.now()
    return staff_calendar(published_seminars(ledger, now, instance.tz), instance, now)
