"""The yearly seminar report screen through the login form: the table the CLI prints, its CSV (byte for byte
the CLI's) and PDF, for editors, the director and administrators only; hostile titles stay text; the year is
checked; /seminerler/rapor is not taken by a /seminerler/{id} route."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from fastapi import APIRouter
from pypdf import PdfReader

from municms.actions.seminar_registration import Person, register_citizen, register_staff
from municms.actions.seminar_running import mark_attendance
from municms.web.app import include_view, view_modules
from tests.seminars.conftest import publish_seminar

from .conftest import BASE, page, vnu_errors
from .screens import Browser

HOSTILE = 'Deneme <b onmouseover="alert(1)">Kalın</b> Eğitimi'


@pytest.fixture
def town(editorial):
    """Two seminars of late November 2026 on the tiny site, held by the 28th (the clock then), attendance
    marked by web1: A (Bilgi İşlem, citizens, 2½ h: 2 confirmed, 1 came), B (Fen İşleri, staff, 3 h, hostile
    title: 2 confirmed, both came)."""
    e = editorial("tiny")
    m = e.m
    a = publish_seminar(m, "Temel Bilgisayar Semineri", baslangic="2026-11-26 10:00", bitis="2026-11-26 12:30",
                        kayit_son="2026-11-25")
    b = publish_seminar(m, HOSTILE, department="fen-isleri", hedef_kitle="personel", egitmen="Ali Veli",
                        baslangic="2026-11-27 09:00", bitis="2026-11-27 12:00", kayit_son="2026-11-26")
    came, absent = [register_citizen(m.ledger, m.instance, m.paths, m.clock, a.id,
                                     Person(name=n, email=f"k{i}@example.org"), consent=True).registration
                    for i, n in enumerate(("Ayşe Yılmaz", "Işıl Çağlar"))]
    staff = [register_staff(m.ledger, m.instance, m.paths, m.clock, m.actor("fen1"), b.id,
                            Person(name=n, department="fen-isleri")).registration for n in ("Gül Ünal", "Şükrü Öz")]
    m.clock.set(dt.datetime(2026, 11, 28, 9, 0, tzinfo=m.instance.tz))
    mark_attendance(m.ledger, m.instance, m.clock, m.actor("web1"), a.id, {came.id: True, absent.id: False})
    mark_attendance(m.ledger, m.instance, m.clock, m.actor("web1"), b.id, {r.id: True for r in staff})
    return e, {"A": a, "B": b}


def cells(table) -> list[list[str]]:
    return [[cell.get_text() for cell in row.find_all(["th", "td"])] for row in table.tbody.find_all("tr")]


def test_the_director_sees_the_years_report_with_its_downloads(town):
    e, s = town
    response = Browser(e, "mudur1").get("/seminerler/rapor?yil=2026")
    assert response.status_code == 200
    html = page(response)
    assert html.h1.get_text() == "2026 yılı seminer raporu"
    summary = html.find(id="rapor-ozeti")
    assert dict(zip([dt_.get_text() for dt_ in summary.find_all("dt")],
                    [dd.get_text() for dd in summary.find_all("dd")])) == {
        "Yapılan seminer": "2", "Toplam süre (saat)": "5,5", "Kesin kayıt": "4", "Katılan": "3",
        "Katılım oranı": "%75,0", "İptal edilen": "0", "Henüz yapılmamış": "0"}
    assert cells(html.find(id="rapor-tablosu")) == [
        ["Müdürlük", "Bilgi İşlem Müdürlüğü", "1", "2,5", "2", "1", "%50,0", "0"],
        ["Müdürlük", "Fen İşleri Müdürlüğü", "1", "3", "2", "2", "%100,0", "0"],
        ["Hedef kitle", "Vatandaş", "1", "2,5", "2", "1", "%50,0", "0"],
        ["Hedef kitle", "Belediye personeli", "1", "3", "2", "2", "%100,0", "0"],
        ["Ay", "Kasım", "2", "5,5", "4", "3", "%75,0", "0"],
        ["Toplam", "Toplam", "2", "5,5", "4", "3", "%75,0", "0"],
        ["İptal edilen", "İptal edilen ya da yapılmadan geri çekilen seminerler", "0", "0", "0", "", "", ""],
        ["Henüz yapılmamış", "Bu yıl içinde henüz yapılmamış seminerler", "0", "0", "0", "", "", ""]]
    held = cells(html.find(id="yapilan-seminerler"))
    assert held == [[s["A"].number, "26 Kasım 2026", "Temel Bilgisayar Semineri", "Bilgi İşlem Müdürlüğü",
                     "Vatandaş", "2,5", "2", "1"],
                    [s["B"].number, "27 Kasım 2026", HOSTILE, "Fen İşleri Müdürlüğü", "Belediye personeli", "3",
                     "2", "2"]]
    assert html.find(id="yapilan-seminerler").find("b") is None   # the title is text, never markup
    links = {a.get_text(): a["href"] for a in html.find("ul", attrs={"aria-label": "Raporu indir"}).find_all("a")}
    assert links == {"CSV olarak indir": f"{BASE}/seminerler/rapor.csv?yil=2026",
                     "PDF olarak indir (yatay A4)": f"{BASE}/seminerler/rapor.pdf?yil=2026"}


def test_csv_is_the_command_lines_and_the_pdf_has_the_totals(town):
    e, _ = town
    browser = Browser(e, "web2")
    csv_file = browser.get("/seminerler/rapor.csv?yil=2026")
    assert csv_file.status_code == 200
    assert csv_file.headers["content-type"] == "text/csv; charset=utf-8"
    assert csv_file.headers["content-disposition"] == 'attachment; filename="seminer-raporu-2026.csv"'
    code, out, err = e.m.run("seminars", "report", "--year", "2026", "--format", "csv", login="web3")
    assert code == 0, err
    assert csv_file.content == out.encode("utf-8")
    assert csv_file.content.startswith(b"\xef\xbb\xbfGruplama;Sat\xc4\xb1r;")

    pdf_file = browser.get("/seminerler/rapor.pdf?yil=2026")
    assert (pdf_file.status_code, pdf_file.headers["content-type"]) == (200, "application/pdf")
    assert pdf_file.headers["content-disposition"] == 'attachment; filename="seminer-raporu-2026.pdf"'
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_file.content)).pages)
    assert "Kasım" in text and "%75,0" in text and "Deneme Belediyesi — 2026 Yılı Seminer Raporu" in text


def test_only_editors_the_director_and_administrators_may_see_it(town):
    e, _ = town
    for login, status in (("web1", 200), ("yonetici1", 200), ("mudur1", 200), ("fen1", 403)):
        browser = Browser(e, login)
        for screen in ("/seminerler/rapor", "/seminerler/rapor.csv", "/seminerler/rapor.pdf"):
            assert browser.get(screen + "?yil=2026").status_code == status, (login, screen)
        seminars = page(browser.get("/seminerler/")).find("main")
        assert (seminars.find("a", string="Seminer raporu (faaliyet raporu için)") is not None) == (status == 200), \
            login
    refused = page(Browser(e, "mali1").get("/seminerler/rapor"))
    assert refused.h1.get_text() == "Erişim izniniz yok"
    anonymous = e.client().get(f"{BASE}/seminerler/rapor.csv?yil=2026", follow_redirects=False)
    assert anonymous.status_code == 303 and "/giris" in anonymous.headers["location"]


def test_the_year_is_this_years_by_default_and_checked(town):
    e, _ = town
    browser = Browser(e, "mudur1")
    assert page(browser.get("/seminerler/rapor")).h1.get_text() == "2026 yılı seminer raporu"
    empty = page(browser.get("/seminerler/rapor?yil=2025"))
    assert "2025 yılında yapılmış seminer kaydı yok." in empty.main.get_text()
    for bad in ("yirmi", "1999", "<script>alert(1)</script>"):
        response = browser.get("/seminerler/rapor", params={"yil": bad})
        assert response.status_code == 422, bad
        html = page(response)
        assert [a.get_text() for a in html.find(class_="error-summary").find_all("a")] == [
            "Yıl 2000 ile 2100 arasında bir sayı olmalıdır (ör. 2026)."]
        assert html.find(id="yil")["value"] == bad and html.find("script") is None
        assert browser.get("/seminerler/rapor.csv", params={"yil": bad}).status_code == 422


def test_the_report_is_not_shadowed_by_a_seminar_page_route(town):
    """The seminar screens (another module) may add /seminerler/{id}; screens are included in module-name order,
    and this module's name comes first."""
    e, _ = town
    names = [module.__name__.rsplit(".", 1)[1] for module in view_modules()]
    assert sorted([*names, "seminars"]).index("seminar_reports") < sorted([*names, "seminars"]).index("seminars")
    theirs = APIRouter(prefix="/seminerler")
    theirs.add_api_route("/{ref}", lambda ref: {"seminer": ref}, methods=["GET"])
    include_view(e.app, theirs)   # after every module, as a module named "seminars" would be
    response = Browser(e, "mudur1").get("/seminerler/rapor?yil=2026")
    assert response.status_code == 200 and page(response).h1.get_text() == "2026 yılı seminer raporu"


def test_the_report_and_calendar_screens_are_valid_html(town, vnu_command, tmp_path):
    e, _ = town
    mudur = Browser(e, "mudur1")
    calendar = page(mudur.get("/takvim"))
    made = mudur.client.post(f"{BASE}/takvim", data={
        "csrf_token": calendar.find("form", id="takvim-olustur").find("input", attrs={"name": "csrf_token"})["value"],
        "islem": "olustur"})
    pages = {"rapor": mudur.get("/seminerler/rapor?yil=2026").text,
             "rapor-bos": mudur.get("/seminerler/rapor?yil=2025").text,
             "rapor-hata": mudur.get("/seminerler/rapor?yil=x").text,
             "takvim": made.text, "takvim-yok": Browser(e, "fen1").get("/takvim").text}
    assert vnu_errors(vnu_command, tmp_path, pages) == ""
