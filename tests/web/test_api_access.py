"""Who sees and does what over the API, over two departments and two units; no token, bad token, revoked token."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest

from municms import auth
from municms.auth import FAILED_LOGIN
from municms.web.session import SESSION_COOKIE
from tests.web.api_client import Api, error

LOGINS = ("fen1", "mali1", "web1", "egitim1", "mudur1", "yonetici1")


@pytest.fixture
def town(municipality):
    """Four items: each of two departments sends one item reviewed by `web` and one by `egitim`."""
    m = municipality()
    m.person("web1")
    seminar = dict(egitmen="A. Yılmaz", yer="Kültür Merkezi", baslangic="2026-12-15 10:00",
                   bitis="2026-12-15 12:00", kontenjan=20)
    items = {"fen-web": m.submit("duyuru", "Fen duyurusu"),
             "fen-egitim": m.submit("seminer", "Fen semineri", **seminar),
             "mali-web": m.submit("duyuru", "Mali duyurusu", department="mali-hizmetler"),
             "mali-egitim": m.submit("seminer", "Mali semineri", department="mali-hizmetler", **seminar)}
    return m, Api(m), {key: item.number for key, item in items.items()}


SEES = {"fen1": {"fen-web", "fen-egitim"}, "mali1": {"mali-web", "mali-egitim"},
        "web1": {"fen-web", "mali-web"}, "egitim1": {"fen-egitim", "mali-egitim"},
        "mudur1": {"fen-web", "fen-egitim", "mali-web", "mali-egitim"},
        "yonetici1": {"fen-web", "fen-egitim", "mali-web", "mali-egitim"}}


def test_everyone_sees_exactly_their_scope_in_lists_items_revisions_and_events(town):
    m, api, numbers = town
    unknown = api.get("/items/BİM-2026-000999", "mudur1")
    assert unknown.status_code == 404 and error(unknown)["code"] == "not_found"
    for login in LOGINS:
        listed = api.get("/items", login).json()["items"]
        assert {i["number"] for i in listed} == {numbers[k] for k in SEES[login]}, login
        for key, number in numbers.items():
            for path in ("", "/revisions", "/events"):
                response = api.get(f"/items/{quote(number)}{path}", login)
                if key in SEES[login]:
                    assert response.status_code == 200, (login, key, path)
                else:  # answered exactly like a number that does not exist
                    assert response.status_code == 404, (login, key, path, response.text)
                    assert error(response)["code"] == "not_found"
                    assert "bulunamadı ya da görme yetkiniz yok" in error(response)["message"]
    assert {i["number"] for i in api.get("/items?department=mali-hizmetler", "fen1").json()["items"]} == set()
    assert {i["number"] for i in api.get("/items?tur=seminer", "mudur1").json()["items"]} == \
        {numbers["fen-egitim"], numbers["mali-egitim"]}
    assert {i["number"] for i in api.get("/items?state=registered&department=fen-isleri", "web1").json()["items"]} \
        == {numbers["fen-web"]}


@pytest.mark.parametrize("login, action, body, status", [
    ("fen1", "assign", {"to": "web1"}, 403),           # department staff do not assign
    ("web1", "assign", {"to": "web1"}, 403),           # neither do editors
    ("egitim1", "assign", {"to": "web1"}, 404),        # another unit's item is not even visible
    ("mali1", "assign", {"to": "web1"}, 404),          # nor another department's
    ("yonetici1", "assign", {"to": "web1"}, 403),      # the administrator does not do havale
    ("mudur1", "review", {}, 409),                     # not assigned yet: the state does not allow it
    ("mudur1", "assign", {"to": "fen1"}, 422),         # only to an editor
    ("mudur1", "assign", {"to": "kimse"}, 422),
    ("mudur1", "assign", {}, 422),
])
def test_wrong_role_scope_or_state_changes_nothing(town, login, action, body, status):
    m, api, numbers = town
    etag = api.item(numbers["fen-web"], "mudur1").headers["ETag"]
    api.token(login)
    before = m.ledger.dump()
    response = api.act(numbers["fen-web"], action, login, etag=etag, **body)
    assert response.status_code == status, response.text
    assert error(response)["code"] == {403: "forbidden", 404: "not_found", 409: "invalid_transition",
                                       422: "invalid"}[status]
    assert error(response)["message"] and error(response)["message_en"]
    if status == 422:
        assert error(response)["problems"][0]["field"] == "to"
    assert m.ledger.dump() == before


def test_without_a_valid_token_nothing_is_shown(town):
    m, api, numbers = town
    token = api.token("fen1")
    for headers in ({}, {"Authorization": "Basic ZmVuMTpwYXJvbGE="}, {"Authorization": "Bearer "},
                    {"Authorization": f"Bearer {token}x"}, {"Authorization": "Bearer mct1.fen1.kisa"}):
        for path in ("/items", f"/items/{quote(numbers['fen-web'])}", "/releases"):
            response = api.client.get(f"/yonetim/api/v1{path}", headers=headers)
            assert response.status_code == 401, (headers, path)
            assert error(response)["code"] == "unauthenticated"
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
    # a live session of the editorial app (its screens let the cookie in) is no credential for the API
    session = auth.start_session(m.ledger, m.actor("fen1"), m.clock, dt.timedelta(minutes=30))
    api.client.cookies.set(SESSION_COOKIE, session.id)
    assert api.client.get("/yonetim/", follow_redirects=False).status_code == 200
    assert api.client.get("/yonetim/api/v1/items").status_code == 401
    api.client.cookies.clear()
    assert [e.data["why"] for e in m.ledger.events() if e.action == FAILED_LOGIN and e.actor == "fen1"] == \
        ["unknown, revoked or inactive"] * 3

    assert m.run("users", "token", "fen1", "--revoke", login="fen1")[0] == 0
    response = api.get("/items", "fen1")
    assert response.status_code == 401 and "iptal" in error(response)["message"]


def test_releases_need_a_token(town):
    m, api, numbers = town
    assert api.get("/releases").status_code == 401
    assert api.get("/releases", "fen1").json() == []
