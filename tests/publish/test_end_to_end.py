"""End to end: a sample dropped in the inbox is registered, assigned, approved by a second person, published,
served by real nginx from var/current and seen in real Chromium; an emergency banner goes live in seconds."""

from __future__ import annotations

import json
import shutil
import time
import urllib.request

import pytest

from municms.actions.approve import approve
from municms.actions.intake import intake_all
from municms.model import IN_REVIEW, PUBLISHED
from municms.scheduler import Scheduler
from tests.tinysite import REPO

SAMPLES = REPO / "tests" / "fixtures" / "samples" / "good"


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.mark.slow
@pytest.mark.browser
def test_dropped_sample_goes_live_on_nginx_and_in_chromium(site, nginx, page):
    inbox = site.paths.inbox / "fen-isleri"
    inbox.mkdir(parents=True)
    shutil.copy2(SAMPLES / "fen-isleri" / "isikli-carsi-ihalesi.md", inbox / "isikli-carsi-ihalesi.md")
    [result] = intake_all(site.ledger, site.instance, site.paths, site.clock)
    assert result.status == "registered"
    number = result.number
    site.assign(number, to="web1", by="mudur1")
    site.review(number, by="web1")
    site.approve(number, by="web2")  # a second person: the reviewer may not approve
    released = site.publish()
    assert released.items == [number]
    assert site.ledger.item(number).state == PUBLISHED

    base = nginx(site.paths.current)
    url = f"{base}/duyurular/2026/isikli-carsi-ihalesi-sonuclandi/"
    page.goto(url)
    assert page.locator("h1").inner_text() == "Işıklı Çarşı İhalesi Sonuçlandı"
    assert page.locator("article time").first.inner_text() == "25 Kasım 2026 Çarşamba"
    assert page.locator("article time").first.get_attribute("datetime").startswith("2026-11-25T12:00:00")
    assert f"Kayıt no: {number}" in page.locator("article .meta").inner_text()
    assert page.locator("article table td").first.inner_text() == "Örnek Yapı A.Ş."
    assert json.loads(fetch(base + "/surum.json"))["release"] == released.release_id  # nginx serves the release
    page.goto(base + "/duyurular/")
    page.get_by_role("link", name="Işıklı Çarşı İhalesi Sonuçlandı").click()
    assert page.url == url


@pytest.mark.slow
def test_emergency_banner_with_two_approvals_is_live_within_ten_seconds(site, nginx):
    scheduler = Scheduler(site.ledger, site.instance, site.paths, site.clock, interval=120).start()
    try:
        deadline = time.monotonic() + 60
        while scheduler.passes < 1 and time.monotonic() < deadline:  # first pass deploys the site
            time.sleep(0.05)
        assert scheduler.passes >= 1 and site.paths.current.exists()
        base = nginx(site.paths.current)
        assert "emergency-banner" not in fetch(base + "/")
        item = site.submit("acil-duyuru", "Acil: Merkez İlçede Su Kesintisi",
                           "Ana isale hattındaki arıza nedeniyle su kesintisi. Bilgi için **ALO 153**.",
                           bitis="2026-11-30 18:00")
        assert site.approve(item.number, by="web2").state == IN_REVIEW  # one approval is not enough
        second = site.actor("mudur1")
        time.sleep(0.5)
        assert "Su Kesintisi" not in fetch(base + "/")
        started = time.monotonic()
        approve(site.ledger, site.instance, item.number, second, site.clock)  # second, distinct approver
        home = ""
        while time.monotonic() - started < 10:
            home = fetch(base + "/")
            if "Acil: Merkez İlçede Su Kesintisi" in home:
                break
            time.sleep(0.1)
        elapsed = time.monotonic() - started
        assert '<section class="emergency-banner" role="alert"' in home, f"not live after {elapsed:.1f} s"
        assert "<strong>ALO 153</strong>" in home
        print(f"emergency banner live after {elapsed:.2f} s")
        deadline = time.monotonic() + 10
        while site.ledger.item(item.number).state != PUBLISHED and time.monotonic() < deadline:
            time.sleep(0.05)
        assert site.ledger.item(item.number).state == PUBLISHED
        assert scheduler.last_error is None
    finally:
        scheduler.stop()
