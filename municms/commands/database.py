"""CLI: `migrate` (create or upgrade the ledger's schema: SQLite or PostgreSQL) and `db copy --to URL` (an
existing SQLite ledger into an empty PostgreSQL database, verified)."""

from __future__ import annotations

import argparse

from ..cli import add_json_flag, emit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("migrate",
                       help="kayıt veritabanının şemasını oluştur ya da yükselt (SQLite ya da PostgreSQL)")
    add_json_flag(p)
    p.set_defaults(handler=cmd_migrate)

    p = sub.add_parser("db", help="kayıt veritabanı işlemleri (db copy --to URL: SQLite'tan PostgreSQL'e)")
    actions = p.add_subparsers(dest="db_action", required=True, metavar="İŞLEM")
    copy = actions.add_parser("copy", help="SQLite kayıt veritabanını boş bir PostgreSQL veritabanına kopyala ve "
                                           "doğrula (satır sayıları, yayın kaydının zinciri)")
    copy.add_argument("--to", required=True, metavar="URL", help="hedef: postgresql://kullanıcı@sunucu/veritabanı")
    add_json_flag(copy)
    copy.set_defaults(handler=cmd_db_copy)


def _instance(args: argparse.Namespace):
    from ..config import load_instance
    from ..paths import InstancePaths

    instance = load_instance(args.instance)
    return instance, InstancePaths(instance.root)


def cmd_migrate(args: argparse.Namespace) -> int:
    from ..db import ledger_target
    from ..health import guard
    from ..ledger import migrate

    instance, paths = _instance(args)
    guard(instance, paths)  # a corrupt or lost SQLite ledger is not "migrated" into a fresh one
    report = migrate(ledger_target(instance, paths))
    emit(args, report.as_dict(), report.text())
    return 0


def cmd_db_copy(args: argparse.Namespace) -> int:
    from ..db import is_url
    from ..db.copy import copy_to_postgres
    from ..errors import MunicmsError
    from ..health import guard

    if not is_url(args.to):
        raise MunicmsError("--to bir PostgreSQL adresi olmalı: postgresql://kullanıcı@sunucu/veritabanı",
                              f"--to {args.to!r} is not a postgresql:// URL")
    instance, paths = _instance(args)
    guard(instance, paths)
    report = copy_to_postgres(paths.database, args.to)
    emit(args, report.as_dict(), report.text())
    return 0
