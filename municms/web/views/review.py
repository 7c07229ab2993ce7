"""Editor screens: my queue, the unit's queue (filters, search, sort, keyset pages), the item page (metadata,
history, revisions and their diffs, the actions the workflow table allows) and the preview of the built page."""

from __future__ import annotations

import datetime as dt
import mimetypes
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, Response

from ...actions import approve, discard, reject, request_changes, start_review, withdraw
from ...actions.edit_lock import current_lock
from ...actions.visibility import find_visible, visible_item
from ...auth import Actor
from ...config import SUBMISSION_TYPES
from ...errors import ConflictError, InvalidTransition, NotFound, PermissionDenied, ValidationError
from ...fragments import resolve_includes
from ...headers import SECURITY_HEADERS
from ...model import ASSIGNED, CHANGES_REQUESTED, EDITOR, IN_REVIEW, MUDUR, STATES, state_label
from ...preview import build_preview
from ...revision_diff import diff_revisions
from ...turkish import upper
from ...workflow import (ACTION_LABELS_TR, APPROVE, DISCARD, EDIT, REJECT, REQUEST_CHANGES, START_REVIEW, WITHDRAW,
                         TRANSITIONS, allowed_actions, needs_reason)
from ..submission_form import TYPE_LABELS_TR
from ..session import require_role
from ..templating import render
from ._comments import post_comment
from ._paging import page_of
from ._refusal import refusal

router = APIRouter(prefix="/isler")
editors = require_role(EDITOR, MUDUR)
OPEN_STATES = (ASSIGNED, IN_REVIEW, CHANGES_REQUESTED)
# The forms of the item page: the workflow action, its Turkish button, whether it asks for a reason.
ACTION_FORMS = {
    START_REVIEW: ("İncelemeye al", False, start_review.start_review),
    APPROVE: ("Onayla", False, approve.approve),
    REQUEST_CHANGES: ("Değişiklik iste", True, request_changes.request_changes),
    REJECT: ("Reddet", True, reject.reject),
    DISCARD: ("Yeni sürümü geri çevir (yayındaki sürüm kalır)", True, discard.discard),
    WITHDRAW: ("Yayından geri çek", True, withdraw.withdraw),
}
EVENT_LABELS_TR = {**ACTION_LABELS_TR, "login_failed": "hatalı giriş"}


def _date(text: str, name: str, errors: list) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors.append((f"suz-{name}", f"'{text}' bir tarih değil; biçim YYYY-AA-GG (ör. 2026-11-25)."))
        return None


def _filters(request: Request) -> tuple[dict, dict, list]:
    """The queue's filters from the query string: (shown values, find_visible keywords, errors)."""
    q = request.query_params
    shown = {key: q.get(key, "") for key in ("durum", "tur", "mudurluk", "yayin_birimi", "baslangic", "bitis",
                                             "ara", "sira")}
    errors: list = []
    keys = {"newest_first": shown["sira"] != "eski"}
    if shown["durum"] in STATES:
        keys["states"] = (shown["durum"],)
    if shown["tur"] in SUBMISSION_TYPES:
        keys["tur"] = shown["tur"]
    if shown["mudurluk"] in request.app.state.instance.departments:
        keys["department"] = shown["mudurluk"]
    if shown["yayin_birimi"] in request.app.state.instance.editorial_units:
        keys["unit"] = shown["yayin_birimi"]  # an editor's own unit is forced by find_visible anyway
    keys["since"] = _date(shown["baslangic"], "baslangic", errors)
    keys["until"] = _date(shown["bitis"], "bitis", errors)
    if shown["ara"].strip():
        keys["text"] = shown["ara"].strip()
    return shown, keys, errors


def _queue(request: Request, actor: Actor, *, mine: bool):
    ledger = request.app.state.ledger
    shown, keys, errors = _filters(request)
    if mine:
        keys["assignee"] = actor.login
        keys.setdefault("states", OPEN_STATES)
    page = page_of(request, lambda **more: find_visible(ledger, actor, **keys, **more))
    context = {"page": page, "shown": shown, "errors": errors, "mine": mine,
               "states": [(s, state_label(s)) for s in STATES], "types": list(TYPE_LABELS_TR.items()),
               "departments": [(d, request.app.state.instance.department_name(d))
                               for d in request.app.state.instance.departments],
               "units": [(u, request.app.state.instance.department_name(u))
                         for u in request.app.state.instance.editorial_units],
               "type_labels": TYPE_LABELS_TR}
    return render(request, "review/queue.html", context, actor=actor, status_code=422 if errors else 200)


@router.get("/", name="my_queue")
def my_queue(request: Request, actor: Actor = Depends(editors)):
    return _queue(request, actor, mine=True)


@router.get("/birim", name="unit_queue")
def unit_queue(request: Request, actor: Actor = Depends(editors)):
    return _queue(request, actor, mine=False)


def _item_context(request: Request, actor: Actor, number: str) -> dict:
    ledger = request.app.state.ledger
    item = visible_item(ledger, actor, number)
    revisions = ledger.revisions(item.id)
    diffs = [diff_revisions(old, new) for old, new in zip(revisions, revisions[1:])]
    user = ledger.user(actor.login)
    allowed = allowed_actions(item, user)
    forms = [(action, ACTION_FORMS[action][0], needs_reason(TRANSITIONS[(item.state, action)], action, item, user))
             for action in allowed if action in ACTION_FORMS]
    return {"item": item, "revisions": revisions, "diffs": list(reversed(diffs)), "events": ledger.events(item.id),
            "event_labels": EVENT_LABELS_TR, "forms": forms, "errors": [], "done": None,
            "department_name": request.app.state.instance.department_name(item.department),
            "comments": ledger.comments(item.id), "may_edit": EDIT in allowed,
            "kvkk": ledger.kvkk_findings(item.id, item.current_rev), "kvkk_reason": "",
            "lock": current_lock(ledger, item, request.app.state.clock.now())}


@router.get("/kayit/{number}", name="review_item")
def review_item(request: Request, number: str, actor: Actor = Depends(editors)):
    context = _item_context(request, actor, number)
    if request.query_params.get("duzenlendi"):  # after the edit form's redirect
        context["done"] = (f"{context['item'].current_rev}. sürüm kaydedildi. Onay, bu sürümü düzenlemeyen ve "
                           "incelemeye almayan bir editörden gelmelidir (dört göz ilkesi).")
    return render(request, "review/item.html", context, actor=actor)


@router.post("/kayit/{number}")
async def act_on_item(request: Request, number: str, actor: Actor = Depends(editors)):
    state = request.app.state
    item = visible_item(state.ledger, actor, number)
    form = await request.form()
    action = str(form.get("islem") or "")
    reason = str(form.get("gerekce") or "").strip() or None
    # the override counts only when its box is ticked: a reason typed but not confirmed is no decision
    kvkk_reason = str(form.get("kvkk_gerekce") or "").strip()
    extra = {"kvkk_reason": kvkk_reason if form.get("kvkk_onay") == "evet" else None} if action == APPROVE else {}
    status, errors, done = 200, [], None
    if action not in ACTION_FORMS:
        status, errors = 422, [("islemler", "Bilinmeyen bir işlem istendi.")]
    else:
        run = ACTION_FORMS[action][2]
        try:
            await run_in_threadpool(run, state.ledger, state.instance, item.id, actor, state.clock, reason=reason,
                                    **extra)
            label = ACTION_LABELS_TR[action]
            done = f"{upper(label[:1])}{label[1:]} kaydedildi."  # Turkish capitals: incelemeye → İncelemeye
        except (ValidationError, PermissionDenied, InvalidTransition, ConflictError) as exc:
            status, errors = refusal(exc, "islemler", lambda p: {"reason": f"gerekce-{action}",
                                                                 "kvkk_gerekce": "kvkk-onay"}.get(p.field, "islemler"))
    context = _item_context(request, actor, number)
    context.update(errors=errors, done=done, reason=reason or "", failed_action=action,
                   kvkk_reason=kvkk_reason if status != 200 else "")
    return render(request, "review/item.html", context, actor=actor, status_code=status)


@router.post("/kayit/{number}/yorum", name="review_comment")
async def comment_on_item(request: Request, number: str, actor: Actor = Depends(editors)):
    status, errors, done = await post_comment(request, actor, number)
    context = _item_context(request, actor, number)
    context.update(errors=errors, done=done)
    return render(request, "review/item.html", context, actor=actor, status_code=status)


@router.get("/kayit/{number}/onizleme", name="review_preview")
async def review_preview(request: Request, number: str, actor: Actor = Depends(editors)):
    state = request.app.state
    item = visible_item(state.ledger, actor, number)
    preview = await run_in_threadpool(build_preview, state.ledger, state.instance, item, state.clock)
    return render(request, "review/preview.html", {"item": item, "preview": preview}, actor=actor)


def _preview_site(request: Request, actor: Actor, number: str) -> Path:
    item = visible_item(request.app.state.ledger, actor, number)
    return (request.app.state.paths.var / "previews" / f"{item.number}-r{item.current_rev}" / "site").resolve()


@router.get("/kayit/{number}/onizleme/site/{path:path}", name="preview_file")
def preview_file(request: Request, number: str, path: str, actor: Actor = Depends(editors)):
    """A file of the item's built preview, only to who may see the item, with the public site's headers."""
    site = _preview_site(request, actor, number)
    target = (site / path).resolve()
    if target.is_dir():
        target = target / "index.html"
    if not target.is_relative_to(site) or not target.is_file():
        raise NotFound("Önizlemenin bu dosyası yok; önizlemeyi yeniden oluşturun.",
                       f"no preview file {path!r} for {number}")
    if target.suffix == ".html":  # the page as the public site shows it, with the preview's banner fragment
        return Response(resolve_includes(target.read_bytes(), site), media_type="text/html; charset=utf-8",
                        headers=dict(SECURITY_HEADERS))
    media = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    return FileResponse(target, media_type=media, headers=dict(SECURITY_HEADERS))
