"""Administration through the login form: a user added on the screen can log in; a deactivated one's open
session stops at its next request; a password reset; an API token shown once, stored only hashed, accepted
by the API and refused (401) once revoked."""

from __future__ import annotations

from municms.auth import token_hash

from .conftest import BASE, page
from .screens import Browser, errors_of

NEW_PASSWORD = "yeni-editor-parolasi-2026"


def post_form(browser: Browser, path: str, action: str, **data):
    """Open `path`, send the form whose action is `action` with its own CSRF token and `data`."""
    html = page(browser.get(path))
    form = html.find("form", action=f"{BASE}{action}")
    assert form is not None, f"no form for {action} on {path}"
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    return browser.client.post(f"{BASE}{action}", data={"csrf_token": token, **data})


def test_a_user_added_on_the_screen_logs_in_with_the_initial_password(editorial):
    e = editorial()
    admin = Browser(e, "yonetici1")
    response = post_form(admin, "/kullanicilar/", "/kullanicilar/", login="ayse.web", role="editor", unit="web",
                         department="", parola=NEW_PASSWORD)
    assert response.status_code == 200, errors_of(response)
    assert page(response).find(role="status").get_text() == "'ayse.web' kullanıcısı eklendi."
    user = e.m.ledger.user("ayse.web")
    assert (user.role, user.unit, user.department, user.active) == ("editor", "web", None, True)
    assert NEW_PASSWORD not in user.password_hash
    _, home = e.login("ayse.web", NEW_PASSWORD)
    assert page(home).find("h1").get_text() == "Hoş geldiniz, ayse.web"
    added = [ev for ev in e.m.ledger.events() if ev.action == "user_add" and ev.data["login"] == "ayse.web"]
    assert [ev.actor for ev in added] == ["yonetici1"]


def test_every_problem_of_a_new_user_is_listed_and_nothing_is_added(editorial):
    e = editorial()
    admin = Browser(e, "yonetici1")
    before = len(e.m.ledger.users())
    response = post_form(admin, "/kullanicilar/", "/kullanicilar/", login="A", role="editor", unit="",
                         department="fen-isleri", parola="kisa")
    assert response.status_code == 422
    fields = [field for field, _ in errors_of(response)]
    assert fields == ["#yeni-kullanici", "#yeni-birim", "#yeni-mudurluk", "#yeni-kullanici-parola"]
    assert "Parola en az 10 karakter olmalıdır." in dict(errors_of(response))["#yeni-kullanici-parola"]
    assert page(response).find("input", id="yeni-kullanici")["value"] == "A"   # what was typed stays
    response = post_form(admin, "/kullanicilar/", "/kullanicilar/", login="yonetici1", role="mudur", unit="",
                         department="", parola=NEW_PASSWORD)   # an existing login
    assert response.status_code == 409 and "zaten var" in errors_of(response)[0][1]
    assert len(e.m.ledger.users()) == before


def test_a_deactivated_users_session_stops_at_once(editorial):
    e = editorial()
    web1 = Browser(e, "web1")
    assert web1.get("/isler/").status_code == 200
    admin = Browser(e, "yonetici1")
    response = post_form(admin, "/kullanicilar/web1", "/kullanicilar/web1/devre-disi")
    assert response.status_code == 200
    assert not e.m.ledger.user("web1").active
    after = web1.get("/isler/", follow_redirects=False)
    assert after.status_code == 303 and "/giris" in after.headers["location"]
    _, again = e.login("web1")
    assert again.status_code == 401 or "Hoş geldiniz" not in again.text
    refused = post_form(admin, "/kullanicilar/yonetici1", "/kullanicilar/yonetici1/devre-disi")
    assert refused.status_code == 422 and e.m.ledger.user("yonetici1").active


def test_password_reset_replaces_the_old_password(editorial):
    e = editorial()
    e.m.person("fen1")
    admin = Browser(e, "yonetici1")
    short = post_form(admin, "/kullanicilar/fen1", "/kullanicilar/fen1/parola", yeni_parola="kisa")
    assert short.status_code == 422 and errors_of(short) == [("#yeni_parola", "Parola en az 10 karakter olmalıdır.")]
    response = post_form(admin, "/kullanicilar/fen1", "/kullanicilar/fen1/parola", yeni_parola=NEW_PASSWORD)
    assert response.status_code == 200
    _, old = e.login("fen1")
    assert "Hoş geldiniz" not in old.text
    _, new = e.login("fen1", NEW_PASSWORD)
    assert page(new).find("h1").get_text() == "Hoş geldiniz, fen1"


def test_a_token_is_shown_once_stored_hashed_works_on_the_api_and_revoked_is_401(editorial):
    e = editorial()
    m = e.m
    m.person("mudur1")
    m.submit("duyuru", "Duyuru")
    admin = Browser(e, "yonetici1")
    response = post_form(admin, "/kullanicilar/mudur1", "/kullanicilar/mudur1/anahtar")
    assert response.status_code == 200
    token = page(response).find(id="yeni-anahtar").get_text()
    assert token.startswith("mct1.mudur1.")
    assert m.ledger.token(token_hash(token))["login"] == "mudur1"
    secret = token.rsplit(".", 1)[1]
    assert secret not in repr(m.ledger.dump())          # only the hash is stored
    again = admin.get("/kullanicilar/mudur1")
    assert secret not in again.text and page(again).find(id="yeni-anahtar") is None   # never shown again
    api = e.client()
    items = api.get(f"{BASE}/api/v1/items", headers={"Authorization": f"Bearer {token}"})
    assert items.status_code == 200 and [i["number"] for i in items.json()["items"]] == ["BİM-2026-000001"]
    response = post_form(admin, "/kullanicilar/mudur1", "/kullanicilar/mudur1/anahtar-iptal")
    done = page(response).find(role="status").get_text()
    assert done == "'mudur1' kullanıcısının 1 etkin anahtarı iptal edildi."
    assert api.get(f"{BASE}/api/v1/items", headers={"Authorization": f"Bearer {token}"}).status_code == 401
