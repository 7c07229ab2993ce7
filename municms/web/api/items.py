"""Reading items: the visible register page by page, one item with its ETag, its revisions and its events."""

from __future__ import annotations

import base64
import re

from fastapi import APIRouter, Depends, Query, Response

from ...actions.visibility import find_visible, visible_item
from ...auth import Actor
from ...model import STATES
from .deps import Services, current_actor, item_etag, item_etags, services
from .errors import ApiRoute, BadRequest, errors
from .schemas import EventOut, ItemOut, ItemPage, RevisionOut, event_out, item_out, revision_out

router = APIRouter(route_class=ApiRoute, tags=["kayıtlar"])

_CURSOR = re.compile(r"^v1:(\d{4}):(\d{1,9})$")


def encode_cursor(year: int, seq: int) -> str:
    """Opaque to clients: the register key (year, seq) of the last item they got."""
    return base64.urlsafe_b64encode(f"v1:{year}:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, int]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (ValueError, UnicodeDecodeError):
        text = ""
    match = _CURSOR.match(text)
    if not match:
        raise BadRequest("Sayfa imleci (cursor) geçersiz; bir önceki yanıtın next_cursor değerini gönderin.",
                         "cursor is not one this API handed out")
    return int(match[1]), int(match[2])


@router.get("/items", response_model=ItemPage, responses=errors(),
            summary="Görebildiğiniz kayıtlar, kayıt numarası sırasıyla, sayfa sayfa")
def list_items(state: str | None = Query(None, description=f"durum: {', '.join(STATES)}"),
               tur: str | None = Query(None, description="içerik türü"),
               department: str | None = Query(None, description="müdürlük"),
               cursor: str | None = Query(None, description="önceki sayfanın next_cursor değeri"),
               limit: int = Query(50, ge=1, le=100, description="sayfadaki en çok kayıt (1–100)"),
               actor: Actor = Depends(current_actor), svc: Services = Depends(services)) -> ItemPage:
    after = decode_cursor(cursor) if cursor else None
    rows = find_visible(svc.ledger, actor, states=(state,) if state else (), tur=tur, department=department,
                        after=after, limit=limit + 1)
    # department staff asking for another department get their own scope back from find_visible: keep none
    rows = [item for item in rows if department is None or item.department == department]
    page = rows[:limit]
    more = len(rows) > limit
    return ItemPage(items=[item_out(item, etag) for item, etag in zip(page, item_etags(svc.ledger, page))],
                    next_cursor=encode_cursor(page[-1].year, page[-1].seq) if more else None)


@router.get("/items/{number}", response_model=ItemOut, responses=errors(404),
            summary="Bir kayıt: bilgileri, durumu; ETag başlığı ile")
def get_item(number: str, response: Response, actor: Actor = Depends(current_actor),
             svc: Services = Depends(services)) -> ItemOut:
    item = visible_item(svc.ledger, actor, number)
    etag = item_etag(svc.ledger, item)
    response.headers["ETag"] = etag
    return item_out(item, etag)


@router.get("/items/{number}/revisions", response_model=list[RevisionOut], responses=errors(404),
            summary="Kaydın sürümleri (gönderilen ön bilgi ve metin)")
def get_revisions(number: str, actor: Actor = Depends(current_actor),
                  svc: Services = Depends(services)) -> list[RevisionOut]:
    item = visible_item(svc.ledger, actor, number)
    return [revision_out(rev, svc.ledger.kvkk_findings(item.id, rev.rev)) for rev in svc.ledger.revisions(item.id)]


@router.get("/items/{number}/events", response_model=list[EventOut], responses=errors(404),
            summary="Kaydın olayları (kayıt/zimmet defteri satırları)")
def get_events(number: str, actor: Actor = Depends(current_actor),
               svc: Services = Depends(services)) -> list[EventOut]:
    item = visible_item(svc.ledger, actor, number)
    return [event_out(event) for event in svc.ledger.events(item.id)]
