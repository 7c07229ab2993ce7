"""Department screens through the front door: a birim user logs in with a real password, fills the form, and
the real intake registers (or quarantines) exactly what a dropped file would give."""

from __future__ import annotations

import datetime as dt

from municms.model import CHANGES_REQUESTED, IN_REVIEW, REGISTERED
from tests.intake.test_bundles_docx import PDF

from .conftest import BASE, page
from .screens import Browser, errors_of, form_token, numbers_listed


def test_news_with_an_attachment_is_registered_with_the_next_number_and_its_receipt(editorial):
    e = editorial()
    m = e.m
    assert m.submit("duyuru", "Klasörden gelen").number == "BİM-2026-000001"
    fen = Browser(e, "fen1")
    response = fen.submit("haber", {"baslik": "Işıklı Çarşı Açıldı", "ozet": "Kısa açıklama",
                                    "etiketler": "çarşı, açılış"},
                          body="Çarşı açıldı. [Program](program.pdf)\n", files=[("program.pdf", PDF)])
    assert response.status_code == 200, errors_of(response)
    html = page(response)
    assert html.find(class_="notice").get_text(" ", strip=True) == "Kayıt numaranız: BİM-2026-000002"
    receipt = html.find("pre", class_="receipt").get_text()
    assert "BİM-2026-000002" in receipt and "Işıklı Çarşı Açıldı" in receipt
    [written] = [p for p in (m.paths.receipts / "fen-isleri").glob("web-fen1-*.alindi.txt")]
    assert written.read_text(encoding="utf-8") == receipt
    item = m.ledger.item("BİM-2026-000002")
    assert (item.state, item.tur, item.department, item.author) == (REGISTERED, "haber", "fen-isleri", "fen1")
    [revision] = m.ledger.revisions(item.id)
    assert revision.attachments == ["ekler/program.pdf"]
    assert revision.front_matter["etiketler"] == ["çarşı", "açılış"]
    assert m.submit("duyuru", "Yine klasörden").number == "BİM-2026-000003"  # no gap, no reuse

    listed = fen.get("/birim/")
    assert numbers_listed(listed) == ["BİM-2026-000003", "BİM-2026-000002", "BİM-2026-000001"]
    receipt_link = page(listed).find("a", string="BİM-2026-000002 alındı belgesi")["href"]
    assert receipt_link == "/yonetim/birim/kayit/BİM-2026-000002#alindi"
    mine = fen.get("/birim/kayit/BİM-2026-000002")
    assert "BİM-2026-000002" in page(mine).find(id="alindi").get_text()


def _sentences(errors) -> list[tuple[str, str]]:
    """(field, Turkish sentence) of each summary line: 'Label, alan 'key': sentence'."""
    rows = []
    for _, text in errors:
        head, _, sentence = text.partition("': ")
        rows.append((head.rsplit("alan '", 1)[1], sentence))
    return rows


def test_an_invalid_form_shows_the_inbox_messages_per_field_and_registers_nothing(editorial):
    e = editorial()
    m = e.m
    fields = {"baslik": "Kodlama Semineri", "yer": "Kültür Merkezi", "baslangic": "2026-12-15 14:00",
              "bitis": "2026-12-15 11:00", "kontenjan": "-5", "kayit_son": "31.02.2026"}
    response = Browser(e, "fen1").submit("seminer", fields)
    assert response.status_code == 422
    errors = errors_of(response)
    # the same file dropped into the inbox by hand gives the same problems, field by field, word for word
    dropped = m.drop("fen-isleri", "elle.md", "---\ntur: seminer\nbaslik: Kodlama Semineri\nyer: Kültür Merkezi\n"
                     "baslangic: '2026-12-15 14:00'\nbitis: '2026-12-15 11:00'\nkontenjan: '-5'\n"
                     "kayit_son: '31.02.2026'\n---\nMetin.\n")
    assert dropped.status == "quarantined"
    expected = [(p.field, p.message_tr) for p in dropped.problems]
    assert sorted(_sentences(errors)) == sorted(expected)
    assert {field for field, _ in expected} == {"egitmen", "bitis", "kontenjan", "kayit_son"}
    html = page(response)
    for href, _ in errors:  # every summary line links to its field, which says it is invalid
        target = html.find(id=href[1:])
        assert target is not None and target.get("aria-invalid") == "true", href
    assert html.find(id="alan-baslik")["value"] == "Kodlama Semineri"  # what was typed stays
    # the form's own submission went to quarantine with a report naming the same problems; nothing registered
    [report] = (m.paths.quarantine / "fen-isleri").glob("web-fen1-*.hata.txt")
    for _, sentence in expected:
        assert sentence in report.read_text(encoding="utf-8")
    assert m.ledger.items() == []


def test_body_preview_renders_markdown_as_sanitised_html_and_registers_nothing(editorial):
    e = editorial()
    body = "## Ara başlık\n\n<script>alert(1)</script><b onclick=x()>kalın</b>\n"
    response = Browser(e, "fen1").submit("duyuru", {"baslik": "Önizleme"}, body=body, action="onizle")
    assert response.status_code == 200
    shown = page(response).find(class_="body-preview-content")
    assert shown.find("h2").get_text() == "Ara başlık"
    assert shown.find("script") is None and shown.find("b").get("onclick") is None
    assert page(response).find(id="alan-metin").get_text() == body  # the text stays in the form
    assert e.m.ledger.items() == []


def test_department_answers_a_change_request_with_revision_2(editorial):
    e = editorial()
    m = e.m
    fen = Browser(e, "fen1")
    assert fen.submit("duyuru", {"baslik": "Su Kesintisi"}, body="Yarın kesinti var.\n").status_code == 200
    number = "BİM-2026-000001"
    m.assign(number, to="web1")
    m.review(number, by="web1")
    m.request_changes(number, by="web1", reason="Saat aralığını yazın.")
    item_page = fen.get(f"/birim/kayit/{number}")
    assert "Saat aralığını yazın." in page(item_page).find(id="degisiklik-baslik").parent.get_text()
    assert page(item_page).find(id="alan-baslik")["value"] == "Su Kesintisi"  # the form starts from revision 1
    response = fen.submit("duyuru", {"baslik": "Su Kesintisi"}, body="Yarın 09:00–12:00 kesinti var.\n",
                          path=f"/birim/kayit/{number}")
    assert response.status_code == 200, errors_of(response)
    assert "2. sürümü alındı" in page(response).find(class_="notice").get_text()
    item = m.ledger.item(number)
    assert (item.state, item.current_rev) == (IN_REVIEW, 2)
    assert m.ledger.revision(item.id, 2).author == "fen1"
    receipts = page(fen.get(f"/birim/kayit/{number}")).find(id="alindi")
    assert [h.get_text() for h in receipts.find_all("h3")] == ["1. sürüm", "2. sürüm"]
    assert f"Kayıt numarası : {number} (sürüm 2)" in receipts.find_all("pre")[1].get_text()


def test_no_revision_form_unless_changes_were_requested(editorial):
    e = editorial()
    fen = Browser(e, "fen1")
    fen.submit("duyuru", {"baslik": "Duyuru"})
    html = page(fen.get("/birim/kayit/BİM-2026-000001"))
    assert html.find(id="gonderi-formu") is None
    assert e.m.ledger.item("BİM-2026-000001").state != CHANGES_REQUESTED


def test_a_word_file_is_registered_through_the_same_intake(editorial, tmp_path):
    from tests.intake.test_bundles_docx import _p, make_docx

    e = editorial()
    docx = make_docx(tmp_path / "duyuru.docx", _p("tur: duyuru") + _p("baslik: Word ile Gelen Duyuru")
                     + _p("Metin paragrafı."))
    fen = Browser(e, "fen1")
    token = form_token(page(fen.get("/birim/word")))
    response = fen.client.post(f"{BASE}/birim/word", data={"csrf_token": token},
                               files=[("belge", ("duyuru.docx", docx.read_bytes(), "application/octet-stream"))])
    assert response.status_code == 200, response.text[:500]
    assert page(response).find(class_="notice").get_text(" ", strip=True) == "Kayıt numaranız: BİM-2026-000001"
    item = e.m.ledger.item("BİM-2026-000001")
    assert (item.title, item.author) == ("Word ile Gelen Duyuru", "fen1")
    not_word = fen.client.post(f"{BASE}/birim/word", data={"csrf_token": token},
                               files=[("belge", ("notlar.txt", b"x", "text/plain"))])
    assert not_word.status_code == 422
    assert errors_of(not_word) == [("#alan-belge", "Lütfen .docx uzantılı bir Word dosyası seçin.")]


def test_an_attachment_name_with_folders_stays_inside_the_bundle(editorial):
    e = editorial()
    response = Browser(e, "fen1").submit("haber", {"baslik": "Ekli Haber"}, files=[("../../program.pdf", PDF)])
    assert response.status_code == 200, errors_of(response)
    [revision] = e.m.ledger.revisions(e.m.ledger.item("BİM-2026-000001").id)
    assert revision.attachments == ["ekler/program.pdf"]
    refused = Browser(e, "fen1").submit("haber", {"baslik": "Kötü Ek"}, files=[("..", PDF)])
    assert refused.status_code == 422 and errors_of(refused)[0][0] == "#alan-ekler"


def test_a_revision_sent_after_the_session_expired_comes_back_filled_in(editorial):
    e = editorial()
    m = e.m
    fen = Browser(e, "fen1")
    fen.submit("duyuru", {"baslik": "Su Kesintisi"})
    number = "BİM-2026-000001"
    m.assign(number, to="web1")
    m.review(number, by="web1")
    m.request_changes(number, by="web1")
    path = f"/birim/kayit/{number}"
    token = form_token(page(fen.get(path)), "gonderi-formu")
    m.clock.advance(dt.timedelta(minutes=m.instance.editorial.idle_minutes + 1))
    response = fen.client.post(BASE + path, data={"csrf_token": token, "baslik": "Su Kesintisi (düzeltildi)",
                                                  "metin": "Saat 09:00–12:00.", "islem": "gonder"},
                               follow_redirects=False)
    assert response.status_code == 303 and "neden=taslak" in response.headers["location"]
    assert m.ledger.item(number).current_rev == 1  # nothing was sent
    _, again = e.login("fen1", client=fen.client)
    html = page(again)
    assert html.find(id="alan-baslik")["value"] == "Su Kesintisi (düzeltildi)"
    assert html.find(id="alan-metin").get_text() == "Saat 09:00–12:00."


def test_a_regulation_is_submitted_with_its_adoption_details_and_checked_like_a_dropped_file(editorial):
    e = editorial()
    m = e.m
    fen = Browser(e, "fen1")
    form = page(fen.get("/birim/yeni?tur=mevzuat"))
    assert ("mevzuat", "Mevzuat") in [(o["value"], o.get_text(strip=True)) for o in form.find_all("option")]
    labels = {label["for"]: label.get_text(" ", strip=True) for label in form.find_all("label")}
    for key, text in (("karar_tarihi", "Meclis karar tarihi"), ("karar_sayisi", "Meclis karar sayısı"),
                      ("yururluk", "Yürürlük tarihi"), ("resmi_gazete_tarihi", "Resmî Gazete tarihi")):
        assert labels[f"alan-{key}"].startswith(text), labels
    bad = fen.submit("mevzuat", {"baslik": "Kaldırım Yönergesi", "karar_tarihi": "2026-11-05",
                                 "karar_sayisi": "on iki", "yururluk": "2026-11-01"})
    assert bad.status_code == 422
    assert sorted(_sentences(errors_of(bad))) == [
        ("karar_sayisi", "'on iki' geçerli bir Meclis karar sayısı değil: yalnızca rakam ya da yıl/sıra yazın "
                         "(ör. 112 ya da 2024/112)."),
        ("yururluk", "Yürürlük tarihi (2026-11-01) Meclis karar tarihinden (2026-11-05) önce olamaz.")]
    good = fen.submit("mevzuat", {"baslik": "Kaldırım Yönergesi", "karar_tarihi": "2026-11-05",
                                  "karar_sayisi": "2026/12", "yururluk": "2026-11-20"},
                      body="Amaç\nMADDE 1 – (1) Kaldırımların kullanımı.\n")
    assert good.status_code == 200, errors_of(good)
    [item] = m.ledger.items()
    assert (item.tur, item.state, item.department) == ("mevzuat", REGISTERED, "fen-isleri")
    [revision] = m.ledger.revisions(item.id)
    assert {k: revision.front_matter[k] for k in ("karar_tarihi", "karar_sayisi", "yururluk")} == \
        {"karar_tarihi": "2026-11-05", "karar_sayisi": "2026/12", "yururluk": "2026-11-20"}
