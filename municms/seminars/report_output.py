"""The yearly seminar report as files: CSV for Excel and a landscape A4 PDF (the same rows in both; the CLI
prints them as text, the editorial app as a page)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from ..turkish import format_day, format_moment
from .report import AUDIENCE_LABELS_TR, Line, SeminarReport

if TYPE_CHECKING:
    from fpdf.fonts import FontFace

HEADERS = ["Gruplama", "Satır", "Seminer sayısı", "Saat", "Kesin kayıt", "Katılan", "Katılım oranı",
           "Katılımı işlenmemiş kayıt"]
HELD_HEADERS = ["Kayıt No", "Tarih", "Seminer", "Müdürlük", "Hedef kitle", "Saat", "Kesin kayıt", "Katılan"]
CANCELLED_GROUP, NOT_YET_GROUP, TOTAL_GROUP = "İptal edilen", "Henüz yapılmamış", "Toplam"


def _cells(line: Line, *, rate: bool = True) -> list[str]:
    return [str(line.seminars), line.hours_tr, str(line.confirmed), str(line.attended) if rate else "",
            line.rate_tr if rate else "", str(line.unmarked) if rate else ""]


def report_rows(report: SeminarReport) -> list[list[str]]:
    """Every row of the report, as CSV and the PDF print it: each grouping's rows, the total, then the
    cancelled seminars and those still to come (no attendance for those two)."""
    rows = [[group, line.label, *_cells(line)] for group, lines in report.groups for line in lines]
    rows.append([TOTAL_GROUP, report.total.label, *_cells(report.total)])
    rows.append([CANCELLED_GROUP, "İptal edilen ya da yapılmadan geri çekilen seminerler",
                 *_cells(report.cancelled, rate=False)])
    rows.append([NOT_YET_GROUP, "Bu yıl içinde henüz yapılmamış seminerler", *_cells(report.not_yet_held,
                                                                                      rate=False)])
    return rows


def held_rows(report: SeminarReport, tz) -> list[list[str]]:
    """One row per seminar held."""
    return [[s.number, format_day(s.start.astimezone(tz), "d MMMM y"), s.title, s.department,
             AUDIENCE_LABELS_TR[s.audience], Line("", minutes=s.minutes).hours_tr, str(s.confirmed), str(s.attended)]
            for s in report.held]


def report_csv(report: SeminarReport) -> bytes:
    """UTF-8 with BOM, semicolon-separated, decimal commas: what Excel with Turkish settings opens directly."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(report_rows(report))
    return out.getvalue().encode("utf-8-sig")


def report_title(report: SeminarReport) -> str:
    return f"{report.municipality} — {report.year} Yılı Seminer Raporu"


def report_pdf(report: SeminarReport, tz) -> bytes:
    """A landscape A4 document: the summary table, then the seminars held."""
    # fpdf is imported here, not at the top: this module is imported by every `publish.py` command (through
    # the seminars subcommand's parser), and fpdf with fontTools took 2-3 s of each command's start
    from fpdf.fonts import FontFace

    from .pdf import FAMILY, new_pdf

    pdf = new_pdf(report_title(report), landscape=True)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 15)
    pdf.cell(text=report_title(report), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 9)
    pdf.multi_cell(0, text=f"Hazırlanma: {format_moment(report.made_at.astimezone(tz), 'd MMMM y HH:mm')}. "
                           "Yalnız kayıt defterindeki kesin kayıtlardan ve işlenen katılımdan hesaplanmıştır; "
                           "katılım oranı = katılan / kesin kayıt.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    bold = FontFace(emphasis="BOLD")
    _table(pdf, HEADERS, report_rows(report), (30, 95, 22, 18, 22, 18, 26, 36), 2, bold)
    if report.held:
        pdf.ln(6)
        pdf.set_font(FAMILY, "B", 12)
        pdf.cell(text="Yapılan seminerler", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", 9)
        _table(pdf, HELD_HEADERS, held_rows(report, tz), (32, 30, 80, 48, 36, 15, 20, 16), 5, bold)
    return bytes(pdf.output())


def _table(pdf, headers: list[str], rows: list[list[str]], widths: tuple, texts: int, heading: FontFace) -> None:
    """A table whose first `texts` columns are text (left) and the rest numbers (right)."""
    align = ("LEFT",) * texts + ("RIGHT",) * (len(headers) - texts)
    with pdf.table(col_widths=widths, text_align=align, headings_style=heading, line_height=5.5) as table:
        for values in [headers, *rows]:
            row = table.row()
            for value in values:
                row.cell(value)
