"""The first screen after login: each role sees its own work."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from ...actions.users import acting_user, list_users
from ...actions.visibility import visible_items
from ...auth import Actor
from ...model import BIRIM, CLOSING_STATES, EDITOR, MUDUR, REGISTERED, YONETICI
from ..session import current_actor
from ..templating import render

router = APIRouter()


def _open(items):
    return [item for item in items if item.state not in CLOSING_STATES]


def sections_for(request: Request, actor: Actor) -> list[dict]:
    """The lists of the actor's home: heading, item rows (or users), what to say when empty."""
    ledger = request.app.state.ledger
    role = acting_user(ledger, actor).role
    if role == BIRIM:
        return [{"id": "mudurluk", "title": "Müdürlüğümün kayıtları", "rows": visible_items(ledger, actor),
                 "empty": "Müdürlüğünüzün henüz kaydı yok.", "new_submission": True}]
    if role == EDITOR:
        visible = _open(visible_items(ledger, actor))
        return [{"id": "kuyrugum", "title": "İş kuyruğum", "rows": [i for i in visible if i.assignee == actor.login],
                 "empty": "Size havale edilmiş açık kayıt yok."},
                {"id": "birim", "title": "Birimimin kuyruğu", "rows": visible,
                 "empty": "Biriminizin açık kaydı yok."}]
    if role == MUDUR:
        return [{"id": "havale", "title": "Havale bekleyenler", "rows": visible_items(ledger, actor, REGISTERED),
                 "empty": "Havale bekleyen kayıt yok."}]
    if role == YONETICI:
        return [{"id": "kullanicilar", "title": "Kullanıcılar", "users": list_users(ledger, actor), "rows": [],
                 "empty": "Kullanıcı yok."}]
    return []


@router.get("/", name="home")
def home(request: Request, actor: Actor = Depends(current_actor)):
    return render(request, "home.html", {"sections": sections_for(request, actor)}, actor=actor)
