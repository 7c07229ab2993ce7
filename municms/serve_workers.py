"""How `publish.py serve` runs the web front of municms.serve: in this process, or in N worker processes. The
parent binds the port once and starts N workers, each a fresh interpreter (`python -m municms.serve_workers`)
running the site and the editorial app with uvicorn on that one inherited listening socket, so the kernel hands
each connection to whichever worker is free. It prints its address once every worker answers, starts a worker
again if one dies, and on SIGTERM or SIGINT stops them all (each finishes its open requests) before it returns.
The scheduler and the inbox watcher stay in the parent: they run once, whatever N is.

A worker killed mid-request loses only that request: every write is one SQLite (WAL) transaction, so the
ledger never holds half an action."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import MunicmsError

log = logging.getLogger(__name__)
MAX_DEFAULT_WORKERS = 4     # `workers: 0` (the default) means one per CPU core, up to this many
STOP_GRACE = 10.0           # seconds a worker has to finish its open requests before it is killed
RESTART_DELAY = 1.0         # a worker that died is started again after this long (no busy loop if it cannot start)
PACKAGE_ROOT = Path(__file__).resolve().parents[1]


def listening_socket(host: str, port: int) -> socket.socket:
    """The bound, listening socket of `serve`; connections wait in its backlog until a worker accepts them."""
    # proto given explicitly: asyncio sets TCP_NODELAY only on sockets whose proto is IPPROTO_TCP; without it,
    # each answer on a kept-alive connection waited ~40 ms for the client's delayed ACK (Nagle).
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)   # inherited by accepted connections (Linux)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def announce(site_dir, host: str, port: int) -> None:
    """The line `serve` prints once requests are answered (scripts and tests wait for it)."""
    from .serve import EDITORIAL_PREFIX

    shown = site_dir() if callable(site_dir) else site_dir
    print(f"Site yayında: http://{host}:{port}/  (klasör: {shown})  yönetim: http://{host}:{port}"
          f"{EDITORIAL_PREFIX}/  — durdurmak için Ctrl+C", flush=True)


def run_server(app, sock: socket.socket) -> None:
    """uvicorn on an already listening socket, until SIGINT or SIGTERM (it finishes open requests first)."""
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    # What exists now (the modules and the app: ~100,000 objects) lives as long as the process; frozen, a
    # full garbage collection no longer walks it, which stopped every request of the worker for 60-140 ms.
    gc.collect()
    gc.freeze()
    uvicorn.Server(config).run(sockets=[sock])


def serve_in_process(site: SiteChoice, editorial, host: str, port: int) -> None:
    """`serve --workers 1`: the site and the editorial app in this process."""
    from .serve import site_and_editorial_app

    sock = listening_socket(host, port)
    announce(site.resolver(), host, port)
    run_server(site_and_editorial_app(site.resolver(), editorial), sock)


def worker_count(configured: int) -> int:
    """The number of workers: as configured, or (0) one per CPU core, at most MAX_DEFAULT_WORKERS."""
    if configured > 0:
        return configured
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS))


@dataclass(frozen=True)
class SiteChoice:
    """Which folder a worker serves: `folder`, or `current` (var/current) as soon as a release exists."""

    folder: Path
    current: Path | None = None

    def arguments(self) -> list[str]:
        return ["--site", str(self.folder)] + (["--current", str(self.current)] if self.current else [])

    def resolver(self):
        if self.current is None:
            return self.folder
        current, fallback = self.current, self.folder
        return lambda: current if current.exists() else fallback


class Workers:
    """N worker processes on one listening socket: `start()` returns once all of them answer, `supervise()`
    keeps them running until SIGTERM or SIGINT, `stop()` ends them."""

    def __init__(self, sock: socket.socket, count: int, instance_root: Path, site: SiteChoice):
        self.sock, self.count = sock, count
        self.ready, self._ready_end = os.pipe()   # each worker writes one byte here once its app is built
        os.set_blocking(self.ready, False)
        self.command = [sys.executable, "-m", "municms.serve_workers", "--fd", str(sock.fileno()),
                        "--ready", str(self._ready_end), "--instance", str(instance_root),
                        "--parent", str(os.getpid()), *site.arguments()]
        self.processes: list[subprocess.Popen] = []
        self.stopping = threading.Event()
        self._handlers: dict = {}

    def _start_one(self) -> subprocess.Popen:
        path = os.environ.get("PYTHONPATH", "")
        env = {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT) + (os.pathsep + path if path else "")}
        return subprocess.Popen(self.command, pass_fds=(self.sock.fileno(), self._ready_end), env=env)

    def start(self, timeout: float = 120) -> None:
        """Start the workers; return once each has built its app (so the first request is answered at once)."""
        self._handlers = {sig: signal.signal(sig, lambda *_: self.stopping.set())
                          for sig in (signal.SIGTERM, signal.SIGINT)}
        self.processes = [self._start_one() for _ in range(self.count)]
        ready, deadline = 0, time.monotonic() + timeout
        while ready < self.count and not self.stopping.is_set():
            failed = [process for process in self.processes if process.poll() is not None]
            if failed or time.monotonic() > deadline:
                raise MunicmsError("Sunucu işlemleri başlatılamadı; ayrıntı yukarıdaki hata çıktısında.",
                                   f"serve workers did not start: exit codes {[p.returncode for p in failed]}")
            if select.select([self.ready], [], [], 0.2)[0]:
                ready += len(os.read(self.ready, 64))

    def supervise(self) -> None:
        """Until SIGTERM or SIGINT: a worker that died is started again."""
        while not self.stopping.wait(0.2):
            self._drain()
            for n, process in enumerate(self.processes):
                if process.poll() is not None and not self.stopping.wait(RESTART_DELAY):
                    log.warning("serve worker %d exited with %s; starting it again", process.pid, process.returncode)
                    self.processes[n] = self._start_one()

    def _drain(self) -> None:
        try:
            os.read(self.ready, 64)   # ready bytes of restarted workers
        except BlockingIOError:
            pass

    def stop(self) -> None:
        """Each worker finishes its open requests and exits (killed after STOP_GRACE); handlers restored."""
        for process in self.processes:
            if process.poll() is None:
                process.terminate()   # uvicorn: stop accepting, finish open requests, exit
        deadline = time.monotonic() + STOP_GRACE
        for process in self.processes:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("serve worker %d did not stop within %.0f s; killed", process.pid, STOP_GRACE)
                process.kill()
                process.wait()
        for sig, handler in self._handlers.items():
            signal.signal(sig, handler)
        os.close(self.ready)
        os.close(self._ready_end)


def serve_with_workers(instance_root: Path, site: SiteChoice, host: str, port: int, count: int) -> None:
    """Bind, start `count` workers, print the addresses once they answer, and serve until SIGTERM or SIGINT."""
    sock = listening_socket(host, port)
    workers = Workers(sock, count, instance_root, site)
    try:
        workers.start()
        announce(site.resolver(), host, port)
        workers.supervise()
    finally:
        workers.stop()
        sock.close()


def _exit_with_parent(parent: int) -> None:
    """A worker whose parent is gone (killed with SIGKILL) stops too, instead of serving on as an orphan."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="municms-parent-watch", daemon=True).start()


def worker_main(argv: list[str] | None = None) -> None:
    """One worker: the site and the editorial app on the listening socket it inherited."""
    parser = argparse.ArgumentParser(prog="municms.serve_workers")
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--ready", type=int, required=True)
    parser.add_argument("--instance", type=Path, required=True)
    parser.add_argument("--parent", type=int, required=True)
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--current", type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    from .serve import site_and_editorial_app
    from .web import create_app

    _exit_with_parent(args.parent)
    sock = socket.socket(fileno=args.fd)
    app = site_and_editorial_app(SiteChoice(args.site, args.current).resolver(), create_app(args.instance))
    try:
        os.write(args.ready, b"1")
        os.close(args.ready)
    except OSError:   # the parent no longer waits
        pass
    run_server(app, sock)


if __name__ == "__main__":
    worker_main()
