"""CLI: user administration (users add, users list)."""

from __future__ import annotations

import argparse
import sys

from ..cli import add_json_flag, emit
from ..errors import ConflictError, Problem, ValidationError
from ..model import ROLES, SYSTEM, User
from .context import open_context
from .workflow import table


def _user_json(user: User) -> dict:
    return {"login": user.login, "role": user.role, "unit": user.unit, "department": user.department,
            "active": user.active}


def cmd_add(args: argparse.Namespace) -> int:
    from ..actions.users import add_user

    ctx = open_context(args)
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise ValidationError([Problem("password", "Parola standart girdiden okunamadı (boş).",
                                       "empty password on stdin")], "Kullanıcı eklenemedi.", "user not added")
    with ctx:
        try:
            user = add_user(ctx.ledger, ctx.instance, args.login, args.role, password, args.as_login or SYSTEM,
                            ctx.clock, unit=args.unit, department=args.department)
        except ConflictError:
            existing = ctx.ledger.user(args.login)
            same = (existing.role, existing.unit, existing.department) == (args.role, args.unit, args.department)
            if not (args.exists_ok and same):
                raise
            emit(args, {"ok": True, "user": _user_json(existing), "existed": True},
                 f"Kullanıcı zaten var: {existing.login} ({existing.role}); değiştirilmedi.")
            return 0
    emit(args, {"ok": True, "user": _user_json(user)}, f"Kullanıcı eklendi: {user.login} ({user.role}).")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with open_context(args) as ctx:
        users = ctx.ledger.users()
    rows = [[u.login, u.role, u.unit or "", u.department or "", "etkin" if u.active else "devre dışı"]
            for u in users]
    emit(args, {"ok": True, "users": [_user_json(u) for u in users]},
         table(["Kullanıcı", "Rol", "Birim", "Müdürlük", "Durum"], rows) if rows else "Kullanıcı yok.")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("users", help="kullanıcı yönetimi")
    users = p.add_subparsers(dest="users_command", metavar="ALT_KOMUT", parser_class=type(p))
    users.required = True

    a = users.add_parser("add", help="kullanıcı ekle (parola standart girdiden)")
    a.add_argument("login", metavar="LOGIN")
    a.add_argument("--role", required=True, choices=ROLES)
    a.add_argument("--unit", metavar="U", help="editörün yayın birimi (web, egitim, destek …)")
    a.add_argument("--department", metavar="D", help="birim personelinin müdürlüğü")
    a.add_argument("--password-stdin", action="store_true", required=True, help="parolayı standart girdiden oku")
    a.add_argument("--as", dest="as_login", metavar="LOGIN", help="işlemi yapan yönetici (varsayılan: sistem)")
    a.add_argument("--exists-ok", action="store_true",
                   help="aynı rol ve birimle zaten varsa hata verme, hiçbir şeyi değiştirme")
    add_json_flag(a)
    a.set_defaults(handler=cmd_add)

    a = users.add_parser("list", help="kullanıcıları listele")
    add_json_flag(a)
    a.set_defaults(handler=cmd_list)
