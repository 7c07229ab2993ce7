"""The editor's queue and the register at scale: a ledger of N items registered by the real intake, then pages
of the queue (scope, filters, Turkish search, keyset pages) and the register read as staff read them.

    .venv/bin/python bench/editorial_queue.py [--items 20000] [--rounds 200]

Prints p50/p95/max milliseconds per query kind (target for the editorial app: p95 ≤ 100 ms at 20,000 items).
Every query goes through municms.actions.visibility with a logged-in actor, as the app's screens do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.intake import generate  # noqa: E402
from municms import auth  # noqa: E402
from municms.actions.intake import intake_all  # noqa: E402
from municms.actions.users import add_user, init_first_user  # noqa: E402
from municms.actions.visibility import find_visible, visible_register  # noqa: E402
from municms.clock import SystemClock  # noqa: E402
from municms.config import load_instance  # noqa: E402
from municms.ledger import open_ledger  # noqa: E402
from municms.paths import InstancePaths  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "bench-parola-2026"


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"p50 {statistics.median(ordered) * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms  max {ordered[-1] * 1000:6.1f} ms"


def timed(rounds: int, query) -> list[float]:
    samples = []
    for n in range(rounds):
        started = time.perf_counter()
        query(n)
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="municms-bench-queue-") as temp:
        root = Path(temp) / "instance"
        root.mkdir()
        shutil.copy2(REPO / "instance.yaml", root / "instance.yaml")
        instance, paths = load_instance(root), InstancePaths(root)
        clock = SystemClock(instance.tz)
        ledger = open_ledger(paths.database)
        generate(paths.inbox, args.items)
        started = time.perf_counter()
        results = intake_all(ledger, instance, paths, clock)
        registered = sum(r.status == "registered" for r in results)
        print(f"ledger: {registered} items registered by intake in {time.perf_counter() - started:.1f} s")
        init_first_user(ledger, instance, "yonetici", PASSWORD, clock)
        admin = auth.login_with_password(ledger, "yonetici", PASSWORD, clock)
        add_user(ledger, instance, "web1", "editor", PASSWORD, admin, clock, unit="web")
        add_user(ledger, instance, "fen", "birim", PASSWORD, admin, clock, department="fen-isleri")
        editor = auth.login_with_password(ledger, "web1", PASSWORD, clock)
        department = auth.login_with_password(ledger, "fen", PASSWORD, clock)
        first = find_visible(ledger, editor, limit=50)
        keys = [(i.year, i.seq) for i in find_visible(ledger, editor, limit=args.items)][::50]
        today = dt.date.today()
        queries = {
            "unit queue, first page (50)": lambda n: find_visible(ledger, editor, limit=50, newest_first=True),
            "unit queue, page n (keyset)": lambda n: find_visible(ledger, editor, limit=50,
                                                                after=keys[n % len(keys)]),
            "unit queue, state filter": lambda n: find_visible(ledger, editor, states=("registered",), limit=50),
            "unit queue, search 'ISIKLI 1'": lambda n: find_visible(ledger, editor, text="IŞIKLI Çarşı Duyurusu 1",
                                                                   limit=50),
            "department's items (50)": lambda n: find_visible(ledger, department, limit=50, newest_first=True),
            "register, one month, page (100)": lambda n: find_visible(ledger, editor, since=today.replace(day=1),
                                                                     until=today, limit=100),
            "register, one month, all (CSV)": lambda n: visible_register(ledger, editor, today.replace(day=1),
                                                                         today),
        }
        assert len(first) == 50
        print(f"{args.items} items, {args.rounds} rounds each, one process, 2 cores:")
        for name, query in queries.items():
            rounds = args.rounds if "all" not in name else max(5, args.rounds // 20)  # a whole export is rare
            print(f"  {name:34} {percentiles(timed(rounds, query))}")
        ledger.close()


if __name__ == "__main__":
    main()
