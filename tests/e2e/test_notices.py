"""The emergency banner on the home page and the notice on a withdrawn item pass axe as well."""

from __future__ import annotations

import pytest
import yaml
from playwright.sync_api import expect

from ..conftest import FIXED_NOW
from .test_accessibility import axe_violations, readable

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def site_with_notices(demo_instance, site_server):
    """The demo with one live emergency banner and one withdrawn news item; yields (base URL, item path)."""
    from municms.build import build_site
    from municms.config import load_instance

    root = demo_instance()
    (root / "data" / "acil.yaml").write_text(yaml.safe_dump([{
        "kayit_no": "BİM-2026-000999", "baslik": "Su kesintisi: Gazi Caddesi",
        "metin": "Ana boru arızası nedeniyle **14.00–18.00** arasında su verilemeyecektir.",
        "tarih": "2026-11-25T10:00:00+03:00"}], allow_unicode=True), encoding="utf-8")
    news = sorted((root / "content" / "haberler" / "2026").glob("*.md"))[0]
    text = news.read_text(encoding="utf-8")
    news.write_text(text.replace("\nTur:", "\nDurum: geri-cekildi\nTur:", 1), encoding="utf-8")
    output = root.parent / "site"
    build_site(load_instance(root), output, now=FIXED_NOW, build_id="test-notices")
    withdrawn = [p for p in output.joinpath("haberler", "2026").glob("*/index.html")
                 if "Bu içerik yayından kaldırıldı" in p.read_text(encoding="utf-8")]
    assert len(withdrawn) == 1
    return site_server(output), "/" + withdrawn[0].parent.relative_to(output).as_posix() + "/"


def test_banner_and_withdrawal_notice_have_no_axe_violations(page, site_with_notices, axe_source):
    url, withdrawn = site_with_notices
    page.goto(url + "/")
    expect(page.locator(".emergency-banner h2")).to_have_text("Su kesintisi: Gazi Caddesi")
    violations = axe_violations(page, axe_source)
    assert violations == [], f"axe on / with a banner:\n{readable(violations)}"
    page.goto(url + withdrawn)
    expect(page.locator(".notice-ended")).to_contain_text("Bu içerik yayından kaldırıldı")
    violations = axe_violations(page, axe_source)
    assert violations == [], f"axe on {withdrawn}:\n{readable(violations)}"
