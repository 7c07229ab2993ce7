"""Registering for a seminar and giving a place up: citizens through the public form (no login; a signed
form token and explicit KVKK consent), staff through the editorial app (an editor of the seminar's unit or
the director for anyone, department staff for their own department's people).

One transaction decides a place: the ledger's write lock (taken at the start of every transaction) serialises registrations, so two
people asking for the last place at once get exactly one place and one waiting-list entry. A cancelled
place goes at once to the first on the waiting list. Every change writes one event (no personal data in
it: events are append-only, personal data is anonymised after the retention period) and queues its
e-mail in the same transaction."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from .. import signals
from ..auth import Actor
from ..clock import Clock
from ..config import Instance
from ..errors import NotFound, PermissionDenied, Problem, RateLimited, ValidationError
from ..ledger import Ledger, Transaction
from ..model import (BIRIM, CANCELLED, CITIZEN, CONFIRMED, EDITOR, MUDUR, STAFF, WAITING, Event, Item,
                     Registration, SeminarNotice, User)
from ..paths import InstancePaths
from ..seminar_checks import SEMINAR
from ..seminars import letters
from ..seminars.facts import CANCELLED as PHASE_CANCELLED
from ..seminars.facts import CLOSED, HELD, PLANNED, REMOVED, TAKES_REGISTRATIONS, SeminarFacts, facts_of
from ..seminars.form_token import cancel_token, cancelled_registration_id, instance_key
from ..turkish import fold, format_day
from ._transition import load_actor

REGISTER = "seminar_register"
CANCEL_REGISTRATION = "seminar_unregister"
MOVE_UP = "seminar_move_up"
WEB = "web"  # the actor of the public form's registrations and cancellations

FORM_LIMIT = 5                         # registrations one sender may send (the default) …
FORM_WINDOW = dt.timedelta(minutes=10)  # … in this long
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
REFUSED_TR = "Kayıt yapılamadı."


@dataclass(frozen=True)
class Person:
    """What a registration form asks for: a name and an e-mail address or a phone number."""

    name: str = ""
    email: str = ""
    phone: str = ""
    department: str = ""


@dataclass(frozen=True)
class Registered:
    registration: Registration
    facts: SeminarFacts          # the seminar after this registration
    cancel_link: str | None      # for the person's own records (also in their e-mail)


def may_manage(user: User, item: Item) -> bool:
    """Editors of the seminar's unit and the director run a seminar (registrations, attendance, cancelling)."""
    return user.role == MUDUR or (user.role == EDITOR and bool(user.unit) and user.unit == item.unit)


def _refuse(field: str, message_tr: str, message_en: str):
    raise ValidationError([Problem(field, message_tr, message_en)], REFUSED_TR, "registration refused")


def clean_person(person: Person, *, needs_contact: bool) -> Person:
    """The person's details trimmed and checked; every problem at once, in Turkish, by field."""
    name = " ".join(str(person.name or "").split())
    email = str(person.email or "").strip()
    phone = re.sub(r"[\s()./-]", "", str(person.phone or ""))
    problems = []
    if len(name) < 3:
        problems.append(Problem("ad", "Adınızı ve soyadınızı yazın.", "name missing"))
    elif len(name) > 120:
        problems.append(Problem("ad", "Ad soyad en çok 120 karakter olabilir.", "name too long"))
    if email and (len(email) > 254 or not _EMAIL.match(email)):
        problems.append(Problem("eposta", "E-posta adresi geçerli görünmüyor (örnek: ad@ornek.com).",
                                "invalid e-mail address"))
    if phone and not re.fullmatch(r"\+?\d{10,13}", phone):
        problems.append(Problem("telefon", "Telefon numarası 10–13 rakam olmalıdır (örnek: 0364 123 45 67).",
                                "invalid phone number"))
    if needs_contact and not (email or phone):
        problems.append(Problem("eposta", "Size ulaşabilmemiz için bir e-posta adresi ya da telefon numarası yazın.",
                                "neither e-mail nor phone"))
    if problems:
        raise ValidationError(problems, REFUSED_TR, "registration refused")
    return Person(name, email, phone, str(person.department or "").strip())


def _seminar(reader, ref) -> Item:
    try:
        item = reader.item(ref)
    except NotFound:
        item = None
    if item is None or item.tur != SEMINAR:
        raise NotFound("Seminer bulunamadı.", f"seminar '{ref}' not found")
    return item


def _open_for_registration(facts: SeminarFacts, tz) -> None:
    phase = facts.phase
    if phase in TAKES_REGISTRATIONS:
        return
    if phase == PHASE_CANCELLED:
        _refuse("seminer", f"Bu seminer iptal edildi: {facts.notice.cancel_reason}", "seminar cancelled")
    if phase == HELD:
        _refuse("seminer", "Bu seminer yapıldı; kayıt alınmıyor.", "seminar already held")
    if phase == CLOSED:
        day = format_day((facts.deadline - dt.timedelta(seconds=1)).astimezone(tz), "d MMMM y") \
            if facts.deadline else "—"
        _refuse("seminer", f"Bu seminerin kayıt süresi doldu (son gün {day}).", "registration deadline passed")
    if phase == PLANNED:
        _refuse("seminer", "Bu seminer henüz yayımlanmadı; kayıt alınmıyor.", "seminar not published")
    if phase == REMOVED:
        _refuse("seminer", "Bu seminer yayından kaldırıldı; kayıt alınmıyor.", "seminar withdrawn")


def _same_person(a: Registration, person: Person) -> bool:
    return bool((person.email and a.email and fold(a.email) == fold(person.email))
                or (person.phone and a.phone and a.phone == person.phone))


def _letter(tx, instance: Instance, key: bytes, kind: str, reg: Registration, item: Item, facts: SeminarFacts,
            now: dt.datetime, **extra) -> None:
    rev = tx.revision(item.id, item.live_rev or item.current_rev)
    fm = rev.front_matter if rev else {}
    link = letters.cancel_url(instance.municipality.site_url, item.id, cancel_token(key, reg.id))
    msg = letters.letter(kind, reg, title=str(fm.get("baslik") or item.title), place=str(fm.get("yer") or ""),
                         start=facts.start, end=facts.end, tz=instance.tz, now=now, link=link,
                         municipality=instance.municipality.name, **extra)
    if msg is not None:
        tx.queue_message(msg)


def _told_dates(tx: Transaction, facts: SeminarFacts) -> None:
    """The first registration fixes the dates registrants were told (a later change of them is a postponement)."""
    if facts.notice.dates is None and facts.start and facts.end:
        tx.put_seminar_notice(replace(facts.notice, dates=(facts.start.isoformat(), facts.end.isoformat())))


def _register(ledger: Ledger, instance: Instance, paths: InstancePaths, clock: Clock, ref, person: Person, *,
              audience: str, by: str, consent_at: dt.datetime | None, allow_staff_only: bool) -> Registered:
    key = instance_key(paths.var)
    with ledger.transaction() as tx:
        now = clock.now()
        item = _seminar(tx, ref)
        facts = facts_of(tx, item, now, instance.tz)
        if facts.staff_only and not allow_staff_only:
            raise NotFound("Seminer bulunamadı.", f"staff-only seminar {item.number} asked for by the public")
        _open_for_registration(facts, instance.tz)
        if any(_same_person(r, person) for r in tx.registrations(item.id, statuses=(CONFIRMED, WAITING))):
            _refuse("eposta" if person.email else "telefon",
                    "Bu seminere bu iletişim bilgisiyle zaten kayıt yapılmış.", "already registered")
        status = WAITING if facts.capacity is not None and facts.confirmed >= facts.capacity else CONFIRMED
        reg = Registration(item_id=item.id, status=status, audience=audience, name=person.name,
                           email=person.email or None, phone=person.phone or None,
                           department=person.department or None, created_at=now, changed_at=now,
                           registered_by=by, consent_at=consent_at)
        reg = replace(reg, id=tx.insert_registration(reg))
        _told_dates(tx, facts)
        tx.append_event(Event(item_id=item.id, at=now, actor=by, action=REGISTER,
                              data={"registration": reg.id, "status": status, "audience": audience}))
        after = facts_of(tx, item, now, instance.tz)
        _letter(tx, instance, key, letters.CONFIRMATION if status == CONFIRMED else letters.WAITING_LIST,
                reg, item, after, now)
    signals.seminar_registration_changed.send(REGISTER, item=item, registration=reg)
    return Registered(reg, after, letters.cancel_url(instance.municipality.site_url, item.id,
                                                     cancel_token(key, reg.id)))


def register_citizen(ledger: Ledger, instance: Instance, paths: InstancePaths, clock: Clock, ref,
                     person: Person, *, consent: bool) -> Registered:
    """A citizen's registration through the public form (the caller has checked the form token)."""
    problems = []
    try:
        person = clean_person(person, needs_contact=True)
    except ValidationError as exc:
        problems = exc.problems
    if not consent:   # named with the person's problems: the form shows every problem at once
        problems.append(Problem("onay", "Kayıt için kişisel verilerinizin işlenmesine açık rıza vermeniz gerekir "
                                        "(aydınlatma metnini okuyup kutuyu işaretleyin).", "no KVKK consent"))
    if problems:
        raise ValidationError(problems, REFUSED_TR, "registration refused")
    return _register(ledger, instance, paths, clock, ref, replace(person, department=""), audience=CITIZEN,
                     by=WEB, consent_at=clock.now(), allow_staff_only=False)


def register_staff(ledger: Ledger, instance: Instance, paths: InstancePaths, clock: Clock, actor: Actor, ref,
                   person: Person) -> Registered:
    """Staff registered by an editor of the seminar's unit or the director (any department), or by
    department staff (their own department only)."""
    user = load_actor(ledger, actor)
    item = _seminar(ledger, ref)
    person = clean_person(person, needs_contact=False)
    if person.department not in instance.departments:
        _refuse("mudurluk", "Personelin çalıştığı müdürlüğü seçin.", "unknown department")
    allowed = may_manage(user, item) or (user.role == BIRIM and user.department == person.department)
    if not allowed:
        raise PermissionDenied("Bu müdürlüğün personelini bu seminere kaydetme yetkiniz yok.",
                               f"'{user.login}' may not register staff of {person.department}")
    return _register(ledger, instance, paths, clock, item.id, person, audience=STAFF, by=user.login,
                     consent_at=None, allow_staff_only=True)


def _move_up(tx: Transaction, instance: Instance, key: bytes, item: Item, now: dt.datetime) -> list[Registration]:
    """Give free places to the waiting list, first come first served."""
    moved = []
    facts = facts_of(tx, item, now, instance.tz)
    waiting = tx.registrations(item.id, statuses=(WAITING,))
    free = len(waiting) if facts.capacity is None else max(facts.capacity - facts.confirmed, 0)
    for reg in waiting[:free]:
        tx.update_registration(reg.id, status=CONFIRMED, changed_at=now)
        reg = replace(reg, status=CONFIRMED, changed_at=now)
        tx.append_event(Event(item_id=item.id, at=now, actor="sistem", action=MOVE_UP,
                              data={"registration": reg.id}))
        moved.append(reg)
    if moved:
        facts = facts_of(tx, item, now, instance.tz)
        for reg in moved:
            _letter(tx, instance, key, letters.MOVED_UP, reg, item, facts, now)
    return moved


def _cancel(tx: Transaction, instance: Instance, key: bytes, reg: Registration, by: str, now: dt.datetime,
            reason: str | None) -> list[Registration]:
    item = tx.item(reg.item_id)
    facts = facts_of(tx, item, now, instance.tz)
    if facts.phase in (HELD, PHASE_CANCELLED):
        _refuse("kayit", "Seminer yapıldı ya da iptal edildi; kayıt artık iptal edilemez.", "seminar over")
    tx.update_registration(reg.id, status=CANCELLED, changed_at=now)
    tx.append_event(Event(item_id=item.id, at=now, actor=by, action=CANCEL_REGISTRATION, reason=reason,
                          data={"registration": reg.id, "was": reg.status}))
    _letter(tx, instance, key, letters.REGISTRATION_CANCELLED, replace(reg, status=CANCELLED), item, facts, now)
    return _move_up(tx, instance, key, item, now) if reg.status == CONFIRMED else []


def cancel_by_link(ledger: Ledger, instance: Instance, paths: InstancePaths, clock: Clock, item_id: int,
                   token: str) -> tuple[Registration, list[Registration]]:
    """The registrant's own cancellation (the link in their e-mail): the registration and who moved up."""
    key = instance_key(paths.var)
    reg_id = cancelled_registration_id(key, token)
    with ledger.transaction() as tx:
        reg = tx.registration(reg_id) if reg_id is not None else None
        if reg is None or reg.item_id != item_id:
            raise NotFound("Bu iptal bağlantısı geçerli değil. Bağlantıyı e-postanızdan eksiksiz kopyaladığınızdan "
                           "emin olun.", "unknown cancellation token")
        if reg.status == CANCELLED:
            return reg, []
        moved = _cancel(tx, instance, key, reg, WEB, clock.now(), None)
        reg = tx.registration(reg.id)
    signals.seminar_registration_changed.send(CANCEL_REGISTRATION, item=tx.item(reg.item_id), registration=reg)
    return reg, moved


def registration_for_link(ledger: Ledger, paths: InstancePaths, item_id: int, token: str) -> Registration:
    """The registration a cancellation link names (for the page that asks 'cancel?'), or NotFound."""
    reg_id = cancelled_registration_id(instance_key(paths.var), token)
    reg = ledger.registration(reg_id) if reg_id is not None else None
    if reg is None or reg.item_id != item_id:
        raise NotFound("Bu iptal bağlantısı geçerli değil. Bağlantıyı e-postanızdan eksiksiz kopyaladığınızdan "
                       "emin olun.", "unknown cancellation token")
    return reg


def cancel_by_staff(ledger: Ledger, instance: Instance, paths: InstancePaths, clock: Clock, actor: Actor,
                    reg_id: int, reason: str = "") -> tuple[Registration, list[Registration]]:
    """An editor (or the registering department) takes a registration back, e.g. after a phone call."""
    key = instance_key(paths.var)
    with ledger.transaction() as tx:
        user = load_actor(tx, actor)
        reg = tx.registration(int(reg_id))
        if reg is None:
            raise NotFound("Kayıt bulunamadı.", f"registration {reg_id} not found")
        item = tx.item(reg.item_id)
        if not (may_manage(user, item) or (user.role == BIRIM and reg.department == user.department
                                           and reg.audience == STAFF)):
            raise PermissionDenied("Bu kaydı iptal etme yetkiniz yok.", f"'{user.login}' may not cancel {reg_id}")
        if reg.status == CANCELLED:
            return reg, []
        moved = _cancel(tx, instance, key, reg, user.login, clock.now(), reason.strip() or None)
        reg = tx.registration(reg.id)
    signals.seminar_registration_changed.send(CANCEL_REGISTRATION, item=item, registration=reg)
    return reg, moved


def note_form_attempt(ledger: Ledger, clock: Clock, sender: str, limit: int = FORM_LIMIT) -> None:
    """Count one public form post by `sender` (a keyed hash); RateLimited beyond `limit` per FORM_WINDOW
    (instance.yaml `seminars.form_posts_per_10_minutes`)."""
    now = clock.now()
    with ledger.transaction() as tx:
        if tx.count_attempts(sender, now - FORM_WINDOW) >= limit:
            minutes = int(FORM_WINDOW.total_seconds() // 60)
            raise RateLimited(f"Kısa sürede çok fazla kayıt denemesi yapıldı. Lütfen {minutes} dakika sonra yeniden "
                              "deneyin.", "too many registration attempts")
        tx.record_attempt(sender, now, keep_after=now - FORM_WINDOW)
