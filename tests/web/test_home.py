"""Each role's first screen after login shows exactly its own work, over two departments and two units."""

from __future__ import annotations

import pytest
from fastapi.routing import iter_route_contexts

from municms.model import state_label
from municms.web.views.home import HOME_ROWS

from .conftest import BASE, page

SEMINAR = dict(egitmen="A. Yılmaz", yer="Kültür Merkezi", baslangic="2026-12-15 10:00", bitis="2026-12-15 12:00",
               kontenjan=20)
HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)> "Tırnak"'


@pytest.fixture
def town(editorial):
    """Each of two departments sends an item reviewed by `web` and one by `egitim`; some are assigned."""
    e = editorial()
    m = e.m
    items = {"fen-web": m.submit("duyuru", HOSTILE),
             "fen-egitim": m.submit("seminer", "Fen semineri", **SEMINAR),
             "mali-web": m.submit("duyuru", "Mali duyurusu", department="mali-hizmetler"),
             "mali-egitim": m.submit("seminer", "Mali semineri", department="mali-hizmetler", **SEMINAR)}
    m.assign(items["fen-web"].number, to="web1")
    m.assign(items["mali-egitim"].number, to="egitim1")
    return e, {key: m.ledger.item(item.number) for key, item in items.items()}


def tables(response) -> dict[str, list[list[str]]]:
    """Every table of the page by its section heading: rows of cell texts."""
    found = {}
    for section in page(response).main.find_all("section"):
        rows = [[cell.get_text() for cell in row.find_all("td")] for row in section.select("tbody tr")]
        found[section.h2.get_text()] = rows
    return found


def rows(*items) -> list[list[str]]:
    return [[i.number, i.title, state_label(i.state), i.created_at.strftime("%-d Kasım %Y %H:%M")] for i in items]


def test_department_staff_see_their_departments_items(town):
    e, items = town
    client, home = e.login("fen1")
    assert tables(home) == {"Müdürlüğümün kayıtları": rows(items["fen-web"], items["fen-egitim"])}
    _, home = e.login("mali1", client=e.client())
    assert tables(home) == {"Müdürlüğümün kayıtları": rows(items["mali-web"], items["mali-egitim"])}


def test_new_submission_link_when_the_screen_exists(town):
    e, _ = town
    _, home = e.login("fen1")
    link = page(home).main.find("a", string="Yeni gönderi")
    names = {route.name for route in iter_route_contexts(e.app.routes)}
    assert (link is not None) == ("new_submission" in names)


def test_editors_see_their_queue_and_their_units_open_items(town):
    e, items = town
    _, home = e.login("web1")
    assert tables(home) == {"İş kuyruğum": rows(items["fen-web"]),
                            "Birimimin kuyruğu": rows(items["fen-web"], items["mali-web"])}
    _, home = e.login("web2", client=e.client())
    assert tables(home) == {"İş kuyruğum": [], "Birimimin kuyruğu": rows(items["fen-web"], items["mali-web"])}
    assert "Size havale edilmiş açık kayıt yok." in page(home).main.get_text()
    _, home = e.login("egitim1", client=e.client())
    assert tables(home) == {"İş kuyruğum": rows(items["mali-egitim"]),
                            "Birimimin kuyruğu": rows(items["fen-egitim"], items["mali-egitim"])}


def test_the_director_sees_what_waits_for_havale(town):
    e, items = town
    _, home = e.login("mudur1")
    assert tables(home) == {"Havale bekleyenler": rows(items["fen-egitim"], items["mali-web"])}


def test_the_administrator_sees_the_users(town):
    e, _ = town
    _, home = e.login("yonetici1")
    found = tables(home)["Kullanıcılar"]
    assert [row[:2] for row in found] == [[u.login, {"yonetici": "yönetici", "mudur": "müdür", "editor": "editör",
                                                     "birim": "birim personeli"}[u.role]]
                                          for u in e.m.ledger.users()]
    assert ["web1", "editör", "web", "—", "etkin"] in found


def test_titles_are_text_never_markup(town):
    e, items = town
    client, home = e.login("fen1")
    html = page(home)
    assert html.find("script") is None and html.main.find("img") is None
    assert html.main.find("td", string=HOSTILE) is not None
    assert "<script>" not in home.text


def test_a_long_list_shows_its_first_rows_and_links_to_its_screen(editorial):
    """The home reads one page, not the whole register: at 20,000 items it must not render them all."""
    e = editorial()
    made = [e.m.submit("duyuru", f"Duyuru {n}") for n in range(HOME_ROWS + 1)]
    _, home = e.login("mudur1")
    assert tables(home) == {"Havale bekleyenler": rows(*made[:HOME_ROWS])}
    main = page(home).main
    assert main.find("caption").get_text() == f"Havale bekleyenler: ilk {HOME_ROWS} kayıt"
    assert main.find("a", string="Havale bekleyenler: tümünü gör")["href"] == f"{BASE}/mudur/havale"
