"""Login, logout and password change of the editorial app."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse

from ... import auth
from ...actions.drafts import latest_draft
from ...actions.users import change_password
from ...auth import Actor
from ...errors import ValidationError
from ..session import LOGIN_COOKIE, SESSION_COOKIE, current_actor, delete_cookie, login_token, set_cookie
from ..templating import render, url

router = APIRouter()

NOTICES = {
    "zaman-asimi": "Uzun süre işlem yapılmadığı için oturumunuz kapandı. Lütfen yeniden giriş yapın.",
    "taslak": "Oturumunuzun süresi dolduğu için gönderdiğiniz form işlenmedi, taslak olarak saklandı. "
              "Giriş yaptıktan sonra form doldurulmuş olarak açılacak.",
    "cikis": "Oturumunuz kapatıldı.",
}


def _safe_next(request: Request, target: str) -> str | None:
    """Only an address of this app itself (no other site, no scheme-relative //host)."""
    base = request.scope.get("root_path", "").rstrip("/") + "/"
    if target.startswith(base) and not target.startswith("//") and "\\" not in target:
        return target
    return None


def _login_page(request: Request, *, errors=(), login: str = "", next_path: str = "", reason: str = "",
                status_code: int = 200):
    token = login_token(request)
    response = render(request, "login.html", {
        "errors": list(errors), "login": login, "next_path": next_path,
        "notice": NOTICES.get(reason, "")}, status_code=status_code)
    set_cookie(response, request, LOGIN_COOKIE, token)
    return response


@router.get("/giris", name="login")
def login_form(request: Request, sonra: str = "", neden: str = ""):
    return _login_page(request, next_path=_safe_next(request, sonra) or "", reason=neden)


@router.post("/giris", name="login_submit")
def login(request: Request, kullanici: str = Form(""), parola: str = Form(""), sonra: str = Form("")):
    state = request.app.state
    errors = []
    if not kullanici.strip():
        errors.append(("kullanici", "Kullanıcı adınızı yazın."))
    if not parola:
        errors.append(("parola", "Parolanızı yazın."))
    if not errors:
        try:
            actor = auth.login_with_password(state.ledger, kullanici, parola, state.clock)
        except auth.AuthenticationFailed as failed:
            errors.append(("kullanici", failed.message_tr))
    if errors:
        return _login_page(request, errors=errors, login=kullanici, next_path=_safe_next(request, sonra) or "",
                           status_code=401 if len(errors) == 1 and errors[0][0] == "kullanici" else 400)
    session = auth.start_session(state.ledger, actor, state.clock, state.idle_timeout)
    draft = latest_draft(state.ledger, actor)
    target = (draft["path"] if draft else None) or _safe_next(request, sonra) or url(request, "home")
    response = RedirectResponse(target, status_code=303)
    set_cookie(response, request, SESSION_COOKIE, session.id)
    delete_cookie(response, request, LOGIN_COOKIE)
    return response


@router.post("/cikis", name="logout")
def logout(request: Request, actor: Actor = Depends(current_actor)):
    auth.end_session(request.app.state.ledger, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse(url(request, "login") + "?neden=cikis", status_code=303)
    delete_cookie(response, request, SESSION_COOKIE)
    return response


@router.get("/parola", name="password")
def password_form(request: Request, actor: Actor = Depends(current_actor), tamam: str = ""):
    return render(request, "password.html", {"errors": [], "done": bool(tamam)}, actor=actor)


@router.post("/parola")
def password_change(request: Request, actor: Actor = Depends(current_actor), mevcut_parola: str = Form(""),
                    yeni_parola: str = Form(""), yeni_parola_tekrar: str = Form("")):
    state = request.app.state
    errors = []
    if not mevcut_parola:
        errors.append(("mevcut_parola", "Şu anki parolanızı yazın."))
    if yeni_parola != yeni_parola_tekrar:
        errors.append(("yeni_parola_tekrar", "Yeni parola ile tekrarı aynı değil."))
    if not errors:
        try:  # the current password proves it is the user at the keyboard; wrong ones count for throttling
            proven = auth.login_with_password(state.ledger, actor.login, mevcut_parola, state.clock)
        except auth.AuthenticationFailed as failed:
            errors.append(("mevcut_parola", "Şu anki parolanız doğru değil." if "hatalı" in failed.message_tr
                           else failed.message_tr))
    if not errors:
        try:
            change_password(state.ledger, state.instance, actor.login, yeni_parola, actor, state.clock)
        except ValidationError as invalid:
            errors += [("yeni_parola", problem.message_tr) for problem in invalid.problems]
    if errors:
        return render(request, "password.html", {"errors": errors, "done": False}, actor=actor, status_code=400)
    # Every other browser of this user must log in with the new password; this one gets a fresh session.
    auth.end_sessions(state.ledger, actor.login)
    session = auth.start_session(state.ledger, proven, state.clock, state.idle_timeout)
    response = RedirectResponse(url(request, "password") + "?tamam=1", status_code=303)
    set_cookie(response, request, SESSION_COOKIE, session.id)
    return response
