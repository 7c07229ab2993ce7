"""The editor's queue and the register at scale: a ledger of N items registered by the real intake, then pages
of the queue (scope, filters, Turkish search, keyset pages) and the register read as staff read them.

    .venv/bin/python bench/editorial_queue.py [--items 20000] [--rounds 200] [--clients 20 --seconds 30]
                                              [--workers N]

Prints p50/p95/max milliseconds per query kind (target for the editorial app: p95 ≤ 100 ms at 20,000 items).
Every query goes through municms.actions.visibility with a logged-in actor, as the app's screens do. Then
(unless --clients 0) the same instance is served by `publish.py serve` itself (its worker processes: --workers,
default serve's own) and N concurrent clients, each logged in through the login form or holding a personal
token, load the editor's unit queue screen (first page, a search, later pages), the director's register screen
(first and later pages) and the JSON API's item list for the given seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import logging
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.intake import generate  # noqa: E402
from municms import auth  # noqa: E402
from municms.actions.intake import intake_all  # noqa: E402
from municms.actions.users import add_user, init_first_user, issue_token  # noqa: E402
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
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=None, help="serve --workers (default: serve's own)")
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
        add_user(ledger, instance, "mudur1", "mudur", PASSWORD, admin, clock)
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
        token = issue_token(ledger, "web1", editor, clock)
        ledger.close()
        if args.clients:
            del results, first
            gc.collect()
            gc.freeze()   # the client threads' latencies must not include full collections of this process's heap
            http_load(root, keys, token, args.clients, args.seconds, args.workers)


def _serve(root: Path, port: int, workers: int | None) -> subprocess.Popen:
    """`publish.py serve` of the instance (an empty site folder: the site is not what is measured here)."""
    site = root / "bos-site"
    site.mkdir()
    command = [sys.executable, str(REPO / "publish.py"), "--instance", str(root), "serve", "--host", "127.0.0.1",
               "--port", str(port), "--dir", str(site)] + (["--workers", str(workers)] if workers else [])
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    server.stdout.readline()  # printed once the port is bound
    return server


def _login(base: str, login: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    form = client.get("/yonetim/giris").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    answer = client.post("/yonetim/giris", data={"kullanici": login, "parola": PASSWORD, "csrf_token": token})
    assert answer.status_code in (200, 303), answer.status_code
    return client


KINDS = {"screen": "unit queue screen (HTML)", "register": "director's register (HTML)",
         "api": "API GET /items?limit=50"}
MIX = ("screen", "screen", "screen", "register", "api")   # what each client asks for, in turn


def http_load(root: Path, keys: list, token: str, clients: int, seconds: float, workers: int | None) -> None:
    """`clients` threads for `seconds`: each request's latency, and every answer that is not 200 as an error."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = _serve(root, port, workers)
    base = f"http://127.0.0.1:{port}"
    try:
        logged_in = {"screen": [_login(base, "web1") for _ in range(clients)],
                     "register": [_login(base, "mudur1") for _ in range(clients)],
                     "api": [httpx.Client(base_url=base, timeout=30, headers={"Authorization": f"Bearer {token}"})
                             for _ in range(clients)]}
        screens = ["/yonetim/isler/birim", "/yonetim/isler/birim?ara=isikli+carsi+duyurusu+1"]
        screens += [f"/yonetim/isler/birim?sonra={year}-{seq}" for year, seq in keys[:20]]
        register = ["/yonetim/mudur/defter"] + [f"/yonetim/mudur/defter?sonra={year}-{seq}" for year, seq in keys[:10]]
        paths = {"screen": screens, "register": register, "api": ["/yonetim/api/v1/items?limit=50"]}
        samples: dict[str, list[float]] = {kind: [] for kind in KINDS}
        errors: dict[str, int] = {kind: 0 for kind in KINDS}
        deadline = time.perf_counter() + seconds

        def work(n: int) -> None:
            k = 0
            while time.perf_counter() < deadline:
                kind = MIX[k % len(MIX)]
                path = paths[kind][(n + k) % len(paths[kind])]
                started = time.perf_counter()
                status = logged_in[kind][n].get(path).status_code
                samples[kind].append(time.perf_counter() - started)
                errors[kind] += status != 200
                k += 1

        threads = [threading.Thread(target=work, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(f"HTTP, {clients} concurrent clients for {seconds:.0f} s against `publish.py serve`"
              f"{f' --workers {workers}' if workers else ''} ({os.cpu_count()} cores):")
        for kind, label in KINDS.items():
            done = samples[kind]
            print(f"  {label:34} {percentiles(done)}  {len(done)} requests, {len(done) / seconds:.0f}/s, "
                  f"{errors[kind]} errors")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
