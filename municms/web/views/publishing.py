"""Publishing screens (mudur, yonetici): publish now, what is due and scheduled, the releases with rollback,
and the build logs. Publish and rollback run as the logged-in person, with the reason they give."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from ...actions.build_logs import list_build_logs, read_build_log
from ...actions.publish import publish
from ...actions.rollback import rollback
from ...actions.visibility import find_visible
from ...auth import Actor
from ...deploy import get_target
from ...errors import MunicmsError, PermissionDenied
from ...model import APPROVED, MUDUR, SCHEDULED, YONETICI
from ..submission_form import TYPE_LABELS_TR
from ..session import require_role
from ..templating import render
from ._refusal import refusal

router = APIRouter(prefix="/yayin")
publishers = require_role(MUDUR, YONETICI)
LIST_LIMIT = 200


def _context(request: Request, actor: Actor) -> dict:
    state = request.app.state
    ledger = state.ledger
    return {"approved": find_visible(ledger, actor, states=(APPROVED,), limit=LIST_LIMIT),
            "scheduled": sorted(find_visible(ledger, actor, states=(SCHEDULED,), limit=LIST_LIMIT),
                                key=lambda item: (item.publish_at is None, item.publish_at, item.number)),
            "releases": get_target(state.instance, state.paths).releases(),
            "type_labels": TYPE_LABELS_TR, "errors": [], "done": None, "result": None, "reasons": {}}


@router.get("/", name="publishing")
def publishing(request: Request, actor: Actor = Depends(publishers)):
    return render(request, "publishing/index.html", _context(request, actor), actor=actor)


@router.post("/yayimla", name="publish_now")
async def publish_now(request: Request, actor: Actor = Depends(publishers)):
    state = request.app.state
    form = await request.form()
    reason = str(form.get("gerekce") or "").strip() or None
    status, errors, result = 200, [], None
    try:
        result = await run_in_threadpool(publish, state.ledger, state.instance, state.paths, state.clock, actor,
                                         reason=reason)
    except MunicmsError as exc:
        status, errors = refusal(exc, "yayin-gerekce")
    context = _context(request, actor)
    context.update(errors=errors, result=result, reasons={"publish": reason or ""} if errors else {},
                   done=f"Yayın {result.release_id} yayında." if result else None)
    return render(request, "publishing/index.html", context, actor=actor, status_code=status)


@router.post("/geri-al", name="rollback")
async def roll_back(request: Request, actor: Actor = Depends(publishers)):
    state = request.app.state
    form = await request.form()
    to = str(form.get("surum") or "").strip() or None
    reason = str(form.get("gerekce") or "").strip()
    status, errors, done = 200, [], None
    field = f"geri-al-{to}" if to else "surumler"
    if not reason:
        status, errors = 422, [(field, "Geri alma gerekçesi zorunludur; kayıt defterine yazılır.")]
    else:
        try:
            release = await run_in_threadpool(rollback, state.ledger, state.instance, state.paths, state.clock,
                                              actor, to=to, reason=reason)
            done = f"Site {release.id} yayınına geri alındı."
        except PermissionDenied as exc:
            status, errors = 403, [(field, exc.message_tr)]
        except MunicmsError as exc:
            status, errors = 409, [(field, exc.message_tr)]
    context = _context(request, actor)
    context.update(errors=errors, done=done, reasons={to: reason} if errors else {})
    return render(request, "publishing/index.html", context, actor=actor, status_code=status)


@router.get("/gunlukler", name="build_logs")
def build_logs(request: Request, actor: Actor = Depends(publishers)):
    state = request.app.state
    logs = list_build_logs(state.ledger, state.paths, actor)
    return render(request, "publishing/logs.html", {"logs": logs}, actor=actor)


@router.get("/gunlukler/{build_id}", name="build_log")
def build_log(request: Request, build_id: str, actor: Actor = Depends(publishers)):
    state = request.app.state
    text = read_build_log(state.ledger, state.paths, actor, build_id)
    return render(request, "publishing/log.html", {"build_id": build_id, "text": text}, actor=actor)
