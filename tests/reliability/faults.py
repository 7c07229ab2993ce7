"""Running a stage of municms in a real subprocess and killing it (SIGKILL) at a random moment; what the fault
tests and bench/soak.py drop into the inboxes; a JSON API client that survives its server being killed.

Every helper takes a seeded random.Random, so a failing run can be repeated with the same seed."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import httpx

from tests.municipality import submission_text

from .invariants import Drops

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "tests" / "fixtures" / "samples"
API = "/yonetim/api/v1"
DEPARTMENTS = ("fen-isleri", "zabita", "mali-hizmetler", "basin-yayin")
# bad samples that intake may register: converted from Windows-1254 with a warning; `birim` of another
# department, right when dropped into that department's inbox
ACCEPTABLE = {"EXPECTED.md", "windows-1254-kodlama.md", "birim-uyusmuyor.md"}


def env() -> dict:
    return {**{k: v for k, v in os.environ.items() if k != "MUNICMS_TOKEN"}, "PYTHONPATH": str(REPO)}


def publish_py(root: Path, *args: str) -> list[str]:
    """The command line `python publish.py --instance ROOT ARGS…`."""
    return [sys.executable, str(REPO / "publish.py"), "--instance", str(root), *args]


def deploy_module(root: Path, build_dir: Path, release_id: str) -> list[str]:
    """The command line that deploys a build made elsewhere (`python -m municms.deploy`), as the owner."""
    return [sys.executable, "-m", "municms.deploy", "--instance", str(root), "--system", str(build_dir), release_id]


class Forked:
    """A child process forked from this one (modules already imported) that runs the command's own entry point
    (municms.cli.main for publish.py, municms.deploy's main for `-m municms.deploy`): the same code as the
    command line without the seconds a fresh interpreter spends importing. The shape of a Popen that the
    helpers below use: pid, poll(), wait(), communicate()."""

    def __init__(self, command: list[str], stdout: int | None = None):
        warm_up()
        self.returncode: int | None = None
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns into the test
            code = 70
            try:
                os.setsid()
                null = os.open(os.devnull, os.O_RDWR)
                os.dup2(null, 0)
                os.dup2(stdout if stdout is not None else null, 1)
                os.dup2(null, 2)
                sys.stdin, sys.stdout, sys.stderr = (open(0, closefd=False), open(1, "w", buffering=1, closefd=False),
                                                     open(2, "w", closefd=False))
                code = entry_point(command)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            finally:
                os._exit(code or 0)

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.005)
        return self.returncode

    def communicate(self, timeout: float | None = None):
        self.wait(timeout)
        return "", ""


def entry_point(command: list[str]) -> int:
    if command[1:3] == ["-m", "municms.deploy"]:
        from municms.deploy.__main__ import main as deploy_main
        return deploy_main(command[3:])
    from municms.cli import main
    return main(command[2:]) or 0


_warm = False


def warm_up() -> None:
    """Import what the commands import, once, before the first fork."""
    global _warm
    if not _warm:
        import municms.actions.deploy_build  # noqa: F401
        import municms.actions.intake  # noqa: F401
        import municms.actions.publish  # noqa: F401
        import municms.actions.rollback  # noqa: F401
        import municms.build  # noqa: F401
        import municms.cli  # noqa: F401
        import municms.commands.site  # noqa: F401
        import municms.deploy.__main__  # noqa: F401
        import municms.serve  # noqa: F401
        import municms.web  # noqa: F401
        municms.cli.build_parser()  # imports every command's module
        _warm = True


FORK = os.environ.get("MUNICMS_FAULTS_EXEC") != "1"  # MUNICMS_FAULTS_EXEC=1: a fresh interpreter every time


def start(command: list[str], cwd: Path = REPO, fork: bool | None = None):
    if FORK if fork is None else fork:
        return Forked(command)
    return subprocess.Popen(command, cwd=str(cwd), env=env(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def run(command: list[str], timeout: float = 300) -> subprocess.CompletedProcess:
    """A run that must finish (the restart after a kill): always a fresh interpreter, as an operator runs it."""
    done = subprocess.run(command, cwd=str(REPO), env=env(), stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=timeout)
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(command[-3:])} failed ({done.returncode}): {done.stdout}{done.stderr}")
    return done


def kill_at_random(command: list[str], rng: random.Random, window: float, not_before: float = 0.0,
                   fork: bool | None = None, after=None) -> bool:
    """Start `command`, SIGKILL it after a random moment in [not_before, window) seconds (counted from when
    `after()` first holds, if given: e.g. once the run claimed its first file); True if it was still running
    then (a run that finished first was not killed)."""
    proc = start(command, fork=fork)
    while after is not None and proc.poll() is None and not after():
        time.sleep(0.002)
    deadline = time.monotonic() + rng.uniform(not_before, max(window, not_before))
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    killed = proc.poll() is None
    if killed:
        os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    return killed


def timed(command: list[str], fork: bool | None = None) -> float:
    """Seconds one full run of `command` takes now, started as kill_at_random starts it (on a busy machine
    runs are slower: the kill windows follow that)."""
    started = time.monotonic()
    proc = start(command, fork=fork)
    code = proc.wait(timeout=300)
    if code != 0:
        raise AssertionError(f"{' '.join(command[-3:])} failed ({code})")
    return time.monotonic() - started


class KillWindow:
    """Kills that land inside runs of `command` whose length changes (the first publish builds everything, later
    ones are incremental and shorter; a busy machine stretches them all): each run is killed at a random fraction
    [low, high) of the length the last run to its end took, and a run that ends before its moment teaches the new
    length, so the next kill lands inside."""

    def __init__(self, command: list[str], rng: random.Random, low: float, high: float, fork: bool | None = None):
        self.command, self.rng, self.low, self.high, self.fork = command, rng, low, high, fork
        self.duration = 0.0

    def run_to_end(self) -> None:
        self.duration = timed(self.command, self.fork)

    def kill_once(self) -> bool:
        """True when the run was killed; False when it ended first (its length is remembered)."""
        started = time.monotonic()
        proc = start(self.command, fork=self.fork)
        deadline = started + self.rng.uniform(self.low, self.high) * self.duration
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        killed = proc.poll() is None
        if killed:
            os.kill(proc.pid, signal.SIGKILL)
        else:
            self.duration = time.monotonic() - started
        proc.communicate(timeout=60)
        return killed


# --- what departments drop -------------------------------------------------------------------------------------
def drop_files(paths, drops: Drops, rng: random.Random, count: int, bad_share: float = 0.2, tag: str = "",
               departments: tuple[str, ...] = DEPARTMENTS) -> None:
    """`count` files into the inboxes: new announcements and news with titles of their own, and (bad_share) bad
    samples of tests/fixtures/samples/bad that intake must refuse. Each written as a department copies a file:
    to a temporary name first, then renamed, finished a minute ago (intake's quiet period is over)."""
    bad = sorted(p for p in (SAMPLES / "bad").rglob("*.md") if p.name not in ACCEPTABLE)
    for _ in range(count):
        n = len(drops.entries) + 1
        department = rng.choice(departments)
        if rng.random() < bad_share:
            sample = rng.choice(bad)
            name, title, data = f"hatali-{tag}{n:05d}-{sample.name}", None, sample.read_bytes()
        else:
            title = f"Dayanıklılık Duyurusu {tag}{n:05d}"
            name = f"gonderi-{tag}{n:05d}.md"
            data = submission_text(rng.choice(("duyuru", "haber")), title, f"Metin {n}: çarşı, ışık, ödül.\n")
            data = data.encode("utf-8")
        folder = paths.inbox / department
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{name}.yaziliyor"
        partial.write_bytes(data)
        finished = time.time() - 60
        os.utime(partial, (finished, finished))
        os.rename(partial, folder / name)
        drops.add(department, name, title)


# --- the server and its API ------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`publish.py serve --workers N` on a free loopback port in a session of its own: `kill_worker()` kills
    one worker process (serve starts it again; the other workers answer meanwhile), `kill()` the whole server
    (parent and workers at once, as the OOM killer or a power cut would), `start()` starts it again."""

    def __init__(self, root: Path, *extra: str, workers: int = 2, fork: bool = False):
        self.root, self.extra, self.workers, self.fork = root, extra, workers, fork
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def start(self, timeout: float = 120) -> None:
        """Start serve (forked from this process with `fork` and one worker, else a fresh interpreter) and
        return once it prints its address."""
        command = publish_py(self.root, "serve", "--host", "127.0.0.1", "--port", str(self.port),
                             "--workers", str(self.workers), *self.extra)
        if self.fork:
            read_end, write_end = os.pipe()
            self.proc = Forked(command, stdout=write_end)
            os.close(write_end)
            output = os.fdopen(read_end, encoding="utf-8")
        else:
            self.proc = subprocess.Popen(command, cwd=str(self.root), env=env(), stdin=subprocess.DEVNULL,
                                         start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                         text=True)
            output = self.proc.stdout
        self.starts += 1
        line = output.readline()  # the announcement once every worker answers
        if "Site yayında" not in line:
            raise AssertionError(f"serve did not start: {line!r} (exit {self.proc.poll()})")
        threading.Thread(target=output.read, daemon=True).start()  # never let its pipe fill

    def worker_pids(self) -> list[int]:
        try:
            text = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except (OSError, AttributeError):
            return []
        return [int(pid) for pid in text.split()]

    def kill_worker(self, rng: random.Random) -> bool:
        """SIGKILL one worker (chosen by rng); False if none is running right now."""
        pids = self.worker_pids()
        if not pids:
            return False
        try:
            os.kill(rng.choice(pids), signal.SIGKILL)
        except ProcessLookupError:
            return False
        return True

    def kill(self) -> None:
        """SIGKILL the parent and every worker at once."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=30)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


class Killer(threading.Thread):
    """While a client works: at random moments (seeded) SIGKILL one worker of the server, and every
    `whole_every`-th time the whole server, which it then starts again; `kills` times in all."""

    def __init__(self, server: Server, rng: random.Random, kills: int, low: float = 0.3, high: float = 1.5,
                 whole_every: int = 4, on_killed=None):
        super().__init__(daemon=True)
        self.on_killed = on_killed  # called after a whole-server kill, before the restart: nothing runs then
        self.server, self.rng, self.wanted, self.low, self.high = server, rng, kills, low, high
        self.whole_every = whole_every
        self.kills = {"worker": 0, "server": 0}
        self.stopping = threading.Event()
        self.error: BaseException | None = None

    @property
    def total(self) -> int:
        return sum(self.kills.values())

    def run(self) -> None:
        try:
            while self.total < self.wanted and not self.stopping.wait(self.rng.uniform(self.low, self.high)):
                if (self.total + 1) % self.whole_every == 0:
                    self.server.kill()
                    self.kills["server"] += 1
                    if self.on_killed is not None:
                        self.on_killed()
                    self.server.start()
                elif self.server.kill_worker(self.rng):
                    self.kills["worker"] += 1
        except BaseException as exc:  # reported by the test, not lost in a thread
            self.error = exc


class Unavailable(Exception):
    pass


class ApiClient:
    """A person's script on the JSON API with a real token; it retries after a dropped connection (the server
    was killed) with a fresh ETag, and finds out first whether its action was applied before the kill."""

    def __init__(self, base: str, tokens: dict[str, str], patience: float = 90):
        self.http = httpx.Client(base_url=base + API, timeout=30)
        self.tokens, self.patience = tokens, patience
        self.retries = 0

    def close(self) -> None:
        self.http.close()

    def _call(self, method: str, path: str, login: str, **kw) -> httpx.Response:
        """One request; a refused or dropped connection is retried until the server answers again."""
        deadline = time.monotonic() + self.patience
        while True:
            try:
                return self.http.request(method, path, headers={"Authorization": f"Bearer {self.tokens[login]}",
                                                                **kw.pop("headers", {})}, **kw)
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise Unavailable(f"{method} {path}: no answer for {self.patience} s") from None
                self.retries += 1
                time.sleep(0.05)

    def submit(self, login: str, tur: str, title: str, body: str) -> str:
        """POST /items, retried: the same bytes sent again after a kill are answered `duplicate` (200) if the
        first one was registered. Returns the number."""
        while True:
            try:
                response = self.http.post("/items", headers={"Authorization": f"Bearer {self.tokens[login]}"},
                                          json={"tur": tur, "baslik": title, "body": body})
            except httpx.TransportError:
                self.retries += 1
                self._call("GET", "/items?limit=1", login)  # waits until the server answers again
                continue
            assert response.status_code in (200, 201), (response.status_code, response.text)
            return response.json()["number"]

    def events(self, number: str, login: str) -> list[dict]:
        response = self._call("GET", f"/items/{quote(number)}/events", login)
        assert response.status_code == 200, response.text
        return response.json()

    def act(self, number: str, action: str, login: str, **body) -> str:
        """The action with If-Match, applied exactly once: 'done' (answered), 'applied before the kill' (an
        event of it appeared though no answer came), after as many retries as kills need."""
        event_action = {"review": "start_review", "request-changes": "request_changes"}.get(action, action)
        known = len(self.events(number, login))
        while True:
            read = self._call("GET", f"/items/{quote(number)}", login)
            assert read.status_code == 200, read.text
            try:
                response = self.http.post(f"/items/{quote(number)}/actions/{action}", json=body,
                                          headers={"Authorization": f"Bearer {self.tokens[login]}",
                                                   "If-Match": read.headers["ETag"]})
            except httpx.TransportError:
                self.retries += 1
                if any(e["actor"] == login and e["action"] == event_action
                       for e in self.events(number, login)[known:]):
                    return "applied before the kill"
                continue
            if response.status_code == 412:  # the item changed since it was read: read again
                continue
            assert response.status_code == 200, (number, action, login, response.status_code, response.text)
            return "done"
