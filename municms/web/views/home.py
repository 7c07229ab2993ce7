"""The first screen after login: each role sees its own work."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from ...actions.users import acting_user, list_users
from ...actions.visibility import find_visible
from ...auth import Actor
from ...model import BIRIM, CLOSING_STATES, EDITOR, MUDUR, REGISTERED, STATES, YONETICI
from ..session import current_actor
from ..templating import render

router = APIRouter()
HOME_ROWS = 25   # rows of a home list; the screen its "Tümünü gör" link opens has them all, page by page
OPEN_STATES = tuple(state for state in STATES if state not in CLOSING_STATES)


def _list(request: Request, actor: Actor, screen: str, **filters) -> dict:
    """The first HOME_ROWS items in register order, and the screen with the rest if there are more."""
    rows = find_visible(request.app.state.ledger, actor, limit=HOME_ROWS + 1, **filters)
    return {"rows": rows[:HOME_ROWS], "more": screen if len(rows) > HOME_ROWS else None}


def sections_for(request: Request, actor: Actor) -> list[dict]:
    """The lists of the actor's home: heading, item rows (or users), what to say when empty."""
    ledger = request.app.state.ledger
    role = acting_user(ledger, actor).role
    if role == BIRIM:
        return [{"id": "mudurluk", "title": "Müdürlüğümün kayıtları", **_list(request, actor, "department_items"),
                 "empty": "Müdürlüğünüzün henüz kaydı yok.", "new_submission": True}]
    if role == EDITOR:
        return [{"id": "kuyrugum", "title": "İş kuyruğum", "empty": "Size havale edilmiş açık kayıt yok.",
                 **_list(request, actor, "my_queue", assignee=actor.login, states=OPEN_STATES)},
                {"id": "birim", "title": "Birimimin kuyruğu", "empty": "Biriminizin açık kaydı yok.",
                 **_list(request, actor, "unit_queue", states=OPEN_STATES)}]
    if role == MUDUR:
        return [{"id": "havale", "title": "Havale bekleyenler", "empty": "Havale bekleyen kayıt yok.",
                 **_list(request, actor, "director_assign", states=(REGISTERED,))}]
    if role == YONETICI:
        return [{"id": "kullanicilar", "title": "Kullanıcılar", "users": list_users(ledger, actor), "rows": [],
                 "empty": "Kullanıcı yok."}]
    return []


@router.get("/", name="home")
def home(request: Request, actor: Actor = Depends(current_actor)):
    return render(request, "home.html", {"sections": sections_for(request, actor)}, actor=actor)
