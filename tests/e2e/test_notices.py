"""The emergency banner, the notice on a withdrawn item and the org chart with its changes pass axe and vnu."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from ..conftest import FIXED_NOW
from .test_accessibility import axe_violations, readable
from .test_html_validity import vnu_errors

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@dataclass(frozen=True)
class NoticeSite:
    url: str          # base URL of the served build
    withdrawn: str    # path of the withdrawn news item
    output: Path      # the built site


@pytest.fixture
def site_with_notices(demo_instance, site_server):
    """The demo with one live emergency banner, one withdrawn news item and two organisation changes (one in
    force, one ahead), built and served."""
    from municms.build import build_site
    from municms.config import load_instance

    root = demo_instance()
    (root / "data" / "acil.yaml").write_text(yaml.safe_dump([{
        "kayit_no": "BİM-2026-000999", "baslik": "Su kesintisi: Gazi Caddesi",
        "metin": "Ana boru arızası nedeniyle **14.00–18.00** arasında su verilemeyecektir.",
        "tarih": "2026-11-25T10:00:00+03:00"}], allow_unicode=True), encoding="utf-8")
    (root / "data" / "organizasyon.yaml").write_text(yaml.safe_dump([
        {"kayit_no": "BİM-2026-000997", "baslik": "Zabıta Müdürlüğüne atama", "yururluk": "2026-11-01",
         "degisiklikler": [{"islem": "ata", "birim": "zabita", "gorev": "Müdür", "kisi": "Ayşe Yılmaz"}]},
        {"kayit_no": "BİM-2026-000998", "baslik": "Akıllı Şehir Müdürlüğü kuruluyor", "yururluk": "2027-01-01",
         "degisiklikler": [{"islem": "birim-ekle", "birim": "akilli-sehir", "ad": "Akıllı Şehir Müdürlüğü",
                            "ust": "baskan-yardimcisi-2"}]}], allow_unicode=True), encoding="utf-8")
    news = sorted((root / "content" / "haberler" / "2026").glob("*.md"))[0]
    text = news.read_text(encoding="utf-8")
    news.write_text(text.replace("\nTur:", "\nDurum: geri-cekildi\nTur:", 1), encoding="utf-8")
    output = root.parent / "site"
    build_site(load_instance(root), output, now=FIXED_NOW, build_id="test-notices")
    withdrawn = [p for p in output.joinpath("haberler", "2026").glob("*/index.html")
                 if "Bu içerik yayından kaldırıldı" in p.read_text(encoding="utf-8")]
    assert len(withdrawn) == 1
    return NoticeSite(site_server(output), "/" + withdrawn[0].parent.relative_to(output).as_posix() + "/", output)


def test_banner_and_withdrawal_notice_have_no_axe_violations(page, site_with_notices, axe_source):
    url, withdrawn = site_with_notices.url, site_with_notices.withdrawn
    page.goto(url + "/")
    expect(page.locator(".emergency-banner h2")).to_have_text("Su kesintisi: Gazi Caddesi")
    violations = axe_violations(page, axe_source)
    assert violations == [], f"axe on / with a banner:\n{readable(violations)}"
    page.goto(url + withdrawn)
    expect(page.locator(".notice-ended")).to_contain_text("Bu içerik yayından kaldırıldı")
    violations = axe_violations(page, axe_source)
    assert violations == [], f"axe on {withdrawn}:\n{readable(violations)}"


def test_org_chart_with_changes_has_no_axe_violations(page, site_with_notices, axe_source):
    page.goto(site_with_notices.url + "/kurumsal/organizasyon-semasi/")
    expect(page.locator("#gecmis-baslik + p + h3")).to_have_text("1 Kasım 2026: Zabıta Müdürlüğüne atama")
    expect(page.locator("#yakinda-baslik + h3")).to_have_text("1 Ocak 2027: Akıllı Şehir Müdürlüğü kuruluyor")
    expect(page.locator(".orgchart")).to_contain_text("Ayşe Yılmaz")
    violations = axe_violations(page, axe_source)
    assert violations == [], f"axe on the org chart with changes:\n{readable(violations)}"


def test_notice_pages_are_valid_html(site_with_notices, vnu_command):
    output = site_with_notices.output
    pages = [output / "index.html", output / "kurumsal/organizasyon-semasi/index.html"]
    pages += [p for p in output.joinpath("haberler", "2026").glob("*/index.html")
              if "Bu içerik yayından kaldırıldı" in p.read_text(encoding="utf-8")]
    assert len(pages) == 3
    assert vnu_errors(vnu_command, *pages) == []
