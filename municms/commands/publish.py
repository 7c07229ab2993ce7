"""CLI: publish what is due now (materialise, build, check, deploy, mark published)."""

from __future__ import annotations

import argparse

from ..cli import add_json_flag, emit
from .context import open_context
from .identity import add_identity_flags, authenticate


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("publish", help="zamanı gelen içerikleri yayımla (derle, denetle, yayına al)")
    add_identity_flags(p, system=True)
    p.add_argument("--reason", metavar="METİN", help="gerekçe (müdürün elle yayımlaması için zorunlu)")
    add_json_flag(p)
    p.set_defaults(handler=cmd_publish)


def cmd_publish(args: argparse.Namespace) -> int:
    from ..actions.expire import expire_due, schedule_waiting
    from ..actions.publish import publish

    with open_context(args) as ctx:
        actor = authenticate(args, ctx)  # before anything changes: a refused actor changes nothing
        scheduled = [item.number for item in schedule_waiting(ctx.ledger, ctx.instance, ctx.clock)]
        expired = [item.number for item in expire_due(ctx.ledger, ctx.instance, ctx.clock)]
        result = publish(ctx.ledger, ctx.instance, ctx.paths, ctx.clock, actor=actor, reason=args.reason)
    lines = [f"Yayın {result.release_id} yayında ({result.seconds:.1f} sn)."]
    lines.append(f"  Yayımlanan: {', '.join(result.items)}" if result.items else "  Yeni yayımlanan içerik yok.")
    for number, why in result.held.items():  # its page failed a check: left out, the rest went live
        where = f"sayfa {why['page']}, " if why["page"] else ""
        lines.append(f"  Alıkonulan: {number} ({where}kural '{why['rule']}'): {why['message']}")
    if result.still_held:
        lines.append(f"  Alıkonulmuş, değişene kadar denenmeyecek: {', '.join(result.still_held)}")
    if expired:
        lines.append(f"  Süresi dolan: {', '.join(expired)}")
    if scheduled:
        lines.append(f"  Zamanlanan: {', '.join(scheduled)}")
    emit(args, {**result.as_dict(), "expired": expired, "scheduled": scheduled}, "\n".join(lines))
    return 0
