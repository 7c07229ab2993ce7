"""The text of attachments, for the personal-data scan: PDF text layers (pypdf), Word paragraphs and Excel cells
(the Office XML read with defusedxml). Bounded in characters, pages, cells and time; never raises for a bad file."""

from __future__ import annotations

import logging
import posixpath
import re
import time
import zipfile
from pathlib import Path
from typing import Iterator

from defusedxml.ElementTree import iterparse, parse

from ..docx import expansion_problems
from .findings import Finding, finding
from .text import TextScanner

log = logging.getLogger("municms.kvkk")

MAX_CHARS = 2_000_000      # text taken from one attachment
MAX_PAGES = 2_000          # PDF pages
MAX_CELLS = 500_000        # spreadsheet cells
MAX_SECONDS = 20.0         # wall time for one attachment

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCUMENT_TYPES = frozenset({PDF, DOCX, XLSX})

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.I)


class _Limit(Exception):
    """The attachment is larger or slower than the scan allows: what was read so far is scanned."""


class _Budget:
    def __init__(self):
        self.chars = 0
        self.started = time.monotonic()

    def take(self, text: str) -> str:
        if time.monotonic() - self.started > MAX_SECONDS:
            raise _Limit(f"{MAX_SECONDS:.0f} saniyede")
        self.chars += len(text)
        if self.chars > MAX_CHARS:
            raise _Limit(f"ilk {MAX_CHARS:,} karakterde".replace(",", "."))
        return text


def document_findings(scanner: TextScanner, path: Path, name: str, mime: str, max_bytes: int) -> list[Finding]:
    """Personal data in one PDF, .docx or .xlsx attachment; an unreadable or too large one is a finding."""
    place = f"ek '{name}'"
    readers = {PDF: _pdf_parts, DOCX: _docx_parts, XLSX: _xlsx_parts}
    found: list[Finding] = []
    budget = _Budget()
    try:
        if mime in (DOCX, XLSX):
            if expansion_problems(path, max_bytes):  # a zip bomb is not expanded to be scanned
                return [finding("taranamadi", "—", place,
                                "Dosya açıldığında çok büyük ya da olağan dışı sıkıştırılmış.")]
        for where, text in readers[mime](path, budget):
            found.extend(scanner.scan_lines(text, f"{place}, {where}") if "\n" in text
                         else scanner.scan(text, f"{place}, {where}"))
    except _Limit as limit:
        found.append(finding("taranamadi", "—", place, f"Dosyanın yalnız {limit} okunabilen kısmı tarandı."))
    except Exception as exc:  # a malformed file of any kind: reported, never a traceback for the department
        log.warning("cannot read %s (%s) for the KVKK scan: %r", path, mime, exc)
        found.append(finding("taranamadi", "—", place, "Dosya bozuk ya da okunamıyor."))
    return found


def _pdf_parts(path: Path, budget: _Budget) -> Iterator[tuple[str, str]]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted:
        reader.decrypt("")  # most "protected" PDFs have an empty user password; otherwise pypdf raises
    for number, page in enumerate(reader.pages, 1):
        if number > MAX_PAGES:
            raise _Limit(f"ilk {MAX_PAGES} sayfasında")
        yield f"sayfa {number}", budget.take(page.extract_text() or "")


def _docx_parts(path: Path, budget: _Budget) -> Iterator[tuple[str, str]]:
    with zipfile.ZipFile(path) as archive, archive.open("word/document.xml") as part:
        number = 0
        for _event, element in iterparse(part, events=("end",)):
            if element.tag == f"{_W}p":
                number += 1
                text = "".join(_docx_text(element))
                element.clear()
                if text.strip():
                    yield f"paragraf {number}", budget.take(text)


def _docx_text(paragraph) -> Iterator[str]:
    for node in paragraph.iter():
        if node.tag == f"{_W}t" and node.text:
            yield node.text
        elif node.tag in (f"{_W}tab", f"{_W}br"):
            yield " "


def _xlsx_parts(path: Path, budget: _Budget) -> Iterator[tuple[str, str]]:
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        shared = _shared_strings(archive, budget) if "xl/sharedStrings.xml" in names else []
        cells = 0
        for sheet, target in _sheets(archive):
            if target not in names:
                continue
            with archive.open(target) as part:
                for _event, element in iterparse(part, events=("end",)):
                    if element.tag != f"{_S}c":
                        continue
                    cells += 1
                    if cells > MAX_CELLS:
                        raise _Limit(f"ilk {MAX_CELLS:,} hücresinde".replace(",", "."))
                    text = _cell_text(element, shared)
                    reference = element.get("r", "")
                    element.clear()
                    if text:
                        yield f"sayfa '{sheet}', hücre {reference}", budget.take(text)


def _shared_strings(archive: zipfile.ZipFile, budget: _Budget) -> list[str]:
    strings = []
    with archive.open("xl/sharedStrings.xml") as part:
        for _event, element in iterparse(part, events=("end",)):
            if element.tag == f"{_S}si":
                strings.append(budget.take("".join(t.text or "" for t in element.iter(f"{_S}t"))))
                element.clear()
    return strings


def _sheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part name) in workbook order."""
    workbook = parse(archive.open("xl/workbook.xml")).getroot()
    rels = parse(archive.open("xl/_rels/workbook.xml.rels")).getroot()
    targets = {}
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
    return [(sheet.get("name", ""), targets.get(sheet.get(f"{_R}id"), ""))
            for sheet in workbook.iter(f"{_S}sheet")]


def _cell_text(cell, shared: list[str]) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{_S}t"))
    value = cell.find(f"{_S}v")
    text = value.text if value is not None and value.text else ""
    if kind == "s":
        return shared[int(text)] if text.isdigit() and int(text) < len(shared) else ""
    if kind == "n" and _SCIENTIFIC.match(text):  # a long number typed into a cell: 1.2345678950E10
        number = float(text)
        return str(int(number)) if number.is_integer() else text
    return text
