"""The Nu Html Checker on every department and editor screen as the server renders it (forms with their error
summaries, receipts, queues, the item page with a diff, the preview screen)."""

from __future__ import annotations

from tests.intake.test_bundles_docx import PDF

from .conftest import vnu_errors
from .screens import Browser


def test_department_and_editor_screens_are_valid_html(editorial, vnu_command, tmp_path):
    e = editorial("tiny")
    m = e.m
    fen = Browser(e, "fen1")
    pages = {"yeni": fen.get("/birim/yeni").text, "yeni-haber": fen.get("/birim/yeni?tur=haber").text,
             "yeni-seminer": fen.get("/birim/yeni?tur=seminer").text,
             "yeni-organizasyon": fen.get("/birim/yeni?tur=organizasyon").text,
             "yeni-hata": fen.submit("seminer", {"kontenjan": "-5"}).text,
             "onizle": fen.submit("duyuru", {"baslik": "x"}, body="## Başlık\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
                                  action="onizle").text,
             "alindi": fen.submit("haber", {"baslik": "Ekli Haber"}, body="[Ek](ek.pdf)\n",
                                  files=[("ek.pdf", PDF)]).text,
             "word": fen.get("/birim/word").text}
    number = "BİM-2026-000001"
    m.assign(number, to="web1")
    web1 = Browser(e, "web1")
    web1.act(number, "start_review")
    pages["inceleme-hata"] = web1.act(number, "approve").text
    web1.act(number, "request_changes", reason="Tarih ekleyin.")
    pages["kayit-birim"] = fen.get(f"/birim/kayit/{number}").text
    fen.submit("haber", {"baslik": "Ekli Haber"}, body="[Ek](ek.pdf)\n\nTarih: 1 Aralık.\n",
               files=[("ek.pdf", PDF)], path=f"/birim/kayit/{number}")
    pages["liste-birim"] = fen.get("/birim/").text
    pages["kuyrugum"] = web1.get("/isler/").text
    pages["birim-kuyrugu"] = web1.get("/isler/birim?ara=ekli&baslangic=2026-11-01").text
    pages["kuyruk-hata"] = web1.get("/isler/birim?bitis=dun").text
    pages["kuyruk-mudur"] = Browser(e, "mudur1").get("/isler/birim?yayin_birimi=web&sira=eski").text
    pages["kayit-editor"] = web1.get(f"/isler/kayit/{number}").text
    pages["onizleme"] = web1.get(f"/isler/kayit/{number}/onizleme").text
    assert len(pages) == 17
    assert vnu_errors(vnu_command, tmp_path, pages) == ""
