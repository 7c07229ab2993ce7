"""Logging in to /yonetim/ with real users and passwords: sessions, cookie, throttling, logout, password change,
deactivation — all through the login form over HTTP."""

from __future__ import annotations

import hashlib

from municms.actions.users import deactivate_user
from municms.auth import FAILED_LOGIN, MAX_FAILURES, THROTTLED_LOGIN
from tests.municipality import PASSWORD

from .conftest import BASE, csrf_of, page


def set_cookie_headers(response) -> dict[str, str]:
    return {header.split("=", 1)[0]: header for header in response.headers.get_list("set-cookie")}


def sessions(m) -> tuple:
    return dict(m.ledger.dump())["sessions"]


def test_login_opens_a_session_stored_hashed_and_lands_on_home(editorial):
    e = editorial()
    client, response = e.login("web1", follow=False)
    assert response.status_code == 303 and response.headers["location"] == f"{BASE}/"
    cookie = set_cookie_headers(response)["yonetim_oturum"]
    session_id = cookie.split("=", 1)[1].split(";", 1)[0]
    assert len(session_id) >= 43  # 256 random bits, url-safe base64
    rows = sessions(e.m)
    assert [(row[0], row[1]) for row in rows] == [(hashlib.sha256(session_id.encode()).hexdigest(), "web1")]
    assert session_id not in repr(e.m.ledger.dump())
    home = client.get(f"{BASE}/")
    assert home.status_code == 200
    assert page(home).title.string == "Ana sayfa — Yönetim — Çorum Belediyesi"
    assert page(home).h1.string == "Hoş geldiniz, web1"


def test_session_cookie_is_httponly_strict_and_limited_to_the_app(editorial):
    e = editorial()
    _, response = e.login("web1", follow=False)
    cookie = set_cookie_headers(response)["yonetim_oturum"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/yonetim/" in cookie
    assert "secure" not in cookie  # plain http on loopback: a Secure cookie would never come back
    _, response = e.login("web2", client=e.client(https=True), follow=False)
    cookie = set_cookie_headers(response)["yonetim_oturum"].lower()
    assert "secure" in cookie and "samesite=strict" in cookie and "path=/yonetim/" in cookie


def test_wrong_password_says_so_in_turkish_records_the_failure_and_opens_no_session(editorial):
    e = editorial()
    client, response = e.login("web1", password="yanlis-parola-1")
    assert response.status_code == 401
    html = page(response)
    assert html.title.string.startswith("Hata: Giriş")
    summary = html.find(class_="error-summary")
    assert summary.find("a")["href"] == "#kullanici"
    assert summary.find("a").string == "Kullanıcı adı ya da parola hatalı."
    assert html.find("input", id="kullanici")["aria-invalid"] == "true"
    assert html.find("input", id="kullanici")["value"] == "web1"
    failed = [ev for ev in e.m.ledger.events() if ev.action == FAILED_LOGIN]
    assert [(ev.actor, ev.data) for ev in failed] == [("web1", {"via": "password", "why": "wrong password"})]
    assert sessions(e.m) == ()
    assert client.get(f"{BASE}/", follow_redirects=False).status_code == 303


def test_unknown_login_gets_the_same_message(editorial):
    e = editorial()
    e.m.person("web1")
    client = e.client()
    form = client.get(f"{BASE}/giris")
    response = client.post(f"{BASE}/giris", data={"kullanici": "kimse", "parola": "bir-parola-99",
                                                  "csrf_token": csrf_of(form)})
    assert response.status_code == 401
    assert "Kullanıcı adı ya da parola hatalı." in response.text


def test_empty_fields_are_each_named(editorial):
    e = editorial()
    client = e.client()
    form = client.get(f"{BASE}/giris")
    response = client.post(f"{BASE}/giris", data={"kullanici": "", "parola": "", "csrf_token": csrf_of(form)})
    links = [(a["href"], a.string) for a in page(response).select(".error-summary a")]
    assert links == [("#kullanici", "Kullanıcı adınızı yazın."), ("#parola", "Parolanızı yazın.")]
    assert page(response).find("input", id="parola")["aria-describedby"] == "parola-hata"


def test_too_many_failures_lock_the_login_even_with_the_right_password(editorial):
    e = editorial()
    client = e.client()
    for _ in range(MAX_FAILURES):
        e.login("mudur1", password="yanlis-parola-1", client=client)
    _, response = e.login("mudur1", client=client)
    assert response.status_code == 401
    assert page(response).select_one(".error-summary a").string.startswith(
        "Çok fazla hatalı giriş denemesi: 'mudur1' için girişler 15 dakika boyunca durduruldu.")
    assert [ev.action for ev in e.m.ledger.events() if ev.actor == "mudur1"][-1] == THROTTLED_LOGIN
    assert sessions(e.m) == ()


def test_after_login_the_browser_returns_to_the_page_it_asked_for_but_never_elsewhere(editorial):
    e = editorial()
    client = e.client()
    response = client.get(f"{BASE}/parola", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, f"{BASE}/giris?sonra=%2Fyonetim%2Fparola")
    form = client.get(response.headers["location"])
    assert page(form).find("input", attrs={"name": "sonra"})["value"] == f"{BASE}/parola"
    e.m.person("web1")
    response = client.post(f"{BASE}/giris", data={"kullanici": "web1", "parola": PASSWORD, "sonra": f"{BASE}/parola",
                                                  "csrf_token": csrf_of(form)}, follow_redirects=False)
    assert response.headers["location"] == f"{BASE}/parola"
    for elsewhere in ("https://kotu.example/", "//kotu.example/yonetim/", "/haberler/"):
        _, response = e.login("web2", follow=False, client=e.client())
        client2 = e.client()
        form = client2.get(f"{BASE}/giris")
        response = client2.post(f"{BASE}/giris", data={"kullanici": "web2", "parola": PASSWORD, "sonra": elsewhere,
                                                       "csrf_token": csrf_of(form)}, follow_redirects=False)
        assert response.headers["location"] == f"{BASE}/", elsewhere


def test_logout_deletes_the_session_and_the_old_cookie_is_worthless(editorial):
    e = editorial()
    client, home = e.login("fen1")
    session_id = client.cookies.get("yonetim_oturum")
    response = client.post(f"{BASE}/cikis", data={"csrf_token": csrf_of(home)}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, f"{BASE}/giris?neden=cikis")
    assert "yonetim_oturum=" in response.headers["set-cookie"] and "Max-Age=0" in response.headers["set-cookie"]
    assert sessions(e.m) == ()
    assert "Oturumunuz kapatıldı." in client.get(response.headers["location"]).text
    replay = e.client()
    replay.cookies.set("yonetim_oturum", session_id, path="/yonetim/")
    response = replay.get(f"{BASE}/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith(f"{BASE}/giris")


def test_a_deactivated_users_sessions_stop_working_at_once(editorial):
    e = editorial()
    client, _ = e.login("web1")
    assert client.get(f"{BASE}/").status_code == 200
    deactivate_user(e.m.ledger, "web1", e.m.actor("yonetici1"), e.m.clock)
    response = client.get(f"{BASE}/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith(f"{BASE}/giris")
    assert [row[1] for row in sessions(e.m)] == []


def test_password_change_needs_the_current_password_and_the_new_one_twice(editorial):
    e = editorial()
    elsewhere, _ = e.login("egitim1")  # the same user in another browser
    client, _ = e.login("egitim1", client=e.client())
    form = client.get(f"{BASE}/parola")
    assert page(form).title.string == "Parola değiştirme — Yönetim — Çorum Belediyesi"
    token = csrf_of(form)

    def change(current, new, again):
        return client.post(f"{BASE}/parola", data={"mevcut_parola": current, "yeni_parola": new,
                                                   "yeni_parola_tekrar": again, "csrf_token": token})

    def summary(response):
        return [(a["href"], a.string) for a in page(response).select(".error-summary a")]

    response = change("yanlis-parola-1", "yeni-parola-2027", "yeni-parola-2027")
    assert response.status_code == 400
    assert summary(response) == [("#mevcut_parola", "Şu anki parolanız doğru değil.")]
    assert [ev.action for ev in e.m.ledger.events() if ev.actor == "egitim1"][-1] == FAILED_LOGIN
    assert summary(change(PASSWORD, "yeni-parola-2027", "baska-parola-2027")) == [
        ("#yeni_parola_tekrar", "Yeni parola ile tekrarı aynı değil.")]
    assert summary(change(PASSWORD, "kisa", "kisa")) == [("#yeni_parola", "Parola en az 10 karakter olmalıdır.")]
    response = change(PASSWORD, "yeni-parola-2027", "yeni-parola-2027")
    assert response.status_code == 200 and "Parolanız değiştirildi." in response.text
    assert [ev.action for ev in e.m.ledger.events() if ev.actor == "egitim1"][-1] == "user_password"
    assert client.get(f"{BASE}/", follow_redirects=False).status_code == 200  # this browser stays in
    assert elsewhere.get(f"{BASE}/", follow_redirects=False).status_code == 303  # the other one must log in
    assert [row[1] for row in sessions(e.m)] == ["egitim1"]
    assert e.login("egitim1", client=e.client())[1].status_code == 401
    assert e.login("egitim1", password="yeni-parola-2027", client=e.client())[1].status_code == 200
