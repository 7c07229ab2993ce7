"""CLI: `publish.py doctor`, the start-up checks on demand (what serve checks before it starts)."""

from __future__ import annotations

import argparse

from ..cli import add_json_flag, emit
from ..config import load_instance
from ..paths import InstancePaths


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("doctor", help="kurulumu denetle: kayıt veritabanının bütünlüğü, yayındaki sürüm (var/current), "
                                      "yarım kalmış yayınlar, kalmış kilitler ve alım işleri; ne yapılacağını söyler, "
                                      "hiçbir dosyayı değiştirmez (hata varsa çıkış kodu 1)")
    add_json_flag(p)
    p.set_defaults(handler=cmd_doctor)


def cmd_doctor(args: argparse.Namespace) -> int:
    from ..health import check_instance

    instance = load_instance(args.instance)
    from ..health.register_bucket import check_register_bucket

    findings = check_instance(instance, InstancePaths(instance.root), full=True)
    if not any(f.level == "hata" for f in findings):  # the ledger is whole: it can say which objects it names
        findings += check_register_bucket(instance, InstancePaths(instance.root))
    errors = [f for f in findings if f.level == "hata"]
    text = "\n".join(f.text() for f in findings) if findings else "Kurulum sağlıklı: bir sorun bulunmadı."
    emit(args, {"ok": not errors, "findings": [f.as_dict() for f in findings]}, text)
    return 1 if errors else 0
