"""Administration (yonetici): users (add, change role, deactivate, reset password) and personal API tokens
(create: shown once on the answer page and never again, stored hashed; revoke)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from ...actions.users import (add_user, change_password, change_role, deactivate_user, issue_token, list_users,
                              revoke_tokens)
from ...auth import Actor
from ...errors import ConflictError, NotFound, PermissionDenied, ValidationError
from ...model import ROLES, ROLE_LABELS_TR, YONETICI
from ...passwords import MIN_LENGTH
from ..session import require_role
from ..templating import render
from ._refusal import refusal

router = APIRouter(prefix="/kullanicilar")
administrator = require_role(YONETICI)
FIELD_IDS = {"login": "yeni-kullanici", "role": "yeni-rol", "unit": "yeni-birim", "department": "yeni-mudurluk",
             "password": "yeni-kullanici-parola"}
ROLE_FIELD_IDS = {"role": "rol", "unit": "rol-birim", "department": "rol-mudurluk"}


def _choices(request: Request) -> dict:
    """The options of the role, unit and department selects."""
    instance = request.app.state.instance
    return {"roles": [(role, ROLE_LABELS_TR.get(role, role)) for role in ROLES],
            "units": instance.editorial_units,
            "departments": [(d, instance.department_name(d)) for d in instance.departments]}


def _list_context(request: Request, actor: Actor) -> dict:
    return {"users": list_users(request.app.state.ledger, actor), "min_length": MIN_LENGTH, "errors": [],
            "done": None, "values": {}, **_choices(request)}


@router.get("/", name="users")
def users(request: Request, actor: Actor = Depends(administrator)):
    return render(request, "admin/users.html", _list_context(request, actor), actor=actor)


@router.post("/", name="add_user")
async def add(request: Request, actor: Actor = Depends(administrator)):
    state = request.app.state
    form = await request.form()
    values = {key: str(form.get(key) or "").strip() for key in ("login", "role", "unit", "department")}
    password = str(form.get("parola") or "")
    status, errors, done = 200, [], None
    try:
        user = add_user(state.ledger, state.instance, values["login"], values["role"], password, actor, state.clock,
                        unit=values["unit"] or None, department=values["department"] or None)
        done, values = f"'{user.login}' kullanıcısı eklendi.", {}
    except (ValidationError, PermissionDenied, ConflictError) as exc:  # ConflictError: an existing login
        status, errors = refusal(exc, "yeni-kullanici", lambda p: FIELD_IDS.get(p.field, "yeni-kullanici"))
    context = _list_context(request, actor)
    context.update(errors=errors, done=done, values=values)
    return render(request, "admin/users.html", context, actor=actor, status_code=status)


def _user(request: Request, actor: Actor, login: str):
    for user in list_users(request.app.state.ledger, actor):
        if user.login == login:
            return user
    raise NotFound(f"'{login}' kullanıcısı yok.", f"no user {login!r}")


def _user_page(request: Request, actor: Actor, login: str, *, status: int = 200, errors=(), done=None,
               token: str | None = None, values: dict | None = None):
    person = _user(request, actor, login)
    values = values or {"role": person.role, "unit": person.unit or "", "department": person.department or ""}
    context = {"person": person, "min_length": MIN_LENGTH, "errors": list(errors), "done": done, "token": token,
               "values": values, **_choices(request)}
    return render(request, "admin/user.html", context, actor=actor, status_code=status)


@router.get("/{login}", name="user_page")
def user_page(request: Request, login: str, actor: Actor = Depends(administrator)):
    return _user_page(request, actor, login)


@router.post("/{login}/rol", name="change_role")
async def role(request: Request, login: str, actor: Actor = Depends(administrator)):
    state = request.app.state
    _user(request, actor, login)
    form = await request.form()
    values = {key: str(form.get(key) or "").strip() for key in ("role", "unit", "department")}
    try:
        change = change_role(state.ledger, state.instance, login, values["role"], actor, state.clock,
                             unit=values["unit"] or None, department=values["department"] or None)
    except (ValidationError, PermissionDenied) as exc:
        status, errors = refusal(exc, "rol", lambda p: ROLE_FIELD_IDS.get(p.field, "rol"))
        return _user_page(request, actor, login, status=status, errors=errors, values=values)
    user = change.user
    where = user.unit or (user.department and state.instance.department_name(user.department))
    done = (f"'{login}' kullanıcısının rolü artık {ROLE_LABELS_TR.get(user.role, user.role)}"
            f"{f' ({where})' if where else ''}; açık oturumları kapandı, anahtarları iptal edildi.")
    if change.open_assignments:
        done += (f" Ona havale edilmiş {len(change.open_assignments)} açık iş yeni rolünün dışında kaldı "
                 f"({', '.join(change.open_assignments)}); müdür bunları başka bir editöre havale etmeli.")
    return _user_page(request, actor, login, done=done)


@router.post("/{login}/devre-disi", name="deactivate_user")
def deactivate(request: Request, login: str, actor: Actor = Depends(administrator)):
    state = request.app.state
    _user(request, actor, login)
    if login == actor.login:
        refusal = "Kendi hesabınızı devre dışı bırakamazsınız; bunu başka bir yönetici yapmalıdır."
        return _user_page(request, actor, login, status=422, errors=[("devre-disi", refusal)])
    deactivate_user(state.ledger, login, actor, state.clock)
    done = f"'{login}' devre dışı bırakıldı; oturumları ve anahtarları geçersiz."
    return _user_page(request, actor, login, done=done)


@router.post("/{login}/parola", name="reset_password")
async def reset_password(request: Request, login: str, actor: Actor = Depends(administrator)):
    state = request.app.state
    _user(request, actor, login)
    form = await request.form()
    password = str(form.get("yeni_parola") or "")
    try:
        change_password(state.ledger, state.instance, login, password, actor, state.clock)
    except ValidationError as exc:
        return _user_page(request, actor, login, status=422,
                          errors=[("yeni_parola", p.message_tr) for p in exc.problems])
    return _user_page(request, actor, login, done=f"'{login}' kullanıcısının parolası değiştirildi.")


@router.post("/{login}/anahtar", name="issue_token")
def new_token(request: Request, login: str, actor: Actor = Depends(administrator)):
    state = request.app.state
    _user(request, actor, login)
    try:
        token = issue_token(state.ledger, login, actor, state.clock)
    except PermissionDenied as exc:
        return _user_page(request, actor, login, status=409, errors=[("anahtar", exc.message_tr)])
    return _user_page(request, actor, login, token=token, done=f"'{login}' için yeni bir API anahtarı oluşturuldu.")


@router.post("/{login}/anahtar-iptal", name="revoke_tokens")
def revoke(request: Request, login: str, actor: Actor = Depends(administrator)):
    state = request.app.state
    _user(request, actor, login)
    count = revoke_tokens(state.ledger, login, actor, state.clock)
    return _user_page(request, actor, login, done=f"'{login}' kullanıcısının {count} etkin anahtarı iptal edildi.")
