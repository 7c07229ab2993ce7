"""One publisher at a time across hosts: with the ledger in PostgreSQL, the scheduler of only one host acts (the
holder of the leader's advisory lock); a second host's stands by and takes over when the first is killed."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time

import pytest

from tests.municipality import REPO

# The real scheduler thread of `serve`, on the instance given, until killed.
HOST = """
import logging, sys, time
from municms.clock import SystemClock
from municms.config import load_instance
from municms.db import ledger_target
from municms.ledger import open_ledger
from municms.paths import InstancePaths
from municms.scheduler import Scheduler
logging.basicConfig(level=logging.INFO, stream=sys.stderr)
instance = load_instance(sys.argv[1])
paths = InstancePaths(instance.root)
Scheduler(open_ledger(ledger_target(instance, paths)), instance, paths, SystemClock(instance.tz), interval=0.5).start()
print("started", flush=True)
while True:
    time.sleep(1)
"""


@pytest.fixture
def ledger_backend() -> str:
    return "postgresql"


def _host(root) -> subprocess.Popen:
    """The host's scheduler; what it logs goes to ROOT.log (a pipe nobody reads could fill and stop it)."""
    log = open(f"{root}.log", "w")
    return subprocess.Popen([sys.executable, "-c", HOST, str(root)], cwd=REPO, stdout=subprocess.PIPE, stderr=log,
                            text=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def _wait_for(condition, timeout: float, what: str, process=None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process is not None and process.poll() is not None:
            pytest.fail(f"{what}: the host exited: {process.args[-1]}.log")
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout} s")
        time.sleep(0.2)


def test_a_standby_scheduler_takes_over_when_the_leader_is_killed(municipality, tmp_path):
    m = municipality("tiny")
    first = m.root
    second = tmp_path / "ikinci-sunucu"
    shutil.copytree(first, second, ignore=shutil.ignore_patterns("var", "submissions"))
    leader = _host(first)
    standby = None
    try:
        _wait_for(lambda: (first / "var" / "current").exists(), 240, "the first host publishes", leader)
        standby = _host(second)
        assert standby.stdout.readline().strip() == "started"
        time.sleep(4)  # eight intervals: a scheduler that did not stand by would have published by now
        assert not (second / "var" / "current").exists()
        leader.send_signal(signal.SIGKILL)
        leader.wait(timeout=30)
        _wait_for(lambda: (second / "var" / "current").exists(), 240, "the second host takes over", standby)
        standby.kill()
        standby.wait(timeout=30)
        assert "leading (advisory lock taken)" in open(f"{second}.log").read()
    finally:
        for process in (leader, standby):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=30)
