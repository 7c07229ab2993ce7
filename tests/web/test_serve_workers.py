"""`publish.py serve --workers 2`: two worker processes answer on one port, a killed worker is replaced, the
inbox watcher and the scheduler run once (in the parent), and SIGTERM or SIGINT stops everything: no worker
is left behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.servers import free_port

from .test_serve import fetch

SAMPLE = REPO / "tests" / "fixtures" / "samples" / "good" / "fen-isleri" / "isikli-carsi-ihalesi.md"


def children(pid: int) -> set[int]:
    """The live child processes of `pid` (Linux /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(pid) and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def watches_files(pid: int) -> bool:
    """Whether the process holds an inotify instance (the inbox watcher's observer)."""
    fds = Path(f"/proc/{pid}/fd")
    return any(os.readlink(fd) == "anon_inode:inotify" for fd in fds.iterdir() if fd.is_symlink())


def wait_for(condition, timeout: float = 30, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def answers(base: str) -> bool:
    return fetch(f"{base}/yonetim/giris")[0] == 200


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_two_workers_answer_the_watcher_runs_once_and_a_signal_stops_them_all(municipality, stop):
    m = municipality("tiny")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, str(REPO / "publish.py"), "--instance", str(m.root), "serve", "--host", "127.0.0.1",
         "--port", str(port), "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)})
    workers: set[int] = set()
    try:
        assert process.stdout.readline().startswith(f"Site yayında: {base}/")
        wait_for(lambda: len(children(process.pid)) == 2, what="two workers")
        workers = children(process.pid)
        assert answers(base) and fetch(base + "/")[0] == 200
        # Each worker alone answers: the other one is stopped (SIGSTOP) while a request is made.
        for paused in sorted(workers):
            os.kill(paused, signal.SIGSTOP)
            try:
                assert answers(base), f"no answer while worker {paused} was paused"
            finally:
                os.kill(paused, signal.SIGCONT)

        # The inbox watcher (and the scheduler started with it) live in the parent only.
        assert watches_files(process.pid)
        assert not any(watches_files(pid) for pid in workers)
        inbox = m.paths.inbox / "fen-isleri"
        inbox.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SAMPLE, inbox / SAMPLE.name)
        wait_for(lambda: m.ledger.items(), what="the watcher to register the file")
        assert [item.title for item in m.ledger.items()] == ["Işıklı Çarşı İhalesi Sonuçlandı"]
        assert not (inbox / SAMPLE.name).exists()

        # A worker killed outright is replaced; the other keeps answering meanwhile.
        killed = min(workers)
        os.kill(killed, signal.SIGKILL)
        assert answers(base)
        wait_for(lambda: len(children(process.pid) - {killed}) == 2, what="a new worker")
        workers = children(process.pid)
        assert killed not in workers and answers(base)

        process.send_signal(stop)
        assert process.wait(timeout=30) == 0, process.stderr.read()
        wait_for(lambda: not any(alive(pid) for pid in workers), timeout=5, what="the workers to exit")
        with pytest.raises(OSError):  # nobody listens any more
            urllib.request.urlopen(base + "/", timeout=5)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
