"""Load: concurrent API clients submitting, assigning, reviewing and approving against `publish.py serve` while
its scheduler publishes, then the invariants checked on what the server answered and what it stored.

    .venv/bin/python bench/load.py [--clients 20] [--seconds 60] [--workers 2] [--seed 1]
                                   [--demo | --instance DIR] [--json]

The instance (the repository's demo, or a copy of DIR) is copied to a temporary folder; its people are made
with the real command line (`users init`, `users add`, `users token`), and `publish.py serve` runs in a
subprocess on a free loopback port. Department clients POST submissions (haber, duyuru, mukellef-duyurusu with
a deadline) and answer change requests with a new revision; directors assign (havale) and approve; editors take
items into review, approve other reviewers' items (four eyes) and request changes. Every action carries the
If-Match ETag its client read; a 412 is re-read and retried. Checked at the end: no 5xx, no connection error,
every 201 exactly one item (numbers gapless, titles unique), every successful action exactly one event and no
two on the same ETag, every event chain consistent, every approved item published into var/current, and
`publish.py verify`. Exit status 1 when an invariant fails.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from municms.config import load_instance  # noqa: E402

PASSWORD = "yuk-testi-parola-2026"
API = "/yonetim/api/v1"
INSTANCE_PARTS = ("instance.yaml", "pelicanconf.py", "content", "data", "plugins", "themes")
TYPES = ("haber", "duyuru", "mukellef-duyurusu")
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
    """`publish.py --instance ROOT ARGS…` through the real command line (parser, authentication, error
    boundary) in this process: starting Python 30 times would cost more than the run measures."""
    from municms.cli import main

    out, saved = io.StringIO(), (sys.stdin, os.environ.pop("MUNICMS_TOKEN", None))
    if token:
        os.environ["MUNICMS_TOKEN"] = token
    sys.stdin, code = io.StringIO(stdin), 0
    try:
        with contextlib.redirect_stdout(out):
            try:
                main(["--instance", str(root), *args])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdin = saved[0]
        os.environ.pop("MUNICMS_TOKEN", None)
        if saved[1] is not None:
            os.environ["MUNICMS_TOKEN"] = saved[1]
    if code:
        raise RuntimeError(f"publish.py {' '.join(args)} exited {code}")
    return out.getvalue()


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
    """Users made as `make demo-users` makes them; returns login → personal token (`users token LOGIN`, run
    by the yonetici, as the README allows: one Argon2 hash per person instead of two)."""
    cli(root, "users", "init", "yonetici", "--password-stdin", stdin=PASSWORD + "\n")
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
@dataclass
class Log:
    """Every request (kind, status, seconds) and every workflow action's answer, shared by the client threads."""

    requests: list[tuple[str, int, float]] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)      # number, action, login, if_match, status
    registered: list[dict] = field(default_factory=list)   # number, title of every 201 `registered`
    failures: list[str] = field(default_factory=list)      # 5xx bodies, connection errors (first few)
    connection_errors: int = 0
    retried_412: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, kind: str, status: int, seconds: float, body: str = "") -> None:
        with self.lock:
            self.requests.append((kind, status, seconds))
            if status >= 500 and len(self.failures) < 20:
                self.failures.append(f"{kind} {status}: {body[:300]}")


class Client:
    """One API client: a login's token, its own connection, every request timed into the log."""

    def __init__(self, base: str, login: str, token: str, log: Log, rng: random.Random):
        self.login, self.log, self.rng = login, log, rng
        self.http = httpx.Client(base_url=base + API, timeout=60, headers={"Authorization": f"Bearer {token}"})

    def request(self, kind: str, method: str, path: str, **kw) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            answer = self.http.request(method, path, **kw)
        except httpx.HTTPError as exc:
            with self.log.lock:
                self.log.connection_errors += 1
                self.log.failures.append(f"{kind}: {type(exc).__name__}: {exc}")
            return None
        self.log.note(kind, answer.status_code, time.perf_counter() - started,
                      answer.text if answer.status_code >= 500 else "")
        return answer

    def listing(self, state: str) -> list[dict]:
        answer = self.request("list", "GET", f"/items?state={state}&limit=50")
        return answer.json()["items"] if answer is not None and answer.status_code == 200 else []

    def act(self, item: dict, action: str, still: callable, **body) -> None:
        """The action with the ETag the client read; on 412 read the item again and retry while `still(item)`."""
        for _ in range(5):
            etag = item["etag"]
            answer = self.request(action, "POST", f"/items/{quote(item['number'])}/actions/{action}",
                                  headers={"If-Match": etag}, json=body)
            if answer is None:
                return
            with self.log.lock:
                self.log.actions.append({"number": item["number"], "action": action, "login": self.login,
                                         "if_match": etag, "status": answer.status_code})
            if answer.status_code != 412:
                return
            with self.log.lock:
                self.log.retried_412 += 1
            again = self.request("get", "GET", f"/items/{quote(item['number'])}")
            if again is None or again.status_code != 200 or not still(again.json()):
                return
            item = again.json()

    def close(self) -> None:
        self.http.close()


def submission(rng: random.Random, login: str, n: int, today: dt.date) -> dict:
    tur = TYPES[n % len(TYPES)]
    title = {"haber": "Çarşı Meydanı Düzenlemesi", "duyuru": "Şebeke Suyu Kesintisi",
             "mukellef-duyurusu": "Çevre Temizlik Vergisi Ödemesi"}[tur] + f" {login}-{n}-{rng.randrange(10**6)}"
    fields = {"tur": tur, "baslik": title, "ozet": "Yük sınaması sırasında gönderildi.",
              "etiketler": ["yük", "ığüşöç"],
              "body": f"{title} hakkında bilgi: İşlemler **yarın** başlıyor.\n\nAyrıntılar için Beyaz Masa.\n"}
    if tur == "mukellef-duyurusu":
        fields["son_basvuru"] = (today + dt.timedelta(days=30 + n % 60)).isoformat()
    return fields


def department_client(c: Client, stop: threading.Event, today: dt.date) -> None:
    """Submit new items; now and then answer a change request of its department with revision N+1."""
    n = 0
    while not stop.is_set():
        n += 1
        if n % 4 == 0:
            for item in c.listing("changes_requested")[:1]:
                answer = c.request("resubmit", "POST", "/items", json={
                    "tur": item["tur"], "baslik": item["title"], "kayit_no": item["number"],
                    **({"son_basvuru": (today + dt.timedelta(days=45)).isoformat()}
                       if item["tur"] == "mukellef-duyurusu" else {}),
                    "body": f"Düzeltilmiş metin ({c.login}, {n}).\n"})
                if answer is not None:
                    with c.log.lock:
                        c.log.actions.append({"number": item["number"], "action": "resubmit", "login": c.login,
                                              "if_match": None, "status": answer.status_code})
            continue
        fields = submission(c.rng, c.login, n, today)
        answer = c.request("submit", "POST", "/items", json=fields)
        if answer is not None and answer.status_code == 201:
            body = answer.json()
            with c.log.lock:
                c.log.registered.append({"number": body["number"], "title": fields["baslik"],
                                         "status": body["status"]})
        time.sleep(c.rng.uniform(0.1, 0.4))   # a department types before it sends the next one


def director_client(c: Client, stop: threading.Event, editors: dict[str, list[str]]) -> None:
    """Havale of registered items to an editor of the item's unit; every third round, approve an item in review."""
    n = 0
    while not stop.is_set():
        n += 1
        if n % 3 == 0:
            candidates = [i for i in c.listing("in_review") if i["reviewer"] != c.login]
            if candidates:
                c.act(c.rng.choice(candidates), "approve", lambda i: i["state"] == "in_review")
                continue
        waiting = c.listing("registered")
        if not waiting:
            time.sleep(0.1)
            continue
        item = c.rng.choice(waiting[:10])
        c.act(item, "assign", lambda i: i["state"] == "registered", to=c.rng.choice(editors[item["unit"]]))


def editor_client(c: Client, stop: threading.Event) -> None:
    """Take own assigned items into review; approve another reviewer's item; sometimes request changes."""
    while not stop.is_set():
        mine = [i for i in c.listing("assigned") if i["assignee"] == c.login]
        if mine:
            c.act(c.rng.choice(mine), "review", lambda i: i["state"] == "assigned")
            continue
        in_review = c.listing("in_review")
        own = [i for i in in_review if i["reviewer"] == c.login]
        others = [i for i in in_review if i["reviewer"] != c.login]
        if own and c.rng.random() < 0.15:
            c.act(c.rng.choice(own), "request-changes", lambda i: i["state"] == "in_review",
                  reason="Tarih ve saat bilgisi eksik; lütfen ekleyin.")
        elif others:
            c.act(c.rng.choice(others[:10]), "approve", lambda i: i["state"] == "in_review")
        else:
            time.sleep(0.1)


# --- the run --------------------------------------------------------------------------------------------------
@dataclass
class LoadReport:
    """What the run did and found; `violations` empty means every invariant held."""

    clients: int
    seconds: float
    workers: int
    requests: int = 0
    throughput: float = 0.0
    per_kind: dict[str, dict] = field(default_factory=dict)    # kind → count, statuses, p50/p95/p99 ms
    stale_412: int = 0
    conflicts_409: int = 0
    server_errors: int = 0
    connection_errors: int = 0
    registered: int = 0
    actions_done: dict[str, int] = field(default_factory=dict)
    publishes_during_run: int = 0
    published_during_run: int = 0
    published_total: int = 0
    drain_seconds: float = 0.0
    setup_seconds: float = 0.0     # people made, serve started (first publish of the site included)
    violations: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    def as_dict(self) -> dict:
        return {**asdict(self), "ok": self.ok}

    def summary(self) -> str:
        lines = [f"{self.clients} clients for {self.seconds:.0f} s against `publish.py serve --workers {self.workers}`"
                 f" ({os.cpu_count()} cores): {self.requests} requests, {self.throughput:.0f}/s",
                 f"  {'kind':16} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses"]
        for kind, s in sorted(self.per_kind.items()):
            lines.append(f"  {kind:16} {s['count']:6} {s['p50']:8.1f} {s['p95']:8.1f} {s['p99']:8.1f}  "
                         f"{' '.join(f'{k}×{v}' for k, v in sorted(s['statuses'].items()))}")
        lines += [f"  registered {self.registered}; successful actions {self.actions_done}",
                  f"  412 (stale ETag, re-read and retried) {self.stale_412}; 409 (state moved on) {self.conflicts_409}",
                  f"  5xx {self.server_errors}; connection errors {self.connection_errors}",
                  f"  releases published by the scheduler during the run {self.publishes_during_run} "
                  f"({self.published_during_run} items); items live at the end {self.published_total} "
                  f"(drained {self.drain_seconds:.1f} s after the clients stopped)",
                  f"  setup (people, serve's first publish) {self.setup_seconds:.1f} s",
                  "  invariants: " + ("all held" if self.ok else f"{len(self.violations)} VIOLATED")]
        lines += [f"    - {v}" for v in self.violations[:30]] + [f"    ! {f}" for f in self.failures[:10]]
        return "\n".join(lines)


def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile in milliseconds of sorted seconds."""
    return ordered[max(0, min(len(ordered), int(-(-len(ordered) * q // 1))) - 1)] * 1000 if ordered else 0.0


def free_port() -> int:
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_serve(root: Path, port: int, workers: int, log_file) -> subprocess.Popen:
    """`publish.py serve` (scheduler, inbox watcher, `workers` processes); returns once it answers."""
    server = subprocess.Popen(
        [sys.executable, str(REPO / "publish.py"), "--instance", str(root), "serve", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers)], stdout=subprocess.PIPE, stderr=log_file, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=str(root))
    line = server.stdout.readline()   # printed once the port is bound and the workers answer
    if not line.startswith("Site yayında"):
        server.kill()
        raise RuntimeError(f"serve did not start: {line!r}; see {getattr(log_file, 'name', 'its log')}")
    return server


def run_load(root: Path, clients: int = 20, seconds: float = 60, seed: int = 1, workers: int = 2,
             drain_timeout: float = 180) -> LoadReport:
    """Make the people of the fresh instance at `root`, serve it, load it for `seconds`, check, report."""
    root, setup = Path(root), time.perf_counter()
    tokens = make_people(root)
    cast = people(root)
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
        server = start_serve(root, port, workers, serve_log)
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
                time.sleep(1)
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
    report.violations = check(root, log, items, events)
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


def summarise(report: LoadReport, log: Log, elapsed: float) -> None:
    kinds: dict[str, list] = {}
    for kind, status, secs in log.requests:
        kinds.setdefault(kind, []).append((status, secs))
    for kind, rows in kinds.items():
        ordered = sorted(secs for _, secs in rows)
        statuses: dict[str, int] = {}
        for status, _ in rows:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
        report.per_kind[kind] = {"count": len(rows), "statuses": statuses, "p50": percentile(ordered, .5),
                                 "p95": percentile(ordered, .95), "p99": percentile(ordered, .99)}
    everything = sorted(secs for _, _, secs in log.requests)
    report.per_kind["all"] = {"count": len(everything), "statuses": {}, "p50": percentile(everything, .5),
                              "p95": percentile(everything, .95), "p99": percentile(everything, .99)}
    report.requests = len(log.requests)
    report.throughput = report.requests / elapsed
    report.stale_412 = sum(status == 412 for _, status, _ in log.requests)
    report.conflicts_409 = sum(status == 409 for _, status, _ in log.requests)
    report.server_errors = sum(status >= 500 for _, status, _ in log.requests)
    report.connection_errors = log.connection_errors
    report.registered = len(log.registered)
    for a in log.actions:
        if a["status"] == (201 if a["action"] == "resubmit" else 200):
            report.actions_done[a["action"]] = report.actions_done.get(a["action"], 0) + 1
    report.failures = log.failures


EVENT_OF = {"assign": "assign", "review": "start_review", "approve": "approve",
            "request-changes": "request_changes", "resubmit": "resubmit"}
NUMBER = re.compile(r"^(?P<prefix>.+)-(?P<year>\d{4})-(?P<seq>\d+)$")


def check(root: Path, log: Log, items: list[dict], events: dict[str, list[dict]]) -> list[str]:
    """Every invariant of the run, each broken one as a sentence naming the item."""
    found = []
    if any(status >= 500 for _, status, _ in log.requests):
        found.append(f"{sum(s >= 500 for _, s, _ in log.requests)} answers with a 5xx status")
    if log.connection_errors:
        found.append(f"{log.connection_errors} connection errors")
    found += check_registration(log, items, events)
    found += check_actions(log, items, events)
    found += check_published(root, items)
    verify = subprocess.run([sys.executable, str(REPO / "publish.py"), "--instance", str(root), "verify"],
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    if verify.returncode:
        found.append(f"publish.py verify exited {verify.returncode}: {(verify.stdout + verify.stderr)[-500:]}")
    return found


def check_registration(log: Log, items: list[dict], events: dict[str, list[dict]]) -> list[str]:
    """Each 201 exactly one item: numbers unique and gapless, titles unique, nothing registered unanswered."""
    found = []
    numbers = [r["number"] for r in log.registered]
    titles = [r["title"] for r in log.registered]
    if len(set(numbers)) != len(numbers):
        found.append(f"a number answered twice: {sorted(n for n in set(numbers) if numbers.count(n) > 1)}")
    if len(set(titles)) != len(titles):
        found.append("one submitted title registered twice")
    by_number = {i["number"]: i for i in items}
    if set(by_number) != set(numbers):
        found.append(f"items without a 201: {sorted(set(by_number) - set(numbers))[:5]}; "
                     f"201s without an item: {sorted(set(numbers) - set(by_number))[:5]}")
    for r in log.registered:
        if r["number"] in by_number and by_number[r["number"]]["title"] != r["title"]:
            found.append(f"{r['number']}: title {by_number[r['number']]['title']!r}, submitted {r['title']!r}")
    registers = [e for i in items for e in events[i["number"]] if e["action"] == "register"]
    if len(registers) != len(items):
        found.append(f"{len(registers)} register events for {len(items)} items")
    sequences: dict[tuple, list[int]] = {}
    for number in by_number:
        parts = NUMBER.match(number)
        sequences.setdefault((parts["prefix"], parts["year"]), []).append(int(parts["seq"]))
    for key, seqs in sequences.items():
        if sorted(seqs) != list(range(1, len(seqs) + 1)):
            found.append(f"numbers of {'-'.join(key)} not gapless from 1: {sorted(seqs)[:10]}…")
    return found


def check_actions(log: Log, items: list[dict], events: dict[str, list[dict]]) -> list[str]:
    """No lost or phantom update: each 2xx action is exactly one event of its item by its actor, no two
    successes carried the same ETag, every item's events chain from state to state to its final state, every
    approved item went live."""
    found = []
    # a resubmission answers 201 (200 is `duplicate`: the same bytes already registered, nothing new)
    done = [a for a in log.actions if a["status"] == (201 if a["action"] == "resubmit" else 200)]
    etags = [(a["number"], a["if_match"]) for a in done if a["if_match"]]
    if len(set(etags)) != len(etags):
        found.append(f"two successful actions on one ETag: {[e for e in set(etags) if etags.count(e) > 1][:5]}")
    answered: dict[tuple, int] = {}
    for a in done:
        key = (a["number"], EVENT_OF[a["action"]], None if a["action"] == "resubmit" else a["login"])
        answered[key] = answered.get(key, 0) + 1
    recorded: dict[tuple, int] = {}
    for number, rows in events.items():
        for e in rows:
            if e["action"] in EVENT_OF.values():
                # intake records a resubmission as `sistem` (via kayıt); its author is on the revision
                key = (number, e["action"], None if e["action"] == "resubmit" else e["actor"])
                recorded[key] = recorded.get(key, 0) + 1
    for key in sorted(set(answered) | set(recorded), key=str):
        if answered.get(key, 0) != recorded.get(key, 0):
            found.append(f"{key[0]}: {key[1]} by {key[2]}: {answered.get(key, 0)} successful answers, "
                         f"{recorded.get(key, 0)} events")
    approved = {a["number"] for a in done if a["action"] == "approve"}
    for item in items:
        moves = [e for e in sorted(events[item["number"]], key=lambda e: e["id"]) if e["to_state"]]
        for before, after in zip(moves, moves[1:]):
            if before["to_state"] != after["from_state"]:
                found.append(f"{item['number']}: event {after['id']} ({after['action']}) from "
                             f"{after['from_state']}, the one before left it {before['to_state']}")
        if moves and moves[-1]["to_state"] != item["state"]:
            found.append(f"{item['number']}: state {item['state']}, last event to {moves[-1]['to_state']}")
        if item["number"] in approved and item["state"] != "published":
            found.append(f"{item['number']}: approved (200) but {item['state']} at the end")
    return found


def check_published(root: Path, items: list[dict]) -> list[str]:
    """Every published item is in the served release: its JSON (kayit_no) and its page."""
    current = root / "var" / "current"
    pages = {}
    for folder, _, names in os.walk(current / "api" / "v1", followlinks=True):   # a release links its shards
        for name in names:
            data = json.loads((Path(folder) / name).read_text(encoding="utf-8")) if name.endswith(".json") else 0
            if isinstance(data, dict) and data.get("kayit_no"):
                pages[data["kayit_no"]] = data.get("sayfa", "")
    found = []
    for item in items:
        if item["state"] != "published":
            continue
        if item["number"] not in pages:
            found.append(f"{item['number']} published but not in var/current")
            continue
        page = current / re.sub(r"^https?://[^/]+/", "", pages[item["number"]]) / "index.html"
        if not page.is_file():
            found.append(f"{item['number']}: its page {page.relative_to(current)} is missing from var/current")
    return found


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
