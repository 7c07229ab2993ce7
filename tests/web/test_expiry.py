"""Idle timeout (instance.yaml editorial.idle_minutes): an expired session goes to the login page; a form sent
with it is kept as a draft for its user (not for the cookie) and comes back filled in after login."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Form, Request

from municms.web.app import include_view
from municms.web.session import current_actor
from municms.web.templating import render

from .conftest import BASE, csrf_of, page

MINUTES = dt.timedelta(minutes=1)


def note_router() -> APIRouter:
    """A screen with a form of ordinary fields, made the way every screen module makes one."""
    router = APIRouter()

    @router.get("/not", name="note")
    def form(request: Request, actor=Depends(current_actor)):
        return render(request, "_test_note.html", actor=actor)

    @router.post("/not")
    def send(request: Request, actor=Depends(current_actor), baslik: str = Form(""), metin: str = Form("")):
        return render(request, "_test_note.html", {"sent": f"{baslik}|{metin}"}, actor=actor)

    return router


def with_note_screen(e, tmp_path):
    templates = e.app.state.templates
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "_test_note.html").write_text(
        '{% extends "base.html" %}{% block title %}Not{% endblock %}{% block content %}<h1>Not</h1>'
        '{% if sent %}<p id="gonderildi">{{ sent }}</p>{% endif %}'
        '<form method="post" action="{{ url(\'note\') }}">{{ csrf_field() }}'
        '<label for="baslik">Başlık</label><input id="baslik" name="baslik" value="{{ draft_fields.baslik }}">'
        '<label for="metin">Metin</label><textarea id="metin" name="metin">{{ draft_fields.metin }}</textarea>'
        '<button>Gönder</button></form>{% endblock %}', encoding="utf-8")
    import jinja2
    templates.env.loader = jinja2.ChoiceLoader([templates.env.loader, jinja2.FileSystemLoader(str(folder))])
    include_view(e.app, note_router())


def test_idle_minutes_come_from_instance_yaml(editorial):
    e = editorial()
    assert e.app.state.idle_timeout == dt.timedelta(minutes=e.m.instance.editorial.idle_minutes)
    assert e.m.instance.editorial.idle_minutes == 30


def test_activity_keeps_the_session_and_idleness_ends_it(editorial):
    e = editorial()
    client, _ = e.login("web1")
    for _ in range(3):
        e.m.clock.advance(29 * MINUTES)
        assert client.get(f"{BASE}/", follow_redirects=False).status_code == 200
    e.m.clock.advance(31 * MINUTES)
    response = client.get(f"{BASE}/parola", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"{BASE}/giris?sonra=%2Fyonetim%2Fparola&neden=zaman-asimi"
    assert dict(e.m.ledger.dump())["sessions"] == ()
    login = client.get(response.headers["location"])
    assert "Uzun süre işlem yapılmadığı için oturumunuz kapandı." in page(login).main.get_text()


def test_a_form_sent_after_expiry_is_kept_as_a_draft_and_filled_in_after_login(editorial, tmp_path):
    e = editorial()
    with_note_screen(e, tmp_path)
    client, _ = e.login("fen1")
    form = client.get(f"{BASE}/not")
    e.m.clock.advance(45 * MINUTES)
    before = len(e.m.ledger.events())
    text = "Işıklı Çarşı'da <b>asfalt</b> çalışması\nikinci satır"
    response = client.post(f"{BASE}/not", data={"baslik": "Yol çalışması", "metin": text,
                                                 "csrf_token": csrf_of(form)}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"{BASE}/giris?neden=taslak"
    assert "taslak olarak saklandı" in page(client.get(response.headers["location"])).main.get_text()
    drafts = dict(e.m.ledger.dump())["drafts"]
    assert [(row[0], row[1]) for row in drafts] == [("fen1", f"{BASE}/not")]  # the login's, not the cookie's
    assert "csrf_token" not in drafts[0][2]
    assert len(e.m.ledger.events()) == before  # nothing else happened

    other, landing = e.login("mali1", client=e.client())  # someone else gets no draft
    assert page(landing).h1.string == "Hoş geldiniz, mali1"
    assert page(other.get(f"{BASE}/not")).find("input", id="baslik").get("value") in (None, "")

    again = e.client()  # a fresh browser: the draft follows the login, not the old cookie
    _, back = e.login("fen1", client=again)
    assert str(back.url) == f"http://testserver{BASE}/not"
    filled = page(back)
    assert filled.find("input", id="baslik")["value"] == "Yol çalışması"
    assert filled.find("textarea", id="metin").string == text
    sent = again.post(f"{BASE}/not", data={"baslik": "Yol çalışması", "metin": "son",
                                           "csrf_token": csrf_of(back)})
    assert page(sent).find(id="gonderildi").string == "Yol çalışması|son"
    assert dict(e.m.ledger.dump())["drafts"] == ()


def test_passwords_are_never_kept_in_a_draft(editorial):
    e = editorial()
    client, _ = e.login("web2")
    form = client.get(f"{BASE}/parola")
    e.m.clock.advance(31 * MINUTES)
    response = client.post(f"{BASE}/parola", data={"mevcut_parola": "dogru-parola-2026",
                                                   "yeni_parola": "gizli-parola-99",
                                                   "yeni_parola_tekrar": "gizli-parola-99",
                                                   "csrf_token": csrf_of(form)}, follow_redirects=False)
    assert response.headers["location"] == f"{BASE}/giris?neden=zaman-asimi"
    assert dict(e.m.ledger.dump())["drafts"] == ()
    assert "gizli-parola-99" not in repr(e.m.ledger.dump())


def test_sessions_abandoned_long_ago_are_purged_at_the_next_login(editorial):
    e = editorial()
    e.login("web1")
    e.m.clock.advance(dt.timedelta(minutes=30, days=1, seconds=1))
    e.login("web2", client=e.client())
    assert [row[1] for row in dict(e.m.ledger.dump())["sessions"]] == ["web2"]
