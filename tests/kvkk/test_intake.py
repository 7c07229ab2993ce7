"""The scan at intake and on every revision, through the front door: files dropped into the inbox, the web
form's and the API's submissions, an editor's edit; the receipt, the ledger and the registered copies."""

from __future__ import annotations

import io
import os

from PIL import Image

from municms.kvkk.validators import iban_with_check
from tests.municipality import submission_text
from tests.web.api_client import Api

from .files import BODY_SERIAL, DATETIME_ORIGINAL, EXIF_IFD, GPS_IFD, docx, exif_of, pdf, photo, xlsx

TC = "12345678950"
TC_MASKED = "123******50"


def findings(m, number: str, rev: int | None = None) -> list[tuple[str, str, str]]:
    item = m.ledger.item(number)
    return [(f.kind, f.masked, f.place) for f in m.ledger.kvkk_findings(item.id, rev or item.current_rev)]


def test_clean_submission_says_so_on_the_receipt_and_stores_nothing(municipality):
    m = municipality()
    result = m.drop("fen-isleri", "duyuru.md", submission_text("duyuru", "Yol Çalışması",
                                                               "Bilgi: 0364 225 19 00, bilgi@corum.bel.tr\n"))
    assert result.status == "registered" and result.kvkk == []
    assert findings(m, result.number) == []
    assert "Kişisel veri taraması (KVKK): kişisel veri bulunmadı." in result.receipt.read_text(encoding="utf-8")


def test_fields_and_body_lines_are_named_and_the_receipt_never_shows_the_whole_value(municipality):
    m = municipality()
    iban = iban_with_check("0006100519786457841326")
    body = "Başvuru sahibi:\n\nT.C. kimlik no " + TC + "\n\nİade için " + iban + "\n"
    result = m.drop("mali-hizmetler", "iade.md", submission_text(
        "duyuru", "Vergi İadesi", body, ozet="Ayrıntı için ayse@gmail.com ya da 0532 123 45 67"))
    assert result.status == "registered"
    assert findings(m, result.number) == [
        ("eposta", "a***@gmail.com", "alan 'ozet'"), ("telefon", "0532*****67", "alan 'ozet'"),
        ("tc_kimlik", TC_MASKED, "metin, satır 3"), ("iban", "TR" + iban[2:4] + "*" * 20 + iban[-2:], "metin, satır 5")]
    receipt = result.receipt.read_text(encoding="utf-8")
    assert "Kişisel veri taraması (KVKK): 4 bulgu." in receipt
    assert f"  3. T.C. kimlik numarası — metin, satır 3: {TC_MASKED}" in receipt
    for whole in (TC, iban, "ayse@gmail.com", "0532 123 45 67"):
        assert whole not in receipt
    # stored masked in the ledger: no table holds the whole number except the revision's own text
    dump = repr([t for t in m.ledger.dump() if t[0] == "kvkk_findings"])
    assert TC not in dump and TC_MASKED in dump


def test_photo_with_gps_comes_out_registered_without_it_and_the_receipt_says_so(municipality):
    m = municipality()
    jpeg = photo("JPEG")
    assert exif_of(jpeg).get_ifd(GPS_IFD)
    text = submission_text("haber", "Park Açılışı", "Metin.\n",
                           fotograflar=[{"dosya": "tören.jpg", "alt": "Başkan kurdele keserken"}])
    result = m.drop("basin-yayin", "park", {"index.md": text, "tören.jpg": jpeg, "yedek.JPG": jpeg})
    assert result.status == "registered"
    assert findings(m, result.number) == [
        ("gps", "konum (silindi)", "ek 'tören.jpg'"), ("seri_no", "SN*******42", "ek 'tören.jpg'"),
        ("gps", "konum (silindi)", "ek 'yedek.JPG'"), ("seri_no", "SN*******42", "ek 'yedek.JPG'")]
    folder = m.paths.registered / "2026" / result.number
    stored = (folder / "ekler" / "toren.jpg").read_bytes()
    original = (folder / "original" / "tören.jpg").read_bytes()
    unlisted = (folder / "original" / "yedek.JPG").read_bytes()
    for data in (stored, original, unlisted):
        exif = exif_of(data)
        assert not exif.get_ifd(GPS_IFD) and GPS_IFD not in exif
        assert BODY_SERIAL not in exif.get_ifd(EXIF_IFD)
        with Image.open(io.BytesIO(data)) as image:
            assert image.size == (64, 48)
    # the department's original keeps what is not personal (the time it was taken)
    assert exif_of(original).get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] == "2026:11:20 10:15:00"
    assert os.stat(folder / "original" / "tören.jpg").st_mode & 0o777 == 0o400
    receipt = result.receipt.read_text(encoding="utf-8")
    assert "  1. Konum bilgisi (GPS) — ek 'tören.jpg': konum (silindi)" in receipt
    assert "kayıtlı kopyadan ve yayımlanacak dosyadan silindi" in receipt
    assert "onaylayanın yazılı gerekçesiyle" not in receipt  # nothing left open


def test_png_and_webp_lose_their_gps_too(municipality):
    m = municipality()
    files = {"kroki.png": photo("PNG", serial=None), "cephe.webp": photo("WEBP", serial=None)}
    text = submission_text("duyuru", "Kroki", "Metin.\n", ekler=list(files))
    result = m.drop("imar-sehircilik", "kroki", {"index.md": text, **files})
    assert [(k, p) for k, _, p in findings(m, result.number)] == [("gps", "ek 'kroki.png'"), ("gps", "ek 'cephe.webp'")]
    folder = m.paths.registered / "2026" / result.number
    for name in ("ekler/kroki.png", "ekler/cephe.webp", "original/kroki.png", "original/cephe.webp"):
        assert not exif_of((folder / name).read_bytes()).get_ifd(GPS_IFD), name


def test_tiff_attachments_are_cleaned_where_the_instance_allows_them(municipality):
    from municms.config import load_instance

    m = municipality()
    config = m.root / "instance.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("allowed_types: [", "allowed_types: [image/tiff, "),
                      encoding="utf-8")
    m.instance = load_instance(m.root)
    text = submission_text("duyuru", "Harita", "Metin.\n", ekler=["harita.tif"])
    result = m.drop("imar-sehircilik", "harita", {"index.md": text, "harita.tif": photo("TIFF")})
    assert result.status == "registered", result.problems
    assert [k for k, _, _ in findings(m, result.number)] == ["gps", "seri_no"]
    folder = m.paths.registered / "2026" / result.number
    for name in ("ekler/harita.tiff", "original/harita.tif"):
        exif = exif_of((folder / name).read_bytes())
        assert not exif.get_ifd(GPS_IFD) and BODY_SERIAL not in exif.get_ifd(EXIF_IFD), name


def test_pdf_docx_and_xlsx_attachments_are_reported_with_their_place(municipality):
    m = municipality()
    files = {"liste.pdf": pdf([["Kapak"], ["Hak sahipleri", f"Ali Veli {TC}"]]),
             "tutanak.docx": docx(["Toplantı tutanağı", "Katılan: Ayşe Kaya", f"Kimlik: {TC}"]),
             "hak sahipleri.xlsx": xlsx({"Sayfa1": {"A1": "Ad", "B1": "Kimlik", "A2": "Ali", "B2": int(TC)},
                                         "Telefonlar": {"C3": "0532 123 45 67"}})}
    text = submission_text("duyuru", "Hak Sahipleri Listesi", "Ekteki listeye bakınız.\n", ekler=list(files))
    result = m.drop("emlak-istimlak", "liste", {"index.md": text, **files})
    assert result.status == "registered"
    assert findings(m, result.number) == [
        ("tc_kimlik", TC_MASKED, "ek 'liste.pdf', sayfa 2, satır 2"),
        ("tc_kimlik", TC_MASKED, "ek 'tutanak.docx', paragraf 3"),
        ("tc_kimlik", TC_MASKED, "ek 'hak sahipleri.xlsx', sayfa 'Sayfa1', hücre B2"),
        ("telefon", "0532*****67", "ek 'hak sahipleri.xlsx', sayfa 'Telefonlar', hücre C3")]
    assert "ek 'tutanak.docx', paragraf 3: 123******50" in result.receipt.read_text(encoding="utf-8")


def test_a_malformed_attachment_is_a_finding_not_a_traceback(municipality):
    m = municipality()
    broken = pdf([["Sayfa"]])[:400]  # still sniffed as a PDF, but cut off
    text = submission_text("duyuru", "Bozuk Ek", "Metin.\n", ekler=["bozuk.pdf"])
    result = m.drop("fen-isleri", "bozuk", {"index.md": text, "bozuk.pdf": broken})
    assert result.status == "registered"
    [(kind, masked, place)] = findings(m, result.number)
    assert (kind, place) == ("taranamadi", "ek 'bozuk.pdf'")
    item = m.ledger.item(result.number)
    [found] = m.ledger.kvkk_findings(item.id, 1)
    assert "Dosya bozuk ya da okunamıyor" in found.message_tr
    assert (found.open, found.status_tr) == (False, "elle denetleyin")  # a note: approval is not held up
    assert m.approve(result.number).state == "approved"


def test_web_form_and_api_receipts_carry_the_findings(editorial):
    from tests.web.conftest import page
    from tests.web.screens import Browser

    e = editorial()
    response = Browser(e, "fen1").submit("duyuru", {"baslik": "Kayıp Eşya"}, body=f"Sahibi: {TC}\n")
    assert response.status_code == 200
    receipt = page(response).get_text()
    assert f"T.C. kimlik numarası — metin, satır 1: {TC_MASKED}" in receipt and TC not in receipt
    api = Api(e.m)
    answer = api.submit("fen1", tur="duyuru", baslik="Araç Çekildi", body="19 ABC 123 plakalı araç çekildi.\n")
    assert answer.status_code == 201
    body = answer.json()
    assert [(f["kind"], f["masked"], f["place"], f["open"]) for f in body["kvkk"]] == [
        ("plaka", "19*****3", "metin, satır 1", True)]
    assert "Araç plakası — metin, satır 1: 19*****3" in body["receipt"]
    revisions = api.get(f"/items/{body['number']}/revisions", "fen1").json()
    assert [f["masked"] for f in revisions[0]["kvkk"]] == ["19*****3"]


def test_every_revision_is_scanned_and_a_clean_one_clears_the_findings(municipality):
    m = municipality()
    first = m.drop("fen-isleri", "su.md", submission_text("duyuru", "Su Kesintisi", f"İrtibat: 0532 123 45 67\n"))
    number = first.number
    assert [k for k, _, _ in findings(m, number)] == ["telefon"]
    m.assign(number, to="web1")
    m.review(number, by="web1")
    m.request_changes(number, by="web1", reason="Kişisel telefon numarasını çıkarın.")
    again = m.drop("fen-isleri", "su-2.md", submission_text("duyuru", "Su Kesintisi", "İrtibat: ALO 153\n",
                                                            kayit_no=number))
    assert (again.status, again.rev, again.kvkk) == ("resubmitted", 2, [])
    assert findings(m, number, 1) == [("telefon", "0532*****67", "metin, satır 1")]  # kept with revision 1
    assert findings(m, number, 2) == []
    # an editor's edit is scanned like a department's file
    m.edit(number, submission_text("duyuru", "Su Kesintisi", "İrtibat: ali@gmail.com\n"), by="web2")
    assert findings(m, number) == [("eposta", "a***@gmail.com", "metin, satır 1")]
