"""The `watch` command as a real subprocess: files present at start, new drops within 2 s, slow writers,
temporary files ignored, bundles, clean stop on SIGTERM."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time

import pytest

from .conftest import REPO, SAMPLES, drop, number, submission_text


class Watch:
    """`publish.py watch --json` running in the background; results arrive as JSON lines."""

    def __init__(self, root):
        self.proc = subprocess.Popen(
            [sys.executable, str(REPO / "publish.py"), "--instance", str(root), "watch", "--json"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))

    def next(self, timeout: float) -> dict:
        return self.lines.get(timeout=timeout)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=10)


@pytest.fixture
def watch(root, paths):
    drop(paths, "zabita", "baslangicta-vardi.md", submission_text(baslik="Başlangıçta vardı"))
    running = Watch(root)
    first = running.next(timeout=30)  # files present at start are taken; the watcher is up
    assert (first["name"], first["status"], first["number"]) == ("baslangicta-vardi.md", "registered",
                                                                   number(1))
    yield running
    running.stop()


def test_dropped_file_is_registered_within_two_seconds(watch, paths):
    temp = paths.inbox / "fen-isleri" / ".yeni.md.tmp"  # written whole, then renamed, as editors save
    temp.write_text(submission_text(baslik="Yeni Duyuru"), encoding="utf-8")
    dropped = time.monotonic()
    temp.rename(paths.inbox / "fen-isleri" / "yeni.md")
    result = watch.next(timeout=5)
    assert time.monotonic() - dropped < 2.0
    assert (result["department"], result["name"], result["status"], result["number"]) == \
        ("fen-isleri", "yeni.md", "registered", number(2))
    assert (paths.receipts / "fen-isleri" / "yeni.md.alindi.txt").is_file()


def test_slowly_written_file_is_registered_once_and_complete(watch, paths, ledger):
    body = "".join(f"Paragraf {n}: yavaş yazılan uzun bir metin.\n\n" for n in range(10))
    text = submission_text(baslik="Yavaş Yazılan", body=body).encode("utf-8")
    chunks = [text[i:i + len(text) // 5 + 1] for i in range(0, len(text), len(text) // 5 + 1)]
    with open(paths.inbox / "mali-hizmetler" / "yavas.md", "wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
            handle.flush()
            time.sleep(0.15)
    result = watch.next(timeout=5)
    assert (result["name"], result["status"]) == ("yavas.md", "registered")
    with pytest.raises(queue.Empty):
        watch.next(timeout=1.5)
    revision = ledger.revisions(ledger.item(result["number"]).id)[0]
    assert revision.body == body.strip("\n") + "\n"


def test_temporary_files_are_ignored_and_bundles_wait_for_quiet(watch, paths):
    for name in ("~$taslak.docx", "indirme.md.part", ".~lock.duyuru.md#", ".gizli.md", "duyuru.md.swp"):
        drop(paths, "zabita", name, submission_text())
    bundle = paths.inbox / "strateji-gelistirme" / "rapor"
    bundle.mkdir()
    source = SAMPLES / "good" / "strateji-gelistirme" / "2025-faaliyet-raporu"
    (bundle / "faaliyet-raporu-2025.pdf.part").write_bytes((source / "faaliyet-raporu-2025.pdf").read_bytes())
    (bundle / "index.md").write_bytes((source / "index.md").read_bytes())
    with pytest.raises(queue.Empty):  # a .part file inside: the copy is not finished
        watch.next(timeout=1.5)
    (bundle / "faaliyet-raporu-2025.pdf.part").rename(bundle / "faaliyet-raporu-2025.pdf")
    result = watch.next(timeout=5)
    assert (result["name"], result["status"], result["number"]) == ("rapor", "registered", number(2))
    assert sorted(p.name for p in (paths.inbox / "zabita").iterdir()) == sorted(
        ["~$taslak.docx", "indirme.md.part", ".~lock.duyuru.md#", ".gizli.md", "duyuru.md.swp"])


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl+C"])
def test_stops_cleanly(watch, paths, signum):
    watch.proc.send_signal(signum)
    assert watch.proc.wait(timeout=10) == 0
    assert watch.proc.stderr.read().count("Traceback") == 0
    assert list((paths.submissions / "processing" / ".sessions").glob("*.lock")) == []


@pytest.mark.slow
def test_unexpected_failure_is_not_retried_in_a_loop(watch, paths):
    paths.registered.rename(paths.submissions / "registered-yedek")
    paths.registered.write_text("klasör değil", encoding="utf-8")  # registration cannot write its copy
    drop(paths, "zabita", "bekleyen.md", submission_text(baslik="Bekleyen"))
    with pytest.raises(queue.Empty):
        watch.next(timeout=6.5)  # longer than a rescan period
    assert (paths.inbox / "zabita" / "bekleyen.md").is_file()  # back in the inbox, not lost
    paths.registered.unlink()
    (paths.submissions / "registered-yedek").rename(paths.registered)
    os.utime(paths.inbox / "zabita" / "bekleyen.md")  # the department saves it again
    result = watch.next(timeout=5)
    assert (result["name"], result["status"], result["number"]) == ("bekleyen.md", "registered", number(2))
    assert watch.stop() == 0
    assert watch.proc.stderr.read().count("intake of") == 1
