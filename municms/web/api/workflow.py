"""Workflow actions over the API: the same action functions as the command line, guarded by If-Match."""

from __future__ import annotations

from fastapi import APIRouter, Body, Depends, Header, Response

from ...actions import approve, archive, assign, discard, reject, request_changes, start_review, withdraw
from ...actions.visibility import visible_item
from ...auth import Actor
from ...errors import NotFound, Problem, ValidationError
from .deps import Services, current_actor, item_etag, require_version, services
from .errors import ApiRoute, errors
from .schemas import Action, ActionIn, ItemOut, item_out

router = APIRouter(route_class=ApiRoute, tags=["iş akışı"])

ACTIONS = {
    Action.review: start_review.start_review, Action.approve: approve.approve,
    Action.request_changes: request_changes.request_changes, Action.reject: reject.reject,
    Action.withdraw: withdraw.withdraw, Action.archive: archive.archive, Action.discard: discard.discard,
}


@router.post("/items/{number}/actions/{action}", response_model=ItemOut, responses=errors(403, 404, 409, 412, 428),
             summary="Bir iş akışı işlemi: assign, review, approve, request-changes, reject, withdraw, archive, "
                     "discard")
def act(number: str, action: Action, response: Response, body: ActionIn | None = Body(None),
        if_match: str | None = Header(None, alias="If-Match",
                                      description="kaydın okunduğu andaki ETag değeri (zorunlu)"),
        actor: Actor = Depends(current_actor), svc: Services = Depends(services)) -> ItemOut:
    """Refused with 428 without If-Match and with 412 (nothing changed) if the item changed since it was read:
    the version is compared under the ledger's write lock, in the action's own transaction."""
    body = body or ActionIn()
    item = visible_item(svc.ledger, actor, number)  # an item one may not see answers like an unknown number
    expect = require_version(if_match)
    if action == Action.assign:
        if not (body.to or "").strip():
            raise _not_an_editor("")
        try:
            updated = assign.assign(svc.ledger, svc.instance, item.id, actor, svc.clock, to=body.to.strip(),
                                    reason=body.reason, expect=expect)
        except NotFound:  # the item exists (seen above, never deleted): the unknown one is the editor
            raise _not_an_editor(body.to) from None
    elif action == Action.approve:
        updated = approve.approve(svc.ledger, svc.instance, item.id, actor, svc.clock, reason=body.reason,
                                  expect=expect, kvkk_reason=body.kvkk_gerekce)
    else:
        updated = ACTIONS[action](svc.ledger, svc.instance, item.id, actor, svc.clock, reason=body.reason,
                                  expect=expect)
    etag = item_etag(svc.ledger, updated)
    response.headers["ETag"] = etag
    return item_out(updated, etag)


def _not_an_editor(login: str) -> ValidationError:
    text = (f"'{login}' adlı bir editör yok." if login else
            "Havale edilecek editörün kullanıcı adını 'to' alanına yazın.")
    return ValidationError([Problem("to", text, f"'to' must name an editor (got {login!r})")],
                           "Havale yapılamadı.", "assignment refused")
