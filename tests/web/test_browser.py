"""The editorial app in real Chromium over real HTTP: a keyboard-only journey, axe-core (WCAG 2.0–2.2 A/AA) on
the login page, each role's first screen and the 403 page; the Nu Html Checker on the server-rendered HTML."""

from __future__ import annotations


import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import axe_violations, readable
from tests.municipality import PASSWORD

from .conftest import BASE, csrf_of, vnu_errors
from .test_home import HOSTILE, SEMINAR

FOCUS_STYLE = """() => {
  const el = document.activeElement, s = getComputedStyle(el);
  return {text: (el.innerText || el.value || el.id || el.tagName).trim().slice(0, 40),
          outline: s.outlineStyle !== 'none' ? parseFloat(s.outlineWidth) : 0, shadow: s.boxShadow !== 'none'};
}"""
ROLES = ("fen1", "web1", "mudur1", "yonetici1")


def populated(e) -> None:
    """Items in every list of every role's home (with a hostile title)."""
    m = e.m
    first = m.submit("duyuru", HOSTILE)
    m.submit("seminer", "Fen semineri", **SEMINAR)
    m.submit("duyuru", "Mali duyurusu", department="mali-hizmetler")
    m.assign(first.number, to="web1")
    for login in ROLES:
        m.person(login)


def tab_to(page, text: str, limit: int = 15) -> list[dict]:
    """Press Tab until the focused element's text is `text`; every stop on the way, with its focus style."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUS_STYLE))
        if stops[-1]["text"] == text:
            return stops
    raise AssertionError(f"'{text}' not reached by Tab: {[s['text'] for s in stops]}")


def keyboard_login(page, base: str, login: str) -> None:
    page.goto(f"{base}{BASE}/giris")
    tab_to(page, "kullanici")
    page.keyboard.type(login)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")


@pytest.mark.browser
def test_login_home_and_logout_by_keyboard_only(page, live_editorial):
    e, base = live_editorial()
    populated(e)
    page.goto(f"{base}{BASE}/giris")
    stops = tab_to(page, "kullanici")
    assert stops[0]["text"] == "Ana içeriğe atla"
    page.keyboard.type("web1")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    stops += tab_to(page, "Giriş yap", limit=2)
    invisible = [stop["text"] for stop in stops if stop["outline"] < 2 and not stop["shadow"]]
    assert invisible == [], f"focus not visible on: {invisible}"
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}{BASE}/")
    expect(page.locator("main h1")).to_have_text("Hoş geldiniz, web1")
    expect(page.locator("main h2").first).to_have_text("İş kuyruğum")
    expect(page.locator("main td", has_text="Tırnak")).to_have_count(2)   # hostile title, shown as text
    stops = tab_to(page, "Çıkış yap")
    assert [s for s in stops if s["outline"] < 2 and not s["shadow"]] == []
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}{BASE}/giris?neden=cikis")
    expect(page.locator("main [role=status]")).to_have_text("Oturumunuz kapatıldı.")
    page.goto(f"{base}{BASE}/")
    expect(page).to_have_url(f"{base}{BASE}/giris?sonra=%2Fyonetim%2F")


@pytest.mark.browser
def test_axe_finds_nothing_on_login_each_home_and_the_403_page(page, live_editorial, axe_source):
    e, base = live_editorial()
    populated(e)
    screens = []
    page.goto(f"{base}{BASE}/giris")
    screens.append(("giris", axe_violations(page, axe_source)))
    page.locator("#parola").fill("yanlis")
    page.get_by_role("button", name="Giriş yap").click()
    expect(page.locator(".error-summary")).to_be_visible()
    screens.append(("giris hata", axe_violations(page, axe_source)))
    for login in ROLES:
        keyboard_login(page, base, login)
        expect(page.locator("main h1")).to_have_text(f"Hoş geldiniz, {login}")
        screens.append((f"home {login}", axe_violations(page, axe_source)))
        page.goto(f"{base}{BASE}/parola")
        screens.append((f"parola {login}", axe_violations(page, axe_source)))
        if login == ROLES[-1]:  # a form whose token is lost: the 403 page
            page.evaluate("document.querySelector('form[action$=\"/cikis\"] input[name=csrf_token]').remove()")
            page.get_by_role("button", name="Çıkış yap").click()
            expect(page.locator("main h1")).to_have_text("Güvenlik denetimi başarısız")
            screens.append(("403", axe_violations(page, axe_source)))
        page.context.clear_cookies()
    assert len(screens) == 2 + 2 * len(ROLES) + 1
    found = {name: readable(violations) for name, violations in screens if violations}
    assert found == {}, "\n".join(f"{name}:\n{text}" for name, text in found.items())


def test_server_rendered_html_is_valid(editorial, vnu_command, tmp_path):
    e = editorial()
    populated(e)
    pages = {}
    client = e.client()
    pages["giris"] = client.get(f"{BASE}/giris").text
    form = client.get(f"{BASE}/giris")
    pages["giris-hata"] = client.post(f"{BASE}/giris", data={"kullanici": "", "parola": "",
                                                             "csrf_token": csrf_of(form)}).text
    for login in ROLES:
        logged, home = e.login(login, client=e.client())
        pages[f"home-{login}"] = home.text
        token = csrf_of(home)
        pages[f"parola-hata-{login}"] = logged.post(f"{BASE}/parola", data={
            "mevcut_parola": "", "yeni_parola": "a", "yeni_parola_tekrar": "b", "csrf_token": token}).text
    pages["403"] = logged.post(f"{BASE}/cikis", data={}).text
    pages["404"] = logged.get(f"{BASE}/boyle-bir-sayfa-yok").text
    assert len(pages) == 12
    assert vnu_errors(vnu_command, tmp_path, pages) == ""
