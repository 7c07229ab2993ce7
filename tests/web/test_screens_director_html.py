"""The director, publishing and administration screens: the Nu Html Checker on the HTML as the server renders
it (forms with their error summaries too), and axe-core (WCAG 2.0–2.2 A/AA) on each of them in Chromium."""

from __future__ import annotations


import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import axe_violations, readable
from tests.municipality import PASSWORD

from .conftest import BASE, page, vnu_errors
from .screens import Browser
from .test_home import HOSTILE
from .test_screens_admin import post_form
from .test_screens_director import assign_by_screen
from .test_screens_publishing import publish_by_screen, rollback_by_screen


def furnished(e) -> str:
    """Items in every list (one with a hostile title), two releases and their logs; the older release id."""
    m = e.m
    hostile = m.submit("haber", HOSTILE)
    m.submit("duyuru", "Bekleyen duyuru", department="mali-hizmetler")
    published = m.submit("haber", "Park Açıldı")
    m.approve(published.number)
    m.publish()
    m.assign(hostile.number, to="web1")
    waiting = m.submit("haber", "Onaylı haber")
    m.approve(waiting.number)
    m.publish(by="mudur1", reason="Açılış.")
    m.approve(m.submit("haber", "Yayın bekleyen haber").number)
    for login in ("yonetici1", "mudur1", "web1", "fen1"):
        m.person(login)
    from municms.deploy import get_target
    return [r.id for r in get_target(m.instance, m.paths).releases() if not r.current][0]


SCREENS = ["/mudur/havale", "/mudur/havale/edilenler", "/mudur/havale/BİM-2026-000001", "/mudur/gecikenler",
           "/mudur/defter", "/mudur/defter/yazdir", "/yayin/", "/yayin/gunlukler", "/kullanicilar/",
           "/kullanicilar/web1"]
SCREENS_OF = {"mudur1": [s for s in SCREENS if not s.startswith("/kullanicilar")],
              "yonetici1": [s for s in SCREENS if s.startswith(("/kullanicilar", "/mudur/defter", "/yayin"))]}


def test_director_publishing_and_admin_screens_are_valid_html(editorial, vnu_command, tmp_path):
    e = editorial("tiny")
    older = furnished(e)
    mudur, admin = Browser(e, "mudur1"), Browser(e, "yonetici1")
    pages = {}
    for index, screen in enumerate(SCREENS):
        browser = admin if screen.startswith("/kullanicilar") else mudur
        response = browser.get(screen)
        assert response.status_code == 200, screen
        pages[f"ekran-{index}"] = response.text
    logs = page(mudur.get("/yayin/gunlukler"))
    pages["gunluk"] = mudur.client.get(logs.find("table").find("a")["href"]).text
    pages["havale-hata"] = assign_by_screen(mudur, "BİM-2026-000002", "").text
    pages["havale-tamam"] = assign_by_screen(mudur, "BİM-2026-000002", "web1", "Not.").text
    pages["defter-hata"] = mudur.get("/mudur/defter?baslangic=dun").text
    pages["yayin-hata"] = publish_by_screen(mudur, "").text
    pages["geri-al-hata"] = rollback_by_screen(mudur, older, "").text
    pages["ekle-hata"] = post_form(admin, "/kullanicilar/", "/kullanicilar/", login="A", role="editor",
                                   parola="x").text
    pages["anahtar"] = post_form(admin, "/kullanicilar/web1", "/kullanicilar/web1/anahtar").text
    pages["rol-hata"] = post_form(admin, "/kullanicilar/web1", "/kullanicilar/web1/rol", role="birim",
                                  unit="web").text
    assert len(pages) == 19
    assert vnu_errors(vnu_command, tmp_path, pages) == ""


@pytest.mark.browser
def test_axe_finds_nothing_on_the_director_publishing_and_admin_screens(page, live_editorial, axe_source):
    e, base = live_editorial("tiny")
    furnished(e)
    found, checked = {}, []

    def axe(name: str) -> None:
        violations = axe_violations(page, axe_source)
        if violations:
            found[name] = readable(violations)
        checked.append(name)

    for login in ("mudur1", "yonetici1"):
        page.goto(f"{base}{BASE}/giris")
        page.get_by_label("Kullanıcı adı").fill(login)
        page.get_by_label("Parola").fill(PASSWORD)
        page.get_by_role("button", name="Giriş yap").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Hoş geldiniz, {login}")
        for screen in SCREENS_OF[login]:
            page.goto(f"{base}{BASE}{screen}")
            axe(f"{login} {screen}")
        if login == "mudur1":
            page.goto(f"{base}{BASE}/mudur/havale")
            expect(page.locator("nav.main-nav a[aria-current=page]")).to_have_text("Havale")
            page.get_by_role("link", name="BİM-2026-000002").click()
            page.get_by_role("button", name="Havale et").click()
            expect(page.locator(".error-summary")).to_contain_text("Havale edilecek editörü seçin.")
            axe("havale hatası")
            page.get_by_label("Havale edilecek editör").select_option("web1")
            page.get_by_label("Havale notu (isteğe bağlı)").fill("Bugün bakılsın.")
            page.get_by_role("button", name="Havale et").click()
            expect(page.get_by_role("status")).to_have_text("BİM-2026-000002 web1 kişisine havale edildi.")
            axe("havale tamam")
            page.goto(f"{base}{BASE}/yayin/")
            page.get_by_role("button", name="Şimdi yayımla").click()
            expect(page.locator(".error-summary")).to_contain_text("Gerekçe yazılması zorunludur.")
            axe("yayın hatası")
            page.goto(f"{base}{BASE}/yayin/gunlukler")
            page.locator("main table a").first.click()
            expect(page.locator("main pre.log")).to_contain_text("build ")
            axe("derleme günlüğü")
        else:
            page.goto(f"{base}{BASE}/kullanicilar/web1")
            page.get_by_role("button", name="Yeni anahtar oluştur").click()
            expect(page.locator("#yeni-anahtar")).to_contain_text("mct1.web1.")
            axe("anahtar")
            page.get_by_label("Rol", exact=True).select_option("birim")
            page.get_by_role("button", name="Rolü değiştir").click()
            expect(page.locator(".error-summary")).to_contain_text("Birim personeli için müdürlük zorunludur")
            axe("rol hatası")
            page.goto(f"{base}{BASE}/kullanicilar/")
            page.get_by_role("button", name="Kullanıcıyı ekle").click()
            axe("kullanıcı ekle, boş")
        page.context.clear_cookies()
    assert len(checked) == 21, checked
    assert found == {}, "\n".join(f"{name}:\n{text}" for name, text in found.items())
