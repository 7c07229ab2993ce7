"""CLI: the editorial workflow (list, show, assign, review, approve, request-changes, reject, withdraw,
archive) and the register (defter)."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
from dataclasses import asdict
from pathlib import Path

from ..actions.visibility import visible_item, visible_items, visible_register
from ..auth import Actor
from ..cli import add_json_flag, emit
from ..config import Instance
from ..errors import Problem, ValidationError
from ..item_checks import event_details_tr
from ..kvkk import findings_text
from ..model import STATES, Item, state_label
from ..turkish import format_moment
from ..workflow import ACTION_LABELS_TR
from .context import Context, open_context
from .identity import add_identity_flags, authenticate


def _authenticated(args: argparse.Namespace) -> tuple[Context, Actor]:
    ctx = open_context(args)
    return ctx, authenticate(args, ctx)


def _day(value: dt.datetime | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def item_json(item: Item) -> dict:
    data = {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in asdict(item).items()}
    data["state_label"] = state_label(item.state)
    return data


def table(headers: list[str], rows: list[list[str]]) -> str:
    """An aligned plain-text table."""
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(line, widths)).rstrip() for line in [headers, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _short(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# ----------------------------------------------------------------------------------------------- list/show

def cmd_list(args: argparse.Namespace) -> int:
    ctx, actor = _authenticated(args)
    with ctx:
        items = visible_items(ctx.ledger, actor, state=args.state)
    rows = [[i.number, _day(i.created_at), i.department, _short(i.title), state_label(i.state), i.unit,
             i.assignee or ""] for i in items]
    text = table(["Kayıt No", "Tarih", "Müdürlük", "Konu", "Durum", "Birim", "Havale"], rows) if rows \
        else "Kayıt yok."
    emit(args, {"ok": True, "items": [item_json(i) for i in items]}, text)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    ctx, actor = _authenticated(args)
    with ctx:
        return _show(args, ctx, actor)


def _show(args: argparse.Namespace, ctx: Context, actor: Actor) -> int:
    from ..actions.request_changes import change_request_path

    instance, paths, ledger = ctx.instance, ctx.paths, ctx.ledger
    item = visible_item(ledger, actor, args.ref)
    revisions, events = ledger.revisions(item.id), ledger.events(item.id)
    approvals = ledger.approvals(item.id, item.current_rev)
    note_path = change_request_path(paths, item)
    note = note_path.read_text(encoding="utf-8") if note_path.is_file() else None
    lines = [f"{item.number}  {item.title}",
             f"  Tür: {item.tur}   Müdürlük: {instance.department_name(item.department)}   Birim: {item.unit}",
             f"  Durum: {state_label(item.state)}   Havale: {item.assignee or '-'}   Sürüm: {item.current_rev}"
             f"   Onaylayan: {', '.join(approvals) or '-'}",
             f"  Kayıt: {format_moment(item.created_at)}"
             + (f"   Kapanış: {format_moment(item.closed_at)}" if item.closed_at else "")]
    if item.publish_at:
        lines.append(f"  Yayın zamanı: {format_moment(item.publish_at)}")
    if item.public_reason:
        lines.append(f"  Kamuya açık gerekçe: {item.public_reason}")
    lines += ["", "Olaylar:"] + [
        f"  {format_moment(e.at, 'dd.MM.y HH:mm')}  {e.actor:<14} {ACTION_LABELS_TR.get(e.action, e.action):<18} "
        f"{state_label(e.from_state or '') or '-'} → {state_label(e.to_state or '')}"
        + (f"  ({e.reason})" if e.reason else "") + "".join("\n" + line for line in event_details_tr(e))
        + (f"\n      KVKK gerekçesi ({e.data.get('kvkk_bulgu')} açık bulgu): {e.data['kvkk_gerekce']}"
           if e.data.get("kvkk_gerekce") else "")
        for e in events]
    findings = ledger.kvkk_findings(item.id, item.current_rev)
    lines += ["", f"{item.current_rev}. sürüm — " + findings_text(findings)[0], *findings_text(findings)[1:]]
    if note:
        lines += ["", "Değişiklik isteği (müdürlüğe gönderilen not):", note.rstrip()]
    payload = {"ok": True, "item": item_json(item), "approvals": approvals, "change_request": note,
               "kvkk": [f.as_dict() for f in findings],
               "revisions": [{**asdict(r), "created_at": r.created_at.isoformat() if r.created_at else None}
                             for r in revisions],
               "events": [{**asdict(e), "at": e.at.isoformat()} for e in events]}
    emit(args, payload, "\n".join(lines))
    return 0


# ----------------------------------------------------------------------------------------------- actions

_DONE = {"assign": "havale edildi", "review": "incelemeye alındı", "approve": "onaylandı",
         "request-changes": "için değişiklik istendi", "reject": "reddedildi", "withdraw": "geri çekildi",
         "archive": "arşivlendi"}


def cmd_action(args: argparse.Namespace) -> int:
    from ..actions import approve, archive, assign, reject, request_changes, start_review, withdraw

    ctx, actor = _authenticated(args)
    instance, ledger, clock = ctx.instance, ctx.ledger, ctx.clock
    functions = {"review": start_review.start_review, "approve": approve.approve,
                 "request-changes": request_changes.request_changes, "reject": reject.reject,
                 "withdraw": withdraw.withdraw, "archive": archive.archive}
    if args.command == "assign":
        item = assign.assign(ledger, instance, args.ref, actor, clock, to=args.to, reason=args.reason)
    elif args.command == "approve":
        item = approve.approve(ledger, instance, args.ref, actor, clock, reason=args.reason,
                               kvkk_reason=args.kvkk_gerekce)
    else:
        item = functions[args.command](ledger, instance, args.ref, actor, clock, reason=args.reason)
    text = f"{item.number} {_DONE[args.command]}. Durum: {state_label(item.state)}."
    if args.command == "assign":
        text = f"{item.number} {item.assignee} kişisine havale edildi. Durum: {state_label(item.state)}."
    emit(args, {"ok": True, "item": item_json(item)}, text)
    return 0


# ----------------------------------------------------------------------------------------------- defter

DEFTER_HEADERS = ["Kayıt No", "Kayıt Tarihi", "Müdürlük", "Konu", "Havale Edilen", "Durum", "Kapanış Tarihi"]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tarih YYYY-AA-GG biçiminde olmalı: '{text}'") from None


def defter_rows(instance: Instance, items: list[Item]) -> list[list[str]]:
    return [[i.number, _day(i.created_at), instance.department_name(i.department), i.title, i.assignee or "",
             state_label(i.state), _day(i.closed_at)] for i in items]


def defter_csv(rows: list[list[str]]) -> bytes:
    """UTF-8 with BOM, semicolon-separated: what Excel with Turkish regional settings opens directly."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(DEFTER_HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def cmd_defter(args: argparse.Namespace) -> int:
    ctx, actor = _authenticated(args)
    instance, ledger = ctx.instance, ctx.ledger
    if args.date_from > args.date_to:
        raise ValidationError([Problem("--from", "Başlangıç tarihi bitiş tarihinden sonra olamaz.",
                                       "--from is after --to")], "Tarih aralığı geçersiz.", "invalid range")
    items = visible_register(ledger, actor, args.date_from, args.date_to)
    rows = defter_rows(instance, items)
    if args.format == "csv" and not getattr(args, "json", False):
        data = defter_csv(rows)
        if args.output:
            Path(args.output).write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        return 0
    title = (f"{instance.municipality.name} — Kayıt Defteri "
             f"({_day(dt.datetime.combine(args.date_from, dt.time()))} – "
             f"{_day(dt.datetime.combine(args.date_to, dt.time()))})")
    text = title + "\n\n" + (table(DEFTER_HEADERS, [[*r[:3], _short(r[3], 40), *r[4:]] for r in rows])
                             if rows else "Bu aralıkta kayıt yok.")
    payload = {"ok": True, "from": args.date_from.isoformat(), "to": args.date_to.isoformat(),
               "rows": [dict(zip(["number", "registered", "department", "title", "assignee", "state",
                                  "closed"], [i.number, i.created_at.isoformat(), instance.department_name(
                                      i.department), i.title, i.assignee, i.state,
                                      i.closed_at.isoformat() if i.closed_at else None]))
                        | {"state_label": state_label(i.state)} for i in items]}
    emit(args, payload, text)
    return 0


# ----------------------------------------------------------------------------------------------- parser

def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="kayıtları listele")
    p.add_argument("--state", choices=STATES, help="yalnız bu durumdakiler")
    add_identity_flags(p)
    add_json_flag(p)
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("show", help="bir kaydın ayrıntıları, sürümleri ve olayları")
    p.add_argument("ref", metavar="REF", help="kayıt numarası (BİM-2026-000123) ya da kimlik")
    add_identity_flags(p)
    add_json_flag(p)
    p.set_defaults(handler=cmd_show)

    helps = {"assign": "kaydı bir editöre havale et (müdür)", "review": "havale edilen kaydı incelemeye al",
             "approve": "onayla (dört göz ilkesi)", "request-changes": "müdürlükten değişiklik iste (gerekçeli)",
             "reject": "reddet (gerekçeli)", "withdraw": "geri çek (yayındaysa kamuya açık gerekçe zorunlu)",
             "archive": "arşivle"}
    for name, text in helps.items():
        p = sub.add_parser(name, help=text)
        p.add_argument("ref", metavar="REF")
        add_identity_flags(p)
        if name == "assign":
            p.add_argument("--to", metavar="LOGIN", required=True, help="havale edilecek editör")
        p.add_argument("--reason", metavar="TEXT", help="gerekçe")
        if name == "approve":
            p.add_argument("--kvkk-gerekce", metavar="TEXT",
                           help="açık kişisel veri (KVKK) bulgularına rağmen onaylamanın gerekçesi")
        add_json_flag(p)
        p.set_defaults(handler=cmd_action)

    p = sub.add_parser("defter", help="kayıt (zimmet) defterini yazdır")
    p.add_argument("--from", dest="date_from", type=_date, required=True, metavar="YYYY-AA-GG")
    p.add_argument("--to", dest="date_to", type=_date, required=True, metavar="YYYY-AA-GG")
    p.add_argument("--format", choices=("text", "csv"), default="text")
    p.add_argument("--output", metavar="FILE", help="CSV'yi bu dosyaya yaz")
    add_identity_flags(p)
    add_json_flag(p)
    p.set_defaults(handler=cmd_defter)
