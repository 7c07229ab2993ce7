"""publish(): materialise → build → checks → deploy → mark published, with a real ledger and a real Pelican build."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from municms.build import build_site
from municms.deploy import get_target
from municms.errors import ValidationError
from municms.model import APPROVED, EXPIRED, PUBLISHED, SCHEDULED
from municms.scheduler import run_due
from tests.municipality import files_mentioning

BODY = "Işıklı Çarşı'nın yenileme ihalesi **sonuçlandı**."


def text_of(site, rel: str) -> str:
    return (site.paths.current / rel).read_text(encoding="utf-8")


@pytest.mark.slow
def test_due_item_is_published_deployed_and_recorded(site):
    item = site.submit("duyuru", "Işıklı Çarşı İhalesi Sonuçlandı", BODY, etiketler=["ihale"])
    site.approve(item.number)
    result = site.publish()
    assert result.items == [item.number]
    assert get_target(site.instance, site.paths).current().id == result.release_id
    page = text_of(site, "duyurular/2026/isikli-carsi-ihalesi-sonuclandi/index.html")
    assert "<h1>Işıklı Çarşı İhalesi Sonuçlandı</h1>" in page
    assert "municms-release" not in page  # no page names its release, so releases share unchanged pages
    assert json.loads(text_of(site, "surum.json"))["release"] == result.release_id
    assert f"Kayıt no: {item.number}" in page
    assert "Işıklı Çarşı İhalesi Sonuçlandı" in text_of(site, "duyurular/index.html")
    assert "Işıklı Çarşı İhalesi Sonuçlandı" in text_of(site, "atom.xml")
    published = site.ledger.item(item.number)
    assert (published.state, published.slug) == (PUBLISHED, "isikli-carsi-ihalesi-sonuclandi")
    event = site.ledger.events(item.id)[-1]
    assert (event.action, event.actor, event.from_state, event.to_state) == ("publish", "sistem", APPROVED, PUBLISHED)
    assert event.data == {"release": result.release_id, "url": "/duyurular/2026/isikli-carsi-ihalesi-sonuclandi/",
                          "via": "zamanlayıcı"}  # the system publishes on the scheduler's behalf
    assert (site.paths.logs / "builds" / f"{result.release_id}.log").is_file()
    assert not (site.paths.builds / result.release_id).exists()  # the build became the release
    release = get_target(site.instance, site.paths).current()
    assert (release.items, release.published_by) == ([item.number], "sistem")
    # publishing again with nothing new changes no content and publishes nothing
    again = site.publish()
    assert (again.items, again.files_written, again.files_removed) == ([], 0, 0)


@pytest.mark.slow
def test_embargoed_item_appears_nowhere_until_its_time(site):
    tomorrow = site.clock.now() + dt.timedelta(days=1)
    title = "Gülabibey Mahallesine Yeni Çocuk Parkı"
    item = site.submit("haber", title, "Park törenle açıldı.", yayin=tomorrow, etiketler=["park"])
    site.approve(item.number)
    first = run_due(site.ledger, site.instance, site.paths, site.clock)
    assert first.scheduled == [item.number]
    assert site.ledger.item(item.number).state == SCHEDULED
    assert first.published is not None and first.published.items == []  # first release of the site
    for needle in (title, item.number, "cocuk-parki", "gulabibey"):
        assert files_mentioning(site.paths.current, needle) == []
    assert not list(site.paths.content.rglob("*gulabibey*"))

    site.clock.set(tomorrow + dt.timedelta(minutes=1))
    second = run_due(site.ledger, site.instance, site.paths, site.clock)
    assert second.published.items == [item.number]
    slug = "gulabibey-mahallesine-yeni-cocuk-parki"
    url = f"haberler/2026/{slug}/"
    assert f"<h1>{title}</h1>" in text_of(site, url + "index.html")
    assert "26 Kasım 2026" in text_of(site, url + "index.html")
    for listing in ("haberler/index.html", "haberler/2026/index.html", "index.html", "etiket/park/index.html",
                    "birimler/fen-isleri/index.html"):
        assert f"/{url}" in text_of(site, listing), listing
    for feed in ("atom.xml", "haberler/atom.xml"):
        assert title in text_of(site, feed)
    assert f"/{url}" in text_of(site, "sitemaps/haberler-2026.xml")
    assert any(re.match(r"pagefind/(yeni/)?fragment/", name) for name in files_mentioning(site.paths.current, title))
    assert site.ledger.item(item.number).state == PUBLISHED


@pytest.mark.slow
def test_two_builds_of_the_same_inputs_are_identical(site, tmp_path):
    for title in ("Birinci Haber", "İkinci Haber"):
        site.approve(site.submit("haber", title, f"{title} metni.", etiketler=["ihale"]).number)
    site.publish()
    now = site.clock.now()
    build_site(site.instance, tmp_path / "a", now=now, build_id="surum-a")
    build_site(site.instance, tmp_path / "b", now=now, build_id="surum-b")
    a, b = site.files(tmp_path / "a"), site.files(tmp_path / "b")
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []  # the build id is in no file: releases share them
    assert not [name for name in a if b"surum-a" in a[name]]


@pytest.mark.slow
def test_expired_item_leaves_listings_and_feeds_but_keeps_a_notice(site):
    ends = site.clock.now() + dt.timedelta(days=2)
    item = site.submit("duyuru", "Geçici Trafik Düzenlemesi", "Yol kapalı.", bitis=ends)
    site.approve(item.number)
    run_due(site.ledger, site.instance, site.paths, site.clock)
    url = "duyurular/2026/gecici-trafik-duzenlemesi/"
    assert f"/{url}" in text_of(site, "duyurular/index.html")
    site.clock.set(ends + dt.timedelta(seconds=1))
    result = run_due(site.ledger, site.instance, site.paths, site.clock)
    assert result.expired == [item.number]
    expired = site.ledger.item(item.number)
    assert expired.state == EXPIRED
    assert site.ledger.events(item.id)[-1].action == "expire"
    page = text_of(site, url + "index.html")
    assert "Yayın süresi doldu." in page and "Yol kapalı." in page
    for listing in ("duyurular/index.html", "duyurular/2026/index.html", "index.html", "atom.xml",
                    "duyurular/atom.xml", "birimler/fen-isleri/index.html"):
        assert "Geçici Trafik Düzenlemesi" not in text_of(site, listing), listing


@pytest.mark.slow
def test_withdrawn_item_shows_its_public_reason_only(site):
    item = site.submit("duyuru", "Kura Listesi", "Ad soyad listesi.", etiketler=["kura"])
    site.approve(item.number)
    site.publish()
    site.withdraw(item.number, by="web1", reason="Kişisel veri içerdiği için.")
    result = run_due(site.ledger, site.instance, site.paths, site.clock)
    assert result.published is not None
    page = text_of(site, "duyurular/2026/kura-listesi/index.html")
    assert "Bu içerik yayından kaldırıldı." in page and "Kişisel veri içerdiği için." in page
    assert "Ad soyad listesi." not in page
    assert files_mentioning(site.paths.current, "Ad soyad listesi.") == []
    assert "Kura Listesi" not in text_of(site, "duyurular/index.html")
    assert not (site.paths.current / "etiket/kura").exists()


def test_director_publishes_with_a_recorded_reason_only(site):
    item = site.submit("haber", "Müdür Onayıyla Yayın", "Metin.")
    site.approve(item.number)
    with pytest.raises(ValidationError) as caught:
        site.publish(by="mudur1")
    assert caught.value.message_tr == "Yayımlama için gerekçe zorunludur."
    assert not list(site.paths.content.rglob("mudur-onayiyla-yayin*")) and not site.paths.current.exists()
    result = site.publish(by="mudur1", reason="Basın toplantısı.")
    event = site.ledger.events(item.id)[-1]
    assert (event.action, event.actor, event.reason) == ("publish", "mudur1", "Basın toplantısı.")
    assert get_target(site.instance, site.paths).current().published_by == "mudur1"
    assert result.items == [item.number]


@pytest.mark.slow
def test_a_corporate_page_publishes_its_attachment_next_to_it(site):
    from tests.intake.test_bundles_docx import PDF

    item = site.submit("sayfa", "Stratejik Plan 2025-2029", "Plan ektedir: [planı indirin](plan.pdf)\n",
                       attachments={"plan.pdf": PDF})
    site.approve(item.number)
    result = site.publish()
    assert (result.items, result.held) == ([item.number], {})
    assert (site.paths.current / "kurumsal/stratejik-plan-2025-2029/plan.pdf").read_bytes() == PDF
    assert not (site.paths.current / "sayfalar").exists()
