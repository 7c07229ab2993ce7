"""A seminar's documents for its managers: the printable A4 sign-in sheet (imza listesi) of the confirmed
registrants, and the participation certificate (katılım belgesi) PDF of each attendee."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from ...actions.seminar_access import certificate_registration, managed_seminar
from ...auth import Actor
from ...errors import NotFound
from ...model import CONFIRMED, EDITOR, MUDUR
from ...seminars.certificate import certificate_pdf, certificate_text
from ..session import require_role
from ..templating import render

router = APIRouter(prefix="/seminerler")
# Only editors and the director can run a seminar; managed_seminar then asks may_manage (the seminar's unit).
seminar_managers = require_role(EDITOR, MUDUR)


@router.get("/{item_id}/imza-listesi", name="seminar_signin")
def signin_sheet(request: Request, item_id: str, actor: Actor = Depends(seminar_managers)):
    state = request.app.state
    seminar = managed_seminar(state.ledger, actor, item_id, "İmza listesini", state.clock.now(), state.instance.tz)
    item = seminar.item
    people = [(r.name or "(anonimleştirildi)", state.instance.department_name(r.department) if r.department else "")
              for r in state.ledger.registrations(item.id, statuses=(CONFIRMED,))]
    return render(request, "seminars/signin.html",
                  {"seminar": seminar, "item": item, "facts": seminar.facts, "people": people,
                   "room": seminar.room(state.instance), "trainer": seminar.trainer(state.instance)}, actor=actor)


@router.get("/{item_id}/belge/{reg_id}.pdf", name="seminar_certificate")
def certificate(request: Request, item_id: str, reg_id: str, actor: Actor = Depends(seminar_managers)):
    state = request.app.state
    seminar, reg = certificate_registration(state.ledger, actor, item_id, reg_id, state.clock.now(),
                                            state.instance.tz)
    item = seminar.item
    if seminar.facts.start is None or seminar.facts.end is None:
        raise NotFound("Seminerin tarihleri okunamadığı için katılım belgesi düzenlenemiyor.",
                       f"seminar {item.number} has no readable dates")
    text = certificate_text(state.instance.municipality.name, seminar.facts, seminar.trainer(state.instance), reg,
                            state.clock.now(), state.instance.tz)
    return Response(certificate_pdf(text), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="katilim-belgesi-{reg.id}.pdf"'})
