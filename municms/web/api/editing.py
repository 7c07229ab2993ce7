"""Editing and comments over the API: a new revision written by an editor (the same action as the edit form,
guarded by If-Match and by the edit lock of someone working in the app), and the item's comments."""

from __future__ import annotations

import datetime as dt
import yaml
from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from ...actions.comments import MAX_LENGTH, add_comment, item_comments
from ...actions.edit import Edit, edit_item
from ...actions.visibility import visible_item
from ...auth import Actor
from ...model import Comment
from .deps import Services, current_actor, item_etag, require_version, services
from .errors import ApiRoute, errors
from .schemas import ItemOut, item_out
from .submit import json_body

router = APIRouter(route_class=ApiRoute, tags=["düzenleme ve yorumlar"])


class CommentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=MAX_LENGTH, description="yorum (düz metin; kaydı görebilen herkes okur)")


class CommentOut(BaseModel):
    id: int
    at: dt.datetime | None = None
    author: str
    rev: int = Field(description="yorum yazıldığında kaydın sürümü")
    text: str


class EditIn(BaseModel):
    """The new revision: the front-matter keys of the inbox format (baslik, ozet, yayin …) and the Markdown body;
    `keep` names the current revision's attachments that stay (the others are dropped)."""

    model_config = ConfigDict(extra="allow")
    baslik: str
    body: str = Field(description="Markdown metin")
    keep: list[str] = Field(default_factory=list, description="şimdiki eklerden yeni sürümde kalacakların adları")


def comment_out(comment: Comment) -> CommentOut:
    return CommentOut(id=comment.id, at=comment.at, author=comment.author, rev=comment.rev, text=comment.text)


@router.get("/items/{number}/comments", response_model=list[CommentOut], responses=errors(404),
            summary="Kaydın yorumları (eskiden yeniye)")
def list_comments(number: str, actor: Actor = Depends(current_actor),
                  svc: Services = Depends(services)) -> list[CommentOut]:
    return [comment_out(c) for c in item_comments(svc.ledger, actor, number)]


@router.post("/items/{number}/comments", status_code=201, response_model=CommentOut, responses=errors(404),
             summary="Kayda yorum ekle")
def post_comment(number: str, body: CommentIn, actor: Actor = Depends(current_actor),
                 svc: Services = Depends(services)) -> CommentOut:
    return comment_out(add_comment(svc.ledger, number, actor, svc.clock, body.text))


@router.put("/items/{number}/content", response_model=ItemOut, responses=errors(403, 404, 409, 412, 428),
            openapi_extra={"requestBody": {"required": True, "content": {
                "application/json": {"schema": EditIn.model_json_schema()}}}},
            summary="Editör düzenlemesi: yeni sürüm (incelemeye girer; onayı başka biri verir)")
async def put_content(number: str, request: Request, response: Response,
                      if_match: str | None = Header(None, alias="If-Match",
                                                    description="kaydın okunduğu andaki ETag değeri (zorunlu)"),
                      actor: Actor = Depends(current_actor), svc: Services = Depends(services)) -> ItemOut:
    """The same validation and Turkish messages as a submission (422 with field paths); 409 while someone
    holds the item's edit lock in the app; 428/412 as for every change."""
    item = visible_item(svc.ledger, actor, number)
    expect = require_version(if_match)
    data, edit = json_body(await request.body(), EditIn)
    front = {"tur": data.get("tur", item.tur), **{k: v for k, v in data.items() if k not in ("body", "keep", "tur")}}
    if edit.keep:
        front["ekler"] = list(edit.keep)
    document = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + edit.body
    updated = await run_in_threadpool(edit_item, svc.ledger, svc.instance, svc.paths, item.id, actor, svc.clock,
                                      Edit(document, list(edit.keep)), expect)
    etag = item_etag(svc.ledger, updated)
    response.headers["ETag"] = etag
    return item_out(updated, etag)
