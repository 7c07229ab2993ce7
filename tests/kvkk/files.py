"""Real attachment files for the scan tests, made with the libraries that write them: Pillow (EXIF), fpdf2
(a PDF with a text layer) and the Office Open XML packages of .docx and .xlsx."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from fpdf import FPDF
from PIL import Image

GPS_IFD, EXIF_IFD = 0x8825, 0x8769
BODY_SERIAL, LENS_SERIAL, MAKE, DATETIME_ORIGINAL = 0xA431, 0xA435, 0x010F, 0x9003


def photo(fmt: str = "JPEG", gps: bool = True, serial: str | None = "SN-20260042") -> bytes:
    """A photo with a GPS position (Çorum's clock tower), a camera serial number and harmless EXIF."""
    image = Image.new("RGB", (64, 48), (30, 120, 200))
    exif = Image.Exif()
    exif[MAKE] = "Kamera Üreticisi"
    exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = "2026:11:20 10:15:00"
    if serial:
        exif.get_ifd(EXIF_IFD)[BODY_SERIAL] = serial
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (40.0, 32.0, 58.0), 3: "E", 4: (34.0, 57.0, 12.0)})
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif.tobytes())
    return buffer.getvalue()


def exif_of(data: bytes) -> Image.Exif:
    with Image.open(io.BytesIO(data)) as image:
        return image.getexif()


def pdf(pages: list[list[str]]) -> bytes:
    """A PDF with one page per list of lines, written with a text layer (fpdf2)."""
    document = FPDF()
    document.set_font("helvetica", size=12)
    for lines in pages:
        document.add_page()
        for line in lines:
            document.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())


_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_OD = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _package(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def docx(paragraphs: list[str]) -> bytes:
    """A minimal but real .docx whose body holds these paragraphs."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(p)}</w:t></w:r></w:p>' for p in paragraphs)
    return _package({
        "[Content_Types].xml": f'<?xml version="1.0"?><Types xmlns="{_CT}"><Default Extension="rels" ContentType='
        '"application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{_PR}"><Relationship Id="rId1" Type="{_OD}/'
        'officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>{body}'
                             '</w:body></w:document>'})


def xlsx(sheets: dict[str, dict[str, str | int]]) -> bytes:
    """A minimal but real .xlsx: {sheet name: {cell: value}}; text goes to the shared strings, numbers stay
    numbers (an identity number typed into a cell is a number)."""
    s = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    shared: list[str] = []
    parts = {}
    for index, (name, cells) in enumerate(sheets.items(), 1):
        xml = []
        for ref, value in cells.items():
            if isinstance(value, int):
                xml.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                shared.append(value)
                xml.append(f'<c r="{ref}" t="s"><v>{len(shared) - 1}</v></c>')
        parts[f"xl/worksheets/sheet{index}.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{s}">'
                                                   f'<sheetData><row r="1">{"".join(xml)}</row></sheetData></worksheet>')
    names = list(sheets)
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.'
                        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, len(names) + 1))
    return _package({
        "[Content_Types].xml": f'<?xml version="1.0"?><Types xmlns="{_CT}"><Default Extension="rels" ContentType='
        '"application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        f'officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{_PR}"><Relationship Id="rId1" Type="{_OD}/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{s}" xmlns:r="{_OD}"><sheets>'
        + "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{_PR}">'
        + "".join(f'<Relationship Id="rId{i}" Type="{_OD}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                  for i in range(1, len(names) + 1)) + "</Relationships>",
        "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{s}">'
        + "".join(f"<si><t>{escape(t)}</t></si>" for t in shared) + "</sst>",
        **parts})
