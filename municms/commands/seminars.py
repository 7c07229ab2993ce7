"""CLI: the training seminars. `seminars report --year Y` prints the yearly report of the activity report
(faaliyet raporu) as a table, CSV (UTF-8 with BOM, `;`) or a landscape PDF; editors, the director and
administrators may run it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import add_json_flag, emit
from ..seminars.report import SeminarReport, report_json, seminar_report
from ..seminars.report_output import (CANCELLED_GROUP, HEADERS, HELD_HEADERS, NOT_YET_GROUP, held_rows,
                                      report_csv, report_pdf, report_rows, report_title)
from ..turkish import format_moment
from .context import open_context
from .identity import add_identity_flags, authenticate
from .workflow import table


def report_text(report: SeminarReport, tz) -> str:
    """The report as a readable plain-text table."""
    total = report.total
    lines = [report_title(report),
             f"Hazırlanma: {format_moment(report.made_at.astimezone(tz), 'd MMMM y HH:mm')} (yalnız kayıt "
             "defterindeki kesin kayıtlardan ve işlenen katılımdan)", "",
             f"Yapılan seminer: {total.seminars}   Saat: {total.hours_tr}   Kesin kayıt: {total.confirmed}   "
             f"Katılan: {total.attended}   Katılım oranı: {total.rate_tr}"]
    rows = report_rows(report)
    summary = [row for row in rows if row[0] not in (CANCELLED_GROUP, NOT_YET_GROUP)]
    lines += ["", table(HEADERS, summary)]
    lines += ["", f"İptal edilen ya da yapılmadan geri çekilen seminer: {report.cancelled.seminars} "
                  f"(planlanan {report.cancelled.hours_tr} saat, {report.cancelled.confirmed} kesin kayıt)",
              f"Bu yıl henüz yapılmamış seminer: {report.not_yet_held.seminars}"]
    if report.held:
        lines += ["", "Yapılan seminerler:", table(HELD_HEADERS, held_rows(report, tz))]
    else:
        lines += ["", f"{report.year} yılında yapılmış seminer kaydı yok."]
    return "\n".join(lines)


def _write(data: bytes, output: str | None) -> None:
    if output:
        Path(output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def cmd_report(args: argparse.Namespace) -> int:
    ctx = open_context(args)
    with ctx:
        actor = authenticate(args, ctx)
        report = seminar_report(ctx.ledger, ctx.instance, ctx.clock, actor, args.year)
    tz = ctx.instance.tz
    if getattr(args, "json", False):
        emit(args, report_json(report), "")
    elif args.format == "csv":
        _write(report_csv(report), args.output)
    elif args.format == "pdf":
        _write(report_pdf(report, tz), args.output)
    elif args.output:
        Path(args.output).write_text(report_text(report, tz) + "\n", encoding="utf-8")
    else:
        print(report_text(report, tz))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    seminars = sub.add_parser("seminars", help="eğitim seminerleri (yıllık rapor)")
    commands = seminars.add_subparsers(dest="seminars_command", metavar="KOMUT", parser_class=type(seminars))
    commands.required = True
    p = commands.add_parser("report", help="yılın seminer raporu (faaliyet raporu için): yapılan seminerler, "
                                           "saat, kayıt ve katılım")
    p.add_argument("--year", type=int, required=True, metavar="YIL", help="raporun yılı (ör. 2026)")
    p.add_argument("--format", choices=("text", "csv", "pdf"), default="text",
                   help="çıktı biçimi: metin tablo, CSV (UTF-8 BOM, ';' ayraçlı) ya da PDF (yatay A4)")
    p.add_argument("--output", metavar="DOSYA", help="çıktıyı bu dosyaya yaz (verilmezse standart çıktıya)")
    add_identity_flags(p)
    add_json_flag(p)
    p.set_defaults(handler=cmd_report)
