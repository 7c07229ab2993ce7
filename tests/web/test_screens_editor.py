"""Editor screens through the front door: queues scoped to the unit, search, keyset pages, the item page with
its history and diff, the preview of the built page, and the workflow forms with their Turkish refusals."""

from __future__ import annotations

from municms.model import APPROVED, CHANGES_REQUESTED, IN_REVIEW, REJECTED
from municms.workflow import RELATION_MESSAGES_TR, REVIEWER

from .conftest import page
from .screens import Browser, errors_of, numbers_listed

SEMINAR = dict(egitmen="Ayşe Yılmaz", yer="Kültür Merkezi", baslangic="2026-12-15 14:00",
               bitis="2026-12-15 16:00", kontenjan=40)


def test_unit_queue_shows_only_the_units_items_and_search_folds_turkish(editorial):
    e = editorial()
    m = e.m
    web_item = m.submit("duyuru", "ZABITA Denetimleri Başladı")
    other = m.submit("haber", "Park Açılışı", department="mali-hizmetler")
    seminar = m.submit("seminer", "Zabıta Eğitimi Semineri", **SEMINAR)  # egitim's, not web's
    web1 = Browser(e, "web1")
    assert numbers_listed(web1.get("/isler/birim")) == [other.number, web_item.number]
    assert numbers_listed(web1.get("/isler/birim?ara=zabita")) == [web_item.number]
    assert numbers_listed(web1.get("/isler/birim?ara=zabita&mudurluk=mali-hizmetler")) == []
    assert numbers_listed(web1.get("/isler/birim?sira=eski")) == [web_item.number, other.number]
    assert numbers_listed(Browser(e, "egitim1").get("/isler/birim?ara=zabita")) == [seminar.number]
    mudur = Browser(e, "mudur1")
    assert numbers_listed(mudur.get("/isler/birim?ara=zabita")) == [seminar.number, web_item.number]
    assert numbers_listed(mudur.get("/isler/birim?ara=zabita&yayin_birimi=egitim")) == [seminar.number]
    assert numbers_listed(web1.get("/isler/birim?yayin_birimi=egitim")) == []  # another unit: nothing
    # an item of another unit answers like a number that does not exist
    assert web1.get(f"/isler/kayit/{seminar.number}").status_code == 404
    assert web1.get("/isler/kayit/BİM-2026-000999").status_code == 404
    bad = web1.get("/isler/birim?baslangic=25.11.2026")
    assert bad.status_code == 422 and errors_of(bad)[0][0] == "#suz-baslangic"


def test_my_queue_holds_what_was_assigned_to_me(editorial):
    e = editorial()
    m = e.m
    first, second = m.submit("duyuru", "Bir"), m.submit("duyuru", "İki")
    m.assign(first.number, to="web1")
    m.assign(second.number, to="web2")
    assert numbers_listed(Browser(e, "web1").get("/isler/")) == [first.number]
    assert numbers_listed(Browser(e, "web2").get("/isler/")) == [second.number]


def test_pagination_visits_every_item_of_the_unit_once(editorial):
    e = editorial()
    m = e.m
    web = [m.submit("duyuru", f"Duyuru {i}").number for i in range(53)]
    m.submit("seminer", "Başka birimin semineri", **SEMINAR)
    web1 = Browser(e, "web1")
    for order, expected in (("yeni", web[::-1]), ("eski", web)):
        seen, path, pages = [], f"/isler/birim?sira={order}", 0
        while path:
            response = web1.get(path)
            seen += numbers_listed(response)
            pages += 1
            link = page(response).find("a", rel="next")
            path = link["href"].removeprefix("/yonetim") if link else None
        assert seen == expected and pages == 3


def test_item_page_shows_history_and_the_diff_after_a_resubmission(editorial):
    e = editorial()
    m = e.m
    fen = Browser(e, "fen1")
    fen.submit("duyuru", {"baslik": "Su Kesintisi", "ozet": "Kesinti"}, body="Birinci satır.\nYarın kesinti var.\n")
    number = "BİM-2026-000001"
    m.assign(number, to="web1")
    web1 = Browser(e, "web1")
    assert web1.act(number, "start_review").status_code == 200
    assert web1.act(number, "request_changes", reason="Saat aralığını yazın.").status_code == 200
    fen.submit("duyuru", {"baslik": "Su Kesintisi", "ozet": "Kesinti (09:00–12:00)"},
               body="Birinci satır.\nYarın 09:00–12:00 kesinti var.\n", path=f"/birim/kayit/{number}")
    html = page(web1.get(f"/isler/kayit/{number}"))
    diff = html.find(id="farklar-baslik").parent
    assert diff.find("h3").get_text() == "1. sürümden 2. sürüme"
    changed = [[c.get_text() for c in row.find_all(["th", "td"])] for row in diff.find("table").tbody.find_all("tr")]
    assert sorted(changed) == [["kayit_no", "(yok)", number], ["ozet", "Kesinti", "Kesinti (09:00–12:00)"]]
    assert [d.get_text() for d in diff.find_all("del")] == ["Yarın kesinti var."]
    assert [i.get_text() for i in diff.find_all("ins")] == ["Yarın 09:00–12:00 kesinti var."]
    history = [[c.get_text(strip=True) for c in row.find_all("td")][1:5]
               for row in html.find(id="gecmis-baslik").parent.tbody.find_all("tr")]
    assert history == [["sistem", "kaydetme", "alındı → kaydedildi", ""],
                       ["mudur1", "havale", "kaydedildi → havale edildi", ""],
                       ["web1", "incelemeye alma", "havale edildi → incelemede", ""],
                       ["web1", "değişiklik isteme", "incelemede → değişiklik istendi", "Saat aralığını yazın."],
                       ["sistem", "yeniden gönderme", "değişiklik istendi → incelemede", ""]]


def test_reviewer_cannot_approve_the_four_eyes_message_is_on_the_page(editorial):
    e = editorial()
    m = e.m
    number = m.submit("duyuru", "Dört Göz").number
    m.assign(number, to="web1")
    web1 = Browser(e, "web1")
    web1.act(number, "start_review")
    response = web1.act(number, "approve")
    assert response.status_code == 403
    assert errors_of(response) == [("#islemler", RELATION_MESSAGES_TR[REVIEWER])]
    assert m.ledger.item(number).state == IN_REVIEW and m.ledger.approvals(m.ledger.item(number).id, 1) == []
    missing = web1.act(number, "reject", reason="")
    assert missing.status_code == 422 and errors_of(missing) == [("#gerekce-reject", "Gerekçe yazılması zorunludur.")]
    assert Browser(e, "web2").act(number, "approve").status_code == 200
    assert m.ledger.item(number).state == APPROVED


def test_reject_with_reason_and_request_changes_record_the_reason(editorial):
    e = editorial()
    m = e.m
    one, two = m.submit("duyuru", "Bir").number, m.submit("duyuru", "İki").number
    for number in (one, two):
        m.assign(number, to="web1")
    web1 = Browser(e, "web1")
    assert web1.act(one, "reject", reason="Yetki dışı.").status_code == 200
    web1.act(two, "start_review")
    assert web1.act(two, "request_changes", reason="Tarih eksik.").status_code == 200
    assert m.ledger.item(one).state == REJECTED and m.ledger.item(two).state == CHANGES_REQUESTED
    assert m.ledger.events(m.ledger.item(one).id)[-1].reason == "Yetki dışı."


def test_preview_shows_the_built_page_privately_with_its_problems(editorial):
    e = editorial("tiny")
    m = e.m
    m.publish()
    number = m.submit("duyuru", "Işıklı Çarşı İhalesi Sonuçlandı", "İhale **sonuçlandı**.\n\n[Yok](/olmayan-sayfa/)\n").number
    m.assign(number, to="web1")
    web1 = Browser(e, "web1")
    html = page(web1.get(f"/isler/kayit/{number}/onizleme"))
    link = html.find("a", string="Kurulan sayfayı aç")["href"]
    assert link == f"/yonetim/isler/kayit/{number}/onizleme/site/duyurular/2026/isikli-carsi-ihalesi-sonuclandi/index.html"
    problems = html.find(id="sorunlar-baslik").parent.get_text()
    assert "/olmayan-sayfa/" in problems
    built = web1.client.get(link)
    assert built.status_code == 200 and "<strong>sonuçlandı</strong>" in built.text
    assert built.headers["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in built.headers["Content-Security-Policy"]
    # not public: the public site does not have it, nobody logged out or from a department may open it
    assert e.client().get("/duyurular/2026/isikli-carsi-ihalesi-sonuclandi/").status_code == 404
    assert e.client().get(link, follow_redirects=False).status_code == 303
    assert Browser(e, "fen1").client.get(link).status_code == 403
    assert web1.client.get(link.replace("index.html", "../../../../../../instance.yaml")).status_code == 404


def test_preview_of_an_emergency_banner_shows_it_on_the_home_page_privately(editorial):
    """A banner has no page of its own: the preview opens the home page, served with the preview's banner
    fragment included, as nginx and serve include the public one."""
    e = editorial("tiny")
    m = e.m
    m.publish()
    number = m.submit("acil-duyuru", "Acil: Önizlenen Su Kesintisi", "Bilgi için **ALO 153**.\n",
                      bitis="2026-11-26 18:00").number
    m.assign(number, to="web1")
    web1 = Browser(e, "web1")
    html = page(web1.get(f"/isler/kayit/{number}/onizleme"))
    link = html.find("a", string="Kurulan sayfayı aç")["href"]
    assert link == f"/yonetim/isler/kayit/{number}/onizleme/site/index.html"
    built = page(web1.client.get(link))
    banner = built.find("main").find(True)
    assert banner["class"] == ["emergency-banner"] and banner.h2.get_text() == "Acil: Önizlenen Su Kesintisi"
    assert "Önizlenen" not in e.client().get("/").text  # not on the public site
