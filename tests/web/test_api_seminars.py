"""Seminars over the JSON API with real personal tokens: where a seminar stands, staff registration by a
department and by an editor, who may read names, cancelling a place (the waiting list moves up), cancelling
the seminar, attendance; refusals in Turkish with the one error object."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from municms.actions.seminar_registration import Person, register_citizen
from tests.seminars.conftest import seminar_town  # noqa: F401 (the fixture)
from tests.web.api_client import Api, error


def test_a_seminar_over_the_api_from_registration_to_attendance(seminar_town):
    m, item = seminar_town()
    api = Api(m)
    path = f"/seminars/{quote(item.number)}"
    register_citizen(m.ledger, m.instance, m.paths, m.clock, item.id,
                     Person(name="Ayşe Yılmaz", email="ayse@example.org"), consent=True)

    listed = api.get("/seminars", "fen1").json()
    assert [(s["number"], s["phase"], s["confirmed"], s["remaining"]) for s in listed] == [
        (item.number, "acik", 1, 1)]
    mine = api.post(f"{path}/registrations", "fen1", json={"name": "Hasan Kara", "department": "fen-isleri"})
    assert mine.status_code == 201
    assert {k: mine.json()[k] for k in ("status", "audience", "department", "registered_by")} == {
        "status": "kesin", "audience": "personel", "department": "fen-isleri", "registered_by": "fen1"}
    other = api.post(f"{path}/registrations", "fen1", json={"name": "Zehra Ak", "department": "mali-hizmetler"})
    assert other.status_code == 403
    assert error(other)["message"] == "Bu müdürlüğün personelini bu seminere kaydetme yetkiniz yok."
    waiting = api.post(f"{path}/registrations", "web1", json={"name": "Zehra Ak", "department": "mali-hizmetler"})
    assert waiting.json()["status"] == "yedek"

    # names: the seminar's editors see all; a department its own people only; the citizen's never
    assert [r["name"] for r in api.get(path, "web1").json()["registrations"]] == [
        "Ayşe Yılmaz", "Hasan Kara", "Zehra Ak"]
    assert [r["name"] for r in api.get(path, "fen1").json()["registrations"]] == ["Hasan Kara"]
    assert [r["name"] for r in api.get(path, "mali1").json()["registrations"]] == ["Zehra Ak"]

    back = api.post(f"{path}/registrations/{mine.json()['id']}/cancel", "fen1", json={"reason": "Görevde."})
    assert back.json()["status"] == "iptal"
    assert [(r["name"], r["status"]) for r in api.get(path, "web1").json()["registrations"]] == [
        ("Ayşe Yılmaz", "kesin"), ("Hasan Kara", "iptal"), ("Zehra Ak", "kesin")]

    early = api.put(f"{path}/attendance", "web1", json={"attended": {str(waiting.json()["id"]): True}})
    assert early.status_code == 422 and error(early)["problems"][0]["field"] == "katilim"
    m.clock.set(dt.datetime(2026, 12, 10, 12, 40, tzinfo=m.instance.tz))
    marked = api.put(f"{path}/attendance", "web1", json={"attended": {str(waiting.json()["id"]): True}})
    assert [(r["name"], r["attended"]) for r in marked.json()] == [("Ayşe Yılmaz", None), ("Zehra Ak", True)]
    assert api.put(f"{path}/attendance", "fen1", json={"attended": {}}).status_code == 403


def test_cancelling_a_seminar_needs_its_editor_and_a_public_reason(seminar_town):
    m, item = seminar_town()
    api = Api(m)
    path = f"/seminars/{quote(item.number)}/cancel"
    assert api.post(path, "fen1", json={"reason": "Eğitmen hasta."}).status_code == 403
    assert error(api.post(path, "web1", json={}))["problems"][0]["field"] == "gerekce"
    done = api.post(path, "web1", json={"reason": "Eğitmen hasta."})
    assert (done.status_code, done.json()["phase"], done.json()["cancel_reason"]) == (200, "iptal", "Eğitmen hasta.")
    assert api.get("/seminars/BİM-2026-999999", "web1").status_code == 404
