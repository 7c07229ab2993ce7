"""CLI: `migrate` (create or upgrade the ledger's schema: SQLite or PostgreSQL) and `db copy --to URL` (an
existing SQLite ledger into an empty PostgreSQL database, verified)."""

from __future__ import annotations

import argparse

from ..cli import add_json_flag, emit
from .identity import add_identity_flags, authenticate


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("migrate",
                       help="kayıt veritabanının şemasını oluştur ya da yükselt (SQLite ya da PostgreSQL)")
    add_identity_flags(p, system=True)
    add_json_flag(p)
    p.set_defaults(handler=cmd_migrate)

    p = sub.add_parser("db", help="kayıt veritabanı işlemleri (db copy --to URL: SQLite'tan PostgreSQL'e)")
    actions = p.add_subparsers(dest="db_action", required=True, metavar="İŞLEM")
    copy = actions.add_parser("copy", help="SQLite kayıt veritabanını boş bir PostgreSQL veritabanına kopyala ve "
                                           "doğrula (satır sayıları, yayın kaydının zinciri)")
    copy.add_argument("--to", required=True, metavar="URL", help="hedef: postgresql://kullanıcı@sunucu/veritabanı")
    add_identity_flags(copy, system=True)
    add_json_flag(copy)
    copy.set_defaults(handler=cmd_db_copy)


def _instance(args: argparse.Namespace):
    from ..config import load_instance
    from ..paths import InstancePaths

    instance = load_instance(args.instance)
    return instance, InstancePaths(instance.root)


def cmd_migrate(args: argparse.Namespace) -> int:
    from ..actions.database import migrate_ledger
    from ..auth import AuthenticationFailed
    from ..clock import SystemClock
    from ..db import ledger_target
    from ..health import guard
    from ..ledger import open_for_migration
    from .context import Context

    instance, paths = _instance(args)
    guard(instance, paths)  # a corrupt or lost SQLite ledger is not "migrated" into a fresh one
    target, clock = ledger_target(instance, paths), SystemClock(instance.tz)
    users = None
    if not (args.system and not args.as_login):  # a user or a token is proven in the ledger itself
        users = open_for_migration(target)
        if users is None:
            raise AuthenticationFailed("PostgreSQL kayıt veritabanının şeması yok: ilk 'migrate' kullanıcılar "
                                       "olmadan yalnız --system ile çalıştırılabilir.",
                                       "no schema yet: the first migrate needs --system")
    try:
        actor = authenticate(args, Context(instance, paths, users, clock))
        report = migrate_ledger(target, clock, actor, users)
    finally:
        if users is not None:
            users.close()
    emit(args, report.as_dict(), report.text())
    return 0


def cmd_db_copy(args: argparse.Namespace) -> int:
    from ..actions.database import copy_ledger
    from ..db import is_url
    from ..errors import MunicmsError
    from .context import open_context

    if not is_url(args.to):
        raise MunicmsError("--to bir PostgreSQL adresi olmalı: postgresql://kullanıcı@sunucu/veritabanı",
                              f"--to {args.to!r} is not a postgresql:// URL")
    with open_context(args) as ctx:  # guard() first: a damaged SQLite ledger is not copied
        actor = authenticate(args, ctx)
        report = copy_ledger(ctx.ledger, ctx.paths.database, ctx.clock, actor, args.to)
    emit(args, report.as_dict(), report.text())
    return 0
