"""`publish.py serve` runs the scheduler and the inbox watcher: what is due is published before the first
request, items approved later (here by another process) go live without anyone running publish, and a file
dropped in an inbox is registered."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from municms.model import PUBLISHED
from tests.servers import free_port
from tests.tinysite import REPO

SAMPLE = REPO / "tests" / "fixtures" / "samples" / "good" / "fen-isleri" / "isikli-carsi-ihalesi.md"


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


@pytest.mark.slow
def test_serve_publishes_due_items_and_follows_new_approvals(site):
    first = site.submit("haber", "Açılıştan Önce Onaylanan Haber", "Metin.")
    site.approve(first.number)
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    process = subprocess.Popen([sys.executable, str(REPO / "publish.py"), "--instance", str(site.paths.root),
                                "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith(f"Site yayında: http://127.0.0.1:{port}/"), line
        base = f"http://127.0.0.1:{port}"
        status, html = get(base + "/haberler/2026/acilistan-once-onaylanan-haber/")
        assert status == 200 and "<h1>Açılıştan Önce Onaylanan Haber</h1>" in html
        assert site.ledger.item(first.number).state == PUBLISHED

        second = site.submit("duyuru", "Sonradan Onaylanan Duyuru", "Metin.")
        site.approve(second.number)  # in this process: serve sees it at its next interval (5 s)
        started = time.monotonic()
        status = 404
        while time.monotonic() - started < 30 and status != 200:
            time.sleep(0.25)
            status, html = get(base + "/duyurular/2026/sonradan-onaylanan-duyuru/")
        assert status == 200, "the approved item did not go live"
        assert time.monotonic() - started < 15

        inbox = site.paths.inbox / "fen-isleri"  # the inbox watcher runs inside serve too
        shutil.copy2(SAMPLE, inbox / SAMPLE.name)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and len(site.ledger.items()) < 3:
            time.sleep(0.2)
        titles = [item.title for item in site.ledger.items()]
        assert titles[-1] == "Işıklı Çarşı İhalesi Sonuçlandı", titles
        assert not (inbox / SAMPLE.name).exists()
    finally:
        process.terminate()
        # serve gives its workers 10 s to finish open requests and waits for a scheduler pass in progress
        process.wait(timeout=90)
