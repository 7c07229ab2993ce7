"""Every POST of every screen needs the CSRF token of its session: without it, or with a wrong one, the answer
is the Turkish 403 page and the ledger is byte for byte what it was (not even the session is touched)."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.routing import iter_route_contexts

from municms.web.app import view_modules

from .conftest import BASE, csrf_of, page


def screen_posts(app) -> list[str]:
    """Paths of every POST route of the screens (not the token-authenticated JSON API)."""
    paths = []
    for route in iter_route_contexts(app.routes):
        if "POST" in (route.methods or set()) and not route.path.startswith("/api/"):
            paths.append(route.path)
    return sorted(set(paths))


def test_the_known_screens_are_all_checked(editorial):
    posts = screen_posts(editorial().app)
    assert {"/giris", "/cikis", "/parola"} <= set(posts)
    assert view_modules()  # the screens are discovered, not listed by hand


@pytest.mark.parametrize("token", ["missing", "wrong", "another session's"])
def test_post_without_the_sessions_token_is_refused_and_changes_nothing(editorial, token):
    e = editorial()
    client, home = e.login("mudur1")
    e.m.clock.advance(dt.timedelta(minutes=1))  # a touch of the session would now change last_seen
    other, _ = e.login("web1")
    tokens = {"missing": None, "wrong": csrf_of(home)[::-1], "another session's": csrf_of(other.get(f"{BASE}/"))}
    before = e.m.ledger.dump()
    for path in screen_posts(e.app):
        data = {"kullanici": "mudur1", "parola": "x", "mevcut_parola": "x", "yeni_parola": "yeni-parola-2027",
                "yeni_parola_tekrar": "yeni-parola-2027"}
        if tokens[token] is not None:
            data["csrf_token"] = tokens[token]
        response = client.post(BASE + path.replace("{", "").replace("}", ""), data=data, follow_redirects=False)
        assert response.status_code == 403, path
        html = page(response)
        assert html.h1.string == "Güvenlik denetimi başarısız", path
        assert html.title.string == "Güvenlik denetimi başarısız — Yönetim — Çorum Belediyesi"
        assert "hiçbir şey değiştirilmedi" in html.main.get_text()
    assert e.m.ledger.dump() == before
    assert client.get(f"{BASE}/").status_code == 200  # still logged in: the logout was refused too


def test_login_form_needs_its_own_token(editorial):
    e = editorial()
    e.m.person("web1")
    before = e.m.ledger.dump()
    client = e.client()
    client.get(f"{BASE}/giris")
    response = client.post(f"{BASE}/giris", data={"kullanici": "web1", "parola": "dogru-parola-2026"},
                           follow_redirects=False)
    assert response.status_code == 403
    stranger = e.client()  # a token from another browser's login page is not this browser's
    response = stranger.post(f"{BASE}/giris", data={"kullanici": "web1", "parola": "dogru-parola-2026",
                                                    "csrf_token": csrf_of(client.get(f"{BASE}/giris"))},
                             follow_redirects=False)
    assert response.status_code == 403
    assert e.m.ledger.dump() == before
