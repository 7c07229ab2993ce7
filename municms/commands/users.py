"""CLI: user administration (users init, add, role, list, token, deactivate, password)."""

from __future__ import annotations

import argparse

from ..auth import login_with_password
from ..cli import add_json_flag, emit
from ..errors import ConflictError, Problem, ValidationError
from ..model import ROLES, YONETICI, User
from .context import open_context
from .identity import add_identity_flags, authenticate, read_line
from .workflow import table


def _user_json(user: User) -> dict:
    return {"login": user.login, "role": user.role, "unit": user.unit, "department": user.department,
            "active": user.active}


def _new_password(from_stdin: bool, prompt: str = "Yeni parola: ") -> str:
    password = read_line(prompt, from_stdin, "yeni parolayı --password-stdin (users password için "
                                             "--new-password-stdin) ile standart girdiden verin")
    if not from_stdin and read_line("Yeni parola (yeniden): ", False) != password:
        raise ValidationError([Problem("password", "İki parola birbirini tutmuyor.", "passwords differ")],
                              "Parola alınamadı.", "password not taken")
    if not password:
        raise ValidationError([Problem("password", "Parola standart girdiden okunamadı (boş).",
                                       "empty password on stdin")], "Parola alınamadı.", "empty password")
    return password


def cmd_init(args: argparse.Namespace) -> int:
    from ..actions.users import init_first_user

    with open_context(args) as ctx:
        password = _new_password(args.password_stdin)
        if args.exists_ok and ctx.ledger.has_users():
            # Idempotent for `make run`: the same yonetici with the same password is already there.
            actor = login_with_password(ctx.ledger, args.login, password, ctx.clock)
            existing = ctx.ledger.user(actor.login)
            if existing.role == YONETICI:
                emit(args, {"ok": True, "user": _user_json(existing), "existed": True},
                     f"İlk yönetici zaten var: {existing.login}; değiştirilmedi.")
                return 0
        user = init_first_user(ctx.ledger, ctx.instance, args.login, password, ctx.clock)
    emit(args, {"ok": True, "user": _user_json(user)}, f"İlk yönetici oluşturuldu: {user.login}.")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from ..actions.users import add_user

    with open_context(args) as ctx:
        actor = authenticate(args, ctx)  # from the prompt or MUNICMS_TOKEN: stdin holds the new password
        password = _new_password(args.password_stdin)
        try:
            user = add_user(ctx.ledger, ctx.instance, args.login, args.role, password, actor, ctx.clock,
                            unit=args.unit, department=args.department)
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


def cmd_role(args: argparse.Namespace) -> int:
    from ..actions.users import change_role

    with open_context(args) as ctx:
        change = change_role(ctx.ledger, ctx.instance, args.login, args.role, authenticate(args, ctx),
                             ctx.clock, unit=args.unit, department=args.department)
    user, left = change.user, change.open_assignments
    where = f" ({user.unit or user.department})" if user.unit or user.department else ""
    text = (f"{user.login} kullanıcısının rolü: {user.role}{where}; açık oturumları kapandı, kişisel "
            "anahtarları iptal edildi.")
    if left:
        text += f"\nYeni rolünün dışında kalan havale edilmiş açık işler (yeniden havale edin): {', '.join(left)}"
    emit(args, {"ok": True, "user": _user_json(user), "open_assignments": left}, text)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from ..actions.users import list_users

    with open_context(args) as ctx:
        users = list_users(ctx.ledger, authenticate(args, ctx))
    rows = [[u.login, u.role, u.unit or "", u.department or "", "etkin" if u.active else "devre dışı"]
            for u in users]
    emit(args, {"ok": True, "users": [_user_json(u) for u in users]},
         table(["Kullanıcı", "Rol", "Birim", "Müdürlük", "Durum"], rows) if rows else "Kullanıcı yok.")
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    from ..actions.users import issue_token, revoke_tokens

    with open_context(args) as ctx:
        actor = authenticate(args, ctx)
        if args.revoke:
            count = revoke_tokens(ctx.ledger, args.login, actor, ctx.clock)
            emit(args, {"ok": True, "login": args.login, "revoked": count},
                 f"{args.login} kullanıcısının {count} kişisel anahtarı iptal edildi.")
            return 0
        token = issue_token(ctx.ledger, args.login, actor, ctx.clock)
    # The token alone on stdout, so `export MUNICMS_TOKEN=$(… users token LOGIN …)` works; shown only once.
    emit(args, {"ok": True, "login": args.login, "token": token}, token)
    return 0


def cmd_deactivate(args: argparse.Namespace) -> int:
    from ..actions.users import deactivate_user

    with open_context(args) as ctx:
        deactivate_user(ctx.ledger, args.login, authenticate(args, ctx), ctx.clock)
    emit(args, {"ok": True, "login": args.login, "active": False},
         f"{args.login} devre dışı bırakıldı; kişisel anahtarları iptal edildi.")
    return 0


def cmd_password(args: argparse.Namespace) -> int:
    from ..actions.users import change_password

    with open_context(args) as ctx:
        actor = authenticate(args, ctx)
        password = _new_password(args.new_password_stdin)
        change_password(ctx.ledger, ctx.instance, args.login, password, actor, ctx.clock)
    emit(args, {"ok": True, "login": args.login}, f"{args.login} kullanıcısının parolası değiştirildi.")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("users", help="kullanıcı yönetimi")
    users = p.add_subparsers(dest="users_command", metavar="ALT_KOMUT", parser_class=type(p))
    users.required = True

    a = users.add_parser("init", help="ilk yöneticiyi oluştur (hiç kullanıcı yokken; parola standart girdiden)")
    a.add_argument("login", metavar="LOGIN")
    a.add_argument("--password-stdin", action="store_true", help="parolayı standart girdiden oku")
    a.add_argument("--exists-ok", action="store_true",
                   help="bu yönetici aynı parolayla zaten varsa hata verme, hiçbir şeyi değiştirme")
    add_json_flag(a)
    a.set_defaults(handler=cmd_init)

    a = users.add_parser("add", help="kullanıcı ekle (yönetici; yeni kullanıcının parolası standart girdiden)")
    a.add_argument("login", metavar="LOGIN")
    a.add_argument("--role", required=True, choices=ROLES)
    a.add_argument("--unit", metavar="U", help="editörün yayın birimi (web, egitim, destek …)")
    a.add_argument("--department", metavar="D", help="birim personelinin müdürlüğü")
    a.add_argument("--password-stdin", action="store_true", help="yeni kullanıcının parolasını standart girdiden oku")
    add_identity_flags(a, password_stdin=False)
    a.add_argument("--exists-ok", action="store_true",
                   help="aynı rol ve birimle zaten varsa hata verme, hiçbir şeyi değiştirme")
    add_json_flag(a)
    a.set_defaults(handler=cmd_add)

    a = users.add_parser("role", help="rolü, yayın birimini ya da müdürlüğü değiştir (başka bir yönetici; "
                                      "oturumları kapanır, anahtarları iptal edilir)")
    a.add_argument("login", metavar="LOGIN")
    a.add_argument("role", metavar="ROL", choices=ROLES, help=f"yeni rol: {', '.join(ROLES)}")
    place = a.add_mutually_exclusive_group()
    place.add_argument("--unit", metavar="U", help="editörün yayın birimi (web, egitim, destek …)")
    place.add_argument("--department", metavar="D", help="birim personelinin müdürlüğü")
    add_identity_flags(a)
    add_json_flag(a)
    a.set_defaults(handler=cmd_role)

    a = users.add_parser("list", help="kullanıcıları listele (yönetici)")
    add_identity_flags(a)
    add_json_flag(a)
    a.set_defaults(handler=cmd_list)

    a = users.add_parser("token", help="kişisel anahtar üret (bir kez gösterilir) ya da --revoke ile iptal et")
    a.add_argument("login", metavar="LOGIN")
    a.add_argument("--revoke", action="store_true", help="bu kullanıcının bütün anahtarlarını iptal et")
    add_identity_flags(a)
    add_json_flag(a)
    a.set_defaults(handler=cmd_token)

    a = users.add_parser("deactivate", help="kullanıcıyı devre dışı bırak (yönetici)")
    a.add_argument("login", metavar="LOGIN")
    add_identity_flags(a)
    add_json_flag(a)
    a.set_defaults(handler=cmd_deactivate)

    a = users.add_parser("password", help="parola değiştir (kullanıcının kendisi ya da yönetici)")
    a.add_argument("login", metavar="LOGIN")
    a.add_argument("--new-password-stdin", action="store_true",
                   help="yeni parolayı standart girdiden oku (--password-stdin ile birlikte: ikinci satır)")
    add_identity_flags(a)
    add_json_flag(a)
    a.set_defaults(handler=cmd_password)
