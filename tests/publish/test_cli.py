"""`publish.py publish`: a real subprocess on a real instance and ledger."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from municms.model import APPROVED, PUBLISHED
from tests.tinysite import REPO


def run_cli(site, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, str(REPO / "publish.py"), "--instance", str(site.paths.root), *args],
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.slow
def test_publish_command_prints_release_items_and_seconds(site):
    item = site.submit("haber", "Komut Satırından Haber", "Metin.")
    site.approve(item.number)
    done = run_cli(site, "publish", "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["ok"] is True and payload["items"] == [item.number]
    assert payload["release_id"] == os.path.basename(os.readlink(site.paths.current))
    assert payload["seconds"] > 0
    assert site.ledger.item(item.number).state == PUBLISHED
    human = run_cli(site, "publish")
    assert human.returncode == 0
    assert human.stdout.startswith("Yayın ") and "Yeni yayımlanan içerik yok." in human.stdout


@pytest.mark.slow
def test_publish_command_fails_with_the_turkish_reason(site):
    item = site.submit("duyuru", "Eksik Sayfaya Bağlanan Duyuru", "Bkz. [yönetmelik](/yonetmelik/).")
    site.approve(item.number)
    done = run_cli(site, "publish")
    assert done.returncode == 1
    assert "HATA: Yayın yapılmadı" in done.stderr
    assert item.number in done.stderr and "kural 'links'" in done.stderr
    assert "sayfa duyurular/2026/eksik-sayfaya-baglanan-duyuru/index.html" in done.stderr
    assert site.ledger.item(item.number).state == APPROVED
    assert not site.paths.current.exists()


def test_publish_as_an_editor_is_refused_before_anything_is_written(site):
    item = site.submit("haber", "Yetkisiz Yayın", "Metin.")
    site.approve(item.number)
    done = run_cli(site, "publish", "--as", "web1")
    assert done.returncode == 1
    assert "yetkiniz yok" in done.stderr
    assert not list(site.paths.content.rglob("yetkisiz-yayin*"))
    assert not site.paths.current.exists()
