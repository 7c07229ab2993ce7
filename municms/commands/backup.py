"""CLI: take a backup, check one (`backup --verify`), restore one into a new folder (`restore`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import add_json_flag, emit
from .identity import add_identity_flags, authenticate


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="kurulumun yedeğini al (tek arşiv) ya da --verify ile bir yedeği denetle")
    p.add_argument("dir", nargs="?", metavar="DIR",
                   help="yedeğin yazılacağı klasör (varsayılan: instance.yaml'da backup.dir, var/backups)")
    p.add_argument("--verify", metavar="FILE", help="yedek almadan, verilen arşivi baştan sona denetle")
    p.add_argument("--progress", action="store_true", help="ilerlemeyi her zaman göster (terminal yoksa da)")
    add_identity_flags(p, system=True)
    add_json_flag(p)
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="bir yedeği denetleyip yeni (boş) bir klasöre kurulum olarak geri yükle")
    p.add_argument("file", metavar="FILE", help="yedek arşivi (municms-yedek-….tar.gz)")
    p.add_argument("--into", required=True, metavar="DIR", help="geri yüklenecek yeni ya da boş klasör")
    p.add_argument("--database-url", metavar="URL",
                   help="PostgreSQL kayıt veritabanı yedeği için: içine geri yüklenecek boş veritabanı")
    p.add_argument("--progress", action="store_true", help="ilerlemeyi her zaman göster (terminal yoksa da)")
    add_json_flag(p)
    p.set_defaults(handler=cmd_restore)


def _progress(args: argparse.Namespace):
    """Files and megabytes done on stderr, rewritten in place; only on a terminal or with --progress."""
    if not (args.progress or sys.stderr.isatty()) or getattr(args, "json", False):
        return None
    state = {"shown": 0}

    def show(done: int, total: int, done_bytes: int, total_bytes: int) -> None:
        if done != total and done - state["shown"] < 200:
            return
        state["shown"] = done
        of = f"/{total}" if total else ""
        size = f"{done_bytes / 1e6:.1f}" + (f"/{total_bytes / 1e6:.1f}" if total_bytes else "")
        print(f"\r  {done}{of} dosya, {size} MB", end="", file=sys.stderr, flush=True)

    return show


def _end_progress(show) -> None:
    if show is not None:
        print(file=sys.stderr)


def cmd_backup(args: argparse.Namespace) -> int:
    if args.verify:
        return _verify(args)
    from ..actions.backup import take_backup
    from .context import open_context

    with open_context(args) as ctx:
        actor = authenticate(args, ctx)  # the archive holds password hashes: like deploy and rollback
        show = _progress(args)
        try:
            result = take_backup(ctx.ledger, ctx.instance, ctx.paths, ctx.clock, actor,
                                 Path(args.dir).resolve() if args.dir else None, show)
        finally:
            _end_progress(show)
    emit(args, {"ok": True, "file": str(result.path), "size": result.size, "sha256": result.sha256,
                "files": result.files, "items": result.items, "seconds": round(result.seconds, 3)},
         f"Yedek alındı: {result.path}\n"
         f"  {result.files} dosya, {result.items} kayıt, {result.size / 1e6:.1f} MB, {result.seconds:.1f} sn\n"
         f"  SHA-256: {result.sha256}\n"
         "  Yedekte parola özetleri, anahtarlar ve kişisel veriler var: yalnız yetkili kişilerin erişebileceği "
         "bir yerde saklayın.")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from ..backup import read_archive

    show = _progress(args)
    try:
        manifest = read_archive(Path(args.verify), progress=show)
    finally:
        _end_progress(show)
    emit(args, {"ok": True, "file": args.verify, "created_at": manifest.created_at, "files": len(manifest.files),
                "bytes": manifest.total_bytes, "items": manifest.items, "municipality": manifest.municipality,
                "ledger_schema_version": manifest.schema_version, "municms_version": manifest.municms_version},
         f"Yedek sağlam: {args.verify}\n"
         f"  {manifest.municipality}, {manifest.created_at} tarihinde alınmış (municms {manifest.municms_version})\n"
         f"  {len(manifest.files)} dosyanın SHA-256 özeti tutuyor ({manifest.total_bytes / 1e6:.1f} MB), "
         f"{manifest.items} kayıt; veritabanı bütünlük denetimi: tamam")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ..backup import restore_archive

    into = Path(args.into).absolute()
    show = _progress(args)
    try:
        manifest = restore_archive(Path(args.file), into, show, args.database_url)
    finally:
        _end_progress(show)
    emit(args, {"ok": True, "into": str(into), "created_at": manifest.created_at, "files": len(manifest.files),
                "items": manifest.items},
         f"Yedek denetlendi ve geri yüklendi: {into}\n"
         f"  {manifest.municipality}, {manifest.created_at} tarihli yedek; {len(manifest.files)} dosya, "
         f"{manifest.items} kayıt\n"
         "Sonraki adımlar:\n"
         f"  python publish.py --instance {into} build      # siteyi yeniden oluştur\n"
         f"  python publish.py --instance {into} serve      # siteyi ve yönetim panelini çalıştır (ilk geçişte "
         "yayımlar)")
    return 0
