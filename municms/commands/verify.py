"""CLI: `verify` — the publication register's chain, its live export and the live files; `verify --page FILE`."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ..cli import add_json_flag, emit
from ..errors import NotFound
from ..turkish import format_moment


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("verify", help="yayın kaydını (zinciri, yayındaki dışa aktarımı ve dosyaları) doğrula")
    p.add_argument("--page", metavar="DOSYA",
                   help="kaydedilmiş bir sayfa: bizim yayımladığımız bir sayfa mı, hangi adreste, ne zaman")
    p.add_argument("--site", metavar="KLASÖR",
                   help="doğrulanacak site klasörü (varsayılan: yayındaki sürüm, var/current ya da s3 hedefinde "
                        "kovadaki canlı sürüm; rsync ile yayında olanın bir kopyası verilebilir)")
    add_json_flag(p)
    p.set_defaults(handler=cmd_verify)


def _moment(value: str | None) -> str:
    return format_moment(dt.datetime.fromisoformat(value), "d MMMM y HH:mm") if value else ""


def cmd_verify(args: argparse.Namespace) -> int:
    from ..register.verify import verify_page, verify_site
    from .context import open_context

    with open_context(args) as ctx:
        rows = ctx.ledger.register_records()
        if args.page:
            page = Path(args.page)
            if not page.is_file():
                raise NotFound(f"Sayfa dosyası bulunamadı: {page}", f"page file {page} missing")
            return _report_page(args, verify_page(rows, page.read_bytes(), ctx.paths.releases))
        if args.site:
            report = verify_site(rows, Path(args.site))
        else:
            from ..live_site import live_site

            with live_site(ctx.instance, ctx.paths) as folder:
                report = verify_site(rows, folder)
    if report.ok:
        text = (f"Yayın kaydı doğrulandı: {report.records} kayıt, zincir sağlam; yayındaki {report.files} dosya son "
                f"kayıtla aynı (sürüm {report.release or '-'}).")
    else:
        text = "\n".join([f"Yayın kaydı doğrulanamadı: {len(report.findings)} sorun bulundu."]
                         + [f"  - {finding.message_tr}" for finding in report.findings])
    emit(args, report.as_dict(), text)
    return 0 if report.ok else 1


def _report_page(args: argparse.Namespace, found: dict) -> int:
    if found["match"] is None:
        text = ("Bu sayfa bizim yayımladığımız hiçbir dosyayla aynı değil (SHA-256 " + found["sha256"] + "). Sayfa "
                "değiştirilmiş ya da tarayıcı «tam sayfa» olarak kaydederken yeniden yazmış olabilir.")
        emit(args, {"ok": False, **found}, text)
        return 1
    how = "bayt bayt aynı" if found["match"] == "exact" else "sunucunun eklediği acil duyuru çıkarıldığında aynı"
    lines = [f"Bu sayfa bizim yayımladığımız bir sayfa ({how})."]
    for span in found["spans"]:
        until = (f"{_moment(span['until'])} tarihine kadar yayında kaldı (sürüm {span['until_release']} ile "
                 "değişti ya da kaldırıldı)") if span["until"] else "hâlâ yayında"
        lines.append(f"  - {span['url']}: {_moment(span['since'])} tarihinden (sürüm {span['since_release']}) {until}.")
    emit(args, {"ok": True, **found}, "\n".join(lines))
    return 0
