"""bench/run.py end to end on a tiny corpus: every system runs and every row is printed. Timings are not tested."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.run import ROWS
from tests.conftest import REPO, require


@pytest.mark.slow
def test_bench_run_prints_every_row(tmp_path: Path):
    require(shutil.which("hugo", path=str(Path(sys.executable).parent)) is not None, "Hugo (the bench extra)")
    readme = tmp_path / "README.md"
    done = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--items", "30", "--repeat", "1",
                           "--readme", str(readme)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    printed = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    written = readme.read_text(encoding="utf-8")
    assert [line.split(" | ")[0].removeprefix("| ") for line in printed[1:]] == list(ROWS)
    for line in printed:
        assert line in written
    assert "30 items, 1 run(s) each" in written


@pytest.mark.slow
def test_bench_publish_publishes_each_item_and_prints_every_run():
    done = subprocess.run([sys.executable, str(REPO / "bench" / "publish.py"), "--articles", "30", "--repeat", "2"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "articles: 30"
    assert any(line.startswith("publish of one item: ") for line in lines)
    [later] = [line for line in lines if line.startswith("later one-item publishes")]
    assert later.count(" s;") == 1 and len(later.split(": ")[1].split(";")[0].split(", ")) == 2
    [banner] = [line for line in lines if line.startswith("emergency banner: ")]
    assert " page(s) rendered, " in banner
