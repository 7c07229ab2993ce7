"""CLI: `intake` (one pass over the inboxes) and `watch` (follow the inboxes until stopped)."""

from __future__ import annotations

import argparse
import json
import signal
import sqlite3
import threading
from contextlib import contextmanager

from ..cli import add_json_flag, emit
from ..clock import SystemClock
from ..db import database_errors
from ..errors import MunicmsError

_STATUS_TR = {"registered": "kaydedildi", "resubmitted": "yeni sürüm kaydedildi", "duplicate": "zaten kayıtlı",
              "quarantined": "KARANTİNAYA ALINDI", "skipped": "başka bir işlem aldı",
              "still_writing": "atlandı, henüz yazılıyor (sonraki geçişte alınacak)",
              "failed": "HATA (gelen kutusunda bırakıldı)"}
_QUIET_HELP = ("bu kadar saniyedir değişmeyen dosya alınır; daha yenisi henüz yazılıyor sayılır "
               "(varsayılan: instance.yaml intake.quiet_seconds, yoksa 0.5)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("intake", help="gelen kutularındaki gönderileri bir kez işle (kaydet ya da karantinaya al)")
    p.add_argument("--quiet", type=float, metavar="SN", help=_QUIET_HELP)
    add_json_flag(p)
    p.set_defaults(handler=cmd_intake)

    p = sub.add_parser("watch", help="gelen kutularını izle; bırakılan dosyaları hemen işle (Ctrl+C ile durur)")
    p.add_argument("--quiet", type=float, metavar="SN", help=_QUIET_HELP)
    add_json_flag(p)
    p.set_defaults(handler=cmd_watch)


@contextmanager
def _database_errors():
    """A broken or locked database is a user-facing error (exit 1), not a traceback."""
    try:
        yield
    except database_errors() as exc:
        from ..health import disk_full, is_disk_full
        if is_disk_full(exc):
            raise disk_full(exc, "gönderi alımı") from None
        where = ("PostgreSQL sunucusunu ve database_url'i" if not isinstance(exc, sqlite3.Error)
                 else "var/municms.sqlite3 dosyasını ve izinlerini")
        raise MunicmsError(f"Veritabanı kullanılamıyor: {exc}. {where} kontrol edin.",
                           f"database error: {exc}") from None


def _setup(args):
    from .context import open_context

    with _database_errors():
        ctx = open_context(args)
    for department in ctx.instance.departments:
        (ctx.paths.inbox / department).mkdir(parents=True, exist_ok=True)
    return ctx.instance, ctx.paths, ctx.ledger


def _quiet(args, instance) -> float:
    """Seconds an inbox entry must have stayed unchanged: --quiet, else instance.yaml (the same for both)."""
    return args.quiet if args.quiet is not None else instance.intake.quiet_seconds


def result_line(result) -> str:
    text = f"{result.department}/{result.name}: {_STATUS_TR.get(result.status, result.status)}"
    if result.number:
        text += f" — {result.number}" + (f" (sürüm {result.rev})" if result.rev and result.rev > 1 else "")
    if result.report:
        text += f"\n    rapor: {result.report}"
    text += "".join(f"\n    - {p.format_tr()}" for p in result.problems)
    return text


def cmd_intake(args: argparse.Namespace) -> int:
    from ..actions.intake import intake_all

    instance, paths, ledger = _setup(args)
    with _database_errors():
        results = intake_all(ledger, instance, paths, SystemClock(instance.tz), quiet=_quiet(args, instance))
    counts = {status: sum(r.status == status for r in results) for status in _STATUS_TR}
    summary = (f"{len(results) - counts['still_writing']} gönderi işlendi: {counts['registered']} kaydedildi, "
               f"{counts['resubmitted']} yeni sürüm, {counts['duplicate']} zaten kayıtlı, "
               f"{counts['quarantined']} karantinaya alındı.")
    if counts["still_writing"]:
        summary += (f"\n{counts['still_writing']} gönderi henüz yazıldığı için atlandı; bir sonraki geçişte "
                    "alınacak.")
    if counts["quarantined"]:
        summary += f"\nKarantinadaki dosyaların raporları: {paths.quarantine}/<birim>/<dosya>.hata.txt"
    if counts["failed"]:
        summary += f"\n{counts['failed']} dosya beklenmeyen bir hata yüzünden işlenemedi (ayrıntı günlükte)."
    text = "\n".join([result_line(r) for r in results if r.status != "skipped"] + [summary])
    emit(args, {"ok": not counts["failed"], "counts": counts, "results": [r.as_dict() for r in results]}, text)
    return 1 if counts["failed"] else 0


def cmd_watch(args: argparse.Namespace) -> int:
    from ..watcher import InboxWatcher

    instance, paths, ledger = _setup(args)
    stop = threading.Event()

    def on_result(result) -> None:
        if getattr(args, "json", False):
            print(json.dumps(result.as_dict(), ensure_ascii=False, default=str), flush=True)
        else:
            print(result_line(result), flush=True)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    if not getattr(args, "json", False):
        print(f"Gelen kutuları izleniyor: {paths.inbox} (durdurmak için Ctrl+C)", flush=True)
    with _database_errors():
        InboxWatcher(ledger, instance, paths, SystemClock(instance.tz), quiet=_quiet(args, instance),
                     on_result=on_result).run(stop)
    if not getattr(args, "json", False):
        print("İzleme durduruldu.", flush=True)
    return 0
