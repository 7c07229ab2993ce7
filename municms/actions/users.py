"""User administration: add and list users; every change is an event with no item."""

from __future__ import annotations

import re

from .. import signals
from ..clock import Clock
from ..config import Instance
from ..errors import PermissionDenied, Problem, ValidationError
from ..ledger import Ledger
from ..model import BIRIM, EDITOR, ROLES, SYSTEM, YONETICI, Event, User
from ..passwords import MIN_LENGTH, hash_password
from ._transition import load_actor

LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


def validate_user(instance: Instance, login: str, role: str, unit: str | None, department: str | None,
                  password: str) -> list[Problem]:
    """Every problem of a new user at once."""
    problems = []
    if not LOGIN_PATTERN.match(login) or login == SYSTEM:
        problems.append(Problem("login", "Kullanıcı adı 2–32 karakter olmalı; küçük harf (a-z), rakam, nokta, "
                                         "tire ve alt çizgi kullanılabilir ('sistem' ayrılmıştır).",
                                "invalid login"))
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
    if len(password) < MIN_LENGTH:
        problems.append(Problem("password", f"Parola en az {MIN_LENGTH} karakter olmalıdır.", "password too short"))
    return problems


def add_user(ledger: Ledger, instance: Instance, login: str, role: str, password: str, actor: str,
             clock: Clock, unit: str | None = None, department: str | None = None) -> User:
    """Create an active user with an Argon2 password hash; only a yonetici (or sistem) may."""
    problems = validate_user(instance, login, role, unit, department, password)
    if problems:
        raise ValidationError(problems, "Kullanıcı eklenemedi.", "user not added")
    user = User(login=login, role=role, unit=unit or None, department=department or None,
                password_hash=hash_password(password), active=True)
    with ledger.transaction() as tx:
        acting = load_actor(tx, actor)
        if acting.role not in (YONETICI, SYSTEM):
            raise PermissionDenied("Kullanıcı eklemeyi yalnız yönetici yapabilir.", f"'{actor}' is not yonetici")
        tx.insert_user(user)
        event = Event(item_id=None, at=clock.now(), actor=acting.login, action="user_add",
                      data={"login": login, "role": role, "unit": user.unit, "department": user.department})
        tx.append_event(event)
    signals.user_added.send("user_add", user=user, event=event)
    return user


def list_users(ledger: Ledger) -> list[User]:
    return ledger.users()
