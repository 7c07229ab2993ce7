"""Running a seminar: cancelling it (with a public reason every registrant is told), recording a change of
its dates (a postponement: the earlier dates are kept and registrants are told, their places kept), and
marking who attended. Editors of the seminar's unit and the director may do these (may_manage)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from .. import signals
from ..auth import Actor
from ..clock import Clock
from ..config import Instance
from ..errors import PermissionDenied, Problem, ValidationError
from ..ledger import Ledger
from ..model import CONFIRMED, PUBLISHED, WAITING, Event, Item, Registration
from ..paths import InstancePaths
from ..seminars import letters
from ..seminars.facts import CANCELLED as PHASE_CANCELLED
from ..seminars.facts import HELD, SeminarFacts, facts_of
from ..seminars.form_token import instance_key
from ..turkish import format_moment
from ._transition import load_actor
from .seminar_registration import _letter, _seminar, may_manage

CANCEL_SEMINAR = "seminar_cancel"
DATES_CHANGED = "seminar_dates_changed"
ATTENDANCE = "seminar_attendance"
MAX_REASON = 500


def _manager(tx, actor: Actor, item: Item, what_tr: str):
    user = load_actor(tx, actor)
    if not may_manage(user, item):
        raise PermissionDenied(f"{what_tr} yalnız seminerin birimindeki editörler ve müdür yapabilir.",
                               f"'{user.login}' may not manage seminar {item.number}")
    return user


def cancel_seminar(ledger: Ledger, instance: Instance, paths: InstancePaths, clock: Clock, actor: Actor, ref,
                   reason: str) -> SeminarFacts:
    """Cancel a seminar that has not taken place; the reason is public (page, calendar, e-mails)."""
    reason = " ".join(str(reason or "").split())
    if not reason or len(reason) > MAX_REASON:
        raise ValidationError([Problem("gerekce", f"İptal gerekçesi yazın (en çok {MAX_REASON} karakter); "
                                                  "sayfada ve katılımcılara giden e-postada görünür.",
                                       "a public reason of at most 500 characters is needed")],
                              "Seminer iptal edilmedi.", "seminar not cancelled")
    key = instance_key(paths.var)
    with ledger.transaction() as tx:
        now = clock.now()
        item = _seminar(tx, ref)
        user = _manager(tx, actor, item, "Semineri iptal etmeyi")
        facts = facts_of(tx, item, now, instance.tz)
        if facts.phase in (HELD, PHASE_CANCELLED):
            raise ValidationError([Problem("seminer", "Bu seminer zaten yapıldı ya da iptal edildi.",
                                           "seminar already held or cancelled")],
                                  "Seminer iptal edilmedi.", "seminar not cancelled")
        notice = replace(facts.notice, cancelled_at=now, cancel_reason=reason)
        tx.put_seminar_notice(notice)
        tx.append_event(Event(item_id=item.id, at=now, actor=user.login, action=CANCEL_SEMINAR, reason=reason))
        after = facts_of(tx, item, now, instance.tz)
        for reg in tx.registrations(item.id, statuses=(CONFIRMED, WAITING)):
            _letter(tx, instance, key, letters.SEMINAR_CANCELLED, reg, item, after, now, reason=reason)
    signals.seminar_changed.send(CANCEL_SEMINAR, item=item, notice=notice)
    return after


def record_dates(ledger: Ledger, instance: Instance, paths: InstancePaths, clock: Clock, item: Item) -> bool:
    """If the published dates of a seminar differ from the ones registrants were told: keep the earlier ones,
    tell every registrant (their places stay), write one event. True if a change was recorded. Run by the
    scheduler after every publish (idempotent, so a crash in between only delays the letters)."""
    key = instance_key(paths.var)
    with ledger.transaction() as tx:
        now = clock.now()
        item = tx.item(item.id)
        if item.state != PUBLISHED or item.live_rev is None:
            return False
        facts = facts_of(tx, item, now, instance.tz)
        if facts.start is None or facts.end is None or facts.phase == PHASE_CANCELLED:
            return False
        dates = (facts.start.isoformat(), facts.end.isoformat())
        told = facts.notice.dates
        if told == dates:
            return False
        if told is None:  # first publication: these are the dates people are told from now on
            tx.put_seminar_notice(replace(facts.notice, dates=dates))
            return False
        notice = replace(facts.notice, dates=dates, postponed_from=facts.notice.postponed_from + (told,))
        tx.put_seminar_notice(notice)
        tx.append_event(Event(item_id=item.id, at=now, actor="sistem", action=DATES_CHANGED,
                              data={"from": list(told), "to": list(dates)}))
        after = facts_of(tx, item, now, instance.tz)
        previous = format_moment(dt.datetime.fromisoformat(told[0]).astimezone(instance.tz))
        for reg in tx.registrations(item.id, statuses=(CONFIRMED, WAITING)):
            _letter(tx, instance, key, letters.DATES_CHANGED, reg, item, after, now, previous=previous)
    signals.seminar_changed.send(DATES_CHANGED, item=item, notice=notice)
    return True


def mark_attendance(ledger: Ledger, instance: Instance, clock: Clock, actor: Actor, ref,
                    attended: dict[int, bool]) -> list[Registration]:
    """Record who came (registration id → True/False) for a seminar that has started; one event listing
    the counts. Only confirmed registrations of this seminar can be marked."""
    with ledger.transaction() as tx:
        now = clock.now()
        item = _seminar(tx, ref)
        user = _manager(tx, actor, item, "Katılımı işlemeyi")
        facts = facts_of(tx, item, now, instance.tz)
        if facts.phase == PHASE_CANCELLED or facts.start is None or facts.start > now:
            raise ValidationError([Problem("katilim", "Katılım, seminer başladıktan sonra işlenebilir "
                                                      "(iptal edilen seminerde işlenemez).",
                                           "attendance before the start or of a cancelled seminar")],
                                  "Katılım kaydedilmedi.", "attendance not saved")
        regs = {r.id: r for r in tx.registrations(item.id, statuses=(CONFIRMED,))}
        unknown = sorted(set(attended) - set(regs))
        if unknown:
            raise ValidationError([Problem("katilim", f"Bu seminerde kesin kaydı olmayan kayıt numaraları: "
                                                      f"{', '.join(map(str, unknown))}.",
                                           f"not confirmed registrations of this seminar: {unknown}")],
                                  "Katılım kaydedilmedi.", "attendance not saved")
        for reg_id, came in attended.items():
            tx.update_registration(reg_id, attended=bool(came))
        marked = [r for r in tx.registrations(item.id, statuses=(CONFIRMED,))]
        tx.append_event(Event(item_id=item.id, at=now, actor=user.login, action=ATTENDANCE,
                              data={"attended": sum(1 for r in marked if r.attended),
                                    "absent": sum(1 for r in marked if r.attended is False)}))
    signals.seminar_registration_changed.send(ATTENDANCE, item=item, registration=None)
    return marked
