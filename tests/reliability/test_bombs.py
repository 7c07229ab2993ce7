"""Bombs through the front door (a file dropped into an inbox, real intake): each is refused fast with its
Turkish reason, the file stays quarantined with a report, nothing is deleted and no number is used up.

The wall-time bound (5 s) is generous for a loaded 2-core machine: every case is refused in well under a second
here. Markdown just inside the nesting limits is rendered with the build's own Python-Markdown settings to show
the limits keep the build bounded too (beyond them it recursed to RecursionError or took minutes)."""

from __future__ import annotations

import os
import time

import markdown
import pytest
from pelican.settings import read_settings

from municms.markdown_limits import MAX_BRACKETS, MAX_EMPHASIS, MAX_NESTING
from tests.intake.test_bundles_docx import PDF, _p, make_docx
from tests.intake.test_docx_limits import MIB, _add_zeros
from tests.municipality import REPO, submission_text

BOUND = 5.0
HEAD = "---\ntur: duyuru\nbaslik: Bomba\n"
TOO_LONG = "Metin çok uzun ({}; en çok 1,0 MB). Uzun belgeleri PDF eki olarak gönderin ya da birkaç gönderiye bölün."
QUOTES = ("metin", "Metinde iç içe alıntı ('>') ya da liste çok derin (en çok 32 düzey). Girintiyi azaltın.")
BRACKETS = ("metin", "Bir paragrafta kapatılmamış köşeli parantez '[' çok fazla (en çok 32). Bağlantıları "
                     "[metin](adres) biçiminde yazın ya da parantezleri kapatın.")
EMPHASIS = ("metin", "Bir paragrafta iç içe vurgu ('*' ya da '_') çok derin (en çok 64). Yıldız ve alt çizgileri "
                     "kapatın ya da ters bölü ile yazın (\\*).")
YAML_SYNTAX = "Ön bilgi bloğu geçerli YAML değil: Yazım hatası var (tırnak, parantez ya da girinti)."


def refused(m, name: str, content) -> tuple[list[tuple], float]:
    """Drop, time intake, check the quarantine; then prove the next submission still gets number 1."""
    started = time.perf_counter()
    result = m.drop("fen-isleri", name, content)
    seconds = time.perf_counter() - started
    assert result.status == "quarantined", (result.status, result.number)
    report = result.report.read_text(encoding="utf-8")
    assert all(p.message_tr in report for p in result.problems)
    assert result.quarantined.exists() and m.ledger.items() == []
    assert seconds < BOUND, f"{name} took {seconds:.1f} s"
    print(f"{name}: refused in {seconds:.3f} s")
    return [(p.field, p.line, p.message_tr) for p in result.problems], seconds


def next_number_is_one(m):
    assert m.submit("duyuru", "Sonraki").number == "BİM-2026-000001"


LAUGHS = ("---\ntur: duyuru\nbaslik: Kahkaha\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
          + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))
          + "---\nMetin\n")

CASES = {
    # YAML
    "kahkaha.md": (LAUGHS, [("", 5, "Ön bilgi bloğunda YAML takma adı (*ad) kullanılamaz; değeri açıkça yazın.")]),
    "derin-liste.md": (HEAD + "x: " + "[" * 20_000 + "]" * 20_000 + "\n---\nb\n", [("", 4, YAML_SYNTAX)]),
    "derin-sozluk.md": (HEAD + "x: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n---\nb\n", [("", 4, YAML_SYNTAX)]),
    "derin-girinti.md": (HEAD + "x:\n" + "".join(" " * i + "-\n" for i in range(1, 440)) + "---\nb\n",
                         [("x", 4, "'x' alanı bu tür için tanınmıyor (yazım hatası olabilir).")]),
    "dev-deger.md": (HEAD + "ozet: " + "a" * 5_000_000 + "\n---\nb\n", [("", None, TOO_LONG.format("5,0 MB"))]),
    "cok-anahtar.md": (HEAD + "".join(f"k{i}: v\n" for i in range(90_000)) + "---\nb\n",
                       [("", 2, "Ön bilgi bloğu çok uzun (888.915 karakter; en çok 100.000). Uzun listeleri "
                                "(ör. değişiklikler) birkaç gönderiye bölün.")]),
    # oversized text and pathological Markdown
    "buyuk.md": (HEAD + "---\n" + "Uzun bir paragraf.\n\n" * 60_000, [("", None, TOO_LONG.format("1,2 MB"))]),
    "alinti.md": (HEAD + "---\n" + ">" * 50_000 + " x\n", [(*QUOTES[:1], 5, QUOTES[1])]),
    "liste.md": (HEAD + "---\n" + "".join("    " * i + "- a\n" for i in range(400)), [(*QUOTES[:1], 38, QUOTES[1])]),
    "parantez.md": (HEAD + "---\n" + "[" * 50_000 + "x\n", [(*BRACKETS[:1], 5, BRACKETS[1])]),
    "yildiz.md": (HEAD + "---\n" + "*" * 50_000 + "a" + "*" * 50_000 + "\n", [(*EMPHASIS[:1], 5, EMPHASIS[1])]),
    "vurgu.md": (HEAD + "---\nGiriş.\n\n" + "*a " * 5_000 + "b" + " a*" * 5_000 + "\n",
                 [(*EMPHASIS[:1], 7, EMPHASIS[1])]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bomb_is_quarantined_fast_with_its_reason(municipality, name):
    m = municipality()
    text, problems = CASES[name]
    assert refused(m, name, text)[0] == problems
    next_number_is_one(m)


def test_docx_zip_bomb_is_quarantined_fast(municipality):
    m = municipality()
    docx = make_docx(m.root / "bomba.docx", _p("tur: duyuru") + _p("baslik: Bomba") + _p("Metin."))
    _add_zeros(docx, "word/media/image1.png", 32 * MIB)
    assert os.path.getsize(docx) < MIB
    problems, _ = refused(m, "bomba.docx", docx.read_bytes())
    assert problems == [("", None, "Word dosyası açıldığında çok büyük (33,6 MB; en çok 20,0 MB). Resimleri ayrı "
                                   "dosya olarak klasörle gönderin ya da metni Markdown olarak kaydedin.")]
    next_number_is_one(m)


def test_docx_whose_text_is_too_long_is_quarantined(municipality):
    m = municipality()
    docx = make_docx(m.root / "uzun.docx", _p("tur: duyuru") + _p("baslik: Uzun")
                     + _p("Uzun bir paragraf metni. " * 50) * 1_000)
    problems, _ = refused(m, "uzun.docx", docx.read_bytes())
    assert problems == [("", None, TOO_LONG.format("1,3 MB"))]


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_zip_bomb_attachment_is_never_expanded(municipality, kind):
    """A bundle's .xlsx/.docx attachment is stored as sent; the personal-data scan, the only reader of its
    contents, checks the expanded size first and reports it as not scanned instead of expanding it."""
    m = municipality()
    source = make_docx(m.root / f"ek.{kind}", _p("Tablo"))
    if kind == "xlsx":  # the same zip with the parts filetype recognises a spreadsheet by
        import zipfile
        with zipfile.ZipFile(source, "a") as archive:
            archive.writestr("xl/workbook.xml", "<workbook/>")
    _add_zeros(source, "xl/sharedStrings.xml" if kind == "xlsx" else "word/document2.xml", 32 * MIB)
    text = submission_text("duyuru", "Ekli Bomba", ekler=[f"ek.{kind}"])
    started = time.perf_counter()
    result = m.drop("fen-isleri", "ekli", {"index.md": text, f"ek.{kind}": source.read_bytes()})
    seconds = time.perf_counter() - started
    print(f"{kind} attachment bomb: {result.status} in {seconds:.3f} s")
    assert seconds < BOUND
    assert result.status == "registered", result.problems
    assert [(f.kind, f.message_tr) for f in result.kvkk] == [
        ("taranamadi", "Ekin içeriği okunamadı ya da tamamı taranamadı; kişisel veri içerip içermediğini elle "
                       "denetleyin. Dosya açıldığında çok büyük ya da olağan dışı sıkıştırılmış.")]


# --- the limits keep the build's Markdown bounded -------------------------------------------------------------

def _markdown():
    return markdown.Markdown(**read_settings(str(REPO / "pelicanconf.py"))["MARKDOWN"])


@pytest.mark.parametrize("body", [
    ">" * MAX_NESTING + " alıntı\n",
    "".join("    " * i + "- madde\n" for i in range(MAX_NESTING // 2)),
    "[" * MAX_BRACKETS + "x\n",
    "*a " * (MAX_EMPHASIS // 2) + "b" + " a*" * (MAX_EMPHASIS // 2) + "\n",
    "**" * (MAX_EMPHASIS // 2) + "a" + "**" * (MAX_EMPHASIS // 2) + "\n",
])
def test_markdown_at_the_limits_is_accepted_and_renders_fast(municipality, body):
    m = municipality()
    result = m.drop("fen-isleri", "sinirda.md", HEAD + "---\n" + body)
    assert result.status == "registered", result.problems
    started = time.perf_counter()
    html = _markdown().convert(body)
    assert html and time.perf_counter() - started < 1.0
