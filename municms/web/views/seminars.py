"""Seminar screens: the list of seminars, one seminar's page with its registrations, staff registration,
cancelling a registration or the seminar, and attendance. Every form posts to its own address and the page
is shown again with the outcome (or the action's Turkish problems by field). The printable sign-in sheet and
the certificates are in seminar_documents."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request

from ...actions.seminar_access import Seminar, seminar_list, seminar_registration, visible_seminar
from ...actions.seminar_views import seminar_mail, visible_registrations
from ...actions.seminar_registration import Person, cancel_by_staff, may_manage, register_staff
from ...actions.seminar_running import cancel_seminar, mark_attendance
from ...auth import Actor
from ...errors import MunicmsError, Problem
from ...model import BIRIM, CANCELLED, CONFIRMED, EDITOR, MUDUR, REGISTRATION_LABELS_TR, STAFF, YONETICI, User
from ...seminars.facts import CANCELLED as PHASE_CANCELLED
from ...seminars.facts import HELD, TAKES_REGISTRATIONS
from ..session import require_role
from ..templating import render
from ._refusal import refusal

router = APIRouter(prefix="/seminerler")
# Everyone logged in sees the seminars; what each may see and do on one is decided by seminar_access and
# the actions themselves.
seminar_readers = require_role(BIRIM, EDITOR, MUDUR, YONETICI)
PERSON_FIELDS = {"ad": "personel-ad", "eposta": "personel-eposta", "telefon": "personel-telefon",
                 "mudurluk": "personel-mudurluk"}
AUDIENCE_TR = {STAFF: "personel", "vatandas": "vatandaş"}


@router.get("/", name="seminars")
def seminar_index(request: Request, actor: Actor = Depends(seminar_readers)):
    state = request.app.state
    seminars = seminar_list(state.ledger, actor, state.clock.now(), state.instance.tz)
    rows = [(s, s.room(state.instance)) for s in seminars]
    return render(request, "seminars/list.html", {"rows": rows}, actor=actor)


def _page(request: Request, actor: Actor, item_id: str, *, status: int = 200, errors=(), done: str = "",
          typed: dict | None = None):
    """The seminar's page as `actor` may see it, with the outcome of a form just sent."""
    seminar, user = _seminar(request, actor, item_id)
    context = _seminar_context(request, actor, user, seminar)
    context.update(errors=list(errors), done=done, typed=typed or {})
    return render(request, "seminars/seminar.html", context, actor=actor, status_code=status)


def _seminar_context(request: Request, actor: Actor, user: User, seminar: Seminar) -> dict:
    state = request.app.state
    instance, facts, item = state.instance, seminar.facts, seminar.item
    manager = may_manage(user, item)
    registrations = visible_registrations(state.ledger, actor, item)
    running = facts.phase not in (HELD, PHASE_CANCELLED)
    started = facts.start is not None and facts.start <= state.clock.now()
    departments = list(instance.departments) if manager else [user.department] if user.role == BIRIM else []
    return {
        "seminar": seminar, "item": item, "facts": facts, "manager": manager,
        # registrations are taken *before* the deadline: its last minute is the one before it
        "last_minute": facts.deadline - dt.timedelta(minutes=1) if facts.deadline else None,
        "room": seminar.room(instance), "trainer": seminar.trainer(instance),
        "audience": seminar.front_matter.get("hedef_kitle"),
        "registrations": registrations, "shows_people": manager or user.role == BIRIM,
        "status_labels": REGISTRATION_LABELS_TR, "cancelled": CANCELLED, "audience_labels": AUDIENCE_TR,
        "department_name": instance.department_name,
        "departments": [(d, instance.department_name(d)) for d in departments if d],
        "takes_registrations": facts.phase in TAKES_REGISTRATIONS and bool(departments),
        "may_cancel_registrations": running, "may_cancel_seminar": manager and running,
        "mail": seminar_mail(state.ledger, actor, item, instance.smtp is not None),
        "attendance": [r for r in registrations if r.status == CONFIRMED]
        if manager and started and facts.phase != PHASE_CANCELLED else None,
    }


@router.get("/{item_id}/", name="seminar")
def seminar_page(request: Request, item_id: str, actor: Actor = Depends(seminar_readers)):
    return _page(request, actor, item_id)


def _seminar(request: Request, actor: Actor, item_id: str) -> tuple[Seminar, User]:
    state = request.app.state
    return visible_seminar(state.ledger, actor, item_id, state.clock.now(), state.instance.tz)


def _text(form, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


@router.post("/{item_id}/personel", name="seminar_register")
async def register_person(request: Request, item_id: str, actor: Actor = Depends(seminar_readers)):
    state = request.app.state
    seminar, user = _seminar(request, actor, item_id)
    item = seminar.item
    form = await request.form()
    typed = {name: _text(form, name) for name in ("ad", "eposta", "telefon", "mudurluk")}
    # Department staff register their own department's people; the form has no choice for them.
    department = typed["mudurluk"] or (user.department if user.role == BIRIM else "") or ""
    person = Person(typed["ad"], typed["eposta"], typed["telefon"], department)
    try:
        done = register_staff(state.ledger, state.instance, state.paths, state.clock, actor, item.id, person)
    except MunicmsError as exc:
        status, errors = refusal(exc, "personel-ad", _person_field)
        return _page(request, actor, item_id, status=status, errors=errors, typed=typed)
    reg = done.registration
    outcome = REGISTRATION_LABELS_TR[reg.status]
    return _page(request, actor, item_id,
                 done=f"{reg.name} kaydedildi: {outcome} (kayıt no {reg.id}).")


def _person_field(problem: Problem) -> str:
    return PERSON_FIELDS.get(problem.field, "personel-ad")


@router.post("/{item_id}/kayit/{reg_id}/iptal", name="seminar_unregister")
async def unregister(request: Request, item_id: str, reg_id: str, actor: Actor = Depends(seminar_readers)):
    state = request.app.state
    item = _seminar(request, actor, item_id)[0].item
    form = await request.form()
    try:
        reg = seminar_registration(state.ledger, item, reg_id)
        reg, moved = cancel_by_staff(state.ledger, state.instance, state.paths, state.clock, actor, reg.id,
                                     _text(form, "gerekce"))
    except MunicmsError as exc:
        status, errors = refusal(exc, "kayitlar-baslik")
        return _page(request, actor, item_id, status=status, errors=errors)
    done = f"{reg.id} numaralı kayıt iptal edildi."
    if moved:
        done += " Yedek listeden kesin kayda geçenler: " + ", ".join(str(r.id) for r in moved) + "."
    return _page(request, actor, item_id, done=done)


@router.post("/{item_id}/iptal", name="seminar_cancel")
async def cancel(request: Request, item_id: str, actor: Actor = Depends(seminar_readers)):
    state = request.app.state
    item = _seminar(request, actor, item_id)[0].item
    form = await request.form()
    reason = _text(form, "gerekce")
    try:
        cancel_seminar(state.ledger, state.instance, state.paths, state.clock, actor, item.id, reason)
    except MunicmsError as exc:
        status, errors = refusal(exc, "iptal-gerekce")
        return _page(request, actor, item_id, status=status, errors=errors, typed={"gerekce": reason})
    return _page(request, actor, item_id, done="Seminer iptal edildi; kayıtlı herkese gerekçesiyle bildirilecek.")


@router.post("/{item_id}/katilim", name="seminar_attendance")
async def attendance(request: Request, item_id: str, actor: Actor = Depends(seminar_readers)):
    state = request.app.state
    item = _seminar(request, actor, item_id)[0].item
    form = await request.form()
    try:
        listed = {int(v) for v in form.getlist("kayit")}
        came = {int(v) for v in form.getlist("katildi")}
    except ValueError:
        return _page(request, actor, item_id, status=422,
                     errors=[("katilim", "Katılım formu bozuk geldi; sayfayı yenileyip yeniden gönderin.")])
    try:
        marked = mark_attendance(state.ledger, state.instance, state.clock, actor, item.id,
                                 {reg_id: reg_id in came for reg_id in listed | came})
    except MunicmsError as exc:
        status, errors = refusal(exc, "katilim")
        return _page(request, actor, item_id, status=status, errors=errors)
    attended = sum(1 for r in marked if r.attended)
    return _page(request, actor, item_id, done=f"Katılım kaydedildi: {attended} kişi katıldı.")

