"""A .docx is checked against the size limit before it is opened, and its expanded size before mammoth reads it:
a zip bomb is quarantined with a Turkish report instead of being expanded."""

from __future__ import annotations

import os
import time
import zipfile

from municms.actions.intake import intake_all
from municms.config import load_instance

from .test_bundles_docx import _p, make_docx

MIB = 1 << 20


def _add_zeros(docx, name: str, size: int) -> None:
    """Append a member of `size` zero bytes, compressed while streaming (never held in memory or on disk)."""
    chunk = bytes(MIB)
    with zipfile.ZipFile(docx, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(name, "w", force_zip64=True) as member:
            for _ in range(size // MIB):
                member.write(chunk)


def _word_file(paths, name: str):
    folder = paths.inbox / "fen-isleri"
    folder.mkdir(parents=True, exist_ok=True)
    return make_docx(folder / name, _p("tur: duyuru") + _p("baslik: Su Kesintisi") + _p("Yarın su kesilecek."))


def _only_problem(result):
    assert result.status == "quarantined", (result.status, result.number)
    [problem] = result.problems
    report = result.report.read_text(encoding="utf-8")
    assert problem.message_tr in report and result.quarantined.is_file()
    return problem.field, problem.message_tr


def test_zip_bomb_is_quarantined_without_being_expanded(ledger, instance, paths, clock):
    bomb = _word_file(paths, "bomba.docx")
    _add_zeros(bomb, "word/media/image1.png", 512 * MIB)
    assert os.path.getsize(bomb) < 1 * MIB  # small on disk, half a gigabyte when expanded
    started = time.perf_counter()
    [result] = intake_all(ledger, instance, paths, clock)
    assert time.perf_counter() - started < 5
    assert _only_problem(result) == ("", "Word dosyası açıldığında çok büyük (536,9 MB; en çok 20,0 MB). "
                                         "Resimleri ayrı dosya olarak klasörle gönderin ya da metni Markdown "
                                         "olarak kaydedin.")
    assert ledger.items() == []


def test_member_compressed_beyond_any_real_document_is_quarantined(ledger, instance, paths, clock):
    docx = _word_file(paths, "sikistirilmis.docx")
    _add_zeros(docx, "word/media/image1.png", 8 * MIB)  # under the size limit, but 1000 to 1 compressed
    [result] = intake_all(ledger, instance, paths, clock)
    field, message = _only_problem(result)
    assert field == ""
    assert message.startswith("Word dosyasının içindeki 'word/media/image1.png' olağan dışı sıkıştırılmış "
                              "(açılınca ")
    assert message.endswith(" kat büyüyor); güvenli biçimde açılamaz. Belgeyi Word'de yeniden kaydedin ya da "
                            "metni Markdown olarak gönderin.")
    assert ledger.items() == []


def test_docx_over_the_size_limit_is_quarantined_before_it_is_opened(root, ledger, paths, clock):
    config = root / "instance.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("max_bytes: 20000000", "max_bytes: 50000"),
                      encoding="utf-8")
    instance = load_instance(root)
    docx = _word_file(paths, "buyuk.docx")
    with zipfile.ZipFile(docx, "a") as archive:
        archive.writestr("word/media/image1.png", os.urandom(60_000))  # does not compress: 60 kB on disk
    [result] = intake_all(ledger, instance, paths, clock)
    assert _only_problem(result) == ("", f"Dosya çok büyük ({os.path.getsize(result.quarantined)} bayt; en çok "
                                         "50000 bayt).")


def test_ordinary_docx_is_still_registered(ledger, instance, paths, clock):
    _word_file(paths, "duyuru.docx")
    [result] = intake_all(ledger, instance, paths, clock)
    assert (result.status, result.number) == ("registered", "BİM-2026-000001")
