"""Every good sample of every type, dropped in the demo instance's inboxes, approved and published."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml
from markupsafe import escape

from municms.actions.intake import intake_all
from municms.fragments import resolve_includes
from municms.model import PUBLISHED, SCHEDULED
from municms.scheduler import run_due
from tests.publish.test_pipeline import files_mentioning
from tests.tinysite import REPO

SAMPLES = REPO / "tests" / "fixtures" / "samples" / "good"
PARK = "Gülabibey Mahallesi'ne Yeni Çocuk Parkı"


@pytest.mark.slow
def test_every_good_sample_is_published_where_the_site_shows_it(municipality):
    site = municipality(site="demo")
    for department in SAMPLES.iterdir():
        shutil.copytree(department, site.paths.inbox / department.name, dirs_exist_ok=True)
    results = {r.name: r for r in intake_all(site.ledger, site.instance, site.paths, site.clock)}
    assert {r.status for r in results.values()} == {"registered"}, results
    for result in results.values():
        approvers = ("web2", "mudur1") if result.item.tur == "acil-duyuru" else ("web2",)
        site.approve(result.number, by=approvers)

    pass_ = run_due(site.ledger, site.instance, site.paths, site.clock)
    park = results["cocuk-parki-acildi.md"]
    org = results["destek-hizmetleri-mudur-atamasi.md"]
    # the park news has yayin 2 December; the organisation change goes live on its yururluk, 1 December
    assert sorted(pass_.scheduled) == sorted([park.number, org.number])
    assert sorted(pass_.published.items) == sorted(r.number for r in results.values() if r not in (park, org))
    assert site.ledger.item(park.number).state == SCHEDULED
    assert site.ledger.item(org.number).state == SCHEDULED
    current = site.paths.current

    def page(url: str) -> str:  # as the web server answers it, with the banner fragment included
        return resolve_includes((current / url / "index.html").read_bytes(), current).decode("utf-8")

    assert "Işıklı Çarşı İhalesi Sonuçlandı" in page("duyurular/2026/isikli-carsi-ihalesi-sonuclandi")
    seminar = page("seminerler/2026/temel-bilgisayar-ve-e-devlet-kullanimi-semineri")
    assert "10 Aralık 2026 Perşembe 10:00" in seminar and "Belediye Konferans Salonu" in seminar
    assert "Temel Bilgisayar ve e-Devlet Kullanımı Semineri" in (current / "seminerler.ics").read_text("utf-8")
    tax = page("mukellef-duyurulari/2026/emlak-vergisi-1-taksit-odemeleri-icin-son-gun-31-mayis")
    assert "31 Mayıs 2027 Pazartesi" in tax
    # the demo seed already has a "2025 Yılı Faaliyet Raporu": the new item gets the next free address
    report = page("faaliyet-raporlari/2026/2025-yili-faaliyet-raporu-2")
    assert 'href="/faaliyet-raporlari/2026/2025-yili-faaliyet-raporu-2/faaliyet-raporu-2025.pdf"' in report
    assert (current / "faaliyet-raporlari/2026/2025-yili-faaliyet-raporu-2/faaliyet-raporu-2025.pdf").read_bytes() == \
        (SAMPLES / "strateji-gelistirme/2025-faaliyet-raporu/faaliyet-raporu-2025.pdf").read_bytes()
    regulation = page("mevzuat/corum-belediyesi-pazar-yerleri-yonetmeligi")
    assert '<h3 id="madde-3">MADDE 3 – Tezgâh tahsisi</h3>' in regulation
    assert '<h3 id="gecici-madde-1">GEÇİCİ MADDE 1 – Mevcut tezgâhlar</h3>' in regulation
    assert '<li><a href="#madde-3">MADDE 3 – Tezgâh tahsisi</a></li>' in regulation
    assert '<dt>Meclis karar sayısı</dt><dd>2026/214</dd>' in regulation
    assert '<dt>Yürürlük tarihi</dt><dd><time datetime="2026-11-20">20 Kasım 2026</time></dd>' in regulation
    assert 'href="/mevzuat/corum-belediyesi-pazar-yerleri-yonetmeligi/"' in page("mevzuat")
    home = page("")
    assert '<h2 id="acil-1">Acil: Merkez İlçede Su Kesintisi</h2>' in home
    assert not (site.paths.data / "organizasyon.yaml").exists()
    assert "Akıllı Şehir Müdürlüğü" not in page("kurumsal/organizasyon-semasi")
    for needle in (PARK, str(escape(PARK))):  # as text, and as a page writes it (&#39;)
        assert files_mentioning(current, needle) == []
    assert files_mentioning(current, park.number) == []

    site.clock.set(dt.datetime(2027, 1, 20, 18, 0, 1, tzinfo=site.clock.now().tzinfo))  # after the banner's bitis
    later = run_due(site.ledger, site.instance, site.paths, site.clock)
    assert sorted(later.published.items) == sorted([park.number, org.number])
    changes = yaml.safe_load((site.paths.data / "organizasyon.yaml").read_text(encoding="utf-8"))
    assert [c["kayit_no"] for c in changes] == [org.number]
    chart = page("kurumsal/organizasyon-semasi")
    assert '<span class="org-name">Akıllı Şehir Müdürlüğü</span>' in chart
    assert "Destek Hizmetleri Müdürlüğü: Ayşe Yılmaz müdür olarak atandı." in chart
    assert '<a href="/birimler/destek-hizmetleri/">Destek Hizmetleri Müdürlüğü</a> ' \
           '<span class="org-head">Müdür: <span class="org-person">Ayşe Yılmaz</span></span>' in chart
    assert f"Kayıt no: {org.number}" in chart
    assert later.expired == [results["acil-su-kesintisi.md"].number]
    assert "emergency-banner" not in page("")
    assert f"<h1>{escape(PARK)}</h1>" in page("haberler/2026/gulabibey-mahallesine-yeni-cocuk-parki")
    assert site.ledger.item(park.number).state == PUBLISHED
    again = site.publish()
    assert (again.items, again.files_written, again.files_removed) == ([], 0, 0)
