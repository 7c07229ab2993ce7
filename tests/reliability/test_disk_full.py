"""A full disk during intake, publish (build) and deploy: a clear Turkish error, nothing half-done, the previous
release still served; once space returns, a rerun goes through with gapless numbers.

The instance lives on a small tmpfs this test mounts (root), filled by a filler file to leave little space;
every command runs in a real subprocess (`publish.py`, `python -m municms.deploy`)."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from municms.build import build_site
from municms.deploy.local import LocalTarget
from municms.health import DiskFull
from municms.incremental.registry import state_for
from municms.ledger import open_ledger
from municms.model import PUBLISHED
from municms.scheduler import Scheduler
from tests.conftest import require
from tests.tinysite import REPO

SIZE = "48m"


class SmallDisk:
    """A tmpfs of SIZE at `root`, and a filler file that takes all but `leave` bytes of it."""

    def __init__(self, root: Path):
        self.root = root
        self.filler = root / f".doldurucu-{uuid.uuid4().hex[:6]}"

    def fill(self, leave: int = 0) -> None:
        """Write until the file system says ENOSPC (in ever smaller pieces, down to one page), then give back
        `leave` bytes."""
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            size = 1 << 20
            while size >= 4096:
                try:
                    os.write(fd, b"\0" * size)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
                    size //= 2
            os.ftruncate(fd, max(0, os.fstat(fd).st_size - leave))
        finally:
            os.close(fd)
        stat = os.statvfs(self.root)
        assert stat.f_bavail * stat.f_frsize <= leave + 8192

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)


@pytest.fixture
def small_disk(tmp_path):
    root = tmp_path / "kucuk-disk"
    root.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(root)],
                                                    capture_output=True).returncode == 0
    require(mounted, "mounting a tmpfs (running as root) for the disk-full tests")
    try:
        yield SmallDisk(root)
    finally:
        subprocess.run(["umount", "-l", str(root)], check=False)


def sequence(number: str) -> int:
    return int(re.findall(r"\d+", number)[-1])


def numbers(m) -> list[str]:
    ledger = open_ledger(m.paths.database)
    try:
        return sorted((item.number for item in ledger.items()), key=sequence)
    finally:
        ledger.close()


def assert_gapless(found: list[str]) -> None:
    assert [sequence(n) for n in found] == list(range(sequence(found[0]), sequence(found[0]) + len(found))), found


def assert_clear_disk_full(run: subprocess.CompletedProcess) -> None:
    assert run.returncode == 1, run
    assert "UYARI: Diskte çok az yer kaldı" in run.stderr.split("HATA:")[0], run.stderr
    assert "\nHATA: Diskte yer kalmadı" in run.stderr, run.stderr
    assert "Yapılacak: diskte yer açın" in run.stderr
    # a traceback only in the -v debug log of the error, never as the outcome
    assert "Traceback" not in run.stderr.split("DEBUG municms: error detail:")[0] + run.stdout, run.stderr


# Where the disk runs out: opening the ledger (its -shm file cannot grow), copying the submission into
# registered/, or SQLite's write of the registration (SQLITE_FULL inside the transaction, rolled back).
@pytest.mark.parametrize("where", ["ledger-open", "registered-copy", "sqlite-full"])
def test_intake_on_a_full_disk_leaves_the_submission_in_the_inbox_and_takes_no_number(small_disk, municipality,
                                                                                      where):
    m = municipality("bare", name="kucuk-disk/bare")
    for i in range(2):
        m.submit("duyuru", f"Su Kesintisi {i}", "Mahallede su kesintisi olacaktır.\n")
    m.close()
    before = numbers(m)
    dropped = m.paths.inbox / "fen-isleri" / "yol-calismasi.md"
    text = ("---\ntur: duyuru\nbaslik: Yol Çalışması\n---\n" + "Cumhuriyet Caddesi'nde yol çalışması yapılacaktır.\n"
            * 4000)
    dropped.write_text(text, encoding="utf-8")
    size = len(text.encode("utf-8"))
    # nothing; less than the registered copy; the two staged copies (original.md, index.md) but not SQLite's write
    # of the revision, which holds the text too
    small_disk.fill(leave={"ledger-open": 0, "registered-copy": size // 2, "sqlite-full": 2 * size + 48 * 1024}[where])

    run = m.cli("-v", "intake", "--quiet", "0")
    assert_clear_disk_full(run)
    detail = {"ledger-open": "while kayıt veritabanını açma: disk I/O error",
              "registered-copy": "/registered/2026/.staging-",
              "sqlite-full": "while gönderi alımı: database or disk is full"}[where]
    assert detail in run.stderr, run.stderr  # the English detail (-v) shows where the disk ran out
    assert dropped.read_text(encoding="utf-8") == text  # back in the inbox, untouched
    assert not [p for p in (m.paths.submissions / "processing").rglob("*") if p.is_file()
                and ".sessions" not in p.parts]
    assert not m.paths.quarantine.exists() or not any(m.paths.quarantine.rglob("*"))
    registered = sorted(p.name for p in m.paths.registered.rglob("*"))

    small_disk.free()
    assert numbers(m) == before  # no half registration, no number consumed
    assert sorted(p.name for p in m.paths.registered.rglob("*")) == registered
    code, out, err = m.run("intake", "--quiet", "0")
    assert code == 0, err
    assert "1 kaydedildi" in out
    after = numbers(m)
    assert after[:2] == before and len(after) == 3
    assert_gapless(after)
    assert not dropped.exists()


def served(m) -> str:
    return os.path.basename(os.readlink(m.paths.current))


def test_publish_on_a_full_disk_keeps_the_previous_release_and_marks_nothing_published(small_disk, municipality):
    m = municipality("tiny", name="kucuk-disk/tiny")
    first = m.publish().release_id
    item = m.approve(m.submit("haber", "Park Açıldı", "Yeni park açıldı.\n" * 200).number)
    m.close()
    small_disk.fill(leave=64 * 1024)

    run = m.cli("publish", "--system")
    assert_clear_disk_full(run)
    assert served(m) == first
    assert json.loads((m.paths.current / "surum.json").read_text(encoding="utf-8"))["release"] == first
    ledger = open_ledger(m.paths.database)
    assert ledger.item(item.number).state != PUBLISHED
    ledger.close()
    assert not list(m.paths.releases.glob("*.tmp"))

    # the scheduler inside `serve` meets the same full disk: a clear error kept for the panel, and no "nothing
    # changed since the last failure" pause: once space returns, its next pass publishes
    ledger = open_ledger(m.paths.database)
    scheduler = Scheduler(ledger, m.instance, m.paths, m.clock)
    assert scheduler.run_once() is None
    assert scheduler.last_error.message_tr.startswith("Diskte yer kalmadı"), scheduler.last_error.message_tr
    assert served(m) == first

    small_disk.free()
    result = scheduler.run_once()
    ledger.close()
    assert result is not None and scheduler.last_error is None
    preparing = state_for(m.paths).preparing  # the search bundles the pass started preparing in the background
    if preparing is not None:
        preparing.join(timeout=120)  # finished before this disk goes away
    assert served(m) != first
    ledger = open_ledger(m.paths.database)
    assert ledger.item(item.number).state == PUBLISHED
    ledger.close()
    assert_gapless(numbers(m))


def test_deploy_on_a_full_disk_leaves_the_previous_release_live_and_no_half_release(small_disk, municipality,
                                                                                    tmp_path):
    m = municipality("tiny", name="kucuk-disk/tiny")
    first = m.publish().release_id
    m.close()
    build = tmp_path / "derleme"  # built on the big disk; only the deploy writes to the full one
    build_site(m.instance, build, check=False)
    (build / "buyuk-ek.bin").write_bytes(os.urandom(2 << 20))  # a new 2 MiB file: a new shard to write
    small_disk.fill(leave=256 * 1024)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    deploy = [sys.executable, "-m", "municms.deploy", "--instance", str(m.root), "--system", str(build),
              "20991231-235959"]

    run = subprocess.run(deploy, capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 1, run
    last = json.loads(run.stdout.strip().splitlines()[-1])
    assert last["ok"] is False and last["error"] == "DiskFull", last
    assert last["message"].startswith("Diskte yer kalmadı yayına alma sırasında"), last
    assert "Traceback" not in run.stderr, run.stderr
    assert served(m) == first
    assert not (m.paths.releases / "20991231-235959").exists()
    assert not list(m.paths.releases.glob("*.tmp")) and not list((m.paths.var / "shards").glob("*.tmp"))

    # the release itself does not fit (no register copy first): the target removes its half-written *.tmp at once
    with pytest.raises(DiskFull) as raised:
        LocalTarget(m.paths).deploy(build, "20991231-235958", {})
    assert raised.value.message_tr.startswith("Diskte yer kalmadı yayına alma sırasında")
    assert served(m) == first and not (m.paths.releases / "20991231-235958").exists()
    assert not list(m.paths.releases.glob("*.tmp")) and not list((m.paths.var / "shards").glob("*.tmp"))

    small_disk.free()
    run = subprocess.run(deploy, capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run
    assert served(m) == "20991231-235959"
    assert (m.paths.current / "buyuk-ek.bin").stat().st_size == 2 << 20
