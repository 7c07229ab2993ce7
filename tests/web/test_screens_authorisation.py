"""Authorisation matrix of the department and editor screens: every role × every screen, over two departments
(fen-isleri, mali-hizmetler) and two units (web, egitim). Any answer other than the expected one fails, and so
does any item shown to someone who may not see it; refused forms change nothing."""

from __future__ import annotations

import pytest

from municms.model import ASSIGNED, REJECTED

from .conftest import BASE, page
from .screens import Browser, form_token, numbers_listed

SEMINAR = dict(egitmen="Ayşe Yılmaz", yer="Kültür Merkezi", baslangic="2026-12-15 14:00",
               bitis="2026-12-15 16:00", kontenjan=40)
PEOPLE = ("yonetici1", "mudur1", "web1", "egitim1", "fen1", "mali1")
DEPARTMENT_OF = {"fen1": "fen-isleri", "mali1": "mali-hizmetler"}
UNIT_OF = {"web1": "web", "egitim1": "egitim"}


@pytest.fixture
def four_items(editorial):
    """One item per department and unit, each assigned to its unit's editor."""
    e = editorial()
    m = e.m
    items = [m.submit("haber", "Fen haberi", department="fen-isleri"),
             m.submit("duyuru", "Mali duyurusu", department="mali-hizmetler"),
             m.submit("seminer", "Fen semineri", department="fen-isleri", **SEMINAR),
             m.submit("seminer", "Mali semineri", department="mali-hizmetler", **SEMINAR)]
    for item in items:
        m.assign(item.number, to="web1" if item.unit == "web" else "egitim1")
    return e, [m.ledger.item(item.number) for item in items]


def sees(login: str, item) -> bool:
    if login in DEPARTMENT_OF:
        return item.department == DEPARTMENT_OF[login]
    if login in UNIT_OF:
        return item.unit == UNIT_OF[login]
    return True


def expected_get(login: str, screen: str, item=None) -> int:
    department_screen = screen.startswith("/birim")
    if (login in DEPARTMENT_OF) != department_screen or (login == "yonetici1"):
        return 403
    if item is not None and not sees(login, item):
        return 404
    return 200


def test_every_role_gets_exactly_its_screens_and_its_items(four_items):
    e, items = four_items
    screens = ["/birim/yeni", "/birim/yeni?tur=haber", "/birim/word", "/birim/", "/isler/", "/isler/birim"]
    item_screens = ["/birim/kayit/{}", "/isler/kayit/{}", "/isler/kayit/{}/duzenle"]
    anonymous = e.client()
    for login in PEOPLE:
        browser = Browser(e, login)
        for screen in screens:
            got = browser.get(screen).status_code
            assert got == expected_get(login, screen), (login, screen, got)
            if got == 200 and screen in ("/birim/", "/isler/birim", "/isler/"):
                shown = numbers_listed(browser.get(screen))
                assert all(sees(login, e.m.ledger.item(n)) for n in shown), (login, screen, shown)
                if screen != "/isler/":
                    assert sorted(shown) == sorted(i.number for i in items if sees(login, i)), (login, screen)
        for template in item_screens:
            for item in items:
                screen = template.format(item.number)
                got = browser.get(screen).status_code
                assert got == expected_get(login, screen, item), (login, screen, got)
    for screen in screens + [t.format(items[0].number) for t in item_screens]:
        response = anonymous.get(BASE + screen, follow_redirects=False)
        assert response.status_code == 303 and "/giris" in response.headers["location"], screen


def test_refused_preview_builds_nothing(four_items):
    e, items = four_items
    for login in PEOPLE:
        browser = Browser(e, login)
        for item in items:
            want = expected_get(login, "/isler/", item)
            if want != 200:
                assert browser.get(f"/isler/kayit/{item.number}/onizleme").status_code == want, (login, item.number)
                assert browser.get(f"/isler/kayit/{item.number}/onizleme/site/index.html").status_code == want
    assert not (e.m.paths.var / "previews").exists()


def test_refused_workflow_forms_change_nothing_and_allowed_ones_act(four_items):
    e, items = four_items
    m = e.m
    editor_page = page(Browser(e, "mudur1").get(f"/isler/kayit/{items[0].number}"))
    for login in PEOPLE:
        browser = Browser(e, login)
        token = form_token(page(browser.get("/")))  # the logout form carries the session's token
        for item in items:
            want = expected_get(login, "/isler/", item)
            if want == 200:
                continue
            response = browser.client.post(f"{BASE}/isler/kayit/{item.number}",
                                           data={"csrf_token": token, "islem": "reject", "gerekce": "x"})
            assert response.status_code == want, (login, item.number, response.status_code)
            assert m.ledger.item(item.number).state == ASSIGNED
        response = browser.client.post(f"{BASE}/birim/yeni?tur=duyuru", data={
            "csrf_token": token, "tur": "duyuru", "baslik": "Sızma", "metin": "x", "islem": "gonder"})
        assert response.status_code == (200 if login in DEPARTMENT_OF else 403), login
    assert len(m.ledger.items()) == 4 + 2  # the two department users' submissions only
    assert editor_page.find("input", attrs={"name": "islem", "value": "reject"}) is not None
    for item in items:
        login = "web1" if item.unit == "web" else "egitim1"
        assert Browser(e, login).act(item.number, "reject", reason="Yetki dışı.").status_code == 200
        assert m.ledger.item(item.number).state == REJECTED


def test_a_department_cannot_answer_another_departments_change_request(four_items):
    e, items = four_items
    m = e.m
    fen_item = items[0]
    m.review(fen_item.number, by="web1")
    m.request_changes(fen_item.number, by="web1")
    mali = Browser(e, "mali1")
    token = form_token(page(mali.get("/birim/yeni?tur=haber")), "gonderi-formu")
    response = mali.client.post(f"{BASE}/birim/kayit/{fen_item.number}", data={
        "csrf_token": token, "baslik": "Ele geçirme", "metin": "x", "islem": "gonder"})
    assert response.status_code == 404
    assert m.ledger.item(fen_item.number).current_rev == 1
