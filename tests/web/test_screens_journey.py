"""The whole journey in real Chromium, every step on a screen by a person who logged in with a password: a
department submits a news item with an attachment; the director assigns it with a note on the havale screen;
an editor reviews, previews and asks for changes; the department sends revision 2; a different editor
approves; the director publishes; the page and its attachment are on the public site and the item is in the
register as published. axe-core finds 0 WCAG 2.2 AA violations on every screen on the way; a failure keeps a
screenshot of the page (pytest-playwright's --screenshot=only-on-failure, in test-results/)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from municms.model import APPROVED, PUBLISHED, state_label
from tests.e2e.test_accessibility import axe_violations, readable
from tests.intake.test_bundles_docx import PDF
from tests.municipality import PASSWORD

pytestmark = pytest.mark.browser


def test_submission_to_publication_in_chromium_with_no_axe_violations(page, live_editorial, axe_source, tmp_path):
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

    # the director assigns it on the havale screen, with a note
    log_in("mudur1")
    page.get_by_role("link", name="Havale", exact=True).click()
    axe("havale bekleyenler")
    page.get_by_role("link", name=number, exact=True).click()
    page.get_by_label("Havale edilecek editör").select_option("web1")
    page.get_by_label("Havale notu (isteğe bağlı)").fill("Açılış haberi; bugün bakılsın.")
    page.get_by_role("button", name="Havale et").click()
    expect(page.get_by_role("status")).to_have_text(f"{number} web1 kişisine havale edildi.")
    axe("havale edildi")
    [assigned] = [ev for ev in m.ledger.events(m.ledger.item(number).id) if ev.action == "assign"]
    assert (assigned.actor, assigned.data["assignee"], assigned.reason) == \
        ("mudur1", "web1", "Açılış haberi; bugün bakılsın.")
    log_out()

    # an editor takes it into review, opens the preview and asks for changes
    log_in("web1")
    page.get_by_role("link", name="İş kuyruğum").click()
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
    page.get_by_role("link", name="Birim kuyruğu").click()
    page.get_by_label("Ara (başlık ya da kayıt no)").fill("isikli carsi")
    page.get_by_role("button", name="Süz").click()
    axe("birim kuyruğu, süzülmüş")
    page.get_by_role("link", name=number, exact=True).click()
    expect(page.locator("ins")).to_contain_text("saat 10:00'da")
    page.get_by_role("button", name="Onayla").click()
    expect(page.locator(".notice")).to_have_text("Onaylama kaydedildi.")
    axe("kayıt (editör), onaylandı")
    assert m.ledger.item(number).state == APPROVED
    log_out()

    # the director publishes it now, giving the reason a director must give
    log_in("mudur1")
    page.get_by_role("link", name="Yayın", exact=True).click()
    expect(page.locator("main table").first).to_contain_text(number)
    axe("yayın")
    page.get_by_label(re.compile("^Gerekçe")).fill("Açılış haberi onaylandı.")
    page.get_by_role("button", name="Şimdi yayımla").click()
    expect(page.locator(".notice")).to_have_text(re.compile(r"^Yayın \S+ yayında\.$"))
    expect(page.locator("#sonuc-baslik + dl")).to_contain_text(number)
    axe("yayımlandı")
    assert m.ledger.item(number).state == PUBLISHED
    [published] = [ev for ev in m.ledger.events(m.ledger.item(number).id) if ev.action == "publish"]
    assert (published.actor, published.reason) == ("mudur1", "Açılış haberi onaylandı.")

    # the register shows it published
    page.get_by_role("link", name="Kayıt defteri").click()
    row = page.locator("table.register tbody tr", has_text=number)
    expect(row).to_contain_text("Işıklı Çarşı Açıldı")
    expect(row).to_contain_text(state_label(PUBLISHED))
    axe("kayıt defteri")
    log_out()

    # the page is on the public site, revision 2, with its attachment
    page.goto(f"{base}/haberler/")
    page.get_by_role("link", name="Işıklı Çarşı Açıldı").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Işıklı Çarşı Açıldı")
    expect(page.locator("main strong").first).to_have_text("açıldı")
    expect(page.locator("main")).to_contain_text("saat 10:00'da")
    pdf = page.request.get(page.get_by_role("link", name="Program").first.evaluate("a => a.href"))
    assert pdf.status == 200 and pdf.body() == PDF
    axe("yayımlanan sayfa")
    assert len(checked) == 18
