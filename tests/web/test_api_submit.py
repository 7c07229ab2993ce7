"""Submitting through the JSON API is the inbox's intake: the same register, receipt and quarantine report."""

from __future__ import annotations

from municms.model import REGISTERED
from tests.intake.test_bundles_docx import PDF, _p, make_docx
from tests.municipality import submission_text
from tests.web.api_client import Api, error


def receipt_for(m, department: str, number: str) -> str:
    [text] = [p.read_text(encoding="utf-8") for p in (m.paths.receipts / department).glob("*.alindi.txt")
              if f"Kayıt numarası : {number}\n" in p.read_text(encoding="utf-8")]
    return text


def test_json_submission_takes_the_next_number_of_the_inbox_register_with_its_receipt(municipality):
    m = municipality()
    api = Api(m)
    assert m.submit("duyuru", "Klasörden gelen").number == "BİM-2026-000001"
    response = api.submit("fen1", tur="duyuru", baslik="Işıklı Çarşı İhalesi", body="Metin.\n",
                          etiketler=["ihale", "altyapı"], ozet="Kısa açıklama")
    assert response.status_code == 201, response.text
    data = response.json()
    assert (data["status"], data["number"], data["rev"]) == ("registered", "BİM-2026-000002", 1)
    assert m.submit("duyuru", "Yine klasörden").number == "BİM-2026-000003"  # no gap, no reuse

    assert data["receipt"] == receipt_for(m, "fen-isleri", "BİM-2026-000002")
    assert "Başlık         : Işıklı Çarşı İhalesi" in data["receipt"]
    item = m.ledger.item("BİM-2026-000002")
    assert (item.state, item.department, item.author, item.unit) == (REGISTERED, "fen-isleri", "fen1", "web")
    assert data["item"]["author"] == "fen1" and data["item"]["etag"] == api.item(item.number, "fen1").headers["ETag"]
    [revision] = m.ledger.revisions(item.id)
    assert revision.front_matter == {"tur": "duyuru", "baslik": "Işıklı Çarşı İhalesi",
                                     "etiketler": ["ihale", "altyapı"], "ozet": "Kısa açıklama"}
    assert (revision.body, revision.author) == ("Metin.\n", "fen1")
    stored = m.paths.registered / "2026" / item.number
    assert sorted(p.name for p in stored.iterdir()) == ["index.md", "original.md"]
    [event] = api.get(f"/items/{item.number}/events", "fen1").json()
    assert (event["action"], event["actor"], event["to_state"]) == ("register", "sistem", REGISTERED)
    assert not list((m.paths.inbox / "fen-isleri").iterdir())  # nothing left for the watcher


def test_a_bad_submission_is_quarantined_with_every_problem_by_field_and_line(municipality):
    m = municipality()
    api = Api(m)
    api.token("fen1")
    before = m.ledger.dump()
    response = api.submit("fen1", tur="seminer", baslik="Temel Bilgisayar", body="Metin.\n", egitmen="A. Yılmaz",
                          yer="Kültür Merkezi", baslangic="2026-12-15 14:00", bitis="2026-12-15 11:00",
                          kontenjan=-5)
    assert response.status_code == 422
    problems = error(response)["problems"]
    assert error(response)["code"] == "quarantined"
    assert [p["field"] for p in problems] == ["bitis", "kontenjan"]
    assert problems[1]["path"] == ["kontenjan"] and "sıfırdan büyük olmalıdır" in problems[1]["message"]
    assert problems[1]["message_en"]
    assert m.ledger.dump() == before  # nothing registered, no number used
    [kept] = [p for p in (m.paths.quarantine / "fen-isleri").iterdir() if p.suffix == ".md"]
    lines = kept.read_text(encoding="utf-8").splitlines()
    assert lines[problems[0]["line"] - 1].startswith("bitis:")
    assert lines[problems[1]["line"] - 1] == "kontenjan: -5"
    report = (m.paths.quarantine / "fen-isleri" / f"{kept.name}.hata.txt").read_text(encoding="utf-8")
    assert "Sorunlar (2):" in report and f"Rapor: submissions/quarantine/fen-isleri/{kept.name}.hata.txt" in \
        error(response)["message"]
    assert m.submit("duyuru", "Sonraki").number == "BİM-2026-000001"


def test_multipart_bundle_with_attachment_and_docx(municipality):
    m = municipality()
    api = Api(m)
    text = submission_text("faaliyet-raporu", "2025 Faaliyet Raporu", "Rapor ektedir.\n", ekler=["Rapor 2025.pdf"])
    response = api.post("/items", "fen1", files=[("dosya", ("index.md", text.encode(), "text/markdown")),
                                                 ("ekler", ("Rapor 2025.pdf", PDF, "application/pdf"))])
    assert response.status_code == 201, response.text
    number = response.json()["number"]
    stored = m.paths.registered / "2026" / number
    assert (stored / "ekler" / "rapor-2025.pdf").read_bytes() == PDF
    assert m.ledger.revisions(m.ledger.item(number).id)[0].attachments == ["ekler/rapor-2025.pdf"]

    docx = make_docx(m.root / "Yol Çalışması.docx", _p("tur: duyuru") + _p("baslik: Gazi Caddesi Kapalı")
                     + _p("Gazi Caddesi 3 gün kapalı olacak."))
    response = api.post("/items", "fen1", files={"dosya": ("Yol Çalışması.docx", docx.read_bytes())})
    assert response.status_code == 201, response.text
    assert response.json()["item"]["title"] == "Gazi Caddesi Kapalı"
    assert (m.paths.registered / "2026" / response.json()["number"] / "original.docx").is_file()
    assert "yol-calismasi.docx.alindi.txt" in {p.name for p in (m.paths.receipts / "fen-isleri").iterdir()}

    again = api.post("/items", "fen1", files={"dosya": ("Yol Çalışması.docx", docx.read_bytes())})
    assert (again.status_code, again.json()["status"], again.json()["number"]) == \
        (200, "duplicate", response.json()["number"])


def test_who_submits_for_which_department(municipality):
    m = municipality()
    api = Api(m)
    body = {"tur": "duyuru", "baslik": "Duyuru", "body": "Metin.\n"}
    for login, extra, status in [("web1", {}, 403), ("fen1", {"department": "mali-hizmetler"}, 403),
                                 ("mudur1", {}, 422), ("mudur1", {"department": "yok-boyle"}, 422)]:
        api.token(login)
        before = m.ledger.dump()
        response = api.submit(login, **body, **extra)
        assert response.status_code == status, (login, response.text)
        assert m.ledger.dump() == before
    assert error(api.submit("mudur1", **body))["problems"][0]["field"] == "department"
    response = api.submit("mudur1", **body, department="mali-hizmetler")
    assert response.status_code == 201
    item = m.ledger.item(response.json()["number"])
    assert (item.department, item.author) == ("mali-hizmetler", "mudur1")
    assert api.submit(None, **body).status_code == 401
    missing = api.submit("fen1", tur="duyuru", body="Metin.\n")
    assert missing.status_code == 422 and error(missing)["problems"][0]["path"] == ["baslik"]
    assert api.post("/items", "fen1", content=b"{not json", headers={"Content-Type": "application/json"}
                    ).status_code == 400


def test_a_regulation_is_submitted_as_json_with_its_adoption_details(municipality):
    m = municipality()
    api = Api(m)
    missing = api.submit("fen1", tur="mevzuat", baslik="Kaldırım Yönergesi", body="MADDE 1 – Metin.\n",
                         karar_tarihi="2026-11-05", yururluk="2026-11-20")
    assert missing.status_code == 422, missing.text
    assert "'karar_sayisi' alanı zorunludur ('mevzuat' türü için)." in missing.text
    response = api.submit("fen1", tur="mevzuat", baslik="Kaldırım Yönergesi", body="MADDE 1 – Metin.\n",
                          karar_tarihi="2026-11-05", karar_sayisi="2026/12", yururluk="2026-11-20")
    assert response.status_code == 201, response.text
    item = m.ledger.item(response.json()["number"])
    assert (item.tur, item.state, item.unit) == ("mevzuat", REGISTERED, "web")
