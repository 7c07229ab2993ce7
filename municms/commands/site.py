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
    p.add_argument("--full", action="store_true",
                   help="son yayının anına göre sıfırdan tam derleme yap ve artımlı yayının dosyalarıyla tek tek "
                        "karşılaştır; fark varsa bildir (çıkış kodu 1) ve sonraki yayında her sayfayı yeniden üret")
    p.add_argument("--no-check", action="store_true", help="bağlantı ve zorunlu sayfa denetimlerini atla")
    add_json_flag(p)
    p.set_defaults(handler=cmd_build)

    p = sub.add_parser("check", help="instance.yaml ve pelicanconf.py ayarlarını denetle; --site ile yayımlanmış "
                                     "sitenin uyum raporunu ver")
    p.add_argument("--site", nargs="?", const="", metavar="DIR",
                   help="yapılandırma yerine derlenmiş siteyi denetle: zorunlu sayfalar, alt bilgi bağlantıları, "
                        "iletişim bilgileri ve KEP adresi, bağlantılar ve ekler, erişilebilirlik beyanının tarihi "
                        "(varsayılan klasör: yayındaki sürüm, var/current)")
    add_json_flag(p)
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("serve", help="siteyi, /yonetim/ yönetim panelini, zamanlayıcıyı ve izleyiciyi çalıştır")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--dir", metavar="DIR", help="yayınlanacak klasör (varsayılan: son yayın ya da son derleme)")
    p.add_argument("--no-scheduler", action="store_true",
                   help="zamanlayıcıyı ve gelen kutusu izleyicisini başlatma (yalnız siteyi sun)")
    p.add_argument("--workers", type=_count, metavar="N",
                   help="istekleri yanıtlayan işlem sayısı (varsayılan: instance.yaml'da serve.workers; "
                        "0 = işlemci çekirdeği başına bir, en çok 4)")
    p.set_defaults(handler=cmd_serve)


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' bir sayı değil (0 ya da daha büyük bir tam sayı yazın)")
    return int(text)


def cmd_build(args: argparse.Namespace) -> int:
    from ..build import build_site

    instance = load_instance(args.instance)
    if args.full:
        return _compare_full(args, instance)
    result = build_site(instance, Path(args.output).resolve() if args.output else None, check=not args.no_check)
    emit(args, {"ok": True, "build_id": result.build_id, "output": str(result.output),
                "seconds": round(result.seconds, 3), "articles": result.articles, "pages": result.pages,
                "files": result.files, "warnings": result.warnings},
         f"Site oluşturuldu: {result.output}\n"
         f"  {result.articles} içerik, {result.pages} sayfa, {result.files} dosya, {result.seconds:.1f} sn")
    return 0


def _compare_full(args: argparse.Namespace, instance) -> int:
    from ..incremental.compare import compare_with_full_build

    result = compare_with_full_build(instance, InstancePaths(instance.root))
    if result.built_at is None:
        text = "Henüz artımlı bir yayın yok; karşılaştırılacak bir şey yok."
    elif result.same:
        text = (f"Tam derleme ({result.files} dosya) artımlı yayının {result.built_at} anındaki dosyalarıyla "
                f"birebir aynı ({result.seconds:.1f} sn).")
    else:
        rows = ([f"  farklı: {rel}" for rel in result.differing] + [f"  yalnız tam derlemede: {rel}" for rel in
                result.only_full] + [f"  yalnız artımlı yayında: {rel}" for rel in result.only_incremental])
        text = ("Tam derleme artımlı yayından farklı; sonraki yayında her sayfa yeniden üretilecek:\n"
                + "\n".join(rows[:200]) + (f"\n  … ve {len(rows) - 200} dosya daha" if len(rows) > 200 else ""))
    emit(args, result.as_dict(), text)
    return 0 if result.same else 1


def cmd_check(args: argparse.Namespace) -> int:
    import datetime as dt

    from ..build import pelican_settings

    instance = load_instance(args.instance)
    paths = InstancePaths(instance.root)
    if args.site is not None:
        return _check_site(args, instance, paths)
    pelican_settings(instance, paths.builds / "check", "check", dt.datetime.now(instance.tz))  # checks
    emit(args, {"ok": True}, "Yapılandırma geçerli (instance.yaml, pelicanconf.py).")
    return 0


def _check_site(args: argparse.Namespace, instance, paths: InstancePaths) -> int:
    """The compliance report of a built folder: exit 0 when it has no finding, 1 with each finding."""
    import datetime as dt
    from contextlib import nullcontext

    from ..compliance_report import audit_site
    from ..errors import NotFound
    from ..live_site import live_site

    with nullcontext(Path(args.site).resolve()) if args.site else live_site(instance, paths) as folder:
        if not folder.is_dir():
            where = f"'{args.site}' klasörü" if args.site else "Yayında bir sürüm (var/current)"
            raise NotFound(f"{where} bulunamadı; denetlenecek site yok. Önce yayımlayın ya da derlenmiş bir "
                           "klasör verin: publish.py check --site KLASÖR", f"no site folder at {folder}")
        report = audit_site(folder, instance, dt.datetime.now(instance.tz))
    emit(args, report.as_dict(), report.text())
    return 0 if report.clean else 1


def latest_site_dir(paths: InstancePaths) -> Path | None:
    """The deployed release if there is one, else the newest build."""
    if paths.current.exists():
        return paths.current
    builds = sorted(p for p in paths.builds.glob("*") if p.is_dir() and not p.name.startswith("."))
    return builds[-1] if builds else None


def cmd_serve(args: argparse.Namespace) -> int:
    """The site at /, the editorial app at /yonetim/ (in N worker processes), the scheduler and the inbox
    watcher (once, in this process)."""
    from ..serve_workers import SiteChoice, serve_in_process, serve_with_workers, worker_count
    from ..web import create_app

    instance = load_instance(args.instance)
    paths = InstancePaths(instance.root)
    if not args.dir:  # a corrupt or lost ledger stops here (exit 1); warnings are printed and serve starts
        from ..health import guard
        guard(instance, paths, full=True)
    workers = worker_count(instance.serve.workers if args.workers is None else args.workers)
    # Serving a given folder is just a file server; otherwise the scheduler and the inbox watcher run too.
    background = None if (args.no_scheduler or args.dir) else start_background(instance, paths)
    try:
        if args.dir:
            site = SiteChoice(Path(args.dir).resolve())
        else:
            fallback = latest_site_dir(paths)
            if fallback is None:
                from ..build import build_site
                fallback = build_site(instance).output
            # var/current once a release exists (also one deployed after start), resolved per request
            site = SiteChoice(fallback, paths.current)
        if workers == 1:
            serve_in_process(site, create_app(instance), args.host, args.port)
        else:
            serve_with_workers(instance.root, site, args.host, args.port, workers)
    finally:
        if background is not None:
            background.stop()
    return 0


class _Background:
    """The scheduler thread and the inbox watcher thread that run next to the web server."""

    def __init__(self, scheduler, stop_watch, watch_thread, nightly=None, backup=None):
        self.scheduler, self.stop_watch, self.watch_thread, self.nightly = scheduler, stop_watch, watch_thread, nightly
        self.backup = backup

    def stop(self) -> None:
        self.stop_watch.set()
        self.scheduler.stop()
        if self.nightly is not None:
            self.nightly.stop()
        if self.backup is not None:
            self.backup.stop()
        self.watch_thread.join(timeout=10)


def start_background(instance, paths: InstancePaths) -> _Background:
    """Publish what is due (first pass before serving, so a fresh instance is deployed), then keep going."""
    import threading

    from ..backup.schedule import DailyBackup
    from ..clock import SystemClock
    from ..incremental.nightly import NightlyFullBuild
    from ..db import ledger_target
    from ..ledger import open_ledger
    from ..scheduler import Scheduler
    from ..watcher import InboxWatcher

    ledger = open_ledger(ledger_target(instance, paths))
    clock = SystemClock(instance.tz)
    scheduler = Scheduler(ledger, instance, paths, clock)
    scheduler.run_once()
    scheduler.start()
    stop_watch = threading.Event()
    watcher = InboxWatcher(ledger, instance, paths, clock, quiet=instance.intake.quiet_seconds)
    watch_thread = threading.Thread(target=watcher.run, args=(stop_watch,), name="municms-watcher", daemon=True)
    watch_thread.start()
    at = instance.serve.full_rebuild_time()
    # on PostgreSQL only the host whose scheduler leads runs them, as only it publishes
    nightly = NightlyFullBuild(instance, paths, clock, at, scheduler.leadership).start() if at else None
    daily = instance.backup.daily_time()
    backup = DailyBackup(instance, paths, clock, daily, scheduler.leadership).start() if daily else None
    return _Background(scheduler, stop_watch, watch_thread, nightly, backup)
