"""The staff's personal seminar calendar: the link made, renewed and revoked on /yonetim/takvim (CSRF, shown
once, only its SHA-256 kept), the feed fetched without a session as a calendar program does: valid iCalendar
with the staff-only seminars, cancellations with their reason, 404 once revoked or its owner deactivated; and
no other screen of the app became public."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from urllib.parse import urlsplit

import pytest
from fastapi.routing import iter_route_contexts
from icalendar import Calendar

from municms.actions.seminar_calendar import ISSUE, REVOKE
from municms.actions.seminar_registration import Person, register_citizen
from municms.actions.seminar_running import cancel_seminar
from municms.actions.users import deactivate_user
from tests.seminars.conftest import publish_seminar

from .conftest import BASE, page
from .screens import Browser, form_token


@pytest.fixture
def town(editorial):
    """The tiny site with a citizens' seminar (A, 10 Dec, 2 places, one taken) and a staff-only one (B)."""
    e = editorial("tiny")
    m = e.m
    a = publish_seminar(m, "Temel Bilgisayar Semineri")
    b = publish_seminar(m, "İş Güvenliği Eğitimi", department="fen-isleri", hedef_kitle="personel",
                        egitmen="Ali Veli", yer="Fen İşleri Toplantı Salonu", kontenjan=20,
                        baslangic="2026-12-03 09:00", bitis="2026-12-03 12:00", kayit_son="2026-12-01")
    register_citizen(m.ledger, m.instance, m.paths, m.clock, a.id, Person(name="Ayşe Yılmaz",
                     email="ayse@example.org"), consent=True)
    return e, {"A": a, "B": b}


def make_link(browser: Browser, action: str = "olustur"):
    """Press a button of /takvim as the person would (the form's own CSRF token); (response, link path)."""
    html = page(browser.get("/takvim"))
    form_id = "takvim-iptal" if action == "iptal" else "takvim-olustur"
    response = browser.client.post(f"{BASE}/takvim", data={"csrf_token": form_token(html, form_id),
                                                           "islem": action})
    shown = page(response).find(id="takvim-baglantisi")
    return response, urlsplit(shown.get_text()).path if shown else None


def feed(e, path: str):
    """The feed as a calendar program fetches it: no cookies, no session."""
    return e.client().get(path)


def events(response) -> dict[str, object]:
    calendar = Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def test_a_link_made_on_the_page_gives_a_valid_calendar_without_a_session(town):
    e, s = town
    m = e.m
    fen1 = Browser(e, "fen1")   # department staff: any logged-in person has a calendar
    response, path = make_link(fen1)
    assert response.status_code == 200
    assert page(response).find(role="status").get_text() == (
        "Yeni takvim bağlantınız oluşturuldu; varsa eskisi artık çalışmaz.")
    assert re.fullmatch(r"/yonetim/takvim/[A-Za-z0-9_-]{43}\.ics", path), path
    token = path.rsplit("/", 1)[1][:-len(".ics")]
    # only the SHA-256 is kept; the one event does not carry the key
    assert m.ledger.calendar_login(hashlib.sha256(token.encode()).hexdigest()) == "fen1"
    assert token not in repr(m.ledger.dump())
    issued = [ev for ev in m.ledger.events() if ev.action == ISSUE]
    assert [(ev.actor, ev.data) for ev in issued] == [("fen1", {"renewed": False})]
    assert page(fen1.get("/takvim")).find(id="takvim-baglantisi") is None   # shown once

    got = feed(e, path)
    assert got.status_code == 200
    assert got.headers["content-type"] == "text/calendar; charset=utf-8"
    assert got.headers["cache-control"] == "private, no-store"
    calendar = Calendar.from_ical(got.content)
    assert Calendar.from_ical(calendar.to_ical()).to_ical() == calendar.to_ical() == got.content  # round trip
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Istanbul"]
    shown = events(got)
    assert list(shown) == ["İş Güvenliği Eğitimi", "Temel Bilgisayar Semineri"]   # by start
    a, b = shown["Temel Bilgisayar Semineri"], shown["İş Güvenliği Eğitimi"]
    assert a["dtstart"].dt == dt.datetime(2026, 12, 10, 10, 0, tzinfo=m.instance.tz)
    assert a["dtstart"].params["TZID"] == "Europe/Istanbul"
    assert a["dtend"].dt == dt.datetime(2026, 12, 10, 12, 30, tzinfo=m.instance.tz)
    assert (str(a["location"]), str(a["status"])) == ("Belediye Konferans Salonu", "CONFIRMED")
    assert str(a["description"]) == "Eğitmen: Mehmet Kaya\nBoş yer: 1 (kontenjan 2, 1 kesin kayıt)."
    assert str(b["location"]) == "Fen İşleri Toplantı Salonu"
    assert str(b["description"]) == ("Eğitmen: Ali Veli\nBoş yer: 20 (kontenjan 20, 0 kesin kayıt).\n"
                                     "Yalnız belediye personeli için (kamuya açık sitede yer almaz).")
    # the public calendar has the same UID for the public seminar, and never the staff-only one
    public = {str(ev["summary"]): str(ev["uid"])
              for ev in Calendar.from_ical(m.files()["seminerler.ics"]).walk("VEVENT")}
    assert public["Temel Bilgisayar Semineri"] == str(a["uid"])
    assert "İş Güvenliği Eğitimi" not in public


def test_a_cancelled_seminar_is_cancelled_in_the_feed_with_its_reason(town):
    e, s = town
    m = e.m
    _, path = make_link(Browser(e, "web2"))
    cancel_seminar(m.ledger, m.instance, m.paths, m.clock, m.actor("web1"), s["A"].id, "Eğitmen rahatsızlandı.")
    shown = events(feed(e, path))
    a = shown["İptal edildi: Temel Bilgisayar Semineri"]
    assert str(a["status"]) == "CANCELLED"
    assert str(a["description"]) == "Eğitmen: Mehmet Kaya\nİptal gerekçesi: Eğitmen rahatsızlandı."
    assert b"STATUS:CANCELLED" in feed(e, path).content
    assert str(shown["İş Güvenliği Eğitimi"]["status"]) == "CONFIRMED"


def test_renewed_and_revoked_links_stop_working_and_random_ones_never_did(town):
    e, _ = town
    m = e.m
    mudur = Browser(e, "mudur1")
    _, first = make_link(mudur)
    response, second = make_link(mudur)   # renew
    assert page(response).find("button", string="Bağlantıyı yenile") is not None
    assert (feed(e, first).status_code, feed(e, second).status_code) == (404, 200)
    response, shown = make_link(mudur, "iptal")
    assert (response.status_code, shown) == (200, None)
    assert page(response).find(role="status").get_text() == "Takvim bağlantınız iptal edildi; artık çalışmaz."
    assert page(response).find(id="baglanti-durumu").get_text() == "Takvim bağlantınız yok."
    assert feed(e, second).status_code == 404
    assert [(ev.action, ev.actor) for ev in m.ledger.events() if ev.action in (ISSUE, REVOKE)] == [
        (ISSUE, "mudur1"), (ISSUE, "mudur1"), (REVOKE, "mudur1")]
    for path in (f"{BASE}/takvim/{secrets.token_urlsafe(32)}.ics", f"{BASE}/takvim/.ics",
                 f"{BASE}/takvim/{'a' * 500}.ics"):
        assert feed(e, path).status_code == 404, path


def test_the_feed_of_a_deactivated_user_is_gone(town):
    e, _ = town
    m = e.m
    _, path = make_link(Browser(e, "web3"))
    assert feed(e, path).status_code == 200
    deactivate_user(m.ledger, "web3", m.actor("yonetici1"), m.clock)
    assert feed(e, path).status_code == 404


def test_the_feed_keeps_the_last_90_days(town):
    e, s = town
    m = e.m
    _, path = make_link(Browser(e, "web1"))
    m.clock.set(dt.datetime(2027, 3, 3, 9, 0, tzinfo=m.instance.tz))   # 10 Dec ended 82 days ago, 3 Dec 89+
    assert list(events(feed(e, path))) == ["İş Güvenliği Eğitimi", "Temel Bilgisayar Semineri"]
    m.clock.set(dt.datetime(2027, 3, 5, 9, 0, tzinfo=m.instance.tz))   # 3 Dec ended 91 days and 21 hours ago
    assert list(events(feed(e, path))) == ["Temel Bilgisayar Semineri"]


def test_a_link_needs_the_forms_csrf_token_and_a_login(town):
    e, _ = town
    m = e.m
    browser = Browser(e, "web1")
    before = m.ledger.dump()
    refused = browser.client.post(f"{BASE}/takvim", data={"islem": "olustur"})
    assert refused.status_code == 403 and m.ledger.dump() == before
    anonymous = e.client().get(f"{BASE}/takvim", follow_redirects=False)
    assert anonymous.status_code == 303 and "/giris" in anonymous.headers["location"]


def test_no_other_screen_became_public(town):
    """Every GET screen but the login page and the calendar feed sends a visitor without a session to log in
    (the JSON API answers 401 on its own)."""
    e, _ = town
    anonymous = e.client()
    public = {"/giris", "/takvim/{token}.ics", "/api/", "/api/openapi.json"}
    checked = []
    for route in iter_route_contexts(e.app.routes):
        if "GET" not in (getattr(route, "methods", None) or set()) or route.path in public:
            continue
        response = anonymous.get(BASE + re.sub(r"\{[^}]+\}", "x1", route.path), follow_redirects=False)
        if route.path.startswith("/api/"):
            assert response.status_code == 401, route.path
        else:
            assert response.status_code == 303 and "/giris" in response.headers["location"], route.path
        checked.append(route.path)
    assert {"/takvim", "/seminerler/rapor", "/seminerler/rapor.csv", "/mudur/defter"} <= set(checked)
