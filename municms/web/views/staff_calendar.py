"""The staff's personal seminar calendar: /takvim, where any logged-in person makes, renews or revokes their
link (shown once, after it is made), and the feed /takvim/<anahtar>.ics itself.

The feed is the one screen of the app without a session (calendar programs cannot log in): the secret in its
path is the key, checked by the action; an unknown or revoked key, or an inactive owner, is a 404. Every other
route of the app still depends on current_actor."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from ...actions.seminar_calendar import calendar_feed, has_calendar_token, issue_calendar_token, \
    revoke_calendar_token
from ...auth import Actor
from ..session import current_actor
from ..templating import render, url

router = APIRouter(prefix="/takvim")
FEED_HEADERS = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex"}


def _page(request: Request, actor: Actor, *, link: str | None = None, done: str | None = None):
    state = request.app.state
    context = {"has_link": has_calendar_token(state.ledger, actor), "link": link, "done": done}
    return render(request, "staff_calendar/calendar.html", context, actor=actor)


@router.get("", name="staff_calendar")
def calendar_page(request: Request, actor: Actor = Depends(current_actor)):
    return _page(request, actor)


@router.post("")
async def calendar_change(request: Request, actor: Actor = Depends(current_actor)):
    state = request.app.state
    form = await request.form()
    if form.get("islem") == "iptal":
        revoked = revoke_calendar_token(state.ledger, state.clock, actor)
        return _page(request, actor, done="Takvim bağlantınız iptal edildi; artık çalışmaz." if revoked
                     else "İptal edilecek bir takvim bağlantınız yok.")
    token = issue_calendar_token(state.ledger, state.clock, actor)
    base = f"{request.url.scheme}://{request.url.netloc}"
    return _page(request, actor, link=base + url(request, "staff_calendar_feed", token=token),
                 done="Yeni takvim bağlantınız oluşturuldu; varsa eskisi artık çalışmaz.")


@router.get("/{token}.ics", name="staff_calendar_feed")
def calendar_file(request: Request, token: str):
    state = request.app.state
    data = calendar_feed(state.ledger, state.instance, state.clock, token)
    return Response(data, media_type="text/calendar; charset=utf-8", headers=FEED_HEADERS)
