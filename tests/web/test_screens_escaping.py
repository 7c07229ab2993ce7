"""Escape by default: hostile text a department typed into every field of the form comes back on every
department and editor screen as text, never as markup (read with an HTML parser)."""

from __future__ import annotations

from tests.hostile import PAYLOADS

from .conftest import page
from .screens import Browser

HOSTILE = " ".join(PAYLOADS)


def markup_injected(response) -> list[str]:
    """Elements and attributes a page should never have: scripts, svg, images, event handlers, script URLs."""
    html = page(response)
    found = [tag.name for tag in html.find_all(["script", "svg", "img", "b", "iframe"])]
    for tag in html.find_all(True):
        found += [f"{tag.name}[{name}]" for name in tag.attrs if name.lower().startswith("on")]
        if "javascript:" in str(tag.get("href", "")):
            found.append(f"{tag.name}[href={tag['href']}]")
    return found


def test_hostile_text_in_every_field_is_text_on_every_screen(editorial):
    e = editorial()
    m = e.m
    fen = Browser(e, "fen1")
    fields = {"baslik": "Başlık " + HOSTILE, "ozet": HOSTILE, "etiketler": "etiket, " + PAYLOADS[0]}
    response = fen.submit("duyuru", fields, body="Metin.\n")
    assert response.status_code == 200, response.text[:500]
    number = "BİM-2026-000001"
    m.assign(number, to="web1")
    web1 = Browser(e, "web1")
    web1.act(number, "start_review")
    web1.act(number, "request_changes", reason=HOSTILE)
    fen.submit("duyuru", {**fields, "ozet": HOSTILE + " (2)"}, body=HOSTILE + "\n", path=f"/birim/kayit/{number}")
    screens = [(fen, "/birim/"), (fen, f"/birim/kayit/{number}"), (web1, "/isler/"), (web1, "/isler/birim"),
               (web1, f"/isler/kayit/{number}"), (web1, f"/isler/birim?ara={PAYLOADS[3]}")]
    for browser, path in screens:
        response = browser.get(path)
        assert response.status_code == 200, path
        assert markup_injected(response) == [], path
    item_page = page(web1.get(f"/isler/kayit/{number}"))
    assert item_page.h1.get_text() == f"{number}: Başlık {HOSTILE}"  # shown exactly as typed, as text
    assert HOSTILE in item_page.find(id="gecmis-baslik").parent.get_text()
    # a hostile query in the queue's search box stays text in the box
    searched = page(web1.get("/isler/birim", params={"ara": PAYLOADS[3]}))
    assert searched.find(id="suz-ara")["value"] == PAYLOADS[3]


def test_a_seminar_conflict_names_the_other_seminar_s_hostile_title_as_text(editorial):
    """The refused approval lists the conflict with the other seminar's title, which a department typed."""
    e = editorial()
    m = e.m
    at = dict(egitmen="Mehmet Kaya", yer="Belediye Konferans Salonu", kontenjan=40, baslangic="2026-12-10 10:00",
              bitis="2026-12-10 12:30")
    first = m.submit("seminer", "Seminer " + HOSTILE, department="bilgi-islem", **at)
    second = m.submit("seminer", "İkinci Seminer", department="bilgi-islem", **{**at, "egitmen": "Selin Aydoğan"})
    m.assign(second.number, to="egitim1")
    Browser(e, "egitim1").act(second.number, "start_review")
    response = Browser(e, "egitim2").act(second.number, "approve")
    assert markup_injected(response) == []
    assert f"{first.number} numaralı «Seminer {HOSTILE}» seminerinde kullanılıyor" in page(response).get_text()
    assert m.ledger.item(second.number).state == "in_review"
