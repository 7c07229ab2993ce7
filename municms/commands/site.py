"""CLI: build, check and serve the public site."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import add_json_flag, emit
from ..config import load_instance
from ..paths import InstancePaths


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="siteyi Pelican ile oluştur")
    p.add_argument("--output", metavar="DIR", help="çıktı klasörü (varsayılan var/build/<id>/)")
    p.add_argument("--full", action="store_true", help="tam derleme (şimdilik her derleme tamdır)")
    p.add_argument("--no-check", action="store_true", help="bağlantı ve zorunlu sayfa denetimlerini atla")
    add_json_flag(p)
    p.set_defaults(handler=cmd_build)

    p = sub.add_parser("check", help="instance.yaml ve pelicanconf.py ayarlarını denetle")
    add_json_flag(p)
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("serve", help="oluşturulmuş siteyi yerelde yayınla")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--dir", metavar="DIR", help="yayınlanacak klasör (varsayılan: son yayın ya da son derleme)")
    p.set_defaults(handler=cmd_serve)


def cmd_build(args: argparse.Namespace) -> int:
    from ..build import build_site

    instance = load_instance(args.instance)
    result = build_site(instance, Path(args.output).resolve() if args.output else None, check=not args.no_check)
    emit(args, {"ok": True, "build_id": result.build_id, "output": str(result.output),
                "seconds": round(result.seconds, 3), "articles": result.articles, "pages": result.pages,
                "files": result.files, "warnings": result.warnings},
         f"Site oluşturuldu: {result.output}\n"
         f"  {result.articles} içerik, {result.pages} sayfa, {result.files} dosya, {result.seconds:.1f} sn")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    import datetime as dt

    from ..build import pelican_settings

    instance = load_instance(args.instance)
    paths = InstancePaths(instance.root)
    pelican_settings(instance, paths.builds / "check", "check", dt.datetime.now(instance.tz))  # checks
    emit(args, {"ok": True}, "Yapılandırma geçerli (instance.yaml, pelicanconf.py).")
    return 0


def latest_site_dir(paths: InstancePaths) -> Path | None:
    """The deployed release if there is one, else the newest build."""
    if paths.current.exists():
        return paths.current
    builds = sorted(p for p in paths.builds.glob("*") if p.is_dir() and not p.name.startswith("."))
    return builds[-1] if builds else None


def cmd_serve(args: argparse.Namespace) -> int:
    from ..serve import serve_directory

    instance = load_instance(args.instance)
    paths = InstancePaths(instance.root)
    site_dir = Path(args.dir) if args.dir else latest_site_dir(paths)
    if site_dir is None:
        from ..build import build_site
        site_dir = build_site(instance).output
    serve_directory(site_dir, args.host, args.port)
    return 0
