"""Workflow over the API: If-Match makes a lost update impossible, four eyes hold, pages walk every item once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

from fastapi.testclient import TestClient

from municms.model import APPROVED, ASSIGNED, CHANGES_REQUESTED, IN_REVIEW
from tests.web.api_client import Api, error


def test_a_change_needs_the_current_etag_and_a_stale_one_changes_nothing(municipality):
    m = municipality()
    api = Api(m)
    number = m.submit("duyuru", "Duyuru").number
    read = api.item(number, "mudur1")
    etag = read.headers["ETag"]
    assert read.json()["etag"] == etag and etag.startswith('"')
    api.token("web1")
    before = m.ledger.dump()

    missing = api.act(number, "assign", "mudur1", etag=None, to="web1")
    assert (missing.status_code, error(missing)["code"]) == (428, "precondition_required")
    assert api.act(number, "assign", "mudur1", etag="*", to="web1").status_code == 428
    assert api.act(number, "assign", "mudur1", etag=f"W/{etag}", to="web1").status_code == 412
    assert m.ledger.dump() == before

    # someone else acts in between (here on the command line): the client's read is now stale
    m.person("web2")
    assert m.run("assign", number, "--to", "web2", login="mudur2")[0] == 0
    before = m.ledger.dump()
    stale = api.act(number, "assign", "mudur1", etag=etag, to="web1")
    assert (stale.status_code, error(stale)["code"]) == (412, "precondition_failed")
    assert "değişti" in error(stale)["message"]
    assert m.ledger.dump() == before
    assert m.ledger.item(number).assignee == "web2"

    fresh = api.item(number, "mudur1").headers["ETag"]
    assert fresh != etag
    done = api.act(number, "assign", "mudur1", etag=fresh, to="web1")
    assert done.status_code == 200 and done.json()["assignee"] == "web1"
    assert done.headers["ETag"] == done.json()["etag"] == api.item(number, "mudur1").headers["ETag"] != fresh
    # two clients holding the same version: the first wins, the second is told, never silently overwritten
    first = api.act(number, "review", "web1", etag=done.headers["ETag"])
    second = api.act(number, "reject", "mudur1", etag=done.headers["ETag"], reason="Gereksiz.")
    assert (first.status_code, second.status_code) == (200, 412)
    assert m.ledger.item(number).state == IN_REVIEW


def test_four_eyes_through_the_api(municipality):
    m = municipality()
    api = Api(m)
    m.person("web1")
    number = api.submit("fen1", tur="duyuru", baslik="Su Kesintisi", body="Metin.\n").json()["number"]
    assert api.act(number, "assign", "mudur1", to="web1").json()["state"] == ASSIGNED
    assert api.act(number, "review", "web1").json()["state"] == IN_REVIEW
    own = api.act(number, "approve", "web1")          # the reviewer may not approve
    assert own.status_code == 403 and error(own)["code"] == "forbidden"
    author = api.act(number, "approve", "fen1")       # nor the department that sent it
    assert author.status_code == 403
    reasonless = api.act(number, "request-changes", "web2")
    assert reasonless.status_code == 422 and error(reasonless)["problems"][0]["field"] == "reason"
    asked = api.act(number, "request-changes", "web2", reason="Tarih eksik.")
    assert asked.json()["state"] == CHANGES_REQUESTED
    note = m.paths.receipts / "fen-isleri" / f"{number}.degisiklik.txt"
    assert "Tarih eksik." in note.read_text(encoding="utf-8")

    again = api.submit("fen1", tur="duyuru", baslik="Su Kesintisi", body="Yarın 09.00–12.00.\n", kayit_no=number)
    assert (again.status_code, again.json()["status"], again.json()["rev"]) == (201, "resubmitted", 2)
    assert api.act(number, "approve", "web1").status_code == 403   # still the reviewer
    approved = api.act(number, "approve", "web2")
    assert approved.status_code == 200 and approved.json()["state"] == APPROVED
    events = api.get(f"/items/{quote(number)}/events", "fen1").json()
    assert [(e["action"], e["actor"]) for e in events] == [
        ("register", "sistem"), ("assign", "mudur1"), ("start_review", "web1"), ("request_changes", "web2"),
        ("resubmit", "sistem"), ("approve", "web2")]
    revisions = api.get(f"/items/{quote(number)}/revisions", "web2").json()
    assert [(r["rev"], r["author"], r["body"]) for r in revisions] == [
        (1, "fen1", "Metin.\n"), (2, "fen1", "Yarın 09.00–12.00.\n")]


def test_cursor_pages_walk_every_visible_item_exactly_once(municipality):
    m = municipality()
    api = Api(m)
    for n in range(7):
        m.submit("duyuru", f"Fen {n}")
        m.submit("duyuru", f"Mali {n}", department="mali-hizmetler")
    seen, cursor, pages = [], None, 0
    while True:
        response = api.get("/items", "fen1", params={"limit": 3, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200
        page = response.json()
        assert len(page["items"]) <= 3
        seen += [i["number"] for i in page["items"]]
        pages += 1
        if pages == 2:  # an item registered mid-walk comes once, in its place at the end
            m.submit("duyuru", "Yolda gelen")
        cursor = page["next_cursor"]
        if cursor is None:
            break
    expected = [i.number for i in m.ledger.items() if i.department == "fen-isleri"]
    assert len(expected) == 8 and seen == expected and pages == 3

    everything = api.get("/items", "mudur1", params={"limit": 100}).json()
    assert len(everything["items"]) == 15 and everything["next_cursor"] is None
    for params, field in (({"limit": 101}, "limit"), ({"limit": 0}, "limit")):
        response = api.get("/items", "fen1", params=params)
        assert response.status_code == 422 and error(response)["problems"][0]["path"] == [field]
    bad = api.get("/items", "fen1", params={"cursor": "bm90LWJpemlt"})
    assert (bad.status_code, error(bad)["code"]) == (400, "bad_request")


def test_simultaneous_changes_from_one_version_let_exactly_one_through(municipality):
    """Six clients hold the same ETag and send assign at the same moment: one wins, five get 412. (A version
    compared before the action's transaction would let several through: re-assignment is allowed.)"""
    m = municipality()
    api = Api(m)
    number = m.submit("duyuru", "Duyuru").number
    editors = ["web1", "web2", "web3"]
    for login in editors:
        m.person(login)
    tokens = [api.token("mudur1"), api.token("mudur2")]
    etag = api.item(number, "mudur1").headers["ETag"]
    start = threading.Barrier(6)

    def attempt(n: int) -> int:
        client = TestClient(api.app)
        start.wait()
        return client.post(f"/yonetim/api/v1/items/{quote(number)}/actions/assign",
                           headers={"Authorization": f"Bearer {tokens[n % 2]}", "If-Match": etag},
                           json={"to": editors[n % 3]}).status_code

    with ThreadPoolExecutor(6) as pool:
        codes = sorted(pool.map(attempt, range(6)))
    assert codes == [200, 412, 412, 412, 412, 412]
    assert [e.action for e in m.ledger.events(m.ledger.item(number).id)] == ["register", "assign"]
