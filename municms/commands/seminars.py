"""CLI: the training seminars. `seminars list` and `seminars show REF` (where each stands, and the
registrations one may read), `seminars cancel REF --reason …`, and `seminars report --year Y`: the yearly
report of the activity report (faaliyet raporu) as a table, CSV (UTF-8 with BOM, `;`) or a landscape PDF;
editors, the director and administrators may run the report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import add_json_flag, emit
from ..actions.seminar_running import cancel_seminar
from ..actions.seminar_views import visible_registrations, visible_seminar, visible_seminars
from ..model import REGISTRATION_LABELS_TR
from ..seminars.facts import SeminarFacts
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


def _when(facts: SeminarFacts, tz) -> str:
    return format_moment(facts.start.astimezone(tz), "dd.MM.y HH:mm") if facts.start else "—"


def _places(facts: SeminarFacts) -> str:
    limit = str(facts.capacity) if facts.capacity is not None else "sınırsız"
    return f"{facts.confirmed}/{limit} kesin, {facts.waiting} yedek"


def _facts_json(facts: SeminarFacts) -> dict:
    notice = facts.notice
    return {"number": facts.item.number, "title": facts.item.title, "phase": facts.phase,
            "phase_label": facts.phase_label, "start": facts.start, "end": facts.end,
            "registration_deadline": facts.deadline, "capacity": facts.capacity, "confirmed": facts.confirmed,
            "waiting": facts.waiting, "remaining": facts.remaining, "staff_only": facts.staff_only,
            "cancel_reason": notice.cancel_reason, "earlier_dates": [list(p) for p in notice.postponed_from]}


def cmd_list(args: argparse.Namespace) -> int:
    ctx = open_context(args)
    with ctx:
        actor = authenticate(args, ctx)
        seminars = visible_seminars(ctx.ledger, actor, ctx.clock.now(), ctx.instance.tz)
    rows = [[f.item.number, _when(f, ctx.instance.tz), f.item.title, f.phase_label, _places(f)] for f in seminars]
    emit(args, [_facts_json(f) for f in seminars],
         table(["Kayıt no", "Başlangıç", "Başlık", "Durum", "Yer durumu"], rows) if rows else "Seminer yok.")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    ctx = open_context(args)
    with ctx:
        actor = authenticate(args, ctx)
        facts = visible_seminar(ctx.ledger, actor, args.ref, ctx.clock.now(), ctx.instance.tz)
        regs = visible_registrations(ctx.ledger, actor, facts.item)
    lines = [f"{facts.item.number}  {facts.item.title}", f"Başlangıç: {_when(facts, ctx.instance.tz)}",
             f"Durum: {facts.phase_label}", f"Yer durumu: {_places(facts)}"]
    if facts.notice.cancel_reason:
        lines.append(f"İptal gerekçesi: {facts.notice.cancel_reason}")
    rows = [[str(r.id), r.name or "(silindi)", r.department or "vatandaş", REGISTRATION_LABELS_TR[r.status],
             {True: "katıldı", False: "katılmadı", None: "—"}[r.attended]] for r in regs]
    if rows:
        lines += ["", table(["No", "Ad soyad", "Müdürlük", "Kayıt", "Katılım"], rows)]
    registrations = [{"id": r.id, "name": r.name, "department": r.department, "status": r.status,
                      "attended": r.attended} for r in regs]
    emit(args, {**_facts_json(facts), "registrations": registrations}, "\n".join(lines))
    return 0


def cmd_cancel(args: argparse.Namespace) -> int:
    ctx = open_context(args)
    with ctx:
        actor = authenticate(args, ctx)
        facts = visible_seminar(ctx.ledger, actor, args.ref, ctx.clock.now(), ctx.instance.tz)
        after = cancel_seminar(ctx.ledger, ctx.instance, ctx.paths, ctx.clock, actor, facts.item.id, args.reason)
    emit(args, _facts_json(after), f"{after.item.number} iptal edildi. Kayıtlı kişi: {after.confirmed + after.waiting} "
                                   "(e-posta adresi olanlara ileti kuyruğa alındı). Sayfa bir sonraki yayında "
                                   "güncellenir.")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    seminars = sub.add_parser("seminars", help="eğitim seminerleri: liste, ayrıntı, iptal, yıllık rapor")
    commands = seminars.add_subparsers(dest="seminars_command", metavar="KOMUT", parser_class=type(seminars))
    commands.required = True
    p = commands.add_parser("list", help="seminerler ve durumları (kontenjan, yedek liste, iptal)")
    add_identity_flags(p)
    add_json_flag(p)
    p.set_defaults(handler=cmd_list)
    p = commands.add_parser("show", help="bir seminer ve görme yetkiniz olan kayıtları")
    p.add_argument("ref", metavar="KAYIT_NO")
    add_identity_flags(p)
    add_json_flag(p)
    p.set_defaults(handler=cmd_show)
    p = commands.add_parser("cancel", help="semineri iptal et (gerekçe sitede ve e-postalarda görünür)")
    p.add_argument("ref", metavar="KAYIT_NO")
    p.add_argument("--reason", required=True, metavar="METİN", help="kamuya açık iptal gerekçesi")
    add_identity_flags(p)
    add_json_flag(p)
    p.set_defaults(handler=cmd_cancel)
    p = commands.add_parser("report", help="yılın seminer raporu (faaliyet raporu için): yapılan seminerler, "
                                           "saat, kayıt ve katılım")
    p.add_argument("--year", type=int, required=True, metavar="YIL", help="raporun yılı (ör. 2026)")
    p.add_argument("--format", choices=("text", "csv", "pdf"), default="text",
                   help="çıktı biçimi: metin tablo, CSV (UTF-8 BOM, ';' ayraçlı) ya da PDF (yatay A4)")
    p.add_argument("--output", metavar="DOSYA", help="çıktıyı bu dosyaya yaz (verilmezse standart çıktıya)")
    add_identity_flags(p)
    add_json_flag(p)
    p.set_defaults(handler=cmd_report)
