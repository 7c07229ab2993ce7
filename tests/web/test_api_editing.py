"""Editing and comments over the API with real personal tokens: the edit is a revision needing someone else's
approval, guarded by If-Match and by an edit lock held in the app; comments are plain text for all who see."""

from __future__ import annotations

from urllib.parse import quote

from municms.actions.edit_lock import take_edit_lock
from municms.model import IN_REVIEW, PUBLISHED
from municms.workflow import EDITOR_OF_REVISION, RELATION_MESSAGES_TR
from tests.web.api_client import Api, error


def put_content(api: Api, number: str, login: str, etag: str | None = "current", **body):
    if etag == "current":
        etag = api.item(number, login).headers["ETag"]
    headers = {"Authorization": f"Bearer {api.token(login)}", **({"If-Match": etag} if etag else {})}
    return api.client.put(f"/yonetim/api/v1/items/{quote(number)}/content", headers=headers, json=body)


def test_an_edit_through_the_api_is_a_revision_that_another_person_approves(municipality):
    m = municipality()
    api = Api(m)
    number = m.submit("duyuru", "Su Kesintisi", "Eski metin.\n").number
    m.assign(number, to="web1")
    m.review(number, by="web1")
    missing = put_content(api, number, "web2", etag=None, baslik="Su Kesintisi", body="Yeni.\n")
    assert missing.status_code == 428
    done = put_content(api, number, "web2", baslik="Su Kesintisi Uzadı", body="Yeni metin.\n")
    assert done.status_code == 200, done.text
    body = done.json()
    assert (body["state"], body["current_rev"], body["title"], body["live_rev"]) == (IN_REVIEW, 2,
                                                                                   "Su Kesintisi Uzadı", None)
    assert done.headers["ETag"] == body["etag"]
    revisions = api.get(f"/items/{quote(number)}/revisions", "mudur1").json()
    assert [(r["rev"], r["author"], r["body"]) for r in revisions] == [(1, "birim:fen-isleri", "Eski metin.\n"),
                                                                       (2, "web2", "Yeni metin.\n")]
    own = api.act(number, "approve", "web2")
    assert (own.status_code, error(own)["message"]) == (403, RELATION_MESSAGES_TR[EDITOR_OF_REVISION])
    assert api.act(number, "approve", "web3").json()["state"] == "approved"


def test_an_invalid_edit_gets_field_paths_and_changes_nothing(municipality):
    m = municipality()
    api = Api(m)
    number = m.submit("duyuru", "Su Kesintisi").number
    m.assign(number, to="web1")
    api.token("web2")
    before = m.ledger.dump()
    bad = put_content(api, number, "web2", baslik="Su Kesintisi", body="x", yayin="dün")
    assert bad.status_code == 422
    assert [p["field"] for p in error(bad)["problems"]] == ["yayin"]
    assert m.ledger.dump() == before


def test_an_edit_lock_in_the_app_stops_an_api_edit(municipality):
    m = municipality()
    api = Api(m)
    number = m.submit("duyuru", "Su Kesintisi").number
    m.assign(number, to="web1")
    take_edit_lock(m.ledger, m.instance, number, m.actor("web3"), m.clock)
    locked = put_content(api, number, "web2", baslik="Su Kesintisi", body="Yeni.\n")
    assert locked.status_code == 409 and "web3 tarafından düzenleniyor" in error(locked)["message"]
    assert m.ledger.item(number).current_rev == 1


def test_discard_over_the_api_keeps_the_published_revision(municipality):
    m = municipality(site="tiny")
    api = Api(m)
    number = m.submit("duyuru", "Yol Çalışması").number
    m.approve(number)
    m.publish()
    edited = put_content(api, number, "web1", baslik="Yol Çalışması", body="Yeni.\n").json()
    assert (edited["current_rev"], edited["live_rev"]) == (2, 1)
    rejected = api.act(number, "reject", "web3", reason="Hayır.")
    assert rejected.status_code == 409 and "reddedilemez" in error(rejected)["message"]
    back = api.act(number, "discard", "web3", reason="Eski metin doğru.")
    assert (back.json()["state"], back.json()["current_rev"]) == (PUBLISHED, 1)


def test_comments_over_the_api(municipality):
    m = municipality()
    api = Api(m)
    number = m.submit("duyuru", "Su Kesintisi").number
    made = api.post(f"/items/{quote(number)}/comments", "fen1", json={"text": "<script>x</script> Saat 14.00."})
    assert made.status_code == 201 and made.json()["author"] == "fen1"
    listed = api.get(f"/items/{quote(number)}/comments", "mudur1").json()
    assert [(c["author"], c["text"], c["rev"]) for c in listed] == [("fen1", "<script>x</script> Saat 14.00.", 1)]
    assert api.get(f"/items/{quote(number)}/comments", "mali1").status_code == 404
    empty = api.post(f"/items/{quote(number)}/comments", "fen1", json={"text": "  "})
    assert empty.status_code == 422 and error(empty)["problems"][0]["field"] == "text"
