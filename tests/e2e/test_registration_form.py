"""A citizen registers for a seminar in real Chromium, with the keyboard only: the seminar is sent, reviewed,
approved and published by the real pipeline, its site served by real nginx from var/current with /kayit/
proxied to the app as `serve` runs it; a first post with mistakes shows them (focus on the summary, each field
marked), the corrected one is confirmed; axe finds nothing on the page, the error page or the confirmation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from municms.model import CONFIRMED
from tests.seminars.conftest import publish_seminar
from tests.web.conftest import editorial, live_editorial  # noqa: F401 - fixtures used here

from .site import first_link
from .test_accessibility import axe_violations, readable

pytestmark = pytest.mark.browser
TITLE = "Evde Sıfır Atık Semineri"


def tab_to(page, element_id: str, limit: int = 80) -> None:
    """Press Tab until the element with that id has the focus (as a keyboard user moves through the page)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def assert_no_axe_violations(page, axe_source: str, what: str) -> None:
    violations = axe_violations(page, axe_source)
    assert violations == [], f"axe on {what}:\n{readable(violations)}"


def test_a_citizen_registers_with_the_keyboard_only(live_editorial, nginx, page, axe_source):  # noqa: F811
    e, app_url = live_editorial("tiny")
    item = publish_seminar(e.m, TITLE)
    base = nginx(e.m.paths.current, upstream=app_url.removeprefix("http://"))
    address = first_link(e.m.paths.current, "/seminerler/")
    assert address.startswith("/seminerler/2026/")   # the newest seminar, the one just published

    page.goto(base + address)
    expect(page.get_by_role("heading", name="Kayıt", exact=True)).to_be_visible()
    expect(page.locator("section.registration .places")).to_have_text("Kalan yer: 2")
    assert_no_axe_violations(page, axe_source, "the seminar page")
    for control in ("#kayit-ad", "#kayit-eposta", "#kayit-telefon", "#kayit-onay", "section.registration button"):
        box = page.locator(control).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, (control, box)

    # first try: the phone number is too short and the consent box is left empty
    tab_to(page, "kayit-ad")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"   # the focus is visible
    page.keyboard.type("Işıl Çağlar")
    page.keyboard.press("Tab")
    page.keyboard.type("isil@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("12")
    tab_to(page, "kayit-onay")
    tab_to(page, "kayit-gonder")   # past the KVKK link in the checkbox's label, to the button
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Seminer kaydı: {TITLE}")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("a")).to_have_text([
        "Telefon numarası 10–13 rakam olmalıdır (örnek: 0364 123 45 67).",
        "Kayıt için kişisel verilerinizin işlenmesine açık rıza vermeniz gerekir (aydınlatma metnini okuyup "
        "kutuyu işaretleyin).",
    ])
    expect(page.locator("#kayit-onay")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#kayit-onay")).to_have_attribute("aria-describedby", "kayit-onay-hata")
    expect(page.locator("#kayit-telefon")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#kayit-telefon")).to_have_attribute("aria-describedby",
                                                            "kayit-iletisim-ipucu kayit-telefon-hata")
    expect(page.locator("#kayit-ad")).to_have_value("Işıl Çağlar")
    expect(page.locator("#kayit-eposta")).to_have_value("isil@example.org")
    assert_no_axe_violations(page, axe_source, "the error page")
    assert e.m.ledger.registrations(item.id) == []

    # Tab goes from the summary to its links, then on to the fields: the number typed again, consent with Space
    page.keyboard.press("Tab")
    expect(summary.locator("a").first).to_be_focused()
    tab_to(page, "kayit-telefon")
    page.keyboard.press("Control+A")
    page.keyboard.type("0364 213 45 67")
    page.keyboard.press("Tab")
    expect(page.locator("#kayit-onay")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("#kayit-onay")).to_be_checked()
    tab_to(page, "kayit-gonder")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Kaydınız alındı")
    expect(page.get_by_role("status")).to_contain_text("isil@example.org adresine e-postayla gönderildi")
    expect(page.locator(".cancel-link a")).to_contain_text(f"/kayit/seminer/{item.id}/iptal?anahtar=")
    assert_no_axe_violations(page, axe_source, "the confirmation")
    regs = e.m.ledger.registrations(item.id)
    assert [(r.name, r.email, r.phone, r.status) for r in regs] == [
        ("Işıl Çağlar", "isil@example.org", "03642134567", CONFIRMED)]

    # the cancellation link asks first (axe-clean too); nothing is cancelled by opening it
    page.goto(base + page.locator(".cancel-link a").get_attribute("href"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kaydınızı iptal etmek istiyor musunuz?")
    assert_no_axe_violations(page, axe_source, "the cancellation question")
    assert e.m.ledger.registrations(item.id)[0].status == CONFIRMED
