"""The auditors' page /uyum-raporu/ of the built demo: its content, axe-core in real Chromium, the Nu Html Checker."""

from __future__ import annotations

import pytest

from tests.e2e.site import html_of
from tests.e2e.test_accessibility import axe_violations, readable
from tests.e2e.test_html_validity import vnu_errors


def test_auditors_page_lists_every_rule_with_its_basis_and_result(built_demo):
    page = html_of(built_demo, "/uyum-raporu/")
    rows = [[cell.text(separator=" ", strip=True) for cell in row.css("td")] for row in page.css("main tbody tr")]
    assert rows[0] == ["Zorunlu sayfa: Kurumsal (/kurumsal/)", "5393 sayılı Belediye Kanunu; Kamu İnternet Siteleri Rehberi (KAMİS)",
                       "Uygun"]
    assert ["Zorunlu sayfa: KVKK Aydınlatma Metni (/kvkk/)", "6698 sayılı Kişisel Verilerin Korunması Kanunu m.10",
            "Uygun"] in rows
    assert len([r for r in rows if r[0].startswith("Zorunlu sayfa: ")]) == 13
    assert ["Kayıtlı elektronik posta (KEP) adresi", "7201 sayılı Tebligat Kanunu m.7/a (kamu kurumlarının KEP adresi)",
            "corumbelediyesi@hs01.kep.tr"] in rows
    assert rows[-1] == ["Erişilebilirlik beyanı güncel (en çok 12 ay) (/erisilebilirlik/)",
                        "KAMİS erişilebilirlik ölçütleri; 5378 sayılı Engelliler Hakkında Kanun",
                        "Uygun (son güncelleme 20 Kasım 2026)"]
    assert page.css_first("main time").attributes["datetime"] == "2026-11-25"  # the build's day
    # every page links to it from its footer
    footer = html_of(built_demo, "/haberler/").css_first("body > footer")
    assert "/uyum-raporu/" in [a.attributes.get("href") for a in footer.css("a")]


@pytest.mark.browser
def test_auditors_page_has_no_axe_violations(page, demo_url, axe_source):
    page.goto(demo_url + "/uyum-raporu/")
    violations = axe_violations(page, axe_source)
    assert violations == [], f"axe on /uyum-raporu/:\n{readable(violations)}"


@pytest.mark.slow
def test_auditors_page_is_valid_html(built_demo, vnu_command):
    errors = vnu_errors(vnu_command, built_demo / "uyum-raporu" / "index.html")
    assert errors == []
