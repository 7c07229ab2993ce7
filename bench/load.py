"""Load: concurrent API clients submitting, assigning, reviewing and approving against `publish.py serve` while
its scheduler publishes, then the invariants checked on what the server answered and what it stored.

    .venv/bin/python bench/load.py [--clients 20] [--seconds 60] [--workers 2] [--seed 1]
                                   [--demo | --instance DIR] [--json]

The instance (the repository's demo, or a copy of DIR) is copied to a temporary folder; its people are made
with the real command line (`users init`, `users add`, `users token`), and `publish.py serve` runs in a
subprocess on a free loopback port. Department clients POST submissions (haber, duyuru, mukellef-duyurusu with
a deadline; every 7th three times at once, as a retrying system) and answer change requests with a new
revision; directors assign (havale), approve and walk the register's pages; editors take items into review,
approve other reviewers' items (four eyes) and request changes. Every action carries the If-Match ETag its
client read; a 412 is re-read and retried. Checked at the end (bench/load_checks.py): no 5xx, no connection
error, every 201 exactly one item (numbers gapless, titles unique, a submission sent three times at once
registered once), every successful action exactly one event and no two on the same ETag, every event chain
consistent, every approved item published into var/current, and `publish.py verify`. Exit status 1 when an
invariant fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.load_checks import LoadReport, check, summarise  # noqa: E402
from bench.load_clients import TYPES, Client, Log, department_client, director_client, editor_client  # noqa: E402
from municms.config import load_instance  # noqa: E402

PASSWORD = "yuk-testi-parola-2026"
INSTANCE_PARTS = ("instance.yaml", "pelicanconf.py", "content", "data", "plugins", "themes")
ROLE_PATTERN = "DMEDEDOE" "DMEDEDOE" "DEDE"
WAITING = ("approved", "scheduled")   # approved, not yet live: the scheduler's work left


# --- the instance and its people ------------------------------------------------------------------------------
def copy_instance(source: Path, target: Path) -> Path:
    """The parts of an instance a build reads (no var/, no ledger): a fresh municipality."""
    target.mkdir(parents=True, exist_ok=True)
    for name in INSTANCE_PARTS:
        part = source / name if (source / name).exists() else REPO / name
        if part.is_dir():
            shutil.copytree(part, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif part.is_file():
            shutil.copy2(part, target / name)
    return target


def cli(root: Path, *args: str, stdin: str = "", token: str | None = None) -> str:
    """The standard output of `publish.py --instance ROOT ARGS…`, which must succeed."""
    code, out = run_cli(root, *args, stdin=stdin, token=token)
    if code:
        raise RuntimeError(f"publish.py {' '.join(args)} exited {code}: {out}")
    return out


def run_cli(root: Path, *args: str, stdin: str = "", token: str | None = None) -> tuple[int, str]:
    """`publish.py --instance ROOT ARGS…` through the real command line (parser, authentication, error
    boundary) in this process, as (exit code, standard output): starting Python 20 times would cost more
    than the run measures."""
    from tests.municipality import cli_in_process

    code, out, err = cli_in_process(root, *args, stdin=stdin, token=token or None)
    return code, out + (err if code else "")


def people(root: Path) -> dict[str, tuple[str, str | None, str | None]]:
    """login → (role, unit, department): two directors, editors of every editorial unit (three of the units
    the submitted types go to), a department user of each of the first four departments."""
    instance = load_instance(root)
    routed = {instance.routing.get(tur, instance.routing["default"]) for tur in TYPES}
    found = {"mudur1": ("mudur", None, None), "mudur2": ("mudur", None, None)}
    for unit in instance.editorial_units:
        for n in range(1, 4 if unit in routed else 2):
            found[f"{unit}{n}"] = ("editor", unit, None)
    for department in instance.departments[:4]:
        found[f"{department.split('-')[0]}1"] = ("birim", None, department)
    return found


def make_people(root: Path) -> dict[str, str]:
    """Users made as `make demo-users` makes them (after `users init yonetici`); returns login → personal
    token (`users token LOGIN`, run by the yonetici, as the README allows: one Argon2 hash a person, not two)."""
    admin = cli(root, "users", "token", "yonetici", "--as", "yonetici", "--password-stdin",
                stdin=PASSWORD + "\n").strip()
    tokens = {}
    for login, (role, unit, department) in people(root).items():
        cli(root, "users", "add", login, "--role", role, *(["--unit", unit] if unit else []),
            *(["--department", department] if department else []), "--password-stdin", stdin=PASSWORD + "\n",
            token=admin)
        tokens[login] = cli(root, "users", "token", login, token=admin).strip()   # given by a yonetici
    cli(root, "users", "token", "yonetici", "--revoke", token=admin)
    return tokens


# --- what the clients saw -------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_serve(root: Path, port: int, workers: int, log_file, meanwhile) -> subprocess.Popen:
    """`publish.py serve` (scheduler, inbox watcher, `workers` processes); returns once it answers, having
    called `meanwhile()` while it starts (its first publish of the site takes a while)."""
    server = subprocess.Popen(
        [sys.executable, str(REPO / "publish.py"), "--instance", str(root), "serve", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers)], stdout=subprocess.PIPE, stderr=log_file, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=str(root))
    try:
        meanwhile()
    except BaseException:
        server.kill()
        raise
    line = server.stdout.readline()   # printed once the port is bound and the workers answer
    if not line.startswith("Site yayında"):
        server.kill()
        raise RuntimeError(f"serve did not start: {line!r}; see {getattr(log_file, 'name', 'its log')}")
    return server


def run_load(root: Path, clients: int = 20, seconds: float = 60, seed: int = 1, workers: int = 2,
             drain_timeout: float = 180) -> LoadReport:
    """Make the people of the fresh instance at `root`, serve it, load it for `seconds`, check, report."""
    root, setup = Path(root), time.perf_counter()
    cli(root, "users", "init", "yonetici", "--password-stdin", stdin=PASSWORD + "\n")   # makes the ledger
    cast, tokens = people(root), {}
    editors: dict[str, list[str]] = {}
    for login, (role, unit, _) in cast.items():
        if role == "editor":
            editors.setdefault(unit, []).append(login)
    departments = [login for login, (role, _, _) in cast.items() if role == "birim"]
    directors = [login for login, (role, _, _) in cast.items() if role == "mudur"]
    routed = [login for unit, logins in editors.items() if len(logins) > 2 for login in logins]
    others = [logins[0] for logins in editors.values() if len(logins) <= 2]
    # each 20 clients: 8 department systems (D), 2 directors (M), 8 editors of the unit the submitted types go to
    # (E) and 2 of the other units (O; only reading their queues): any first few clients have every role
    queues = {"D": departments, "M": directors, "E": routed, "O": others or routed}
    taken = {key: 0 for key in queues}
    roles = []
    for slot in range(clients):
        key = ROLE_PATTERN[slot % len(ROLE_PATTERN)]
        roles.append(queues[key][taken[key] % len(queues[key])])
        taken[key] += 1
    report = LoadReport(clients=clients, seconds=seconds, workers=workers)
    log, stop, rng = Log(), threading.Event(), random.Random(seed)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    logs = root / "var" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    with open(logs / "load-serve.log", "w", encoding="utf-8") as serve_log:
        server = start_serve(root, port, workers, serve_log, lambda: tokens.update(make_people(root)))
        report.setup_seconds = time.perf_counter() - setup
        try:
            admin = Client(base, "mudur1", tokens["mudur1"], Log(), rng)
            before = {r["id"] for r in admin.http.get("/releases").json()}
            today = dt.date.today()
            threads = []
            for n, login in enumerate(roles):
                c = Client(base, login, tokens[login], log, random.Random(seed * 1000 + n))
                role = cast[login][0]
                target = {"birim": lambda c=c: department_client(c, stop, today),
                          "mudur": lambda c=c: director_client(c, stop, editors),
                          "editor": lambda c=c: editor_client(c, stop)}[role]
                threads.append((threading.Thread(target=target, name=f"load-{login}-{n}"), c))
            started = time.perf_counter()
            for thread, _ in threads:
                thread.start()
            time.sleep(seconds)
            stop.set()
            for thread, c in threads:
                thread.join()
                c.close()
            elapsed = time.perf_counter() - started
            during = [r for r in admin.http.get("/releases").json() if r["id"] not in before]
            report.publishes_during_run = len(during)
            report.published_during_run = sum(len(r["items"]) for r in during)
            drained = time.perf_counter()
            while waiting_items(admin) and time.perf_counter() - drained < drain_timeout:
                time.sleep(0.5)
            report.drain_seconds = time.perf_counter() - drained
            items, events = final_state(admin)
            admin.close()
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    summarise(report, log, elapsed)
    code, out = run_cli(root, "verify")   # the register's hash chain, the live export and the live files
    report.violations = check(root, log, items, events) + ([] if code == 0 else [
        f"publish.py verify exited {code}: {out[-500:]}"])
    report.published_total = sum(i["state"] == "published" for i in items)
    return report


def waiting_items(c: Client) -> list[dict]:
    return [i for state in WAITING for i in c.http.get(f"/items?state={state}&limit=100").json()["items"]]


def final_state(c: Client) -> tuple[list[dict], dict[str, list[dict]]]:
    """Every item (a director sees all) in register order and each item's events, read over the API."""
    items, cursor = [], None
    while True:
        page = c.http.get("/items?limit=100" + (f"&cursor={quote(cursor)}" if cursor else "")).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    events = {i["number"]: c.http.get(f"/items/{quote(i['number'])}/events").json() for i in items}
    return items, events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2, help="serve --workers")
    parser.add_argument("--seed", type=int, default=1)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--demo", action="store_true", help="a copy of the repository's demo instance (default)")
    where.add_argument("--instance", type=Path, help="a copy of this instance (its content, no ledger)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary instance and print its path")
    parser.add_argument("--json", action="store_true", help="the report as JSON")
    args = parser.parse_args()
    temp, report = Path(tempfile.mkdtemp(prefix="municms-load-")), None
    try:
        root = copy_instance(args.instance or REPO, temp / "instance")
        report = run_load(root, args.clients, args.seconds, args.seed, args.workers)
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) if args.json else report.summary())
    finally:
        if args.keep:
            print(f"instance kept: {temp / 'instance'}", file=sys.stderr)
        else:
            shutil.rmtree(temp, ignore_errors=True)
    sys.exit(0 if report is not None and report.ok else 1)


if __name__ == "__main__":
    main()
