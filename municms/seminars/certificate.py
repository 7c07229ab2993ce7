"""The participation certificate (katılım belgesi) of one attendee: its Turkish text, then an A4 landscape PDF
with the shipped DejaVu fonts (Turkish letters intact)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.numbers import format_decimal

from ..model import Registration
from ..turkish import format_day, format_moment
from .facts import SeminarFacts
from .pdf import FAMILY, new_pdf

HEADING = "KATILIM BELGESİ"


@dataclass(frozen=True)
class CertificateText:
    municipality: str
    name: str
    title: str
    dates: str
    hours: str
    trainer: str
    seminar_number: str
    verification: str


def duration_hours(start: dt.datetime, end: dt.datetime) -> float:
    """Hours of teaching: end − start on one day; a seminar over several days is taken to run the same
    hours each day (10 Aralık 09:00 – 12 Aralık 17:00 = 3 days of 8 hours)."""
    days = (end.date() - start.date()).days + 1
    daily = dt.datetime.combine(start.date(), end.timetz()) - start
    if days > 1 and daily > dt.timedelta(0):
        return days * daily.total_seconds() / 3600
    return (end - start).total_seconds() / 3600


def _dates(start: dt.datetime, end: dt.datetime) -> str:
    if start.date() == end.date():
        return f"{format_day(start)}, {format_moment(start, 'HH:mm')}–{format_moment(end, 'HH:mm')}"
    return (f"{format_day(start, 'd MMMM y')} – {format_day(end, 'd MMMM y')}, "
            f"her gün {format_moment(start, 'HH:mm')}–{format_moment(end, 'HH:mm')}")


def certificate_text(municipality: str, facts: SeminarFacts, trainer: str, reg: Registration,
                     issued: dt.datetime, tz) -> CertificateText:
    """What the certificate says (the seminar's start and end must be known; the name must not be anonymised)."""
    start, end = facts.start.astimezone(tz), facts.end.astimezone(tz)
    hours = format_decimal(round(duration_hours(start, end), 1), format="#,##0.#", locale="tr")
    return CertificateText(
        municipality=municipality, name=reg.name or "", title=facts.item.title, dates=_dates(start, end),
        hours=f"{hours} saat", trainer=trainer or "—", seminar_number=facts.item.number,
        verification=(f"Doğrulama: {facts.item.number} numaralı seminerin {reg.id} numaralı kaydı; "
                      f"belge tarihi {format_day(issued.astimezone(tz), 'd MMMM y')}."))


def certificate_pdf(text: CertificateText) -> bytes:
    """The certificate as one A4 landscape page."""
    pdf = new_pdf(f"{HEADING} — {text.name}", landscape=True)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_line_width(0.8)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)

    def line(content: str, size: float, style: str = "", height: float = 9, gap: float = 0) -> None:
        pdf.set_font(FAMILY, style, size)
        pdf.multi_cell(0, height, content, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.set_y(25)
    line(text.municipality, 16, "B", gap=10)
    line(HEADING, 30, "B", height=14, gap=12)
    line(text.name, 24, "B", height=12, gap=8)
    line(f"“{text.title}”", 16, "B", gap=2)
    line("seminerine katılmıştır.", 14, gap=8)
    line(f"Tarih: {text.dates}", 12, height=7)
    line(f"Süre: {text.hours}", 12, height=7)
    line(f"Eğitmen: {text.trainer}", 12, height=7)
    line(f"Seminer kayıt numarası: {text.seminar_number}", 12, height=7)
    pdf.set_y(max(pdf.get_y() + 4, pdf.h - 30))   # at the foot, or below a title of many lines
    line(text.verification, 9, height=5)
    return bytes(pdf.output())
