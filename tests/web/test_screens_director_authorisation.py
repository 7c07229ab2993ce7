"""Authorisation matrix of the director, publishing and administration screens: each of birim (two
departments), editor (two units), mudur and yonetici × every screen and form. Any answer other than the
expected one fails; a refused form, and any form without its CSRF token, changes nothing."""

from __future__ import annotations

from .conftest import BASE, page
from .screens import Browser, form_token

PEOPLE = ("yonetici1", "mudur1", "web1", "egitim1", "fen1", "mali1")
DIRECTOR, READERS, ADMIN = {"mudur1"}, {"mudur1", "yonetici1"}, {"yonetici1"}
EVERYONE = set(PEOPLE)   # the register: each within what they may see (test_screens_director)
NUMBER = "BİM-2026-000001"
SCREENS = {
    "/mudur/havale": DIRECTOR, "/mudur/havale/edilenler": DIRECTOR, f"/mudur/havale/{NUMBER}": DIRECTOR,
    "/mudur/gecikenler": DIRECTOR,
    "/mudur/defter": EVERYONE, "/mudur/defter.csv": EVERYONE, "/mudur/defter/yazdir": EVERYONE,
    "/yayin/": READERS, "/yayin/gunlukler": READERS,
    "/kullanicilar/": ADMIN, "/kullanicilar/web1": ADMIN,
}
FORMS = {
    f"/mudur/havale/{NUMBER}": (DIRECTOR, {"editor": "web1", "not": "x"}),
    "/yayin/yayimla": (READERS, {"gerekce": "x"}),
    "/yayin/geri-al": (READERS, {"surum": "20261125T090000Z-000000", "gerekce": "x"}),
    "/kullanicilar/": (ADMIN, {"login": "sizma", "role": "yonetici", "parola": "uzun-bir-parola-1"}),
    "/kullanicilar/web1/rol": (ADMIN, {"role": "yonetici"}),
    "/kullanicilar/web1/devre-disi": (ADMIN, {}),
    "/kullanicilar/web1/parola": (ADMIN, {"yeni_parola": "uzun-bir-parola-1"}),
    "/kullanicilar/web1/anahtar": (ADMIN, {}),
    "/kullanicilar/web1/anahtar-iptal": (ADMIN, {}),
}


def test_every_role_gets_exactly_its_screens(editorial):
    e = editorial()
    e.m.submit("haber", "Fen haberi", department="fen-isleri")
    for login in PEOPLE:
        e.m.person(login)
    anonymous = e.client()
    for login in PEOPLE:
        browser = Browser(e, login)
        for screen, allowed in SCREENS.items():
            got = browser.get(screen).status_code
            assert got == (200 if login in allowed else 403), (login, screen, got)
        got = browser.get("/yayin/gunlukler/20261125T090000Z-000000").status_code
        assert got == (404 if login in READERS else 403), (login, got)
    for screen in SCREENS:
        response = anonymous.get(BASE + screen, follow_redirects=False)
        assert response.status_code == 303 and "/giris" in response.headers["location"], screen


def test_refused_forms_and_forms_without_csrf_change_nothing(editorial):
    e = editorial()
    m = e.m
    m.submit("haber", "Fen haberi", department="fen-isleri")
    browsers = {login: Browser(e, login) for login in PEOPLE}
    tokens = {login: form_token(page(b.get("/"))) for login, b in browsers.items()}  # the logout form's token
    before = m.ledger.dump()
    for login, browser in browsers.items():
        for path, (allowed, data) in FORMS.items():
            missing = browser.client.post(BASE + path, data=data)
            assert missing.status_code == 403, (login, path, "no CSRF", missing.status_code)
            assert "Güvenlik denetimi başarısız" in missing.text
            wrong = browser.client.post(BASE + path, data={**data, "csrf_token": tokens[login][::-1]})
            assert wrong.status_code == 403, (login, path, "wrong CSRF")
            if login not in allowed:
                refused = browser.client.post(BASE + path, data={**data, "csrf_token": tokens[login]})
                assert refused.status_code == 403, (login, path, refused.status_code)
    assert m.ledger.dump() == before
    assert not m.paths.current.exists()
    assert m.ledger.item(NUMBER).assignee is None and m.ledger.user("web1").active
