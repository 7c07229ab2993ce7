"""Who is acting in the editorial app: the session cookie, CSRF tokens, `current_actor`, `require_role`.

The session itself lives in the ledger (municms.auth: id stored hashed, idle timeout, deactivated users
refused at once); this module only carries it in a cookie and turns its failures into pages: no session →
the login page; an expired session → the login page, and a form it was sending is kept as a draft for its user.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlencode

from fastapi import Depends, Request
from starlette.datastructures import UploadFile

from .. import auth
from ..actions.drafts import discard_draft, draft_for, save_draft
from ..actions.users import acting_user
from ..auth import Actor
from ..errors import PermissionDenied
from ..model import ROLE_LABELS_TR
from .templating import CSRF_FIELD, draft_key

SESSION_COOKIE = "yonetim_oturum"
LOGIN_COOKIE = "yonetim_giris"      # the pre-login CSRF token of the login form (double submit)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Never kept in a draft: passwords of any form and the CSRF token itself.
SECRET_FIELDS = frozenset({CSRF_FIELD, "parola", "yeni_parola", "yeni_parola_tekrar", "mevcut_parola"})


class CsrfFailed(Exception):
    """A POST without the token of its session (or of the login form): refused with 403, nothing changes."""


class LoginRequired(Exception):
    """No live session: the browser goes to the login page, then back to `next_path`."""

    def __init__(self, next_path: str, reason: str = ""):
        super().__init__(reason)
        self.next_path, self.reason = next_path, reason


def cookie_path(request: Request) -> str:
    return request.scope.get("root_path", "").rstrip("/") + "/"


def set_cookie(response, request: Request, name: str, value: str) -> None:
    """HttpOnly, SameSite=Strict, limited to the app's path; Secure when the request came over https."""
    response.set_cookie(name, value, path=cookie_path(request), httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")


def delete_cookie(response, request: Request, name: str) -> None:
    response.delete_cookie(name, path=cookie_path(request), httponly=True, samesite="strict",
                           secure=request.url.scheme == "https")


def login_url(request: Request, next_path: str = "", reason: str = "") -> str:
    from .templating import url
    query = {key: value for key, value in (("sonra", next_path), ("neden", reason)) if value}
    return url(request, "login") + (f"?{urlencode(query)}" if query else "")


async def verify_csrf(request: Request) -> None:
    """Every POST of a view carries the CSRF token of its session, or the login form's pre-login token.

    Runs before the view and before the session is touched, so a refused request changes nothing."""
    session_id = request.cookies.get(SESSION_COOKIE, "")
    request.state.csrf_token = auth.session_csrf_token(request.app.state.ledger, session_id) or ""
    if request.method in SAFE_METHODS:
        return
    form = await request.form()
    request.state.form = form
    sent = form.get(CSRF_FIELD)
    sent = sent if isinstance(sent, str) else ""
    expected = [token for token in (request.state.csrf_token, request.cookies.get(LOGIN_COOKIE, "")) if token]
    if not sent or not any(hmac.compare_digest(sent.encode(), token.encode()) for token in expected):
        raise CsrfFailed()


def login_token(request: Request) -> str:
    """The login form's CSRF token: the one this browser already holds, or a new one."""
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
    request.state.csrf_token = token
    return token


def _draft_fields(form) -> dict[str, str | list[str]]:
    fields: dict[str, str | list[str]] = {}
    for name, value in form.multi_items():
        if name in SECRET_FIELDS or isinstance(value, UploadFile):
            continue
        if name in fields:
            previous = fields[name]
            fields[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            fields[name] = value
    return fields


def current_actor(request: Request) -> Actor:
    """The logged-in user of this request (dependency of every screen behind the login)."""
    state = request.app.state
    session_id = request.cookies.get(SESSION_COOKIE, "")
    try:
        actor = auth.login_with_session(state.ledger, session_id, state.clock, state.idle_timeout)
    except auth.SessionExpired as expired:
        form = getattr(request.state, "form", None)
        kept = _draft_fields(form) if request.method not in SAFE_METHODS and form is not None else {}
        if kept:  # the CSRF token of the expired session was verified: the form is theirs
            save_draft(state.ledger, expired.login, draft_key(request), kept, state.clock)
        auth.end_session(state.ledger, session_id)
        raise LoginRequired(draft_key(request) if request.method in SAFE_METHODS else "",
                            "taslak" if kept else "zaman-asimi") from None
    except auth.AuthenticationFailed:
        raise LoginRequired(draft_key(request) if request.method in SAFE_METHODS else "") from None
    request.state.actor = actor
    if request.method not in SAFE_METHODS and draft_for(state.ledger, actor, draft_key(request)):
        discard_draft(state.ledger, actor, draft_key(request))  # the form is being sent again
    return actor


def require_role(*roles: str):
    """A dependency: the current actor, if their role is one of `roles`; otherwise a 403 page."""

    def dependency(request: Request, actor: Actor = Depends(current_actor)) -> Actor:
        user = acting_user(request.app.state.ledger, actor)
        if user.role not in roles:
            allowed = ", ".join(ROLE_LABELS_TR.get(role, role) for role in roles)
            raise PermissionDenied(f"Bu sayfa yalnız şu rollere açıktır: {allowed}.",
                                   f"'{actor.login}' ({user.role}) is not one of {roles}")
        return actor

    return dependency
