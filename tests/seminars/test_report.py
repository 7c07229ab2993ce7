"""The yearly seminar report (faaliyet raporu): seminars published through real intake, review, four-eyes and
publish; registrations, attendance and a cancellation through the real actions; the report read back in
process, as CSV and PDF, and through the real command line with real credentials."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from municms.actions.seminar_registration import Person, register_citizen, register_staff
from municms.actions.seminar_running import cancel_seminar, mark_attendance
from municms.actions.seminar_upkeep import seminar_upkeep
from municms.errors import PermissionDenied, ValidationError
from municms.seminars.report import Line, audience_of, seminar_report
from municms.seminars.report_output import HEADERS, report_csv, report_pdf
from tests.seminars.conftest import publish_seminar

TZ = ZoneInfo("Europe/Istanbul")
BEFORE = dt.datetime(2026, 10, 1, 9, 0, tzinfo=TZ)
AFTER = dt.datetime(2026, 11, 28, 9, 0, tzinfo=TZ)   # before the real clock of any run of the CLI tests


def citizens(m, item, *names):
    return [register_citizen(m.ledger, m.instance, m.paths, m.clock, item.id,
                             Person(name=n, email=f"k{item.id}-{i}@example.org"), consent=True).registration
            for i, n in enumerate(names)]


def staff(m, item, by, *people):
    return [register_staff(m.ledger, m.instance, m.paths, m.clock, m.actor(by), item.id,
                           Person(name=n, department=d)).registration for n, d in people]


@pytest.fixture
def town(municipality):
    """The tiny site's 2026 seminars, all ended by AFTER (the clock then), attendance marked by the editors:
    A  Bilgi İşlem, citizens, 24 Nov 10:00–12:30, 2 places: 2 confirmed + 1 waiting; 1 came, 1 absent
    B  Fen İşleri, staff only, 19 Nov 09:00–12:00, 3 places: 3 staff confirmed; all 3 came
    C  Bilgi İşlem, citizens and staff, 15 Oct 14:00–15:00: 1 confirmed, attendance never marked
    D  Bilgi İşlem, citizens, 25 Nov 10:00–12:00: 2 confirmed, then cancelled
    E  Bilgi İşlem, 14 Jan 2027: not in the 2026 report."""
    m = municipality("tiny", now=BEFORE)
    s = {"A": publish_seminar(m, "Temel Bilgisayar Semineri", baslangic="2026-11-24 10:00",
                              bitis="2026-11-24 12:30", kayit_son="2026-11-20"),
         "B": publish_seminar(m, "İş Güvenliği Eğitimi", department="fen-isleri", hedef_kitle="personel",
                              kontenjan=3, egitmen="Ali Veli", yer="Fen İşleri Toplantı Salonu",
                              baslangic="2026-11-19 09:00", bitis="2026-11-19 12:00", kayit_son="2026-11-17"),
         "C": publish_seminar(m, "e-Devlet Kullanımı", hedef_kitle="vatandaş, personel", egitmen="Ayşe Kara",
                              baslangic="2026-10-15 14:00", bitis="2026-10-15 15:00", kayit_son="2026-10-14"),
         "D": publish_seminar(m, "Dijital Okuryazarlık", egitmen="Can Demir", baslangic="2026-11-25 10:00",
                              bitis="2026-11-25 12:00", kayit_son="2026-11-23"),
         "E": publish_seminar(m, "Yeni Yıl Semineri", egitmen="Deniz Ak", baslangic="2027-01-14 10:00",
                              bitis="2027-01-14 12:00", kayit_son="2027-01-12")}
    a_came, a_absent, _ = citizens(m, s["A"], "Ayşe Yılmaz", "Işıl Çağlar", "Ömer Şahin")
    b_regs = staff(m, s["B"], "web1", ("Gül Ünal", "fen-isleri"), ("Şükrü Öz", "fen-isleri"),
                   ("İlknur Ağ", "mali-hizmetler"))
    citizens(m, s["C"], "Çağla Işık")
    citizens(m, s["D"], "Emre Can", "Fatma Nur")
    citizens(m, s["E"], "Gökhan Er")
    cancel_seminar(m.ledger, m.instance, m.paths, m.clock, m.actor("web1"), s["D"].id, "Salon onarımda.")
    m.clock.set(AFTER)
    mark_attendance(m.ledger, m.instance, m.clock, m.actor("web1"), s["A"].id,
                    {a_came.id: True, a_absent.id: False})
    mark_attendance(m.ledger, m.instance, m.clock, m.actor("web2"), s["B"].id, {r.id: True for r in b_regs})
    return m, s


def numbers(line: Line) -> tuple:
    return (line.label, line.seminars, line.minutes, line.confirmed, line.attended, line.unmarked)


EXPECTED_ROWS = [  # the CSV (and PDF) rows of the 2026 report
    ["Müdürlük", "Bilgi İşlem Müdürlüğü", "2", "3,5", "3", "1", "%33,3", "1"],
    ["Müdürlük", "Fen İşleri Müdürlüğü", "1", "3", "3", "3", "%100,0", "0"],
    ["Hedef kitle", "Vatandaş", "1", "2,5", "2", "1", "%50,0", "0"],
    ["Hedef kitle", "Belediye personeli", "1", "3", "3", "3", "%100,0", "0"],
    ["Hedef kitle", "Vatandaş ve personel", "1", "1", "1", "0", "%0,0", "1"],
    ["Ay", "Ekim", "1", "1", "1", "0", "%0,0", "1"],
    ["Ay", "Kasım", "2", "5,5", "5", "4", "%80,0", "0"],
    ["Toplam", "Toplam", "3", "6,5", "6", "4", "%66,7", "1"],
    ["İptal edilen", "İptal edilen ya da yapılmadan geri çekilen seminerler", "1", "2", "2", "", "", ""],
    ["Henüz yapılmamış", "Bu yıl içinde henüz yapılmamış seminerler", "0", "0", "0", "", "", ""],
]


def test_the_report_counts_held_seminars_per_department_audience_and_month_from_recorded_attendance(town):
    m, s = town
    report = seminar_report(m.ledger, m.instance, m.clock, m.actor("mudur1"), 2026)
    assert [h.number for h in report.held] == [s["C"].number, s["B"].number, s["A"].number]  # by start
    assert numbers(report.total) == ("Toplam", 3, 390, 6, 4, 1)
    assert (report.total.hours_tr, report.total.rate_tr) == ("6,5", "%66,7")
    assert [numbers(line) for line in report.by_department] == [
        ("Bilgi İşlem Müdürlüğü", 2, 210, 3, 1, 1), ("Fen İşleri Müdürlüğü", 1, 180, 3, 3, 0)]
    assert [numbers(line) for line in report.by_audience] == [
        ("Vatandaş", 1, 150, 2, 1, 0), ("Belediye personeli", 1, 180, 3, 3, 0),
        ("Vatandaş ve personel", 1, 60, 1, 0, 1)]
    assert [numbers(line) for line in report.by_month] == [("Ekim", 1, 60, 1, 0, 1), ("Kasım", 2, 330, 5, 4, 0)]
    # the cancelled seminar is not among the held ones: counted apart with its planned hours and places
    assert numbers(report.cancelled) == ("İptal edilen", 1, 120, 2, 0, 2)
    assert numbers(report.not_yet_held) == ("Henüz yapılmamış", 0, 0, 0, 0, 0)


def test_totals_equal_the_sums_of_every_grouping(town):
    m, _ = town
    report = seminar_report(m.ledger, m.instance, m.clock, m.actor("web3"), 2026)
    for name, lines in report.groups:
        assert len(lines) >= 2, name   # a grouping of one row would prove nothing
        summed = tuple(sum(getattr(line, f) for line in lines)
                       for f in ("seminars", "minutes", "confirmed", "attended", "unmarked"))
        assert summed == numbers(report.total)[1:], name


def test_before_the_seminars_they_are_counted_as_not_yet_held(town):
    m, s = town
    m.clock.set(BEFORE)
    report = seminar_report(m.ledger, m.instance, m.clock, m.actor("yonetici1"), 2026)
    assert (report.held, numbers(report.total)) == ((), ("Toplam", 0, 0, 0, 0, 0))
    assert numbers(report.not_yet_held) == ("Henüz yapılmamış", 3, 390, 6, 4, 1)  # marked ones stay marked
    assert numbers(report.cancelled)[:4] == ("İptal edilen", 1, 120, 2)
    assert seminar_report(m.ledger, m.instance, m.clock, m.actor("mudur1"), 2027).not_yet_held.seminars == 1


def test_anonymised_registrations_still_count(town):
    m, s = town
    before = seminar_report(m.ledger, m.instance, m.clock, m.actor("mudur1"), 2026)
    m.clock.set(dt.datetime(2027, 3, 1, 9, 0, tzinfo=TZ))   # 90 days (retention_days) after the last one
    done = seminar_upkeep(m.ledger, m.instance, m.paths, m.clock)   # the scheduler's KVKK erasure
    assert done.anonymised == {s["C"].number: 1, s["B"].number: 3, s["A"].number: 3, s["D"].number: 2}
    assert {(r.name, r.email) for r in m.ledger.registrations() if r.item_id != s["E"].id} == {(None, None)}
    after = seminar_report(m.ledger, m.instance, m.clock, m.actor("mudur1"), 2026)
    assert after.held == before.held and numbers(after.total) == ("Toplam", 3, 390, 6, 4, 1)
    assert numbers(after.cancelled) == numbers(before.cancelled)


def test_department_staff_are_refused_and_a_bad_year_is_a_turkish_message(town):
    m, _ = town
    with pytest.raises(PermissionDenied) as refused:
        seminar_report(m.ledger, m.instance, m.clock, m.actor("fen1"), 2026)
    assert refused.value.message_tr == "Seminer raporunu yalnız editörler, müdür ve yönetici görebilir."
    with pytest.raises(ValidationError) as bad:
        seminar_report(m.ledger, m.instance, m.clock, m.actor("mudur1"), "yirmi")
    assert [p.message_tr for p in bad.value.problems] == [
        "Yıl 2000 ile 2100 arasında bir sayı olmalıdır (ör. 2026)."]


def test_audience_words():
    assert [audience_of(words) for words in ("vatandaş", "Belediye Personeli", "vatandaş, personel",
                                             ["Çalışanlar", "öğrenciler"], "", None)] == [
        "vatandas", "personel", "her-ikisi", "her-ikisi", "vatandas", "vatandas"]


def test_csv_is_excel_friendly_and_parses_back_to_the_same_rows(town):
    m, _ = town
    data = report_csv(seminar_report(m.ledger, m.instance, m.clock, m.actor("mudur1"), 2026))
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [HEADERS, *EXPECTED_ROWS]


def test_pdf_holds_the_turkish_month_names_and_the_totals(town):
    m, s = town
    report = seminar_report(m.ledger, m.instance, m.clock, m.actor("mudur1"), 2026)
    pdf = PdfReader(io.BytesIO(report_pdf(report, m.instance.tz)))
    assert pdf.metadata.title == "Deneme Belediyesi — 2026 Yılı Seminer Raporu"
    text = "\n".join(page.extract_text() for page in pdf.pages)
    for expected in ("2026 Yılı Seminer Raporu", "Ekim", "Kasım", "Toplam", "%66,7", "Bilgi İşlem Müdürlüğü",
                     "Vatandaş ve personel", "İş Güvenliği Eğitimi", "24 Kasım 2026"):
        assert expected in text, expected
    total = next(line for line in text.splitlines() if line.startswith("Toplam"))
    assert total.split() == ["Toplam", "Toplam", "3", "6,5", "6", "4", "%66,7", "1"]


def test_cli_prints_the_report_to_editors_and_refuses_department_staff(town, tmp_path):
    m, s = town
    result = m.cli("seminars", "report", "--year", "2026", login="web1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Deneme Belediyesi — 2026 Yılı Seminer Raporu"
    assert "Yapılan seminer: 3   Saat: 6,5   Kesin kayıt: 6   Katılan: 4   Katılım oranı: %66,7" in lines
    assert next(line for line in lines if line.startswith("Toplam")).split() == [
        "Toplam", "Toplam", "3", "6,5", "6", "4", "%66,7", "1"]
    assert "İptal edilen ya da yapılmadan geri çekilen seminer: 1 (planlanan 2 saat, 2 kesin kayıt)" in lines
    assert any(line.startswith(s["A"].number) and "Temel Bilgisayar Semineri" in line for line in lines)

    refused = m.cli("seminars", "report", "--year", "2026", login="fen1")
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr.strip() == "HATA: Seminer raporunu yalnız editörler, müdür ve yönetici görebilir."

    nobody = m.cli("seminars", "report", "--year", "2026")
    assert nobody.returncode == 1 and "kimlik doğrulaması ister" in nobody.stderr


def test_cli_formats_csv_pdf_and_json(town, tmp_path):
    m, _ = town
    code, out, err = m.run("seminars", "report", "--year", "2026", "--format", "csv", login="mudur1")
    assert code == 0, err
    assert list(csv.reader(io.StringIO(out.lstrip("\ufeff")), delimiter=";")) == [HEADERS, *EXPECTED_ROWS]
    target = tmp_path / "rapor.pdf"
    code, out, err = m.run("seminars", "report", "--year", "2026", "--format", "pdf", "--output", str(target),
                           login="yonetici1")
    assert (code, out) == (0, "")
    assert "%66,7" in PdfReader(target).pages[0].extract_text()
    code, out, err = m.run("--json", "seminars", "report", "--year", "2026", login="web2")
    data = json.loads(out)
    assert (code, data["year"], data["total"]["seminars"], data["total"]["attendance_rate"]) == (0, 2026, 3, 66.7)
    assert [(d["label"], d["confirmed"], d["attended"]) for d in data["by_month"]] == [("Ekim", 1, 0),
                                                                                       ("Kasım", 5, 4)]
    code, out, err = m.run("seminars", "report", "--year", "2026", "--json", login="fen1")
    assert (code, json.loads(out)["error"]) == (1, "PermissionDenied")
