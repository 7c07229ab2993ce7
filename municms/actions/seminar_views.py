"""What a person may see of seminars: every published seminar (staff register their people for trainings
meant for staff too) and the seminars they may see in the register; registrations with personal data only
for those who run the seminar (may_manage) and, for department staff, their own department's people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..auth import Actor
from ..errors import NotFound
from ..ledger import Ledger
from ..mail import MAX_ATTEMPTS
from ..model import BIRIM, STAFF, Item, Registration, User
from ..seminar_checks import SEMINAR
from ..seminars.facts import SeminarFacts, facts_of
from ..workflow import may_see
from ._transition import load_actor
from .seminar_registration import may_manage


def _readable(user: User, item: Item) -> bool:
    return item.tur == SEMINAR and (item.live_rev is not None or may_see(user, item))


def visible_seminars(ledger: Ledger, actor: Actor, now: dt.datetime, tz) -> list[SeminarFacts]:
    """The seminars `actor` may see, as they stand now, the latest start first."""
    user = load_actor(ledger, actor)
    seen = [facts_of(ledger, item, now, tz) for item in ledger.items() if _readable(user, item)]
    far = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    return sorted(seen, key=lambda f: (f.start or far, f.item.number), reverse=True)


def visible_seminar(ledger: Ledger, actor: Actor, ref, now: dt.datetime, tz) -> SeminarFacts:
    """One seminar, or the same NotFound as for a number that does not exist."""
    user = load_actor(ledger, actor)
    try:
        item = ledger.item(ref)
    except NotFound:
        item = None
    if item is None or not _readable(user, item):
        raise NotFound(f"'{ref}' numaralı seminer bulunamadı ya da görme yetkiniz yok.",
                       f"seminar '{ref}' not found or not visible")
    return facts_of(ledger, item, now, tz)


@dataclass(frozen=True)
class MailSummary:
    """The e-mails of a seminar's registrants, for those who run it: sent, waiting, given up, the last error."""

    sent: int
    waiting: int
    failed: int
    last_error: str | None
    configured: bool   # instance.yaml has an smtp section


def seminar_mail(ledger: Ledger, actor: Actor, item: Item, configured: bool) -> MailSummary | None:
    """The summary, or None for someone who does not run the seminar."""
    if not may_manage(load_actor(ledger, actor), item):
        return None
    messages = ledger.seminar_messages(item.id)
    sent = sum(1 for m in messages if m.sent_at is not None)
    failed = [m for m in messages if m.sent_at is None and m.attempts >= MAX_ATTEMPTS]
    errors = [m.last_error for m in messages if m.sent_at is None and m.last_error]
    return MailSummary(sent, len(messages) - sent - len(failed), len(failed), errors[-1] if errors else None,
                       configured)


def visible_registrations(ledger: Ledger, actor: Actor, item: Item) -> list[Registration]:
    """The registrations of a seminar `actor` may read (with names and contact details)."""
    user = load_actor(ledger, actor)
    regs = ledger.registrations(item.id)
    if may_manage(user, item):
        return regs
    if user.role == BIRIM and user.department:
        return [r for r in regs if r.audience == STAFF and r.department == user.department]
    return []
