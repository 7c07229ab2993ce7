"""The participation certificate's text and PDF (pure: a seminar's facts and one registration in, bytes out);
the screen that serves it is tested in tests/web/test_screens_seminars.py."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from pypdf import PdfReader

from municms.model import PUBLISHED, Item, Registration
from municms.seminars.certificate import certificate_pdf, certificate_text, duration_hours
from municms.seminars.facts import seminar_facts

TZ = ZoneInfo("Europe/Istanbul")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=TZ)


def facts(title: str, start: str, end: str):
    item = Item(id=4, number="BİM-2026-000004", tur="seminer", title=title, state=PUBLISHED, live_rev=1)
    return seminar_facts(item, {"baslangic": start, "bitis": end, "egitmen": "Mehmet Kaya"}, {}, None,
                         at(20, 9), TZ)


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_duration_is_the_hours_of_one_day_times_the_days():
    assert duration_hours(at(10, 10), at(10, 12, 30)) == 2.5
    assert duration_hours(at(10, 9), at(12, 17)) == 24.0            # three days of 09:00–17:00
    assert duration_hours(at(10, 20), at(11, 1)) == 5.0             # past midnight: one session


def test_the_certificate_says_who_attended_what_when_and_how_long_in_turkish():
    text = certificate_text("Çorum Belediyesi", facts("Güvenli İnternet", "2026-12-10 09:00", "2026-12-12 17:00"),
                            "Mehmet Kaya", Registration(id=7, item_id=4, name="Işıl Çağrı Şengül"), at(14, 9), TZ)
    assert (text.municipality, text.name, text.title, text.dates, text.hours, text.trainer, text.seminar_number,
            text.verification) == (
        "Çorum Belediyesi", "Işıl Çağrı Şengül", "Güvenli İnternet",
        "10 Aralık 2026 – 12 Aralık 2026, her gün 09:00–17:00", "24 saat", "Mehmet Kaya", "BİM-2026-000004",
        "Doğrulama: BİM-2026-000004 numaralı seminerin 7 numaralı kaydı; belge tarihi 14 Aralık 2026.")
    pages, extracted = pdf_text(certificate_pdf(text))
    assert pages == 1
    for expected in ("Çorum Belediyesi", "KATILIM BELGESİ", "Işıl Çağrı Şengül", "“Güvenli İnternet”",
                     "Süre: 24 saat", "Eğitmen: Mehmet Kaya", text.verification):
        assert expected in extracted, expected


def test_a_long_title_stays_on_one_page_above_the_verification_line():
    title = "Temel Bilgisayar ve Güvenli İnternet Kullanımı Semineri: Işıklı Çarşı Şubesi " * 3
    text = certificate_text("Çorum Belediyesi", facts(title.strip(), "2026-12-10 10:00", "2026-12-10 12:30"),
                            "", Registration(id=9, item_id=4, name="Ömer Şahin"), at(14, 9), TZ)
    assert (text.dates, text.hours, text.trainer) == ("10 Aralık 2026 Perşembe, 10:00–12:30", "2,5 saat", "—")
    pages, extracted = pdf_text(certificate_pdf(text))
    assert pages == 1
    assert extracted.rstrip().endswith(text.verification)
