"""The director's screens through the login form: havale with a note and re-assignment, overdue items by the
SLA of their type, and the register with its filters, keyset pages, CSV (byte for byte the CLI's) and A4 page."""

from __future__ import annotations

import datetime as dt

from municms.model import ASSIGNED, REGISTERED

from .conftest import BASE, page
from .screens import Browser, errors_of, form_token, numbers_listed

ACIL = {"bitis": "2026-12-20 18:00"}


def assign_by_screen(browser: Browser, number: str, editor: str, note: str = ""):
    html = page(browser.get(f"/mudur/havale/{number}"))
    data = {"csrf_token": form_token(html, "havale-formu"), "editor": editor, "not": note}
    return browser.client.post(f"{BASE}/mudur/havale/{number}", data=data)


def test_assign_with_a_note_then_reassign(editorial):
    e = editorial()
    m = e.m
    for login in ("web1", "web2", "egitim1"):
        m.person(login)
    item = m.submit("haber", "Işıklı Çarşı Açıldı")
    mudur = Browser(e, "mudur1")
    assert numbers_listed(mudur.get("/mudur/havale")) == [item.number]
    form = page(mudur.get(f"/mudur/havale/{item.number}"))
    options = [o["value"] for o in form.find("select", id="editor").find_all("option") if o["value"]]
    assert options == ["web1", "web2", "egitim1"]   # the item's unit first, then the other units
    assert form.find("label", attrs={"for": "editor"}) is not None

    response = assign_by_screen(mudur, item.number, "web1", "Yarın yayında olsun.")
    assert response.status_code == 200
    assert "BİM-2026-000001 web1 kişisine havale edildi." in page(response).find(role="status").get_text()
    now = m.ledger.item(item.number)
    assert (now.state, now.assignee) == (ASSIGNED, "web1")
    event = m.ledger.events(now.id)[-1]
    assert (event.action, event.actor, event.reason, event.data["assignee"]) == (
        "assign", "mudur1", "Yarın yayında olsun.", "web1")
    assert numbers_listed(mudur.get("/mudur/havale")) == []
    assert numbers_listed(mudur.get("/mudur/havale/edilenler")) == [item.number]

    response = assign_by_screen(mudur, item.number, "web2", "web1 izinde.")
    assert response.status_code == 200
    assert m.ledger.item(item.number).assignee == "web2"
    events = [ev for ev in m.ledger.events(now.id) if ev.action == "assign"]
    assert [(ev.data["assignee"], ev.reason) for ev in events] == [("web1", "Yarın yayında olsun."),
                                                                    ("web2", "web1 izinde.")]
    history = page(mudur.get(f"/mudur/havale/{item.number}")).find("section").get_text()
    assert "web1 izinde." in history


def test_refused_assignments_say_why_in_turkish_and_change_nothing(editorial):
    e = editorial()
    m = e.m
    m.person("fen1")
    item = m.submit("haber", "Haber")
    mudur = Browser(e, "mudur1")
    before = m.ledger.dump()
    response = assign_by_screen(mudur, item.number, "")
    assert response.status_code == 422
    assert errors_of(response) == [("#editor", "Havale edilecek editörü seçin.")]
    response = assign_by_screen(mudur, item.number, "fen1", "not")
    assert response.status_code == 422
    assert "'fen1' etkin bir yayın birimi editörü değil" in errors_of(response)[0][1]
    assert page(response).find("textarea", id="not").get_text() == "not"   # what was typed stays
    assert m.ledger.dump() == before
    assert m.ledger.item(item.number).state == REGISTERED


def test_overdue_follows_the_sla_of_each_type(editorial):
    e = editorial()
    m = e.m
    news = m.submit("haber", "Haber")                      # sla_days default: 5
    banner = m.submit("acil-duyuru", "Acil: Su Kesintisi", **ACIL)   # acil-duyuru: 1
    closed = m.submit("haber", "Reddedilecek")
    m.assign(closed.number, to="web1")
    m.reject(closed.number)
    mudur = Browser(e, "mudur1")
    assert overdue_numbers(mudur.get("/mudur/gecikenler")) == []
    m.clock.advance(dt.timedelta(days=1, minutes=1))   # sessions end meanwhile: log in again
    assert overdue_numbers(Browser(e, "mudur1").get("/mudur/gecikenler")) == [banner.number]
    m.clock.advance(dt.timedelta(days=4))
    response = Browser(e, "mudur1").get("/mudur/gecikenler")
    shown = page(response)
    assert overdue_numbers(response) == [banner.number, news.number]   # the longest overdue first
    cells = [td.get_text(strip=True) for td in shown.find("table", id="geciken-kayitlar").tbody.tr.find_all("td")]
    assert cells[-2:] == ["1", "4 gün"]
    sla = {tr.find_all("td")[0].get_text(): tr.find_all("td")[1].get_text()
           for tr in shown.find_all("table")[-1].tbody.find_all("tr")}
    assert sla["Acil duyuru (site başlığı)"] == "1" and sla["Haber"] == "5"


def overdue_numbers(response) -> list[str]:
    table = page(response).find("table", id="geciken-kayitlar")
    return [tr.find("td").get_text(strip=True) for tr in table.tbody.find_all("tr")] if table else []


def register_walk(browser: Browser, path: str) -> tuple[list[str], int]:
    """Follow 'Sonraki sayfa' from `path`; every number shown and the number of pages."""
    seen, pages = [], 0
    while path:
        html = page(browser.get(path))
        pages += 1
        rows = html.find("table", class_="register")
        seen += [tr.find("td").get_text() for tr in rows.tbody.find_all("tr")] if rows else []
        link = html.find("a", rel="next")
        path = link["href"].removeprefix(BASE) if link else None
    return seen, pages


def test_register_pages_filters_csv_and_print(editorial, tmp_path):
    e = editorial()
    m = e.m
    for index in range(230):
        if index == 120:
            m.clock.advance(dt.timedelta(days=3))   # before anyone logs in
        m.submit("duyuru", f"Duyuru {index}", department="mali-hizmetler" if index % 3 == 0 else "fen-isleri")
    everything = [item.number for item in m.ledger.items()]
    mudur = Browser(e, "mudur1")
    seen, pages = register_walk(mudur, "/mudur/defter?baslangic=2026-11-01&bitis=2026-12-31")
    assert seen == everything and pages == 3            # every row once, in register order, 100 a page
    seen, _ = register_walk(mudur, "/mudur/defter?baslangic=2026-11-01&bitis=2026-12-31&mudurluk=mali-hizmetler")
    assert seen == [i.number for i in m.ledger.items() if i.department == "mali-hizmetler"]
    later, _ = register_walk(mudur, "/mudur/defter?baslangic=2026-11-28&bitis=2026-11-28")
    assert later == everything[120:]
    bad = mudur.get("/mudur/defter?baslangic=2026-12-01&bitis=2026-11-01")
    assert bad.status_code == 422
    assert errors_of(bad) == [("#defter-baslangic", "Başlangıç tarihi bitiş tarihinden sonra olamaz.")]

    screen = mudur.get("/mudur/defter?baslangic=2026-11-01&bitis=2026-12-31")
    csv_link = page(screen).find("a", string="CSV olarak indir")["href"]
    download = mudur.client.get(csv_link)
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    out = tmp_path / "defter.csv"
    code, _, err = m.run("defter", "--from", "2026-11-01", "--to", "2026-12-31", "--format", "csv",
                         "--output", str(out), login="mudur1")
    assert code == 0, err
    assert download.content == out.read_bytes()
    assert download.content.startswith("\ufeffKayıt No;".encode("utf-8"))

    printable = mudur.client.get(page(screen).find("a", string="Yazdırılabilir sayfa (A4)")["href"])
    html = page(printable)
    sheets = [link["href"] for link in html.find_all("link", rel="stylesheet")]
    assert f"{BASE}/static/defter-baski.css" in sheets
    css = e.client().get(f"{BASE}/static/defter-baski.css").text
    assert "size: A4" in css and "thead { display: table-header-group; }" in css
    table = html.find("table", class_="register")
    assert [th.get_text() for th in table.thead.find_all("th")][:2] == ["Kayıt No", "Kayıt Tarihi"]
    assert len(table.tbody.find_all("tr")) == 230


def test_each_role_reads_the_register_within_its_scope_and_its_csv_is_the_clis(editorial, tmp_path):
    e = editorial()
    m = e.m
    m.submit("duyuru", "Fen duyurusu", department="fen-isleri")
    m.submit("duyuru", "Mali duyurusu", department="mali-hizmetler")
    m.submit("seminer", "Fen semineri", department="fen-isleri", egitmen="Ayşe Yılmaz", yer="Kültür Merkezi",
             baslangic="2026-12-15 14:00", bitis="2026-12-15 16:00", kontenjan=40)
    expected = {"yonetici1": ["BİM-2026-000001", "BİM-2026-000002", "BİM-2026-000003"],
                "mudur1": ["BİM-2026-000001", "BİM-2026-000002", "BİM-2026-000003"],
                "fen1": ["BİM-2026-000001", "BİM-2026-000003"], "mali1": ["BİM-2026-000002"],
                "web1": ["BİM-2026-000001", "BİM-2026-000002"], "egitim1": ["BİM-2026-000003"]}
    for login, numbers in expected.items():
        browser = Browser(e, login)
        assert numbers_listed(browser.get("/mudur/defter")) == numbers, login
        # another department's filter shows nothing to department staff, never that department's lines
        other = browser.get("/mudur/defter?mudurluk=mali-hizmetler")
        assert numbers_listed(other) == [n for n in numbers if n == "BİM-2026-000002"], login
        out = tmp_path / f"{login}.csv"
        code, _, err = m.run("defter", "--from", "2026-01-01", "--to", "2026-11-25", "--format", "csv",
                             "--output", str(out), login=login)
        assert code == 0, err
        assert browser.get("/mudur/defter.csv").content == out.read_bytes(), login
        printed = page(browser.get("/mudur/defter/yazdir")).find("table", class_="register")
        assert [tr.td.get_text() for tr in printed.tbody.find_all("tr")] == numbers, login


def test_hostile_titles_and_notes_are_text_on_the_directors_screens(editorial):
    from .test_screens_escaping import HOSTILE, markup_injected

    e = editorial()
    m = e.m
    m.person("web1")
    first = m.submit("duyuru", "Başlık " + HOSTILE)
    m.submit("haber", HOSTILE, department="mali-hizmetler")
    mudur = Browser(e, "mudur1")
    assign_by_screen(mudur, first.number, "web1", HOSTILE)
    m.clock.advance(dt.timedelta(days=6))
    mudur = Browser(e, "mudur1")
    for browser, path in [(mudur, "/mudur/havale"), (mudur, "/mudur/havale/edilenler"),
                          (mudur, f"/mudur/havale/{first.number}"), (mudur, "/mudur/gecikenler"),
                          (mudur, "/mudur/defter"), (mudur, "/mudur/defter/yazdir"), (mudur, "/yayin/"),
                          (mudur, f"/mudur/defter?mudurluk={HOSTILE}"), (Browser(e, "yonetici1"), "/mudur/defter")]:
        response = browser.get(path)
        assert response.status_code in (200, 422), path
        assert markup_injected(response) == [], path
    history = page(mudur.get(f"/mudur/havale/{first.number}")).find(id="havaleler-baslik").parent
    assert HOSTILE in history.get_text()


def test_the_menu_shows_each_role_its_screens_and_marks_the_current_one(editorial):
    e = editorial()
    expected = {
        "fen1": ["Ana sayfa", "Yeni gönderi", "Word dosyasıyla gönder", "Müdürlüğümün kayıtları", "Kayıt defteri",
                 "Seminerler", "Parolamı değiştir"],
        "web1": ["Ana sayfa", "İş kuyruğum", "Birim kuyruğu", "Kayıt defteri", "Seminerler", "Parolamı değiştir"],
        "mudur1": ["Ana sayfa", "İş kuyruğum", "Birim kuyruğu", "Havale", "Gecikenler", "Kayıt defteri", "Seminerler",
                   "Yayın", "Parolamı değiştir"],
        "yonetici1": ["Ana sayfa", "Kayıt defteri", "Seminerler", "Yayın", "Kullanıcılar", "Parolamı değiştir"],
    }
    for login, labels in expected.items():
        browser = Browser(e, login)
        nav = page(browser.get("/")).find("nav", class_="main-nav")
        assert [a.get_text() for a in nav.find_all("a")] == labels, login
        assert [a.get_text() for a in nav.find_all("a", attrs={"aria-current": "page"})] == ["Ana sayfa"]
        for link in nav.find_all("a"):
            target = browser.client.get(link["href"])
            assert target.status_code == 200, (login, link["href"])   # every link leads to an allowed screen
            current = page(target).find("nav", class_="main-nav").find_all("a", attrs={"aria-current": "page"})
            assert [a.get_text() for a in current] == [link.get_text()], (login, link["href"])
