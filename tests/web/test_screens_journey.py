"""The whole journey in real Chromium (no JavaScript needed by the pages): a department submits with an
attachment, an editor reviews, previews and asks for changes, the department sends revision 2, a different
editor approves; axe-core finds 0 WCAG 2.2 AA violations on every department and editor screen on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from municms.model import APPROVED
from tests.e2e.test_accessibility import axe_violations, readable
from tests.intake.test_bundles_docx import PDF
from tests.municipality import PASSWORD

pytestmark = pytest.mark.browser


def test_submission_to_approval_in_chromium_with_no_axe_violations(page, live_editorial, axe_source, tmp_path):
    e, base = live_editorial("tiny")
    m = e.m
    for login in ("fen1", "web1", "web2", "mudur1"):
        m.person(login)
    attachment = tmp_path / "program.pdf"
    attachment.write_bytes(PDF)
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

    def log_out() -> None:
        page.get_by_role("button", name="Çıkış yap").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Yönetim paneline giriş")

    # the department submits a news item with an attachment
    log_in("fen1")
    page.get_by_role("link", name="Yeni gönderi").first.click()
    page.get_by_label("Gönderi türü").select_option("haber")
    page.get_by_role("button", name="Türü seç").click()
    axe("yeni gönderi")
    page.get_by_role("button", name="Gönder").click()  # nothing filled in: the error summary
    expect(page.locator(".error-summary")).to_contain_text("'baslik' alanı zorunludur.")
    axe("yeni gönderi, hatalı")
    page.get_by_label("Başlık").fill("Işıklı Çarşı Açıldı")
    page.get_by_label("Metin (Markdown)").fill("Çarşı **açıldı**.\n\n[Program](program.pdf)\n")
    page.get_by_role("button", name="Metni önizle").click()
    expect(page.locator(".body-preview-content strong")).to_have_text("açıldı")
    axe("metin önizlemesi")
    page.get_by_label(re.compile("^Ekler")).set_input_files(str(attachment))
    page.get_by_role("button", name="Gönder").click()
    expect(page.locator(".notice")).to_have_text("Kayıt numaranız: BİM-2026-000001")
    axe("alındı")
    number = "BİM-2026-000001"
    page.get_by_role("link", name="Word dosyasıyla gönder").click()
    axe("word ile gönder")
    page.get_by_role("link", name="Müdürlüğümün kayıtları").click()
    expect(page.get_by_role("link", name=number, exact=True)).to_be_visible()
    axe("müdürlüğümün kayıtları")
    log_out()

    # the director assigns it (no director screen yet: the real action, as mudur1 logged in with a password)
    m.assign(number, to="web1", by="mudur1")

    # an editor takes it into review, opens the preview and asks for changes
    log_in("web1")
    page.goto(f"{base}/yonetim/isler/")  # the home page's menu has no link to the queues yet
    axe("iş kuyruğum")
    page.get_by_role("link", name=number, exact=True).click()
    page.get_by_role("button", name="İncelemeye al").click()
    expect(page.locator(".notice")).to_have_text("İncelemeye alma kaydedildi.")
    axe("kayıt (editör)")
    page.get_by_role("link", name="Önizleme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Önizleme: {number}, 1. sürüm")
    axe("önizleme")
    page.get_by_role("link", name="Kurulan sayfayı aç").click()
    expect(page.locator("main strong").first).to_have_text("açıldı")
    page.go_back()
    page.get_by_role("link", name="Kaydın sayfasına dön").click()
    page.get_by_label("Değişiklik iste: gerekçe (zorunlu)").fill("Açılış saatini ekleyin.")
    page.get_by_role("button", name="Değişiklik iste").click()
    expect(page.locator(".notice")).to_have_text("Değişiklik isteme kaydedildi.")
    log_out()

    # the department sends revision 2
    log_in("fen1")
    page.get_by_role("link", name="Yeni gönderi").first.click()
    page.get_by_role("link", name="Müdürlüğümün kayıtları").click()
    page.get_by_role("link", name=number, exact=True).click()
    expect(page.locator("#degisiklik-baslik + pre")).to_contain_text("Açılış saatini ekleyin.")
    axe("kayıt (müdürlük), değişiklik isteği")
    page.get_by_label("Metin (Markdown)").fill("Çarşı saat 10:00'da **açıldı**.\n\n[Program](program.pdf)\n")
    page.get_by_label(re.compile("^Ekler")).set_input_files(str(attachment))
    page.get_by_role("button", name="Gönder").click()
    expect(page.locator(".notice")).to_contain_text("2. sürümü alındı")
    log_out()

    # a different editor approves, after reading the diff
    log_in("web2")
    page.goto(f"{base}/yonetim/isler/birim")
    page.get_by_label("Ara (başlık ya da kayıt no)").fill("isikli carsi")
    page.get_by_role("button", name="Süz").click()
    axe("birim kuyruğu, süzülmüş")
    page.get_by_role("link", name=number, exact=True).click()
    expect(page.locator("ins")).to_contain_text("saat 10:00'da")
    page.get_by_role("button", name="Onayla").click()
    expect(page.locator(".notice")).to_have_text("Onaylama kaydedildi.")
    axe("kayıt (editör), onaylandı")
    assert m.ledger.item(number).state == APPROVED
    assert len(checked) == 12
