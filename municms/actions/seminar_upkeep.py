"""What the scheduler does for seminars on every pass, each step idempotent so a crash only delays it:
record changed dates of published seminars (registrants told), queue the reminder the day before, and erase
registrants' personal data `seminars.retention_days` after the seminar (KVKK), keeping the counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..clock import Clock
from ..config import Instance
from ..ledger import Ledger
from ..model import CONFIRMED, PUBLISHED, SYSTEM, Event
from ..paths import InstancePaths
from ..seminars import letters
from ..seminars.facts import CANCELLED, SeminarFacts
from ..seminars.published import published_seminars
from ..seminars.form_token import instance_key
from .seminar_registration import _letter
from .seminar_running import record_dates

REMINDERS = "seminar_reminders"
ANONYMISED = "seminar_anonymised"


@dataclass
class Upkeep:
    dates_changed: list[str] = field(default_factory=list)
    reminded: dict[str, int] = field(default_factory=dict)
    anonymised: dict[str, int] = field(default_factory=dict)

    @property
    def idle(self) -> bool:
        return not (self.dates_changed or self.reminded or self.anonymised)


def seminar_upkeep(ledger: Ledger, instance: Instance, paths: InstancePaths, clock: Clock) -> Upkeep:
    """One pass over every seminar the public has seen (read in bulk, each seminar's facts computed once): only
    those can have registrations."""
    done = Upkeep()
    now = clock.now()
    for seminar in published_seminars(ledger, now, instance.tz):
        item, facts = seminar.item, seminar.facts
        if item.state == PUBLISHED and _dates_differ(facts) and record_dates(ledger, instance, paths, clock, item):
            done.dates_changed.append(item.number)
            continue  # registrants are told of the new dates; reminders follow on the next pass
        count = remind(ledger, instance, paths, clock, item, facts)
        if count:
            done.reminded[item.number] = count
        count = anonymise(ledger, instance, clock, item, facts)
        if count:
            done.anonymised[item.number] = count
    return done


def _dates_differ(facts: SeminarFacts) -> bool:
    if facts.start is None or facts.end is None:
        return False
    return facts.notice.dates != (facts.start.isoformat(), facts.end.isoformat())


def _reminder_due(start: dt.datetime, now: dt.datetime, tz) -> bool:
    """From the morning (08:00) of the day before the seminar until it starts."""
    day_before = dt.datetime.combine(start.astimezone(tz).date() - dt.timedelta(days=1), dt.time(8, 0), tz)
    return day_before <= now < start


def remind(ledger: Ledger, instance: Instance, paths: InstancePaths, clock: Clock, item,
           facts: SeminarFacts) -> int:
    """Queue the reminder to every confirmed registrant with an e-mail address not yet reminded (item: the
    public view, so a published seminar whose new revision is in review reminds too)."""
    now = clock.now()
    if item.state != PUBLISHED or facts.phase == CANCELLED or facts.start is None \
            or not _reminder_due(facts.start, now, instance.tz):
        return 0
    if not any(r.reminded_at is None and r.email for r in ledger.registrations(item.id, statuses=(CONFIRMED,))):
        return 0
    key = instance_key(paths.var)
    with ledger.transaction() as tx:
        due = [r for r in tx.registrations(item.id, statuses=(CONFIRMED,)) if r.reminded_at is None and r.email]
        for reg in due:
            _letter(tx, instance, key, letters.REMINDER, reg, item, facts, now)
            tx.update_registration(reg.id, reminded_at=now)
        if due:
            tx.append_event(Event(item_id=item.id, at=now, actor=SYSTEM, action=REMINDERS, data={"count": len(due)}))
    return len(due)


def anonymise(ledger: Ledger, instance: Instance, clock: Clock, item, facts: SeminarFacts) -> int:
    """Erase names, e-mail addresses and phone numbers of a seminar's registrations (and their e-mails in the
    outbox) once `retention_days` have passed since it ended or was cancelled. Status, audience, department
    and attendance stay: the yearly report's totals do not change."""
    now = clock.now()
    over = facts.notice.cancelled_at if facts.phase == CANCELLED else facts.end
    if over is None or now < over + dt.timedelta(days=instance.seminars.retention_days):
        return 0
    if all(r.anonymised_at is not None for r in ledger.registrations(item.id)):
        return 0
    with ledger.transaction() as tx:
        due = [r for r in tx.registrations(item.id) if r.anonymised_at is None]
        for reg in due:
            tx.update_registration(reg.id, name=None, email=None, phone=None, anonymised_at=now)
        tx.forget_messages([r.id for r in due])
        if due:
            tx.append_event(Event(item_id=item.id, at=now, actor=SYSTEM, action=ANONYMISED,
                                  data={"count": len(due), "retention_days": instance.seminars.retention_days}))
    return len(due)
