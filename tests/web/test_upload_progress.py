"""The submission form's upload progress in real Chromium: with JavaScript the form goes by XMLHttpRequest, the
<progress> reaches 100 with a live Turkish status, and the answer is what the form gives without JavaScript
(the same receipt; the form again with its errors); axe-core finds nothing on the form."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import axe_violations, readable
from tests.intake.test_bundles_docx import PDF
from tests.municipality import PASSWORD

from .conftest import BASE

pytestmark = pytest.mark.browser
UPLOAD_NAME = re.compile(r"web-fen1-\d{8}-\d{6}-[0-9a-f]{6}")
# Every change of the progress bar and the status line, reported to the test as it happens.
RECORD = """() => {
  const bar = document.getElementById('yukleme-ilerleme'), status = document.getElementById('yukleme-durum');
  const report = () => window.reportProgress(bar.getAttribute('value'), status.textContent);
  new MutationObserver(report).observe(bar, {attributes: true, attributeFilter: ['value']});
  new MutationObserver(report).observe(status, {childList: true, characterData: true, subtree: true});
}"""


def log_in(page, base: str, login: str) -> None:
    page.goto(f"{base}{BASE}/giris")
    page.get_by_label("Kullanıcı adı").fill(login)
    page.get_by_label("Parola").fill(PASSWORD)
    page.get_by_role("button", name="Giriş yap").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hoş geldiniz, {login}")


def fill_news(page, attachment) -> None:
    page.get_by_label("Başlık").fill("Işıklı Çarşı Açıldı")
    page.get_by_label("Metin (Markdown)").fill("Çarşı açıldı.\n\n[Program](program.pdf)\n")
    page.get_by_label(re.compile("^Ekler")).set_input_files(str(attachment))


def receipt_of(page) -> str:
    return UPLOAD_NAME.sub("DOSYA", page.locator("pre.receipt").inner_text())


def test_a_submission_with_progress_lands_with_the_same_receipt_as_without_javascript(
        page, browser, live_editorial, axe_source, tmp_path):
    e, base = live_editorial("tiny")
    m = e.m
    m.person("fen1")
    attachment = tmp_path / "program.pdf"
    attachment.write_bytes(PDF + b"\n%" + b"0" * 900_000)   # large enough for several progress events
    form_url = f"{base}{BASE}/birim/yeni?tur=haber"
    kinds: list[str] = []
    page.on("request", lambda request: kinds.append(request.resource_type) if request.method == "POST" else None)
    seen: list[tuple[str, str]] = []
    page.expose_function("reportProgress", lambda value, text: seen.append((value, text)))

    log_in(page, base, "fen1")
    page.goto(form_url)
    expect(page.locator("#yukleme")).to_be_hidden()
    violations = axe_violations(page, axe_source)
    assert violations == [], readable(violations)
    page.evaluate("document.getElementById('yukleme').hidden = false")   # as while sending
    expect(page.get_by_role("progressbar", name="Yükleme durumu")).to_be_visible()
    violations = axe_violations(page, axe_source)
    assert violations == [], readable(violations)
    page.evaluate("document.getElementById('yukleme').hidden = true")

    # a missing title: the form again with its errors, as without JavaScript, and still enhanced
    kinds.clear()
    page.get_by_role("button", name="Gönder").click()
    expect(page.locator(".error-summary")).to_contain_text("'baslik' alanı zorunludur.")
    assert kinds == ["xhr"] and page.url == form_url
    expect(page.locator(".error-summary")).to_be_focused()
    violations = axe_violations(page, axe_source)
    assert violations == [], readable(violations)

    page.evaluate(RECORD)
    fill_news(page, attachment)
    page.get_by_role("button", name="Gönder").click()
    expect(page.locator(".notice")).to_have_text("Kayıt numaranız: BİM-2026-000001")
    assert kinds == ["xhr", "xhr"] and page.url == form_url
    assert seen[-1] == ("100", "Yükleniyor: %100"), seen
    percents = [int(value) for value, _ in seen]
    assert percents == sorted(percents) and percents[0] == 0, seen
    assert ("0", "Yükleniyor: %0") in seen
    with_script = receipt_of(page)
    violations = axe_violations(page, axe_source)
    assert violations == [], readable(violations)

    # the same form in a browser without JavaScript, in a second municipality like the first: a normal POST
    # and the same receipt
    other, other_base = live_editorial("tiny")
    other.m.person("fen1")
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain_kinds: list[str] = []
    plain.on("request", lambda request: plain_kinds.append(request.resource_type)
             if request.method == "POST" else None)
    log_in(plain, other_base, "fen1")
    plain.goto(f"{other_base}{BASE}/birim/yeni?tur=haber")
    plain_kinds.clear()
    fill_news(plain, attachment)
    plain.get_by_role("button", name="Gönder").click()
    expect(plain.locator(".notice")).to_have_text("Kayıt numaranız: BİM-2026-000001")
    assert plain_kinds == ["document"]
    assert receipt_of(plain) == with_script
    context.close()

    [first], [second] = (place.ledger.revisions(place.ledger.item("BİM-2026-000001").id) for place in (m, other.m))
    assert (first.front_matter, first.body, first.attachments, first.author) == \
        (second.front_matter, second.body, second.attachments, second.author)
    assert first.attachments == ["ekler/program.pdf"]
    for place in (m, other.m):
        stored = place.paths.registered / "2026" / "BİM-2026-000001" / "ekler" / "program.pdf"
        assert stored.read_bytes() == attachment.read_bytes()


def test_an_upload_above_the_limit_shows_the_turkish_page_with_and_without_javascript(
        browser, live_editorial, tmp_path):
    e, base = live_editorial("tiny")
    m = e.m
    m.person("fen1")
    big = tmp_path / "buyuk.pdf"
    big.write_bytes(PDF + b"\n%" + b"0" * 3_000_000)          # the limit of the tiny site is 2 MB
    for javascript in (True, False):
        context = browser.new_context(java_script_enabled=javascript)
        page = context.new_page()
        log_in(page, base, "fen1")
        page.goto(f"{base}{BASE}/birim/yeni?tur=haber")
        fill_news(page, big)
        page.get_by_role("button", name="Gönder").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Gönderi çok büyük")
        expect(page.locator("main p").first).to_contain_text("bir istekte en çok 2,0 MB gönderilebilir")
        context.close()
    assert m.ledger.find_items() == []
