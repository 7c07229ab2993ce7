"""`publish.py publish`: a real subprocess on a real instance and ledger, run by a proven actor."""

from __future__ import annotations

import json
import os

import pytest

from municms.model import APPROVED, PUBLISHED
from tests.publish.test_hold_back import require_missing_page


@pytest.mark.slow
def test_publish_command_prints_release_items_and_seconds(site):
    item = site.submit("haber", "Komut Satırından Haber", "Metin.")
    site.approve(item.number)
    done = site.cli("publish", "--system", "--json")  # the instance owner's automation (cron)
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["ok"] is True and payload["items"] == [item.number]
    assert payload["release_id"] == os.path.basename(os.readlink(site.paths.current))
    assert payload["seconds"] > 0
    assert site.ledger.item(item.number).state == PUBLISHED
    event = site.ledger.events(item.id)[-1]
    assert (event.action, event.actor) == ("publish", "sistem")
    assert event.data["via"].startswith("--system (işletim sistemi kullanıcısı ")
    human = site.cli("publish", "--reason", "Basın toplantısı.", login="mudur1")
    assert human.returncode == 0, human.stderr
    assert human.stdout.startswith("Yayın ") and "Yeni yayımlanan içerik yok." in human.stdout


@pytest.mark.slow
def test_publish_command_holds_back_a_broken_item_and_fails_with_the_turkish_reason(site):
    item = site.submit("duyuru", "Eksik Sayfaya Bağlanan Duyuru", "Bkz. [yönetmelik](/yonetmelik/).")
    site.approve(item.number)
    held = site.cli("publish", "--system")  # the broken item waits, the rest of the site goes live
    assert held.returncode == 0, held.stderr
    assert (f"  Alıkonulan: {item.number} (sayfa duyurular/2026/eksik-sayfaya-baglanan-duyuru/index.html, "
            "kural 'links'): Bağlantı '/yonetmelik/' hiçbir dosyaya gitmiyor.") in held.stdout
    assert site.ledger.item(item.number).state == APPROVED
    require_missing_page(site)  # a failure no item explains: nothing is deployed
    done = site.cli("publish", "--system")
    assert done.returncode == 1
    assert "HATA: Yayın yapılmadı" in done.stderr
    assert "içerik belirsiz: sayfa olmayan-zorunlu/index.html, kural 'required'" in done.stderr
    assert len(os.listdir(site.paths.releases)) == 2  # the first release and its metadata only


@pytest.mark.parametrize("login", ["web1", None])
def test_publish_by_an_editor_or_by_nobody_is_refused_before_anything_is_written(site, login):
    item = site.submit("haber", "Yetkisiz Yayın", "Metin.")
    site.approve(item.number)
    events = len(site.ledger.events())
    done = site.cli("publish", login=login)
    assert done.returncode == 1
    if login:
        assert done.stderr.strip() == "HATA: Yayımlama yetkiniz yok (editör: web1)."
    else:
        assert done.stderr.startswith("HATA: Bu komut kimlik doğrulaması ister")
    assert [e.action for e in site.ledger.events()[events:]] == ([] if login else ["login_failed"])
    assert site.ledger.item(item.number).state == APPROVED
    assert not list(site.paths.content.rglob("yetkisiz-yayin*"))
    assert not site.paths.current.exists()
