"""Crash safety: an intake process killed with SIGKILL at random moments loses nothing and skips no number."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from municms.actions.intake import processing_dir

from .conftest import REPO, THIS_YEAR, drop, run_cli, submission_text

DEPARTMENTS = ["zabita", "fen-isleri", "mali-hizmetler", "basin-yayin"]
# enough files that 25 kills land before the inbox is empty, even on an idle machine where a run registers
# many files in the few milliseconds before its kill
FILES = 400


def _claims(paths) -> set[str]:
    """Names of the files held in submissions/processing/<department>/ (they carry the claiming session)."""
    processing = processing_dir(paths)
    return {name for d in DEPARTMENTS if (processing / d).is_dir() for name in os.listdir(processing / d)}


@pytest.mark.slow
def test_sigkill_at_random_moments_then_rerun(root, paths, ledger):
    rng = random.Random(20261125)
    titles: set[str] = set()

    def drop_batch() -> None:
        """FILES more files; on a loaded machine a late kill lets one run register many, so the test drops more
        rather than stopping with too few kills."""
        for n in range(len(titles), len(titles) + FILES):
            title = f"Kriz Testi Gönderisi {n:04d}"
            titles.add(title)
            drop(paths, DEPARTMENTS[n % 4], f"dosya-{n:04d}.md", submission_text(baslik=title, body=f"Metin {n}.\n"))

    drop_batch()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, str(REPO / "publish.py"), "--instance", str(root), "intake"]
    # Most runs are killed a random 0–30 ms after claiming their first file, so the kill lands while files
    # are claimed, copied, committed or cleaned up; every fourth run is killed earlier, while it recovers
    # what the previous one left (the last stretch before its first claim).
    kills, to_first_claim = 0, 1.0
    for run in range(80):
        left_over = _claims(paths)  # claims of the run killed before, recovered by this one
        started = time.monotonic()
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        if run % 4 == 3:
            time.sleep(to_first_claim * rng.uniform(0.8, 1.0))
        else:
            while proc.poll() is None and not _claims(paths) - left_over:
                time.sleep(0.003)
            to_first_claim = time.monotonic() - started
            time.sleep(rng.uniform(0.0, 0.02))  # short enough that the files outlast 25 kills on an idle machine
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
        if kills == 25:
            break  # the final pass below takes what is left
        if not any(p.is_file() for p in paths.inbox.rglob("*")):
            drop_batch()
    assert kills >= 20
    final = run_cli(root, "intake")
    assert final.returncode == 0, final.stderr
    items = ledger.items()
    assert sorted(i.seq for i in items) == list(range(1, len(titles) + 1))  # gapless, each number once
    assert sorted(i.title for i in items) == sorted(titles)     # each file once
    assert len(ledger.events()) == len(titles)
    registered = sorted(p.name for p in (paths.registered / THIS_YEAR).iterdir())
    assert registered == sorted(i.number for i in items)       # no orphan or staging folders
    for item in items:
        folder = paths.registered / THIS_YEAR / item.number
        assert sorted(p.name for p in folder.iterdir()) == ["index.md", "original.md"]
        assert item.title in (folder / "index.md").read_text(encoding="utf-8")
    receipts = sorted(p for p in paths.receipts.rglob("*.alindi.txt"))
    assert len(receipts) == len(titles)
    assert sorted(r.read_text(encoding="utf-8").split("Kayıt numarası : ")[1][:15] for r in receipts) == \
        sorted(i.number for i in items)
    assert [p for p in paths.inbox.rglob("*") if p.is_file()] == []
    assert [p for p in processing_dir(paths).rglob("*") if p.is_file()] == []
    assert not paths.quarantine.exists() or [p for p in paths.quarantine.rglob("*") if p.is_file()] == []
