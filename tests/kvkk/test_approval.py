"""Approval of a revision with open personal-data findings: refused without an explicit override, accepted with
one whose reason is recorded in the approve event; four eyes still apply. Real logins, tokens and commands."""

from __future__ import annotations

import json
from urllib.parse import quote

from municms.model import APPROVED, IN_REVIEW
from municms.workflow import AUTHOR, EDITOR_OF_REVISION, RELATION_MESSAGES_TR, REVIEWER
from tests.municipality import submission_text
from tests.web.api_client import Api, error
from tests.web.conftest import BASE, page
from tests.web.screens import Browser, errors_of

TC = "12345678950"
REFUSAL = ("1. sürümünde 1 açık kişisel veri bulgusu var (T.C. kimlik numarası). Onaylamak için bulguları "
           "inceleyip yayımlanmalarının neden uygun olduğunu gerekçe olarak yazın ya da müdürlükten bu bilgileri "
           "çıkaran yeni bir sürüm isteyin.")
OVERRIDE = "Numara kişinin kendi açık rızasıyla, ilan zorunluluğu nedeniyle yayımlanıyor."


def in_review(m, body: str = f"Tebligat: {TC} numaralı mükellef.\n") -> str:
    """A department's file with an identity number in its body, registered, assigned to web1, in review."""
    result = m.drop("mali-hizmetler", "tebligat.md", submission_text("duyuru", "İlanen Tebligat", body))
    m.assign(result.number, to="web1")
    m.review(result.number, by="web1")
    return result.number


def approve_form(browser: Browser, number: str, **fields):
    html = page(browser.get(f"/isler/kayit/{number}"))
    form = html.find("input", attrs={"name": "islem", "value": "approve"}).find_parent("form")
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    return browser.client.post(f"{BASE}/isler/kayit/{number}", data={"csrf_token": token, "islem": "approve",
                                                                       **fields})


def approve_events(m, number: str) -> list:
    return [e for e in m.ledger.events(m.ledger.item(number).id) if e.action == "approve"]


def test_web_approval_needs_the_ticked_override_and_its_reason_which_the_history_shows(editorial):
    e = editorial()
    m = e.m
    number = in_review(m)
    web2 = Browser(e, "web2")
    shown = page(web2.get(f"/isler/kayit/{number}"))
    table = shown.find("section", id="kvkk").find("table")
    assert [td.get_text() for td in table.tbody.find("tr").find_all("td")] == [
        "T.C. kimlik numarası", "metin, satır 1", "123******50",
        "Geçerli bir T.C. kimlik numarası (sağlama basamakları tutuyor). Kimlik numarası kişisel veridir "
        "(6698 sayılı KVKK md. 3); yayımlanmamalıdır.", "açık"]
    assert shown.find("input", id="kvkk-onay")["type"] == "checkbox"

    for fields in ({}, {"kvkk_gerekce": OVERRIDE}, {"kvkk_onay": "evet", "kvkk_gerekce": "  "}):
        refused = approve_form(web2, number, **fields)  # no box, no reason, or a blank reason
        assert refused.status_code == 422, fields
        assert errors_of(refused) == [("#kvkk-onay", f"{number} {REFUSAL}")]
    assert page(refused).find("input", id="kvkk-onay")["aria-invalid"] == "true"
    assert m.ledger.item(number).state == IN_REVIEW and approve_events(m, number) == []

    done = approve_form(web2, number, kvkk_onay="evet", kvkk_gerekce=OVERRIDE)
    assert done.status_code == 200 and errors_of(done) == []
    assert m.ledger.item(number).state == APPROVED
    [event] = approve_events(m, number)
    assert (event.actor, event.data) == ("web2", {"rev": 1, "approvals": 1, "kvkk_bulgu": 1, "kvkk_gerekce": OVERRIDE})
    history = page(done).find("section", attrs={"aria-labelledby": "gecmis-baslik"}).get_text()
    assert f"KVKK gerekçesi (1 açık bulgu): {OVERRIDE}" in history


def test_the_reviewer_is_refused_by_four_eyes_even_with_an_override(editorial):
    e = editorial()
    number = in_review(e.m)
    response = approve_form(Browser(e, "web1"), number, kvkk_onay="evet", kvkk_gerekce=OVERRIDE)
    assert response.status_code == 403
    assert errors_of(response) == [("#islemler", RELATION_MESSAGES_TR[REVIEWER])]


def test_cli_approve_refused_without_the_reason_accepted_with_it_and_show_lists_it(municipality):
    m = municipality()
    number = in_review(m)
    code, out, err = m.run("approve", number, login="web2")
    assert code == 1 and out == ""
    assert err.startswith(f"HATA: Onay kaydedilmedi.\n  - alan 'kvkk_gerekce': {number} {REFUSAL}\n")
    assert m.ledger.item(number).state == IN_REVIEW
    # the editor who took it into review may not approve, whatever the reason
    code, _out, err = m.run("approve", number, "--kvkk-gerekce", OVERRIDE, login="web1")
    assert code == 1 and RELATION_MESSAGES_TR[REVIEWER] in err
    code, out, err = m.run("approve", number, "--kvkk-gerekce", OVERRIDE, login="web2")
    assert (code, err) == (0, "") and "onaylandı" in out
    code, out, _err = m.run("show", number, "--json", login="mudur1")
    shown = json.loads(out)
    approve = [e for e in shown["events"] if e["action"] == "approve"]
    assert [(e["actor"], e["data"]["kvkk_gerekce"], e["data"]["kvkk_bulgu"]) for e in approve] == [
        ("web2", OVERRIDE, 1)]
    assert [(f["kind"], f["masked"], f["place"]) for f in shown["kvkk"]] == [("tc_kimlik", "123******50",
                                                                            "metin, satır 1")]
    code, out, _err = m.run("show", number, login="mudur1")
    assert code == 0 and TC not in out
    assert f"      KVKK gerekçesi (1 açık bulgu): {OVERRIDE}\n" in out
    assert "1. sürüm — Kişisel veri taraması (KVKK): 1 bulgu.\n  1. T.C. kimlik numarası — metin, satır 1: 123******50" in out


def test_api_approve_takes_the_override_field_and_four_eyes_refuse_the_author(municipality):
    m = municipality()
    api = Api(m)
    m.person("web1")
    # a director submits for a department: the item's author, who may not approve it
    sent = api.submit("mudur1", tur="duyuru", baslik="Araç Çekildi", department="zabita",
                      body="19 ABC 123 plakalı araç çekildi.\n").json()
    number = sent["number"]
    assert api.act(number, "assign", "mudur2", to="web1").status_code == 200
    assert api.act(number, "review", "web1").status_code == 200
    own = api.act(number, "approve", "mudur1", kvkk_gerekce=OVERRIDE)
    assert own.status_code == 403 and error(own)["message"] == RELATION_MESSAGES_TR[AUTHOR]
    bare = api.act(number, "approve", "web2")
    assert bare.status_code == 422
    assert [p["field"] for p in error(bare)["problems"]] == ["kvkk_gerekce"]
    assert "açık kişisel veri bulgusu var (Araç plakası)" in error(bare)["problems"][0]["message"]
    done = api.act(number, "approve", "web2", kvkk_gerekce="Plaka, çekme tutanağı ilanı için zorunlu.")
    assert done.status_code == 200 and done.json()["state"] == APPROVED
    events = api.get(f"/items/{quote(number)}/events", "web2").json()
    assert events[-1]["data"]["kvkk_gerekce"] == "Plaka, çekme tutanağı ilanı için zorunlu."


def test_an_editor_who_adds_personal_data_may_not_approve_it_and_a_clean_revision_needs_no_override(municipality):
    m = municipality()
    number = in_review(m, body="Tebligat ilanı.\n")
    m.edit(number, submission_text("duyuru", "İlanen Tebligat", f"Mükellef {TC}.\n"), by="web2")
    code, _out, err = m.run("approve", number, "--kvkk-gerekce", OVERRIDE, login="web2")
    assert code == 1 and RELATION_MESSAGES_TR[EDITOR_OF_REVISION] in err
    code, _out, err = m.run("approve", number, login="web3")
    assert code == 1 and "2. sürümünde 1 açık kişisel veri bulgusu var" in err
    # a new revision without the number clears the finding: approval needs no override any more
    m.edit(number, submission_text("duyuru", "İlanen Tebligat", "Mükellef adına tebligat.\n"), by="web3")
    code, _out, err = m.run("approve", number, login="mudur1")
    assert (code, err) == (0, "")
    [event] = approve_events(m, number)
    assert "kvkk_gerekce" not in event.data


def test_photo_findings_are_cleaned_and_need_no_override(municipality):
    from .files import photo

    m = municipality()
    text = submission_text("duyuru", "Fotoğraf", "Metin.\n", ekler=["foto.jpg"])
    result = m.drop("park-bahceler", "foto", {"index.md": text, "foto.jpg": photo()})
    assert [f.kind for f in result.kvkk] == ["gps", "seri_no"]
    assert m.approve(result.number).state == APPROVED
