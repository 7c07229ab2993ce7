"""Seminars over the API: where each stands (places, waiting list, cancellation, earlier dates), its
registrations for those who may read them, staff registration, giving a place back, cancelling a seminar
and recording attendance: the same actions as the editorial screens."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Body, Depends
from pydantic import BaseModel, ConfigDict, Field

from ...actions.seminar_registration import Person, cancel_by_staff, register_staff
from ...actions.seminar_running import cancel_seminar, mark_attendance
from ...actions.seminar_views import visible_registrations, visible_seminar, visible_seminars
from ...auth import Actor
from ...errors import NotFound
from ...model import REGISTRATION_LABELS_TR, Registration
from ...seminars.facts import SeminarFacts
from .deps import Services, current_actor, services
from .errors import ApiRoute, errors

router = APIRouter(route_class=ApiRoute, tags=["seminerler"])


class SeminarOut(BaseModel):
    number: str = Field(description="seminerin kayıt numarası")
    title: str
    department: str
    state: str = Field(description="kaydın iş akışı durumu")
    phase: str = Field(description="planlandi | acik | dolu | kapandi | gerceklesti | iptal")
    phase_label: str
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    registration_deadline: dt.datetime | None = Field(None, description="bu andan sonra kayıt alınmaz")
    capacity: int | None = None
    confirmed: int
    waiting: int
    remaining: int | None = None
    staff_only: bool = Field(description="yalnız belediye personeline açık (sitede yayımlanmaz)")
    cancelled_at: dt.datetime | None = None
    cancel_reason: str | None = None
    earlier_dates: list[list[str]] = Field(description="ertelemeden önceki [başlangıç, bitiş] tarihleri")


class RegistrationOut(BaseModel):
    id: int
    status: str = Field(description="kesin | yedek | iptal")
    status_label: str
    audience: str = Field(description="vatandas | personel")
    name: str | None = Field(None, description="KVKK saklama süresinden sonra null")
    email: str | None = None
    phone: str | None = None
    department: str | None = None
    registered_by: str
    created_at: dt.datetime | None = None
    attended: bool | None = None
    anonymised_at: dt.datetime | None = None


class SeminarDetail(SeminarOut):
    registrations: list[RegistrationOut] = Field(description="görme yetkiniz olan kayıtlar")


class StaffIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=200, description="ad soyad")
    department: str = Field(max_length=100, description="müdürlük (instance.yaml'daki kimliği)")
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str | None = Field(None, max_length=1000, description="gerekçe")


class AttendanceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    attended: dict[int, bool] = Field(description="kayıt kimliği → katıldı mı")


def seminar_out(facts: SeminarFacts) -> dict:
    item, notice = facts.item, facts.notice
    return dict(number=item.number, title=item.title, department=item.department, state=item.state,
                phase=facts.phase, phase_label=facts.phase_label, start=facts.start, end=facts.end,
                registration_deadline=facts.deadline, capacity=facts.capacity, confirmed=facts.confirmed,
                waiting=facts.waiting, remaining=facts.remaining, staff_only=facts.staff_only,
                cancelled_at=notice.cancelled_at, cancel_reason=notice.cancel_reason,
                earlier_dates=[list(pair) for pair in notice.postponed_from])


def registration_out(reg: Registration) -> RegistrationOut:
    return RegistrationOut(id=reg.id, status=reg.status, status_label=REGISTRATION_LABELS_TR[reg.status],
                           audience=reg.audience, name=reg.name, email=reg.email, phone=reg.phone,
                           department=reg.department, registered_by=reg.registered_by, created_at=reg.created_at,
                           attended=reg.attended, anonymised_at=reg.anonymised_at)


def _detail(svc: Services, actor: Actor, number: str) -> SeminarDetail:
    facts = visible_seminar(svc.ledger, actor, number, svc.clock.now(), svc.instance.tz)
    regs = visible_registrations(svc.ledger, actor, facts.item)
    return SeminarDetail(**seminar_out(facts), registrations=[registration_out(r) for r in regs])


@router.get("/seminars", response_model=list[SeminarOut], responses=errors(),
            summary="Seminerler ve durumları (kontenjan, yedek liste, iptal, erteleme), en yeni başlangıç önce")
def list_seminars(actor: Actor = Depends(current_actor), svc: Services = Depends(services)) -> list[SeminarOut]:
    return [SeminarOut(**seminar_out(f)) for f in visible_seminars(svc.ledger, actor, svc.clock.now(),
                                                                    svc.instance.tz)]


@router.get("/seminars/{number}", response_model=SeminarDetail, responses=errors(404),
            summary="Bir seminer ve görme yetkiniz olan kayıtları")
def get_seminar(number: str, actor: Actor = Depends(current_actor), svc: Services = Depends(services)):
    return _detail(svc, actor, number)


@router.post("/seminars/{number}/registrations", response_model=RegistrationOut, status_code=201,
             responses=errors(403, 404), summary="Personel kaydı (editör ve müdür her müdürlük için, birim "
                                                 "personeli kendi müdürlüğü için)")
def add_registration(number: str, body: StaffIn, actor: Actor = Depends(current_actor),
                     svc: Services = Depends(services)) -> RegistrationOut:
    facts = visible_seminar(svc.ledger, actor, number, svc.clock.now(), svc.instance.tz)
    done = register_staff(svc.ledger, svc.instance, svc.paths, svc.clock, actor, facts.item.id,
                          Person(name=body.name, email=body.email or "", phone=body.phone or "",
                                 department=body.department))
    return registration_out(done.registration)


@router.post("/seminars/{number}/registrations/{registration_id}/cancel", response_model=RegistrationOut,
             responses=errors(403, 404), summary="Bir kaydı iptal et; yer yedek listedeki ilk kişiye geçer")
def cancel_registration(number: str, registration_id: int, body: ReasonIn | None = Body(None),
                        actor: Actor = Depends(current_actor), svc: Services = Depends(services)):
    facts = visible_seminar(svc.ledger, actor, number, svc.clock.now(), svc.instance.tz)
    reg = svc.ledger.registration(registration_id)
    if reg is None or reg.item_id != facts.item.id:
        raise NotFound("Bu seminerde böyle bir kayıt yok.", f"no registration {registration_id} of {number}")
    reg, _moved = cancel_by_staff(svc.ledger, svc.instance, svc.paths, svc.clock, actor, reg.id,
                                  (body.reason if body else None) or "")
    return registration_out(reg)


@router.post("/seminars/{number}/cancel", response_model=SeminarOut, responses=errors(403, 404),
             summary="Semineri iptal et (gerekçe sitede ve katılımcılara giden e-postada görünür)")
def cancel(number: str, body: ReasonIn, actor: Actor = Depends(current_actor),
           svc: Services = Depends(services)) -> SeminarOut:
    facts = visible_seminar(svc.ledger, actor, number, svc.clock.now(), svc.instance.tz)
    after = cancel_seminar(svc.ledger, svc.instance, svc.paths, svc.clock, actor, facts.item.id, body.reason or "")
    return SeminarOut(**seminar_out(after))


@router.put("/seminars/{number}/attendance", response_model=list[RegistrationOut], responses=errors(403, 404),
            summary="Katılımı işle (seminer başladıktan sonra; kesin kayıtlar için)")
def attendance(number: str, body: AttendanceIn, actor: Actor = Depends(current_actor),
               svc: Services = Depends(services)) -> list[RegistrationOut]:
    facts = visible_seminar(svc.ledger, actor, number, svc.clock.now(), svc.instance.tz)
    marked = mark_attendance(svc.ledger, svc.instance, svc.clock, actor, facts.item.id, body.attended)
    return [registration_out(r) for r in marked]
