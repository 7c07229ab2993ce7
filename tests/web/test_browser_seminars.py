"""The seminar screens in real Chromium, each reached as a person reaches it (menu, links, forms): the list,
a seminar's page with its registrations, staff registration with an error and then a success, attendance
after the start, the printable sign-in sheet, the yearly report and the personal calendar page; axe-core
finds 0 WCAG 2.2 AA violations on every one, for the seminar's editor and for department staff."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from municms.actions.seminar_registration import Person, register_citizen
from tests.e2e.test_accessibility import axe_violations, readable
from tests.municipality import PASSWORD
from tests.seminars.conftest import publish_seminar

pytestmark = pytest.mark.browser


def test_the_seminar_screens_in_chromium_have_no_axe_violations(page, live_editorial, axe_source):
    e, base = live_editorial("tiny")
    m = e.m
    item = publish_seminar(m, "Temel Bilgisayar Semineri")
    for name, address in (("Ayşe Yılmaz", "ayse@example.org"), ("Işıl Çağlar", "isil@example.org")):
        register_citizen(m.ledger, m.instance, m.paths, m.clock, item.id, Person(name=name, email=address),
                         consent=True)
    for login in ("web1", "fen1"):
        m.person(login)
    checked: list[str] = []

    def axe(name: str) -> None:
        violations = axe_violations(page, axe_source)
        assert violations == [], f"axe on {name} ({page.url}):\n{readable(violations)}"
        checked.append(name)

    def log_in(login: str) -> None:
        page.goto(f"{base}/yonetim/giris")
        page.get_by_label("Kullanıcı adı").fill(login)
        page.get_by_label("Parola").fill(PASSWORD)
        page.get_by_role("button", name="Giriş yap").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Hoş geldiniz, {login}")

    log_in("fen1")
    page.get_by_role("link", name="Seminerler", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Seminerler")
    axe("seminerler (birim)")
    page.get_by_role("link", name=item.number).click()
    page.get_by_label("Ad soyad").fill("H")   # too short: the server's problem beside its field
    page.get_by_role("button", name="Personeli kaydet").click()
    expect(page.locator("#personel-ad-hata")).to_have_text("Adınızı ve soyadınızı yazın.")
    axe("seminer, hatalı personel kaydı (birim)")
    page.get_by_label("Ad soyad").fill("Hasan Kara")
    page.get_by_role("button", name="Personeli kaydet").click()
    expect(page.locator("main")).to_contain_text("Hasan Kara")
    axe("seminer, personel kaydedildi (birim)")
    page.get_by_role("button", name="Çıkış yap").click()

    m.clock.set(dt.datetime(2026, 12, 10, 12, 45, tzinfo=m.instance.tz))   # the seminar has been held
    log_in("web1")
    page.get_by_role("link", name="Seminerler", exact=True).click()
    page.get_by_role("link", name=item.number).click()
    expect(page.get_by_role("heading", name="Katılım")).to_be_visible()
    axe("seminer (editör), katılım formu")
    page.get_by_label("Katıldı: Ayşe Yılmaz", exact=False).check()
    page.get_by_role("button", name="Katılımı kaydet").click()
    expect(page.get_by_label("Katıldı: Ayşe Yılmaz", exact=False)).to_be_checked()
    axe("seminer (editör), katılım kaydedildi")
    page.get_by_role("link", name="İmza listesi (A4, yazdırılabilir)").click()
    expect(page.locator("main table tbody tr")).to_have_count(2)
    axe("imza listesi")
    page.goto(f"{base}/yonetim/seminerler/")   # the print page has no menu: back to the list
    page.get_by_role("link", name="Seminer raporu (faaliyet raporu için)").click()
    axe("seminer raporu")
    page.get_by_role("link", name="Seminerler", exact=True).click()
    page.get_by_role("link", name="Seminer takvimim: takvim programınız için kişisel bağlantı").click()
    page.get_by_role("button", name="Bağlantı oluştur").click()
    expect(page.locator("main")).to_contain_text("/yonetim/takvim/")
    axe("seminer takvimim, bağlantı oluşturuldu")
    assert len(checked) == 8
