"""User administration: first yonetici, add, change role, deactivate, passwords, personal tokens; every change
is an event with no item."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import signals
from ..clock import Clock
from ..config import Instance
from ..errors import PermissionDenied, Problem, ValidationError
from ..ledger import Ledger
from ..auth import Actor, may_manage, new_token, system_actor, token_hash
from ..model import BIRIM, CLOSING_STATES, EDITOR, ROLES, SYSTEM, SYSTEM_USER, YONETICI, Event, User
from ..passwords import MIN_LENGTH, hash_password
from ._transition import event_data, load_actor

LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


def validate_user(instance: Instance, login: str, role: str, unit: str | None, department: str | None,
                  password: str) -> list[Problem]:
    """Every problem of a new user at once."""
    problems = []
    if not LOGIN_PATTERN.match(login) or login == SYSTEM:
        problems.append(Problem("login", "Kullanıcı adı 2–32 karakter olmalı; küçük harf (a-z), rakam, nokta, "
                                         "tire ve alt çizgi kullanılabilir ('sistem' ayrılmıştır).",
                                "invalid login"))
    problems += validate_placement(instance, role, unit, department)
    if len(password) < MIN_LENGTH:
        problems.append(Problem("password", f"Parola en az {MIN_LENGTH} karakter olmalıdır.", "password too short"))
    return problems


def validate_placement(instance: Instance, role: str, unit: str | None, department: str | None) -> list[Problem]:
    """Every problem of a role with its editorial unit and department (for a new user and a role change)."""
    problems = []
    if role not in ROLES:
        problems.append(Problem("role", f"'{role}' bilinen bir rol değil. Roller: {', '.join(ROLES)}.",
                                "unknown role"))
    if role == EDITOR and unit not in instance.editorial_units:
        problems.append(Problem("unit", "Editör için yayın birimi zorunludur: "
                                        f"{', '.join(instance.editorial_units)}.", "editor needs an editorial unit"))
    if role != EDITOR and unit:
        problems.append(Problem("unit", "Birim yalnız editörler için verilir.", "only editors have a unit"))
    if role == BIRIM and department not in instance.departments:
        problems.append(Problem("department", "Birim personeli için müdürlük zorunludur: "
                                              f"{', '.join(instance.departments)}.",
                                "birim user needs a department"))
    if role != BIRIM and department:
        problems.append(Problem("department", "Müdürlük yalnız birim personeli için verilir.",
                                "only birim users have a department"))
    return problems


def _new_user(instance: Instance, login: str, role: str, password: str, unit: str | None,
              department: str | None) -> User:
    problems = validate_user(instance, login, role, unit, department, password)
    if problems:
        raise ValidationError(problems, "Kullanıcı eklenemedi.", "user not added")
    return User(login=login, role=role, unit=unit or None, department=department or None,
                password_hash=hash_password(password), active=True)


def _record(tx, actor: Actor, acting: User, action: str, now, data: dict) -> Event:
    event = Event(item_id=None, at=now, actor=acting.login, action=action, data=event_data(actor, data))
    tx.append_event(event)
    return event


def init_first_user(ledger: Ledger, instance: Instance, login: str, password: str, clock: Clock) -> User:
    """The first yonetici of a new instance; refused once any user exists (then a yonetici adds users)."""
    user = _new_user(instance, login, YONETICI, password, None, None)
    with ledger.transaction() as tx:
        if tx.has_users():
            raise PermissionDenied("İlk yönetici zaten oluşturulmuş; yeni kullanıcıları bir yönetici "
                                   "'users add' ile ekler.", "users init refused: users exist")
        tx.insert_user(user)
        event = _record(tx, system_actor("users init"), SYSTEM_USER, "user_init", clock.now(),
                        {"login": login, "role": YONETICI})
    signals.user_added.send("user_init", user=user, event=event)
    return user


def add_user(ledger: Ledger, instance: Instance, login: str, role: str, password: str, actor: Actor,
             clock: Clock, unit: str | None = None, department: str | None = None) -> User:
    """Create an active user with an Argon2 password hash; only a yonetici may."""
    user = _new_user(instance, login, role, password, unit, department)
    with ledger.transaction() as tx:
        acting = _yonetici(tx, actor, "Kullanıcı eklemeyi")
        tx.insert_user(user)
        event = _record(tx, actor, acting, "user_add", clock.now(),
                        {"login": login, "role": role, "unit": user.unit, "department": user.department})
    signals.user_added.send("user_add", user=user, event=event)
    return user


def _yonetici(tx, actor: Actor, what: str) -> User:
    acting = load_actor(tx, actor)
    if acting.role != YONETICI:
        raise PermissionDenied(f"{what} yalnız yönetici yapabilir.", f"'{acting.login}' is not yonetici")
    return acting


def _self_or_yonetici(tx, actor: Actor, login: str) -> User:
    acting = load_actor(tx, actor)
    if not may_manage(acting, login):
        raise PermissionDenied("Bu işlemi yalnız kullanıcının kendisi ya da bir yönetici yapabilir.",
                               f"'{acting.login}' may not manage '{login}'")
    tx.user(login)  # NotFound with a Turkish message
    return acting


def deactivate_user(ledger: Ledger, login: str, actor: Actor, clock: Clock) -> None:
    """A deactivated user can no longer log in or act; their tokens are revoked with them."""
    with ledger.transaction() as tx:
        acting = _yonetici(tx, actor, "Kullanıcıyı devre dışı bırakmayı")
        tx.update_user(login, active=False)
        revoked = tx.revoke_tokens(login, clock.now())
        _record(tx, actor, acting, "user_deactivate", clock.now(), {"login": login, "tokens_revoked": revoked})


@dataclass(frozen=True)
class RoleChange:
    """A done role change: the user before and after, and the open items assigned to them that their new role
    or unit no longer reaches (the director assigns them again)."""

    before: User
    user: User
    open_assignments: list[str]


def change_role(ledger: Ledger, instance: Instance, login: str, role: str, actor: Actor, clock: Clock,
                unit: str | None = None, department: str | None = None) -> RoleChange:
    """A new role (with its unit or department) for `login`, set by another yonetici; the user's sessions end
    and personal tokens are revoked, so the next request is made with the new rights after a new login."""
    unit, department = unit or None, department or None
    problems = validate_placement(instance, role, unit, department)
    if problems:
        raise ValidationError(problems, "Rol değiştirilemedi.", "role not changed")
    with ledger.transaction() as tx:
        acting = _yonetici(tx, actor, "Rol değiştirmeyi")
        before = tx.user(login)  # NotFound with a Turkish message
        _check_role_change(tx, acting, before, role, unit, department)
        left = [item.number for item in tx.find_items(assignee=login, limit=1_000_000)
                if item.state not in CLOSING_STATES and not (role == EDITOR and item.unit == unit)]
        tx.update_user(login, role=role, unit=unit, department=department)
        sessions = tx.delete_sessions(login=login)
        tokens = tx.revoke_tokens(login, clock.now())
        event = _record(tx, actor, acting, "user_role", clock.now(), {
            "login": login, "from": {"role": before.role, "unit": before.unit, "department": before.department},
            "to": {"role": role, "unit": unit, "department": department},
            "sessions_ended": sessions, "tokens_revoked": tokens, "open_assignments": left})
        change = RoleChange(before, tx.user(login), left)
    signals.user_role_changed.send("user_role", user=change.user, before=before, event=event)
    return change


def _check_role_change(tx, acting: User, before: User, role: str, unit: str | None, department: str | None) -> None:
    if before.login == acting.login:
        raise PermissionDenied("Kendi rolünüzü değiştiremezsiniz; bunu başka bir yönetici yapmalıdır.",
                               f"'{acting.login}' may not change their own role")
    if (before.role, before.unit, before.department) == (role, unit, department):
        raise ValidationError([Problem("role", f"'{before.login}' kullanıcısının rolü ve birimi zaten bunlar; "
                                               "değişiklik yok.", "nothing to change")],
                              "Rol değiştirilemedi.", "role not changed")
    if before.role == YONETICI and before.active and role != YONETICI:
        others = [u for u in tx.users() if u.role == YONETICI and u.active and u.login != before.login]
        if not others:
            raise PermissionDenied(f"'{before.login}' son etkin yöneticidir; rolü değiştirilirse kimse "
                                   "kullanıcıları yönetemez. Önce başka bir yönetici ekleyin.",
                                   f"'{before.login}' is the last active yonetici")


def change_password(ledger: Ledger, instance: Instance, login: str, password: str, actor: Actor,
                    clock: Clock) -> None:
    """A new password for `login`, set by that user (already authenticated) or by a yonetici."""
    if len(password) < MIN_LENGTH:
        raise ValidationError([Problem("password", f"Parola en az {MIN_LENGTH} karakter olmalıdır.",
                                       "password too short")], "Parola değiştirilemedi.", "password not changed")
    with ledger.transaction() as tx:
        acting = _self_or_yonetici(tx, actor, login)
        tx.update_user(login, password_hash=hash_password(password))
        _record(tx, actor, acting, "user_password", clock.now(), {"login": login})


def issue_token(ledger: Ledger, login: str, actor: Actor, clock: Clock) -> str:
    """A new personal token for `login` (by that user or a yonetici); shown once, stored only as a hash."""
    token = new_token(login)
    with ledger.transaction() as tx:
        acting = _self_or_yonetici(tx, actor, login)
        if not tx.user(login).active:
            raise PermissionDenied(f"'{login}' devre dışı; anahtar verilemez.", f"user '{login}' is inactive")
        token_id = tx.insert_token(login, token_hash(token), clock.now(), acting.login)
        _record(tx, actor, acting, "token_issue", clock.now(), {"login": login, "token_id": token_id})
    return token


def revoke_tokens(ledger: Ledger, login: str, actor: Actor, clock: Clock) -> int:
    """Revoke every personal token of `login`; returns how many were live."""
    with ledger.transaction() as tx:
        acting = _self_or_yonetici(tx, actor, login)
        revoked = tx.revoke_tokens(login, clock.now())
        _record(tx, actor, acting, "token_revoke", clock.now(), {"login": login, "revoked": revoked})
    return revoked


def acting_user(ledger: Ledger, actor: Actor) -> User:
    """The user record of an authenticated actor (role, unit, department), if still active."""
    return load_actor(ledger, actor)


def list_users(ledger: Ledger, actor: Actor) -> list[User]:
    """Every user; only a yonetici may see the list."""
    _yonetici(ledger, actor, "Kullanıcıları listelemeyi")
    return ledger.users()
