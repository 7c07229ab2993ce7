"""Demo instance only: one upcoming citizens' seminar with online registration, so `make run` shows the
registration form. It goes the way every seminar goes: dropped into Bilgi İşlem's inbox and registered by
intake, assigned by the director, reviewed by one Eğitim editor and approved by another (the demo logins,
with their real passwords); the scheduler inside `serve` publishes it. Nothing is done while an earlier
demo seminar is still upcoming.

    .venv/bin/python scripts/demo_seminar.py --password-stdin < password
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from municms.actions.approve import approve  # noqa: E402
from municms.actions.assign import assign  # noqa: E402
from municms.actions.intake import intake_file  # noqa: E402
from municms.actions.start_review import start_review  # noqa: E402
from municms.auth import login_with_password  # noqa: E402
from municms.clock import SystemClock  # noqa: E402
from municms.config import load_instance  # noqa: E402
from municms.ledger import open_ledger  # noqa: E402
from municms.paths import InstancePaths  # noqa: E402
from municms.seminars.facts import HELD, CANCELLED, facts_of  # noqa: E402

TITLE = "Dijital Okuryazarlık ve Güvenli İnternet Semineri"
BODY = """Bilgi İşlem Müdürlüğümüz, internet ve akıllı telefon kullanımında kendini geliştirmek isteyen
vatandaşlarımız için uygulamalı bir seminer düzenliyor.

## Seminerde neler anlatılacak?

- Güçlü parola ve iki adımlı doğrulama
- Sahte mesaj ve sitelerin nasıl ayırt edileceği
- e-Devlet ve e-Belediye hizmetlerinin güvenle kullanılması

Kayıt bu sayfadaki formla yapılır; kontenjan dolduğunda yedek listeye alınırsınız.
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--password-stdin", action="store_true", help="the demo logins' password on stdin")
    args = parser.parse_args()
    password = sys.stdin.readline().strip() if args.password_stdin else "corum-demo-2026"
    instance, paths, clock = load_instance(ROOT), InstancePaths(ROOT), SystemClock()
    ledger = open_ledger(paths.database)
    now = clock.now()
    for item in ledger.items():
        if item.tur == "seminer" and item.title == TITLE and \
                facts_of(ledger, item, now, instance.tz).phase not in (HELD, CANCELLED):
            print(f"Tanıtım semineri zaten var: {item.number}")
            return 0
    day = (now + dt.timedelta(days=21)).date()
    front = {"tur": "seminer", "baslik": TITLE, "egitmen": "Onur Çelikkol", "yer": "Bilgi İşlem Eğitim Salonu",
             "baslangic": f"{day} 14:00", "bitis": f"{day} 16:00", "kontenjan": 30,
             "hedef_kitle": ["vatandaş"], "kayit_son": str(day - dt.timedelta(days=2)),
             "ozet": "Güvenli parola, sahte mesajlar ve e-Devlet: uygulamalı ücretsiz seminer."}
    inbox = paths.inbox / "bilgi-islem"
    inbox.mkdir(parents=True, exist_ok=True)
    dropped = inbox / f"tanitim-semineri-{day}.md"
    dropped.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + BODY,
                       encoding="utf-8")
    result = intake_file(ledger, instance, paths, dropped, clock)
    if result.status != "registered":
        print(f"Tanıtım semineri kaydedilemedi: {[p.message_tr for p in result.problems]}", file=sys.stderr)
        return 1
    people = {login: login_with_password(ledger, login, password, clock) for login in ("mudur", "egitim1", "egitim2")}
    assign(ledger, instance, result.number, people["mudur"], clock, to="egitim1")
    start_review(ledger, instance, result.number, people["egitim1"], clock)
    approve(ledger, instance, result.number, people["egitim2"], clock)
    print(f"Tanıtım semineri onaylandı: {result.number} «{TITLE}» ({day}); zamanlayıcı yayımlayacak.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
