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


def test_two_hosts_approve_and_publish_at_once_and_the_register_stays_one_chain(municipality, tmp_path):
    """Two hosts (instance folders) sharing the ledger each approve an item and publish at the same time through
    the command line: the deploy lock in the database lets one publisher at a time write the register."""
    from municms.register.chain import check_chain
    from tests.municipality import PASSWORD

    m = municipality("tiny")
    items = [m.submit("duyuru", "Su Kesintisi"), m.submit("haber", "Zabıta Haftası")]
    for item in items:
        m.assign(item.number, to="web1")
        m.review(item.number, by="web1")
    m.person("web2")
    second = tmp_path / "ikinci-sunucu"
    shutil.copytree(m.root, second, ignore=shutil.ignore_patterns("var", "submissions"))
    script = (f'"{sys.executable}" "{REPO / "publish.py"}" --instance "$1" approve "$2" --as web2 --password-stdin '
              f'<<< "{PASSWORD}" && "{sys.executable}" "{REPO / "publish.py"}" --instance "$1" publish --system')
    runs = [subprocess.Popen(["bash", "-c", script, "host", str(root), item.number], cwd=str(root),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
            for root, item in zip((m.root, second), items)]
    published = []
    for run in runs:
        out, err = run.communicate(timeout=600)
        assert run.returncode == 0, err
        assert " onaylandı. Durum: onaylandı.\nYayın " in out and " yayında (" in out
        published += [number for line in out.splitlines() if line.startswith("  Yayımlanan: ")
                      for number in line[len("  Yayımlanan: "):].split(", ")]
    assert sorted(published) == sorted(item.number for item in items)  # each published once, by one host or the other
    rows = m.ledger.register_records()
    assert rows and [row["seq"] for row in rows] == list(range(1, len(rows) + 1))
    assert check_chain(rows) == []
    assert {m.ledger.item(item.number).state for item in items} == {"published"}
