"""The public seminar registration form through the front door: a seminar sent, reviewed, approved and published
by the real pipeline; its page read from var/current through `serve`'s app; the form posted as a browser posts
it (the page's own hidden fields); every answer read with an HTML parser."""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from municms.model import CANCELLED, CONFIRMED, WAITING
from municms.seminars.form_token import form_token, instance_key
from tests.seminars.conftest import publish_seminar

from .conftest import page, vnu_errors

TITLE = "Temel Bilgisayar Semineri"
HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)> "Ayşe" & Işıl'


@pytest.fixture
def town(editorial):
    """(Editorial of the tiny site with one published citizens' seminar of 2 places, that seminar's item)."""
    e = editorial("tiny")
    return e, publish_seminar(e.m, TITLE)


def seminar_page(client: TestClient, title: str = TITLE):
    """The seminar's public page, found through the seminar listing as a reader finds it."""
    listing = page(client.get("/seminerler/"))
    links = [a["href"] for a in listing.select("main .item-list .card-title a") if a.get_text(strip=True) == title]
    assert len(links) == 1, listing.select("main .item-list")
    response = client.get(links[0])
    assert response.status_code == 200
    return page(response)


def form_of(doc):
    """(action, hidden fields) of the registration form of a page."""
    form = doc.select_one("section.registration form")
    assert form is not None and form["method"] == "post"
    return form["action"], {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}


def post(client, doc, *, headers=None, **fields):
    action, hidden = form_of(doc)
    return client.post(action, data={**hidden, **fields}, headers=headers or {})


def person(name="Ayşe Yılmaz", email="ayse@example.org", phone="", consent=True) -> dict:
    return {"ad": name, "eposta": email, "telefon": phone, **({"onay": "evet"} if consent else {})}


def text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def test_the_page_offers_the_form_with_consent_and_places_and_a_registration_is_taken(town):
    e, item = town
    client = e.client()
    doc = seminar_page(client)
    section = doc.select_one("section.registration")
    assert text(section.select_one("h2")) == "Kayıt"
    assert text(section.select_one(".places")) == "Kalan yer: 2"
    action, hidden = form_of(doc)
    assert action == f"/kayit/seminer/{item.id}/"
    assert hidden["anahtar"] == form_token(instance_key(e.m.paths.var), item.id)
    assert hidden["sayfa"].startswith("/seminerler/2026/")
    fields = {i["name"]: (i["type"], i.get("autocomplete"), i.has_attr("required"), i.has_attr("checked"))
              for i in section.select("input:not([type=hidden])")}
    assert fields == {"ad": ("text", "name", True, False), "eposta": ("email", "email", False, False),
                      "telefon": ("tel", "tel", False, False), "onay": ("checkbox", None, True, False)}
    for field in section.select("input:not([type=hidden])"):
        assert section.select_one(f"label[for={field['id']}]") is not None, field
    assert section.select_one("label[for=kayit-onay] a")["href"] == "/kvkk/"
    assert client.get("/kvkk/").status_code == 200   # the aydınlatma metni the label links to exists

    response = post(client, doc, **person())
    assert response.status_code == 200
    done = page(response)
    assert text(done.h1) == "Kaydınız alındı"
    assert "ayse@example.org adresine e-postayla gönderildi" in text(done.select_one("[role=status]"))
    regs = e.m.ledger.registrations(item.id)
    assert [(r.name, r.email, r.status, r.registered_by) for r in regs] == [
        ("Ayşe Yılmaz", "ayse@example.org", CONFIRMED, "web")]
    link = done.select_one(".cancel-link a")
    assert text(link).startswith(f"https://www.deneme.bel.tr/kayit/seminer/{item.id}/iptal?anahtar=")
    assert link["href"] == text(link).removeprefix("https://www.deneme.bel.tr")
    assert [(m.recipient, m.kind) for m in e.m.ledger.messages()] == [("ayse@example.org", "onay")]
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "form-action 'self'" in response.headers["content-security-policy"]

    # a reload sends the same post again: refused with the action's message, not a second registration
    again = post(client, doc, **person())
    assert again.status_code == 422
    assert text(page(again).select_one("#kayit-eposta-hata")) == \
        "Hata: Bu seminere bu iletişim bilgisiyle zaten kayıt yapılmış."
    assert len(e.m.ledger.registrations(item.id)) == 1


def test_a_full_seminar_takes_the_waiting_list_and_its_page_says_so_after_the_next_publish(town):
    e, item = town
    client = e.client()
    doc = seminar_page(client)
    assert post(client, doc, **person("Ayşe Yılmaz", "ayse@example.org")).status_code == 200
    assert post(client, doc, **person("Işıl Çağlar", "", "0364 213 45 67")).status_code == 200
    third = post(client, doc, **person("Ömer Şahin", "omer@example.org"))
    assert third.status_code == 200
    assert text(page(third).h1) == "Yedek listeye alındınız"
    assert [r.status for r in e.m.ledger.registrations(item.id)] == [CONFIRMED, CONFIRMED, WAITING]
    # no e-mail given: no promise of one, and the link is shown to be noted
    phone_only = page(post(client, doc, **person("Gül Ünal", "", "0364 213 45 68")))
    assert "e-posta" not in text(phone_only.select_one("[role=status]")).lower()
    assert "lütfen not edin" in text(phone_only.select_one("main"))

    e.m.publish()
    places = seminar_page(client).select_one("section.registration .places")
    assert text(places) == "Kontenjan doldu; yedek listeye kaydolabilirsiniz."


def test_a_post_without_our_token_or_from_another_site_is_refused_in_turkish(town):
    e, item = town
    client = e.client()
    doc = seminar_page(client)
    action, hidden = form_of(doc)
    for data, headers in [({**hidden, "anahtar": "sahte"}, {}), ({k: v for k, v in hidden.items() if k != "anahtar"}, {}),
                          (hidden, {"Sec-Fetch-Site": "cross-site"}), (hidden, {"Origin": "https://kotu.example"}),
                          (hidden, {"Origin": "null"})]:
        response = client.post(action, data={**data, **person()}, headers=headers)
        assert response.status_code == 403, (data, headers)
        assert text(page(response).h1) == "Güvenlik denetimi başarısız"
        assert "hiçbir kayıt yapılmadı" in text(page(response).select_one("main"))
    # another seminar's token does not open this one
    other = client.post(f"/kayit/seminer/{item.id + 1}/", data={**hidden, **person()})
    assert other.status_code == 403
    assert e.m.ledger.registrations(item.id) == []
    ours = post(client, doc, headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}, **person())
    assert ours.status_code == 200


def test_missing_consent_shows_every_problem_by_its_field_with_the_values_kept(town):
    e, item = town
    client = e.client()
    doc = seminar_page(client)
    response = post(client, doc, **person(name=HOSTILE, email="not-an-address", phone="12", consent=False))
    assert response.status_code == 422
    answer = page(response)
    assert answer.find("script") is None and answer.find("img", src="x") is None
    summary = answer.select_one(".error-summary")
    assert summary["role"] == "alert" and summary.has_attr("autofocus")
    assert [(a["href"], text(a)) for a in summary.select("a")] == [
        ("#kayit-eposta", "E-posta adresi geçerli görünmüyor (örnek: ad@ornek.com)."),
        ("#kayit-telefon", "Telefon numarası 10–13 rakam olmalıdır (örnek: 0364 123 45 67)."),
        ("#kayit-onay", "Kayıt için kişisel verilerinizin işlenmesine açık rıza vermeniz gerekir (aydınlatma "
                        "metnini okuyup kutuyu işaretleyin)."),
    ]
    assert text(summary.h2) == "Kaydınız alınmadı: 3 sorun düzeltilmeli"
    # with the details right, the missing consent alone is named
    response = post(client, doc, **person(name=HOSTILE, consent=False))
    assert response.status_code == 422
    answer = page(response)
    onay = answer.select_one("#kayit-onay")
    assert (onay.get("aria-invalid"), onay.get("aria-describedby"), onay.has_attr("checked")) == (
        "true", "kayit-onay-hata", False)
    assert text(answer.select_one("#kayit-onay-hata")) == (
        "Hata: Kayıt için kişisel verilerinizin işlenmesine açık rıza vermeniz gerekir (aydınlatma metnini "
        "okuyup kutuyu işaretleyin).")
    name = answer.select_one("#kayit-ad")
    assert name["value"] == HOSTILE and not name.has_attr("aria-invalid")
    assert answer.select_one("#kayit-eposta")["value"] == "ayse@example.org"
    assert answer.find("script") is None and answer.find("img", src="x") is None
    assert text(answer.select_one(".places")) == "Kalan yer: 2"
    assert e.m.ledger.registrations(item.id) == []
    # the refilled form, sent again with consent, registers: it carries the page's token
    action, hidden = form_of(answer)
    assert (action, hidden) == form_of(doc)
    fixed = {i["name"]: i.get("value", "") for i in answer.select("section.registration input") if i["type"] != "checkbox"}
    assert client.post(action, data={**fixed, "onay": "evet"}).status_code == 200
    assert [r.name for r in e.m.ledger.registrations(item.id)] == [" ".join(HOSTILE.split())]


def test_the_refilled_form_has_exactly_the_fields_of_the_page(town):
    e, _ = town
    client = e.client()
    doc = seminar_page(client)
    again = page(post(client, doc, **person(consent=False)))

    def shape(d):
        return [(i.name, i.get("id"), i.get("name"), i.get("type"), i.get("autocomplete"), i.has_attr("required"),
                 i.get("maxlength")) for i in d.select("section.registration form :is(input, button, label)")]
    assert shape(again) == shape(doc)


def test_after_the_deadline_the_post_is_refused_with_the_day(town):
    e, item = town
    client = e.client()
    doc = seminar_page(client)
    e.m.clock.set(dt.datetime(2026, 12, 9, 0, 0, 1, tzinfo=e.m.instance.tz))
    response = post(client, doc, **person())
    assert response.status_code == 422
    assert text(page(response).select_one("[role=status]")) == \
        "Bu seminerin kayıt süresi doldu (son gün 8 Aralık 2026)."
    assert page(response).select_one("form") is None
    assert e.m.ledger.registrations(item.id) == []
    e.m.publish()   # as the scheduler does once the deadline has passed: the page no longer offers the form
    assert seminar_page(client).select_one("section.registration") is None


def test_a_staff_only_seminar_is_not_found_even_with_its_valid_token(editorial):
    e = editorial("tiny")
    item = publish_seminar(e.m, "Personel İçin Excel", hedef_kitle="belediye personeli")
    client = e.client()
    assert "Personel İçin Excel" not in client.get("/seminerler/").text
    token = form_token(instance_key(e.m.paths.var), item.id)
    response = client.post(f"/kayit/seminer/{item.id}/", data={"anahtar": token, **person()})
    assert response.status_code == 404
    assert text(page(response).select_one("[role=status]")) == "Seminer bulunamadı."
    assert "Personel İçin Excel" not in response.text
    assert e.m.ledger.registrations(item.id) == []


def test_the_sixth_post_in_ten_minutes_is_refused_and_a_header_cannot_change_the_sender(town):
    e, item = town
    client = e.client()   # its peer is not on this machine: X-Real-IP is the client's own claim, not used
    doc = seminar_page(client)
    for n in range(5):
        response = post(client, doc, headers={"X-Real-IP": f"10.0.0.{n}"}, **person(f"Kişi {n}", f"k{n}@example.org"))
        assert response.status_code == 200, n
    refused = post(client, doc, headers={"X-Real-IP": "10.0.0.99"}, **person("Altıncı Kişi", "k6@example.org"))
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "600"
    assert text(page(refused).select_one("[role=status]")) == \
        "Kısa sürede çok fazla kayıt denemesi yapıldı. Lütfen 10 dakika sonra yeniden deneyin."
    assert len(e.m.ledger.registrations(item.id)) == 5

    # behind the local nginx (a loopback peer) X-Real-IP names the client: another client has its own budget
    proxied = TestClient(e.asgi, client=("127.0.0.1", 40000))
    other = post(proxied, doc, headers={"X-Real-IP": "198.51.100.7"}, **person("Başka Kişi", "b@example.org"))
    assert other.status_code == 200
    e.m.clock.advance(dt.timedelta(minutes=10, seconds=1))
    assert post(client, doc, **person("Altıncı Kişi", "k6@example.org")).status_code == 200


def test_cancelling_by_the_link_asks_first_and_moves_the_first_waiting_person_up(town):
    e, item = town
    client = e.client()
    doc = seminar_page(client)
    first = page(post(client, doc, **person(HOSTILE, "ayse@example.org")))
    post(client, doc, **person("Işıl Çağlar", "isil@example.org"))
    post(client, doc, **person("Ömer Şahin", "omer@example.org"))
    post(client, doc, **person("Gül Ünal", "gul@example.org"))
    link = first.select_one(".cancel-link a")["href"]

    asked = client.get(link)   # what a mail scanner does: nothing changes
    assert asked.status_code == 200
    question = page(asked)
    assert text(question.h1) == "Kaydınızı iptal etmek istiyor musunuz?"
    assert question.find("script") is None and question.find("img", src="x") is None
    assert HOSTILE in [dd.get_text() for dd in question.select("dl.facts dd")]
    assert client.head(link).status_code == 200
    assert [r.status for r in e.m.ledger.registrations(item.id)] == [CONFIRMED, CONFIRMED, WAITING, WAITING]

    form = question.select_one("main form")
    assert form["method"] == "post" and form["action"] == f"/kayit/seminer/{item.id}/iptal"
    hidden = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    done = client.post(form["action"], data=hidden)
    assert done.status_code == 200
    assert text(page(done).h1) == "Kaydınız iptal edildi"
    statuses = [(r.email, r.status) for r in e.m.ledger.registrations(item.id)]
    assert statuses == [("ayse@example.org", CANCELLED), ("isil@example.org", CONFIRMED),
                        ("omer@example.org", CONFIRMED), ("gul@example.org", WAITING)]
    assert [(m.recipient, m.kind) for m in e.m.ledger.messages()][-2:] == [
        ("ayse@example.org", "kayit-iptal"), ("omer@example.org", "yedekten-kesine")]
    # the link afterwards says so; a forged or foreign link is not found
    assert text(page(client.get(link)).h1) == "Kayıt zaten iptal edilmiş"
    forged = client.get(f"/kayit/seminer/{item.id}/iptal?anahtar=1.sahte")
    assert forged.status_code == 404
    assert "Bu iptal bağlantısı geçerli değil" in text(page(forged).select_one("main"))
    assert client.post(form["action"], data={"anahtar": "1.sahte"}).status_code == 404
    cross = client.post(form["action"], data=hidden, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403


def test_other_methods_big_bodies_and_unknown_addresses_are_refused_in_turkish(town):
    e, item = town
    client = e.client()
    doc = seminar_page(client)
    action, hidden = form_of(doc)
    for method in ("GET", "PUT", "DELETE"):
        response = client.request(method, action)
        assert response.status_code == 405, method
        assert response.headers["allow"] == "POST"
        assert text(page(response).h1) == "İzin verilmeyen istek"
    assert client.put(f"/kayit/seminer/{item.id}/iptal").status_code == 405
    big = client.post(action, data={**hidden, **person(), "ad": "A" * 17_000})
    assert big.status_code == 413
    assert text(page(big).h1) == "Gönderi çok büyük"
    missing = client.get("/kayit/baska-bir-sey")
    assert missing.status_code == 404 and text(page(missing).h1) == "Sayfa bulunamadı"
    assert e.m.ledger.registrations(item.id) == []


def test_through_nginx_the_client_address_cannot_be_chosen_by_a_header(live_editorial, nginx):
    """Real nginx with the generated config in front of the app served by uvicorn (as `serve` runs it): the
    browser's Origin (with nginx's port) is accepted; X-Real-IP and X-Forwarded-For written by the client do
    not give it a new rate-limit budget; a body above nginx's limit never reaches the app."""
    e, app_url = live_editorial("tiny")
    item = publish_seminar(e.m, TITLE)
    base = nginx(e.m.paths.current, upstream=app_url.removeprefix("http://"))
    doc = seminar_page(TestClient(e.asgi))
    action, hidden = form_of(doc)

    def send(fields: dict, headers: dict) -> tuple[int, str]:
        request = urllib.request.Request(base + action, data=urlencode({**hidden, **fields}).encode(),
                                         headers={"Content-Type": "application/x-www-form-urlencoded", **headers})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    for n in range(5):
        status, body = send(person(f"Kişi {n}", f"k{n}@example.org"),
                            {"Origin": base, "X-Real-IP": f"203.0.113.{n}", "X-Forwarded-For": f"198.51.100.{n}"})
        assert status == 200, (n, body[:300])
    status, body = send(person("Altıncı Kişi", "k6@example.org"),
                        {"X-Real-IP": "203.0.113.99", "X-Forwarded-For": "198.51.100.99"})
    assert status == 429, body[:300]
    assert len(e.m.ledger.registrations(item.id)) == 5
    status, _ = send({"ad": "A" * 40_000}, {})
    assert status == 413


def test_every_page_of_the_form_is_valid_html(town, vnu_command, tmp_path):
    e, _ = town
    client = e.client()
    doc = seminar_page(client)
    seminar = client.get(form_of(doc)[1]["sayfa"]).text
    problems = post(client, doc, **person(name=HOSTILE, phone="12", consent=False)).text
    done = post(client, doc, **person())
    question = client.get(page(done).select_one(".cancel-link a")["href"]).text
    refused = post(client, doc, anahtar="sahte", **person()).text
    assert vnu_errors(vnu_command, tmp_path, {"seminer": seminar, "hatalar": problems, "kayit": done.text,
                                              "iptal": question, "ret": refused}) == ""
