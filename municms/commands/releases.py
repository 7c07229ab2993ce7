"""CLI: list releases, roll back, print the nginx configuration for the deployed site."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import add_json_flag, emit
from ..config import load_instance
from ..paths import InstancePaths
from .identity import add_identity_flags, authenticate


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("releases", help="yayınları (sürümleri) listele")
    add_identity_flags(p, system=True)
    add_json_flag(p)
    p.set_defaults(handler=cmd_releases)

    p = sub.add_parser("rollback", help="siteyi önceki (ya da verilen) yayına geri al")
    p.add_argument("--to", metavar="ID", help="geri dönülecek yayın kimliği (varsayılan: bir önceki)")
    add_identity_flags(p, system=True)
    p.add_argument("--reason", metavar="METİN", help="geri alma gerekçesi (kayıt defterine yazılır)")
    add_json_flag(p)
    p.set_defaults(handler=cmd_rollback)

    p = sub.add_parser("nginx-config", help="yayındaki site için nginx yapılandırması üret")
    p.add_argument("--output", metavar="FILE", help="yazılacak dosya (varsayılan: ekrana)")
    p.add_argument("--port", type=int, default=80, help="dinlenecek bağlantı noktası (varsayılan 80)")
    p.add_argument("--listen", default="", metavar="ADDR", help="dinlenecek adres (ör. 127.0.0.1)")
    p.add_argument("--server-name", default="_", metavar="NAME", help="sunucu adı (ör. www.corum.bel.tr)")
    p.add_argument("--upstream", default="127.0.0.1:8000", metavar="HOST:PORT",
                   help="/yonetim/ isteklerinin gönderileceği 'publish.py serve' adresi (varsayılan 127.0.0.1:8000); "
                        "'s3' verilirse --from s3 ile aynıdır")
    p.add_argument("--from", dest="source", choices=("local", "s3"),
                   help="sitenin kaynağı: local = bu kurulumun var/current klasörü, s3 = instance.yaml'daki kovada "
                        "yayındaki sürüm (varsayılan: deploy.target s3 ise s3, değilse local)")
    p.add_argument("--standalone", metavar="PREFIX",
                   help="tek başına çalışan tam nginx.conf üret (nginx -p PREFIX -c PREFIX/nginx.conf)")
    p.set_defaults(handler=cmd_nginx_config)


def _row(release) -> str:
    mark = "*" if release.current else " "
    items = release.items
    shown = ", ".join(str(i.get("number", i.get("id", i)) if isinstance(i, dict) else i) for i in items[:5])
    more = f" (+{len(items) - 5})" if len(items) > 5 else ""
    note = f"  [geri alındı: {release.meta['rolled_back_at']}]" if release.meta.get("rolled_back_at") else ""
    return (f"{mark} {release.id}  {release.created_at or '-':25}  {release.published_by or '-':12}  "
            f"{len(items)} içerik{': ' + shown + more if items else ''}{note}")


def cmd_releases(args: argparse.Namespace) -> int:
    from ..deploy import get_target

    from .context import open_context

    with open_context(args) as ctx:
        authenticate(args, ctx)  # who published what is for staff, not for everyone with a shell
        releases = get_target(ctx.instance, ctx.paths).releases()
    text = "Henüz yayın yok." if not releases else "\n".join(
        ["  kimlik                     zaman                      yayınlayan    içerikler"]
        + [_row(r) for r in releases] + ["(* yayında olan)"])
    emit(args, {"ok": True, "releases": [r.as_dict() for r in releases]}, text)
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    from ..actions.rollback import rollback
    from .context import open_context

    with open_context(args) as ctx:
        release = rollback(ctx.ledger, ctx.instance, ctx.paths, ctx.clock, authenticate(args, ctx), to=args.to,
                           reason=args.reason)
    emit(args, {"ok": True, "current": release.as_dict()}, f"Site geri alındı; yayındaki sürüm: {release.id}")
    return 0


def cmd_nginx_config(args: argparse.Namespace) -> int:
    from ..nginx import prepare_prefix, server_block, standalone_conf

    from ..errors import ConfigError, Problem
    from ..nginx_s3 import Store, s3_server_block

    instance = load_instance(args.instance)
    root = InstancePaths(instance.root).current
    upstream, source = args.upstream, args.source
    if upstream == "s3":  # `--upstream s3`: the site from the bucket, the editorial app where it always is
        upstream, source = "127.0.0.1:8000", source or "s3"
    source = source or ("s3" if instance.deploy.target == "s3" else "local")
    store = None
    if source == "s3":
        if instance.deploy.target != "s3":
            raise ConfigError([Problem("deploy.target", "Site kovadan sunulamaz: instance.yaml'da 'deploy.target: "
                                       "s3' ve kova ayarları (bucket, endpoint_url) yok.",
                                       "nginx-config --from s3 needs deploy.target s3", None,
                                       str(instance.root / "instance.yaml"))])
        store = Store.of(instance.deploy)
    if args.standalone:
        prefix = Path(args.standalone).resolve()
        prepare_prefix(prefix)
        text = standalone_conf(prefix, root, args.port, args.listen or "127.0.0.1", upstream, store)
    elif store is not None:
        text = s3_server_block(store, args.port, args.listen, args.server_name, upstream)
    else:
        text = server_block(root, args.port, args.listen, args.server_name, upstream)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"nginx yapılandırması yazıldı: {args.output}")
    else:
        print(text, end="")
    return 0
