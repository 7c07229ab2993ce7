"""The seminar screens through the login form, with each form's own CSRF token: the list and a seminar's page
for every role, staff registration (own department only for department staff), who sees whose names,
cancelling a registration and the seminar, attendance, the A4 sign-in sheet and the certificate PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from municms.actions.seminar_registration import Person, register_citizen
from municms.actions.seminar_upkeep import seminar_upkeep
from municms.model import CANCELLED, CONFIRMED, STAFF, WAITING
from tests.hostile import PAYLOADS
from tests.seminars.conftest import seminar_town  # noqa: F401 (a fixture)

from .conftest import BASE, Editorial, page, vnu_errors
from .screens import Browser, errors_of, form_token
from .test_screens_escaping import markup_injected

AFTER_START = dt.datetime(2026, 12, 10, 12, 45)
TITLE = "Temel Bilgisayar Semineri"


@pytest.fixture
def seminar_app(seminar_town):  # noqa: F811
    """Factory: the editorial app of a tiny-site municipality with one published seminar of 2 places."""
    made = []

    def make(**changes) -> tuple[Editorial, object]:
        m, item = seminar_town(**changes)
        made.append(Editorial(m))
        return made[-1], item

    yield make
    for e in made:
        e.close()


def seminar_path(item) -> str:
    return f"/seminerler/{item.id}/"


def post_form(browser: Browser, item, form_id: str, data: dict, action: str | None = None):
    """Send a form of the seminar page as a person would: the form's own action and CSRF token."""
    html = page(browser.get(seminar_path(item)))
    form = html.find("form", id=form_id)
    assert form is not None, f"{browser.login} has no form '{form_id}'"
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    return browser.client.post(action or form["action"], data={"csrf_token": token, **data})


def register(browser: Browser, item, name: str, department: str | None = None, **contact):
    data = {"ad": name, **contact, **({"mudurluk": department} if department is not None else {})}
    return post_form(browser, item, "personel-formu", data)


def status_of(response) -> str:
    notice = page(response).find(role="status")
    return notice.get_text(strip=True) if notice else ""


def names_shown(response) -> list[str]:
    table = page(response).find("table", class_="registrations")
    return [row.find_all("td")[1].get_text(strip=True) for row in table.tbody.find_all("tr")] if table else []


def list_rows(response) -> list[list[str]]:
    table = page(response).find("table", class_="seminars")
    return [[td.get_text(" ", strip=True) for td in row.find_all("td")] for row in table.tbody.find_all("tr")]


def citizen(m, item, name: str, email: str):
    return register_citizen(m.ledger, m.instance, m.paths, m.clock, item.id, Person(name=name, email=email),
                            consent=True).registration


def test_department_staff_register_their_own_people_and_are_refused_for_another_department(seminar_app):
    e, item = seminar_app()
    m = e.m
    fen = Browser(e, "fen1")
    form = page(fen.get(seminar_path(item))).find("form", id="personel-formu")
    assert form.find("select") is None   # no choice of department for department staff
    assert form.find("input", attrs={"name": "mudurluk"})["value"] == "fen-isleri"
    assert "Fen İşleri Müdürlüğü" in form.get_text()

    response = register(fen, item, "Ayşe Yılmaz", "fen-isleri", eposta="ayse@example.org")
    assert response.status_code == 200
    assert status_of(response) == "Ayşe Yılmaz kaydedildi: kesin kayıt (kayıt no 1)."
    [reg] = m.ledger.registrations(item.id)
    assert (reg.name, reg.email, reg.department, reg.audience, reg.status, reg.registered_by) == (
        "Ayşe Yılmaz", "ayse@example.org", "fen-isleri", STAFF, CONFIRMED, "fen1")
    event = m.ledger.events(item.id)[-1]
    assert (event.action, event.actor, event.data) == (
        "seminar_register", "fen1", {"registration": 1, "status": CONFIRMED, "audience": STAFF})

    before = m.ledger.dump()
    refused = register(fen, item, "Can Demir", "mali-hizmetler")   # a forged department
    assert refused.status_code == 403
    assert errors_of(refused) == [("#personel-ad", "Bu müdürlüğün personelini bu seminere kaydetme yetkiniz yok.")]
    invalid = register(fen, item, "", "fen-isleri", eposta="yanlis", telefon="12")
    assert invalid.status_code == 422
    assert errors_of(invalid) == [
        ("#personel-ad", "Adınızı ve soyadınızı yazın."),
        ("#personel-eposta", "E-posta adresi geçerli görünmüyor (örnek: ad@ornek.com)."),
        ("#personel-telefon", "Telefon numarası 10–13 rakam olmalıdır (örnek: 0364 123 45 67).")]
    assert page(invalid).find("input", id="personel-eposta")["value"] == "yanlis"   # what was typed stays
    assert m.ledger.dump() == before

    web = Browser(e, "web1")   # a manager chooses any department
    options = page(web.get(seminar_path(item))).find("select", id="personel-mudurluk").find_all("option")
    assert [o["value"] for o in options] == ["", "fen-isleri", "mali-hizmetler", "bilgi-islem"]
    assert status_of(register(web, item, "Işıl Çağlar", "mali-hizmetler")) == (
        "Işıl Çağlar kaydedildi: kesin kayıt (kayıt no 2).")
    assert status_of(register(fen, item, "Ömer Şahin", "fen-isleri")) == (
        "Ömer Şahin kaydedildi: yedek liste (kayıt no 3).")
    no_department = register(web, item, "Gül Ünal", "")
    assert (no_department.status_code, errors_of(no_department)) == (
        422, [("#personel-mudurluk", "Personelin çalıştığı müdürlüğü seçin.")])
    assert [(r.name, r.department, r.status) for r in m.ledger.registrations(item.id)] == [
        ("Ayşe Yılmaz", "fen-isleri", CONFIRMED), ("Işıl Çağlar", "mali-hizmetler", CONFIRMED),
        ("Ömer Şahin", "fen-isleri", WAITING)]


def test_the_list_and_the_page_show_each_role_the_seminars_and_the_places(seminar_app):
    e, item = seminar_app()
    m = e.m
    later = m.drop("bilgi-islem", "sonra.md", "---\ntur: seminer\nbaslik: Kişisel Verilerin Korunması\n"
                   "egitmen: Selin Aydoğan\nyer: Toplantı Salonu\nkontenjan: 20\nbaslangic: 2027-01-14 14:00\n"
                   "bitis: 2027-01-14 16:00\nhedef_kitle: personel\n---\nMetin.\n")   # registered, not published
    assert later.status == "registered"
    citizen(m, item, "Ayşe Yılmaz", "ayse@example.org")
    citizen(m, item, "Işıl Çağlar", "isil@example.org")
    citizen(m, item, "Ömer Şahin", "omer@example.org")
    published = [item.number, TITLE, "10 Aralık 2026 10:00", "Belediye Konferans Salonu",
                 "kontenjan doldu (yedek listeye kayıt alınır)", "2/2 kesin, 1 yedek"]
    unpublished = [later.number, "Kişisel Verilerin Korunması (yalnız personel)", "14 Ocak 2027 14:00",
                   "Toplantı Salonu", "planlandı", "0/20 kesin, 0 yedek"]
    # the unpublished one: seen by whoever sees it in the register (its unit's editors, the director, the
    # administrator; Bilgi İşlem's staff too), not by another department
    for login, rows in {"fen1": [published], "yonetici1": [unpublished, published],
                        "web1": [unpublished, published], "mudur1": [unpublished, published]}.items():
        browser = Browser(e, login)
        listed = browser.get("/seminerler/")
        assert listed.status_code == 200, login
        assert list_rows(listed) == rows, login
        links = [a["href"] for a in page(listed).find("table", class_="seminars").find_all("a")]
        assert links[-1] == f"{BASE}/seminerler/{item.id}/"
        seminar = page(browser.get(seminar_path(item)))
        assert seminar.find(id="seminer-yerler").get_text() == "2/2 kesin kayıt, 1 yedek; 0 boş yer"
        assert seminar.find(id="seminer-durum").get_text() == "kontenjan doldu (yedek listeye kayıt alınır)"
        details = {dt_.get_text(): dt_.find_next_sibling("dd").get_text() for dt_ in seminar.find("dl").find_all("dt")}
        assert {key: details[key] for key in ("Başlangıç", "Bitiş", "Son kayıt", "Yer", "Eğitmen")} == {
            "Başlangıç": "10 Aralık 2026 10:00", "Bitiş": "10 Aralık 2026 12:30", "Son kayıt": "8 Aralık 2026 23:59",
            "Yer": "Belediye Konferans Salonu", "Eğitmen": "Mehmet Kaya"}
    hidden = Browser(e, "fen1").get(f"/seminerler/{later.item.id}/")
    assert hidden.status_code == 404
    assert page(hidden).find("main").p.get_text() == (
        f"'{later.item.id}' numaralı seminer bulunamadı ya da görme yetkiniz yok.")


def test_department_staff_see_only_their_own_department_s_names_and_other_roles_none(seminar_app):
    e, item = seminar_app(kontenjan=10)
    m = e.m
    web = Browser(e, "web1")
    register(web, item, "Ayşe Yılmaz", "fen-isleri")
    register(web, item, "Işıl Çağlar", "mali-hizmetler")
    citizen(m, item, "Ömer Şahin", "omer@example.org")
    register(Browser(e, "mali1"), item, "Gülşen Ağca", "mali-hizmetler")
    assert names_shown(web.get(seminar_path(item))) == ["Ayşe Yılmaz", "Işıl Çağlar", "Ömer Şahin", "Gülşen Ağca"]
    assert names_shown(Browser(e, "mudur1").get(seminar_path(item))) == [
        "Ayşe Yılmaz", "Işıl Çağlar", "Ömer Şahin", "Gülşen Ağca"]
    assert names_shown(Browser(e, "fen1").get(seminar_path(item))) == ["Ayşe Yılmaz"]
    assert names_shown(Browser(e, "mali1").get(seminar_path(item))) == ["Işıl Çağlar", "Gülşen Ağca"]
    for login in ("fen1", "yonetici1"):
        text = page(Browser(e, login).get(seminar_path(item))).get_text()
        hidden = {"fen1": ["Işıl Çağlar", "Ömer Şahin", "Gülşen Ağca", "omer@example.org"]}.get(
            login, ["Ayşe Yılmaz", "Işıl Çağlar", "Ömer Şahin", "Gülşen Ağca", "omer@example.org"])
        assert [name for name in hidden if name in text] == [], login
    html = page(Browser(e, "yonetici1").get(seminar_path(item)))   # no registrations, no registration form
    assert (html.find(id="kayitlar"), html.find("form", id="personel-formu")) == (None, None)


def test_a_registration_is_cancelled_by_those_allowed_and_the_waiting_list_moves_up(seminar_app):
    e, item = seminar_app()
    m = e.m
    fen, mali = Browser(e, "fen1"), Browser(e, "mali1")
    register(fen, item, "Ayşe Yılmaz", "fen-isleri")
    register(mali, item, "Işıl Çağlar", "mali-hizmetler")
    register(mali, item, "Gülşen Ağca", "mali-hizmetler")   # waiting list
    ayse, isil, gulsen = m.ledger.registrations(item.id)
    cancel_path = f"{BASE}/seminerler/{item.id}/kayit/{isil.id}/iptal"

    before = m.ledger.dump()
    html = page(fen.get(seminar_path(item)))
    forged = fen.client.post(cancel_path, data={"csrf_token": form_token(html), "gerekce": ""})
    assert forged.status_code == 403
    assert errors_of(forged) == [("#kayitlar-baslik", "Bu kaydı iptal etme yetkiniz yok.")]
    assert m.ledger.dump() == before

    html = page(mali.get(seminar_path(item)))
    form = html.find("form", attrs={"action": cancel_path})
    assert form is not None
    response = mali.client.post(cancel_path, data={"csrf_token": form_token(html), "gerekce": "İzinli."})
    assert response.status_code == 200
    assert status_of(response) == (f"{isil.id} numaralı kayıt iptal edildi. Yedek listeden kesin kayda geçenler: "
                                   f"{gulsen.id}.")
    assert [(r.name, r.status) for r in m.ledger.registrations(item.id)] == [
        ("Ayşe Yılmaz", CONFIRMED), ("Işıl Çağlar", CANCELLED), ("Gülşen Ağca", CONFIRMED)]
    event = [ev for ev in m.ledger.events(item.id) if ev.action == "seminar_unregister"][-1]
    assert (event.actor, event.reason, event.data) == ("mali1", "İzinli.", {"registration": isil.id,
                                                                            "was": CONFIRMED})
    other = e.client().get(f"{BASE}/seminerler/{item.id}/kayit/{ayse.id + 100}/iptal")
    assert other.status_code == 405


def test_a_manager_cancels_the_seminar_with_a_public_reason(seminar_app):
    e, item = seminar_app()
    m = e.m
    fen, web = Browser(e, "fen1"), Browser(e, "web1")
    register(fen, item, "Ayşe Yılmaz", "fen-isleri", eposta="ayse@example.org")
    assert page(fen.get(seminar_path(item))).find("form", id="iptal-formu") is None
    before = m.ledger.dump()
    html = page(fen.get(seminar_path(item)))
    forged = fen.client.post(f"{BASE}/seminerler/{item.id}/iptal",
                             data={"csrf_token": form_token(html), "gerekce": "Yok."})
    assert forged.status_code == 403
    assert errors_of(forged) == [("#iptal-gerekce",
                                  "Semineri iptal etmeyi yalnız seminerin birimindeki editörler ve müdür yapabilir.")]
    empty = post_form(web, item, "iptal-formu", {"gerekce": "  "})
    assert empty.status_code == 422
    assert errors_of(empty)[0][0] == "#iptal-gerekce"
    assert errors_of(empty)[0][1].startswith("İptal gerekçesi yazın (en çok 500 karakter)")
    assert m.ledger.dump() == before

    response = post_form(web, item, "iptal-formu", {"gerekce": "Eğitmenin rahatsızlığı nedeniyle."})
    assert response.status_code == 200
    assert status_of(response) == "Seminer iptal edildi; kayıtlı herkese gerekçesiyle bildirilecek."
    html = page(response)
    assert html.find(id="seminer-durum").get_text() == "iptal edildi"
    assert "Eğitmenin rahatsızlığı nedeniyle." in html.find("dl").get_text()
    assert (html.find("form", id="iptal-formu"), html.find("form", id="personel-formu")) == (None, None)
    assert [msg.kind for msg in m.ledger.messages()] == ["onay", "seminer-iptal"]
    assert list_rows(fen.get("/seminerler/"))[0][4] == "iptal edildi"


def test_attendance_sign_in_sheet_and_certificates(seminar_app):
    e, item = seminar_app(kontenjan=3)
    m = e.m
    web = Browser(e, "web1")
    register(web, item, "Işıl Çağrı Şengül", "fen-isleri")
    register(web, item, "Ayşe Yılmaz", "mali-hizmetler")
    citizen(m, item, "Ömer Şahin", "omer@example.org")
    citizen(m, item, "Gül Ünal", "gul@example.org")   # waiting list
    html = page(web.get(seminar_path(item)))
    assert html.find("form", id="katilim-formu") is None   # not before the start
    isil, ayse, omer, gul = m.ledger.registrations(item.id)

    m.clock.set(AFTER_START.replace(tzinfo=m.instance.tz))
    web, mudur, fen = Browser(e, "web1"), Browser(e, "mudur1"), Browser(e, "fen1")   # new sessions
    form = page(web.get(seminar_path(item))).find("form", id="katilim-formu")
    boxes = form.find_all("input", attrs={"type": "checkbox"})
    assert [(b["value"], form.find("label", attrs={"for": b["id"]}).get_text()) for b in boxes] == [
        (str(isil.id), f"Katıldı: Işıl Çağrı Şengül (kayıt no {isil.id})"),
        (str(ayse.id), f"Katıldı: Ayşe Yılmaz (kayıt no {ayse.id})"),
        (str(omer.id), f"Katıldı: Ömer Şahin (kayıt no {omer.id})")]
    listed = [str(isil.id), str(ayse.id), str(omer.id)]
    response = post_form(web, item, "katilim-formu", {"kayit": listed, "katildi": [str(isil.id), str(omer.id)]})
    assert response.status_code == 200
    assert status_of(response) == "Katılım kaydedildi: 2 kişi katıldı."
    assert [(r.name, r.attended) for r in m.ledger.registrations(item.id)] == [
        ("Işıl Çağrı Şengül", True), ("Ayşe Yılmaz", False), ("Ömer Şahin", True), ("Gül Ünal", None)]
    assert [ev.data for ev in m.ledger.events(item.id) if ev.action == "seminar_attendance"] == [
        {"attended": 2, "absent": 1}]
    checked = page(web.get(seminar_path(item))).find("form", id="katilim-formu").find_all(checked=True)
    assert [b["value"] for b in checked] == [str(isil.id), str(omer.id)]
    refused = post_form(web, item, "katilim-formu", {"kayit": [str(gul.id)], "katildi": [str(gul.id)]})
    assert (refused.status_code, errors_of(refused)) == (
        422, [("#katilim", f"Bu seminerde kesin kaydı olmayan kayıt numaraları: {gul.id}.")])

    sheet = mudur.get(f"/seminerler/{item.id}/imza-listesi")
    assert sheet.status_code == 200
    html = page(sheet)
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in html.find("table").tbody.find_all("tr")]
    assert rows == [["1", "Işıl Çağrı Şengül", "Fen İşleri Müdürlüğü", ""],
                    ["2", "Ayşe Yılmaz", "Mali Hizmetler Müdürlüğü", ""], ["3", "Ömer Şahin", "", ""]]
    assert html.find(class_="signin-municipality").get_text() == "Deneme Belediyesi"
    assert f"{TITLE} ({item.number})" in html.find("dl").get_text()
    css = [link["href"] for link in html.find_all("link", rel="stylesheet")]
    assert f"{BASE}/static/imza-listesi-baski.css" in css
    assert "@page { size: A4;" in e.client().get(f"{BASE}/static/imza-listesi-baski.css").text

    links = [a for a in page(web.get(seminar_path(item))).find_all("a") if "Katılım belgesi (PDF)" in a.get_text()]
    assert [a["href"] for a in links] == [f"{BASE}/seminerler/{item.id}/belge/{isil.id}.pdf",
                                          f"{BASE}/seminerler/{item.id}/belge/{omer.id}.pdf"]
    pdf = web.client.get(links[0]["href"])
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == f'attachment; filename="katilim-belgesi-{isil.id}.pdf"'
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for expected in ("Deneme Belediyesi", "KATILIM BELGESİ", "Işıl Çağrı Şengül", TITLE,
                     "10 Aralık 2026 Perşembe, 10:00–12:30", "Süre: 2,5 saat", "Eğitmen: Mehmet Kaya",
                     f"Seminer kayıt numarası: {item.number}",
                     f"{isil.id} numaralı kaydı; belge tarihi 10 Aralık 2026"):
        assert expected in text, (expected, text)

    absent = web.get(f"/seminerler/{item.id}/belge/{ayse.id}.pdf")
    assert absent.status_code == 404
    assert "bu kayıt katıldı olarak işlenmemiş" in page(absent).find("main").p.get_text()
    for browser, path in [(fen, f"/seminerler/{item.id}/belge/{isil.id}.pdf"),
                          (fen, f"/seminerler/{item.id}/imza-listesi"),
                          (Browser(e, "yonetici1"), f"/seminerler/{item.id}/belge/{isil.id}.pdf")]:
        refused = browser.get(path)
        assert refused.status_code == 403, path
        assert page(refused).find("main").p.get_text() == "Bu sayfa yalnız şu rollere açıktır: editör, müdür.", path


def test_state_changing_addresses_take_no_get_and_no_post_without_the_csrf_token(seminar_app):
    e, item = seminar_app()
    m = e.m
    web = Browser(e, "web1")
    register(web, item, "Ayşe Yılmaz", "fen-isleri")
    before = m.ledger.dump()
    for path in ("personel", "iptal", "katilim", "kayit/1/iptal"):
        response = web.get(f"/seminerler/{item.id}/{path}")
        assert response.status_code == 405, path
        assert page(response).h1.get_text() == "İzin verilmeyen istek"
        response = web.client.post(f"{BASE}/seminerler/{item.id}/{path}", data={"gerekce": "x", "ad": "Can Demir"})
        assert response.status_code == 403, path
        assert page(response).h1.get_text() == "Güvenlik denetimi başarısız"
    assert m.ledger.dump() == before
    anonymous = e.client().get(f"{BASE}/seminerler/", follow_redirects=False)
    assert anonymous.status_code == 303 and "/giris" in anonymous.headers["location"]


def test_hostile_names_and_titles_are_text_on_every_seminar_screen(seminar_app):
    hostile = " ".join(PAYLOADS)
    e, item = seminar_app(title="Seminer " + hostile, kontenjan=5)
    m = e.m
    fen = Browser(e, "fen1")
    name = "<script>alert(1)</script> Yılmaz"
    assert register(fen, item, name, "fen-isleri").status_code == 200
    citizen(m, item, hostile[:120], "kisi@example.org")
    m.clock.set(AFTER_START.replace(tzinfo=m.instance.tz))
    web, fen = Browser(e, "web1"), Browser(e, "fen1")
    ids = [r.id for r in m.ledger.registrations(item.id)]
    post_form(web, item, "katilim-formu", {"kayit": [str(i) for i in ids], "katildi": [str(i) for i in ids]})
    for browser, path in [(fen, "/seminerler/"), (fen, seminar_path(item)), (web, "/seminerler/"),
                          (web, seminar_path(item)), (web, f"/seminerler/{item.id}/imza-listesi")]:
        response = browser.get(path)
        assert response.status_code == 200, path
        assert markup_injected(response) == [], path
    html = page(web.get(seminar_path(item)))
    assert html.h1.get_text() == f"{item.number}: Seminer {hostile}"
    stored = [r.name for r in m.ledger.registrations(item.id)]
    assert stored == [name, " ".join(hostile[:120].split())]
    assert names_shown(web.get(seminar_path(item))) == stored
    assert name in page(fen.get(seminar_path(item))).find("table", class_="registrations").get_text()
    pdf = web.client.get(f"{BASE}/seminerler/{item.id}/belge/{ids[0]}.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert name in text


def test_the_seminar_screens_are_valid_html(seminar_app, vnu_command, tmp_path):
    e, item = seminar_app()
    m = e.m
    fen = Browser(e, "fen1")
    register(fen, item, "Ayşe Yılmaz", "fen-isleri")
    pages = {"liste": fen.get("/seminerler/").text, "seminer-birim": fen.get(seminar_path(item)).text,
             "seminer-hata": register(fen, item, "", "fen-isleri", eposta="yanlis").text}
    web = Browser(e, "web1")
    pages["seminer-editor-hata"] = register(web, item, "Işıl Çağlar", "").text
    m.clock.set(AFTER_START.replace(tzinfo=m.instance.tz))
    web = Browser(e, "web1")
    pages["seminer-katilim"] = web.get(seminar_path(item)).text
    pages["imza-listesi"] = web.get(f"/seminerler/{item.id}/imza-listesi").text
    assert vnu_errors(vnu_command, tmp_path, pages) == ""


def test_a_seminar_not_yet_published_is_seen_by_those_who_see_it_in_the_register(editorial):
    e = editorial()   # the repository's instance.yaml: seminars go to the egitim unit
    m = e.m
    item = m.submit("seminer", "Fen Semineri", department="fen-isleri", egitmen="Mehmet Kaya", yer="Kültür Merkezi",
                    baslangic="2026-12-15 14:00", bitis="2026-12-15 16:00", kontenjan=40)
    assert item.unit == "egitim"
    for login in ("egitim1", "mudur1", "fen1", "yonetici1"):
        browser = Browser(e, login)
        assert [row[0] for row in list_rows(browser.get("/seminerler/"))] == [item.number], login
        html = page(browser.get(seminar_path(item)))
        assert html.find(id="seminer-durum").get_text() == "planlandı"
        assert html.find("form", id="personel-formu") is None   # no registrations before publication
        documents = browser.get(f"/seminerler/{item.id}/imza-listesi")
        assert documents.status_code == (200 if login in ("egitim1", "mudur1") else 403), login
    for login in ("web1", "mali1"):
        browser = Browser(e, login)
        assert page(browser.get("/seminerler/")).find("table") is None, login
        assert browser.get(seminar_path(item)).status_code == 404, login
    refused = Browser(e, "web1").get(f"/seminerler/{item.id}/imza-listesi")
    assert refused.status_code == 404
    assert page(refused).find("main").p.get_text() == (
        f"'{item.id}' numaralı seminer bulunamadı ya da görme yetkiniz yok.")


def test_addresses_of_no_seminar_answer_the_turkish_not_found_page(seminar_app):
    e, item = seminar_app()
    web = Browser(e, "web1")
    for path in ("/seminerler/abc/", "/seminerler/999/", f"/seminerler/{item.id}/belge/x.pdf",
                 f"/seminerler/{item.id}/belge/999.pdf", "/seminerler/١/"):
        response = web.get(path)
        assert response.status_code == 404, path
        assert page(response).h1.get_text() == "Bulunamadı", path


def test_after_the_kvkk_erasure_a_certificate_can_no_longer_be_made(seminar_app):
    e, item = seminar_app()
    m = e.m
    register(Browser(e, "web1"), item, "Işıl Çağlar", "fen-isleri")
    m.clock.set(AFTER_START.replace(tzinfo=m.instance.tz))
    web = Browser(e, "web1")
    [reg] = m.ledger.registrations(item.id)
    post_form(web, item, "katilim-formu", {"kayit": [str(reg.id)], "katildi": [str(reg.id)]})
    assert web.get(f"/seminerler/{item.id}/belge/{reg.id}.pdf").status_code == 200
    m.clock.advance(dt.timedelta(days=m.instance.seminars.retention_days + 1))
    assert seminar_upkeep(m.ledger, m.instance, m.paths, m.clock).anonymised == {item.number: 1}
    web = Browser(e, "web1")
    refused = web.get(f"/seminerler/{item.id}/belge/{reg.id}.pdf")
    assert refused.status_code == 404
    assert page(refused).find("main").p.get_text() == (
        "Bu kaydın kişisel verileri saklama süresi dolduğu için silindi (anonimleştirildi); katılım belgesi artık "
        "düzenlenemez.")
    assert names_shown(web.get(seminar_path(item))) == ["(anonimleştirildi)"]
    assert [a for a in page(web.get(seminar_path(item))).find_all("a") if "Katılım belgesi" in a.get_text()] == []


def test_the_seminar_s_editors_see_how_its_e_mails_stand_and_department_staff_do_not(seminar_app):
    e, item = seminar_app()
    m = e.m
    citizen(m, item, "Ayşe Yılmaz", "ayse@example.org")
    citizen(m, item, "Işıl Çağlar", "isil@example.org")
    mail = page(Browser(e, "web1").get(seminar_path(item))).find(id="seminer-epostalar")
    assert mail.get_text(" ", strip=True) == (
        "0 gönderildi, 2 gönderilmeyi bekliyor (instance.yaml'da smtp ayarı yok: e-postalar bir posta sunucusu "
        "tanımlanana kadar bekler)")
    assert page(Browser(e, "fen1").get(seminar_path(item))).find(id="seminer-epostalar") is None
