"""Director (mudur) screens: items waiting for havale and the assign/reassign form, overdue items by the SLA of
their type, and the register (kayıt defteri) with date and department filters, its CSV and a printable A4 page
(the register for every role, within what each may see)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from ...actions.assign import assign, assignable_editors
from ...actions.overdue import overdue_items
from ...actions.visibility import find_visible, visible_item, visible_register
from ...auth import Actor
from ...commands.workflow import DEFTER_HEADERS, defter_csv, defter_rows
from ...errors import ConflictError, InvalidTransition, PermissionDenied, ValidationError
from ...model import ASSIGNED, BIRIM, EDITOR, MUDUR, REGISTERED, YONETICI
from ..submission_form import TYPE_LABELS_TR
from ..session import require_role
from ..templating import render, url
from ._paging import page_of
from ._refusal import refusal

router = APIRouter(prefix="/mudur")
director = require_role(MUDUR)
# Everyone reads the register, as with `publish.py defter`: department staff their department's lines,
# editors their unit's (find_visible / visible_register put the scope into the query).
register_readers = require_role(BIRIM, EDITOR, MUDUR, YONETICI)
REGISTER_PAGE = 100


def _lists_context(request: Request, actor: Actor, state: str) -> dict:
    ledger = request.app.state.ledger
    page = page_of(request, lambda **more: find_visible(ledger, actor, states=(state,), **more))
    return {"page": page, "type_labels": TYPE_LABELS_TR, "assigned": state == ASSIGNED}


@router.get("/havale", name="director_assign")
def waiting(request: Request, actor: Actor = Depends(director)):
    return render(request, "director/waiting.html", _lists_context(request, actor, REGISTERED), actor=actor)


@router.get("/havale/edilenler", name="director_assigned")
def assigned(request: Request, actor: Actor = Depends(director)):
    return render(request, "director/waiting.html", _lists_context(request, actor, ASSIGNED), actor=actor)


def _assign_context(request: Request, actor: Actor, number: str) -> dict:
    state = request.app.state
    item = visible_item(state.ledger, actor, number)
    editors = assignable_editors(state.ledger, state.instance, actor)
    own = [e for e in editors if e.unit == item.unit]
    groups = [(item.unit, own)] + [(unit, [e for e in editors if e.unit == unit])
                                   for unit in state.instance.editorial_units if unit != item.unit]
    return {"item": item, "groups": [(unit, people) for unit, people in groups if people],
            "department_name": state.instance.department_name(item.department), "errors": [], "done": None,
            "chosen": item.assignee or "", "note": "", "type_labels": TYPE_LABELS_TR,
            "events": [e for e in state.ledger.events(item.id) if e.action == "assign"]}


@router.get("/havale/{number}", name="director_assign_item")
def assign_form(request: Request, number: str, actor: Actor = Depends(director)):
    return render(request, "director/assign.html", _assign_context(request, actor, number), actor=actor)


@router.post("/havale/{number}")
async def assign_item(request: Request, number: str, actor: Actor = Depends(director)):
    state = request.app.state
    item = visible_item(state.ledger, actor, number)
    form = await request.form()
    to = str(form.get("editor") or "").strip()
    note = str(form.get("not") or "").strip()
    status, errors, done = 200, [], None
    if not to:
        status, errors = 422, [("editor", "Havale edilecek editörü seçin.")]
    else:
        try:
            updated = assign(state.ledger, state.instance, item.id, actor, state.clock, to=to, reason=note or None)
            done = f"{updated.number} {updated.assignee} kişisine havale edildi."
        except (ValidationError, PermissionDenied, InvalidTransition, ConflictError) as exc:
            status, errors = refusal(exc, "editor")
    context = _assign_context(request, actor, number)
    context.update(errors=errors, done=done, chosen=to if errors else context["chosen"],
                   note=note if errors else "")
    return render(request, "director/assign.html", context, actor=actor, status_code=status)


@router.get("/gecikenler", name="overdue")
def overdue(request: Request, actor: Actor = Depends(director)):
    state = request.app.state
    rows = overdue_items(state.ledger, state.instance, actor, state.clock.now())
    sla = [(TYPE_LABELS_TR.get(tur, tur), state.instance.editorial.sla_for(tur)) for tur in TYPE_LABELS_TR]
    return render(request, "director/overdue.html", {"rows": rows, "sla": sla, "type_labels": TYPE_LABELS_TR},
                  actor=actor)


# ------------------------------------------------------------------------------------------------ register

def _register_filters(request: Request) -> tuple[dict, dict, list]:
    """(shown values, (since, until, department), errors); the range defaults to this year up to today."""
    q, state = request.query_params, request.app.state
    today = state.clock.now().date()
    shown = {"baslangic": q.get("baslangic", "") or today.replace(month=1, day=1).isoformat(),
             "bitis": q.get("bitis", "") or today.isoformat(), "mudurluk": q.get("mudurluk", "")}
    errors, keys = [], {}
    for name, key in (("baslangic", "since"), ("bitis", "until")):
        try:
            keys[key] = dt.date.fromisoformat(shown[name])
        except ValueError:
            errors.append((f"defter-{name}", f"'{shown[name]}' bir tarih değil; biçim YYYY-AA-GG "
                                            "(ör. 2026-11-25)."))
    if not errors and keys["since"] > keys["until"]:
        errors.append(("defter-baslangic", "Başlangıç tarihi bitiş tarihinden sonra olamaz."))
    if shown["mudurluk"] and shown["mudurluk"] not in state.instance.departments:
        errors.append(("defter-mudurluk", "Bilinmeyen bir müdürlük seçildi."))
    keys["department"] = shown["mudurluk"] or None
    return shown, keys, errors


def _register_context(request: Request, shown: dict, errors: list) -> dict:
    instance = request.app.state.instance
    return {"shown": shown, "errors": errors, "headers": DEFTER_HEADERS,
            "departments": [(d, instance.department_name(d)) for d in instance.departments]}


def _rows(request: Request, actor: Actor, keys: dict) -> list[list[str]]:
    """Every register line of the range (and department) that `actor` may see, as the CLI's defter prints it."""
    state = request.app.state
    items = visible_register(state.ledger, actor, keys["since"], keys["until"])
    if keys["department"]:
        items = [item for item in items if item.department == keys["department"]]
    return defter_rows(state.instance, items)


@router.get("/defter", name="register")
def register(request: Request, actor: Actor = Depends(register_readers)):
    state = request.app.state
    shown, keys, errors = _register_filters(request)
    context = _register_context(request, shown, errors)
    if errors:
        return render(request, "director/register.html", context, actor=actor, status_code=422)
    page = page_of(request, lambda **more: find_visible(state.ledger, actor, **keys, **more), size=REGISTER_PAGE)
    query = urlencode([(k, v) for k, v in shown.items() if v])
    context.update(page=page, rows=defter_rows(state.instance, page.items),
                   csv_url=f"{url(request, 'register_csv')}?{query}",
                   print_url=f"{url(request, 'register_print')}?{query}")
    return render(request, "director/register.html", context, actor=actor)


@router.get("/defter.csv", name="register_csv")
def register_csv(request: Request, actor: Actor = Depends(register_readers)):
    shown, keys, errors = _register_filters(request)
    if errors:
        return render(request, "director/register.html", _register_context(request, shown, errors), actor=actor,
                      status_code=422)
    name = f"kayit-defteri-{shown['baslangic']}-{shown['bitis']}.csv"
    return Response(defter_csv(_rows(request, actor, keys)), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/defter/yazdir", name="register_print")
def register_print(request: Request, actor: Actor = Depends(register_readers)):
    shown, keys, errors = _register_filters(request)
    context = _register_context(request, shown, errors)
    if errors:
        return render(request, "director/register.html", context, actor=actor, status_code=422)
    context["rows"] = _rows(request, actor, keys)
    context["department_name"] = request.app.state.instance.department_name(keys["department"]) \
        if keys["department"] else ""
    return render(request, "director/register_print.html", context, actor=actor)
