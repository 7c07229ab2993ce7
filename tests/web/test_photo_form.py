"""A department sends a news item with a photo through the web form: the photo list is typed as YAML under its
field, the photo uploaded like an attachment, and intake stores it as a photo (not an attachment) with its alt
text; without alt text the form comes back with intake's Turkish message at the photo field."""

from __future__ import annotations

import io

from bs4 import BeautifulSoup
from PIL import Image

from .screens import Browser


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 90, 160)).save(out, "JPEG")
    return out.getvalue()


def test_a_photo_sent_with_the_web_form_is_registered_with_its_alt_text(editorial):
    e = editorial()
    fen = Browser(e, "fen1")
    form = BeautifulSoup(fen.get("/birim/yeni?tur=haber").text, "html.parser")
    assert form.find("textarea", attrs={"name": "fotograflar"}) is not None
    answer = fen.submit("haber", {"baslik": "Parkta Bahar Şenliği",
                                  "fotograflar": '- dosya: Şenlik.jpg\n  alt: "Parkta uçurtma uçuran çocuklar"'},
                        files=[("Şenlik.jpg", jpeg())])
    assert "BİM-2026-000001" in answer.text
    item = e.m.ledger.item("BİM-2026-000001")
    revision = e.m.ledger.revision(item.id, 1)
    assert revision.front_matter["fotograflar"] == [{"dosya": "senlik.jpg", "alt": "Parkta uçurtma uçuran çocuklar"}]
    assert "ekler" not in revision.front_matter and revision.attachments == ["ekler/senlik.jpg"]
    assert revision.warnings == []

    refused = fen.submit("haber", {"baslik": "Fotoğrafı Alt Metinsiz", "fotograflar": "- dosya: foto.jpg"},
                         files=[("foto.jpg", jpeg())])
    page = BeautifulSoup(refused.text, "html.parser")
    summary = page.select_one(".error-summary, [role=alert]").get_text(" ", strip=True)
    assert "'foto.jpg' fotoğrafının alt metni ('alt') zorunludur" in summary
    assert page.find("a", href="#alan-fotograflar") is not None
