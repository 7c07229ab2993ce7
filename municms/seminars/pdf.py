"""PDF documents of the seminars (participation certificates, the yearly report) with fpdf2 and the DejaVu
Sans fonts shipped in municms/seminars/fonts (Turkish letters, no font needed on the machine)."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).with_name("fonts")
FAMILY = "DejaVu"


def new_pdf(title: str, *, landscape: bool = False) -> FPDF:
    """An A4 document with the DejaVu family registered (regular 'DejaVu', bold 'DejaVu' style 'B')."""
    pdf = FPDF(orientation="L" if landscape else "P", unit="mm", format="A4")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_lang("tr")
    pdf.set_creator("municms")
    pdf.set_font(FAMILY, size=11)
    return pdf
