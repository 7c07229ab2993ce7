"""The editor's edit of an item: "Düzenle" takes the edit lock, the form shows the current revision's fields,
body and attachments, "Kaydet" stores a new revision (actions.edit: same validation and messages as intake;
approval then needs someone else), "Vazgeç" gives the lock back. Someone else's lock is shown, never overridden
(a director may lift it from the item page)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse

from ...actions.edit import Edit, edit_item
from ...actions.edit_lock import current_lock, release_edit_lock, take_edit_lock
from ...actions.visibility import visible_item
from ...auth import Actor
from ...errors import ConflictError, InvalidTransition, PermissionDenied, ValidationError
from ...item_checks import BODY
from .. import submission_form as sf
from ..templating import render, url
from ._refusal import refusal
from .department import _errors, uploads
from .review import editors

router = APIRouter(prefix="/isler")
REFUSED = (ValidationError, PermissionDenied, InvalidTransition, ConflictError)


def _context(request: Request, actor: Actor, number: str, values: dict | None = None, body: str | None = None,
             keep: list[str] | None = None) -> dict:
    state = request.app.state
    item = visible_item(state.ledger, actor, number)
    current = state.ledger.revision(item.id, item.current_rev)
    names = [name.split("/", 1)[-1] for name in current.attachments]
    return {"item": item, "fields": sf.form_fields(item.tur),
            "values": values if values is not None else sf.revision_values(item.tur, current.front_matter),
            "body": body if body is not None else current.body, "attachments": names,
            "keep": names if keep is None else keep, "errors": [], "preview": None,
            "lock": current_lock(state.ledger, item, state.clock.now()), "body_id": sf.field_id(BODY)}


@router.get("/kayit/{number}/duzenle", name="edit_item")
def edit_form(request: Request, number: str, actor: Actor = Depends(editors)):
    return render(request, "review/edit.html", _context(request, actor, number), actor=actor)


@router.post("/kayit/{number}/duzenle")
async def edit_post(request: Request, number: str, actor: Actor = Depends(editors)):
    state = request.app.state
    form = await request.form()
    action = str(form.get("islem") or "")
    if action == "vazgec":
        await run_in_threadpool(release_edit_lock, state.ledger, number, actor, state.clock)
        return RedirectResponse(url(request, "review_item", number=number), status_code=303)
    if action == "basla":
        try:
            await run_in_threadpool(take_edit_lock, state.ledger, state.instance, number, actor, state.clock)
        except REFUSED as exc:
            status, errors = refusal(exc, "duzenleme")
            context = _context(request, actor, number)
            context["errors"] = errors
            return render(request, "review/edit.html", context, actor=actor, status_code=status)
        return RedirectResponse(url(request, "edit_item", number=number), status_code=303)
    item = visible_item(state.ledger, actor, number)
    values = {f.key: str(form.get(f.key) or "") for f in sf.form_fields(item.tur)}
    body = str(form.get(BODY) or "")
    keep = [str(name) for name in form.getlist("tut")]
    context = _context(request, actor, number, values, body, keep)
    if action == "onizle":  # also renews the lock: the editor is still at work
        try:
            await run_in_threadpool(take_edit_lock, state.ledger, state.instance, number, actor, state.clock)
        except REFUSED as exc:
            context["errors"] = refusal(exc, "duzenleme")[1]
        context.update(preview=sf.preview_html(body), lock=current_lock(state.ledger, item, state.clock.now()))
        return render(request, "review/edit.html", context, actor=actor)
    added, problems = await uploads(form)
    try:
        if problems:
            raise ValidationError(problems, "Düzenleme kaydedilmedi.", "edit not saved")
        names = keep + [name for name in added if name not in keep]
        document = sf.submission_markdown(item.tur, values, body, names)
        await run_in_threadpool(edit_item, state.ledger, state.instance, state.paths, number, actor, state.clock,
                                Edit(document, keep, added))
    except REFUSED as exc:
        status, errors = refusal(exc, "duzenleme")
        if isinstance(exc, ValidationError):
            errors = _errors(exc.problems, item.tur)
        context["errors"] = errors
        return render(request, "review/edit.html", context, actor=actor, status_code=status)
    return RedirectResponse(url(request, "review_item", number=number) + "?duzenlendi=1", status_code=303)
