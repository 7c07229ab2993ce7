"""Fixtures of the intake tests: the parts of tests/municipality.py's bare instance one at a time (intake is the
front door itself: these tests drop files and call it, so they need the folder, ledger and clock separately,
e.g. to open the ledger under a given umask), plus drop helpers. Tests that act on items use `municipality`."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from municms.clock import FixedClock
from municms.config import load_instance
from municms.db import ledger_target
from municms.ledger import open_ledger
from municms.paths import InstancePaths
from tests.conftest import LEDGER_BACKENDS, use_postgres
from tests.municipality import bare_instance

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "tests" / "fixtures" / "samples"
NOW = dt.datetime(2026, 11, 25, 14, 30, tzinfo=ZoneInfo("Europe/Istanbul"))
# Subprocesses (intake, watch) run on the real clock: their numbers carry this year.
THIS_YEAR = str(dt.datetime.now(ZoneInfo("Europe/Istanbul")).year)


def number(seq: int) -> str:
    """Registration number of this year, as a subprocess assigns it."""
    return f"BİM-{THIS_YEAR}-{seq:06d}"


@pytest.fixture(params=LEDGER_BACKENDS)
def ledger_backend(request) -> str:
    """The intake suite runs on both ledger backends (a module about the SQLite file overrides this)."""
    return request.param


@pytest.fixture
def root(tmp_path, ledger_backend, request) -> Path:
    """An instance folder holding the repository's instance.yaml and nothing else (as municipality("bare")),
    its ledger in a fresh PostgreSQL database when ledger_backend is "postgresql"."""
    folder = bare_instance(tmp_path / "instance")
    if ledger_backend == "postgresql":
        use_postgres(folder, request.getfixturevalue("pg_server").create_database())
    return folder


@pytest.fixture
def instance(root):
    return load_instance(root)


@pytest.fixture
def paths(root) -> InstancePaths:
    return InstancePaths(root)


@pytest.fixture
def ledger(instance, paths):
    ledger = open_ledger(ledger_target(instance, paths))
    yield ledger
    ledger.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


def drop(paths: InstancePaths, department: str, name: str, content: str | bytes) -> Path:
    """Put a file into submissions/inbox/<department>/ as a department would: its copy finished a minute ago
    (one-shot `intake` leaves files written within the quiet period for its next pass)."""
    folder = paths.inbox / department
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if isinstance(content, str):
        target.write_text(content, encoding="utf-8")
    else:
        target.write_bytes(content)
    finished = time.time() - 60
    os.utime(target, (finished, finished))
    return target


def submission_text(tur: str = "duyuru", baslik: str = "Deneme Duyurusu", body: str = "Gövde metni.\n",
                    **front) -> str:
    """A Markdown submission with the given front matter (values written as given)."""
    lines = ["---", f"tur: {tur}", f'baslik: "{baslik}"'] + [f"{k}: {v}" for k, v in front.items()] + ["---"]
    return "\n".join(lines) + "\n" + body


def run_cli(root: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """python publish.py --instance ROOT ARGS… in a real subprocess."""
    return subprocess.run([sys.executable, str(REPO / "publish.py"), "--instance", str(root), *args],
                          capture_output=True, text=True, timeout=timeout, cwd=str(root),
                          env={**os.environ, "PYTHONPATH": str(REPO)})
