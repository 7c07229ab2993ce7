"""Bundles (attachments sniffed, size-limited, safely named, EXIF removed) and .docx conversion."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from PIL import Image

from municms.actions.intake import intake_all
from municms.errors import ValidationError
from municms.submission import parse_submission

from .conftest import SAMPLES, submission_text

PDF = (SAMPLES / "good" / "strateji-gelistirme" / "2025-faaliyet-raporu" / "faaliyet-raporu-2025.pdf").read_bytes()


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Kamera Üreticisi"  # Make
    exif[0x013B] = "Gizli Kisi"        # Artist
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def bundle(root: Path, files: dict[str, bytes], **front) -> Path:
    root.mkdir(parents=True)
    (root / "index.md").write_text(submission_text(**front), encoding="utf-8")
    for name, content in files.items():
        (root / name).write_bytes(content)
    return root


def test_bundle_attachments_are_sniffed_renamed_and_cleaned(tmp_path, instance, ledger, paths, clock):
    photo = jpeg_with_exif()
    assert Image.open(io.BytesIO(photo)).getexif()[0x013B] == "Gizli Kisi"
    folder = bundle(paths.inbox / "park-bahceler" / "yeni-park", {"Açılış Töreni.JPG": photo, "harita.png": photo,
                                                                   "not.txt": b"x"},
                    tur="haber", ekler='["Açılış Töreni.JPG", harita.png]',
                    body="![Açılış](Açılış Töreni.JPG)\n")
    assert folder.is_dir()
    [result] = intake_all(ledger, instance, paths, clock)
    assert result.status == "registered", result.problems
    revision = ledger.revisions(result.item.id)[0]
    assert revision.attachments == ["ekler/acilis-toreni.jpg", "ekler/harita.jpg"]
    assert revision.front_matter["ekler"] == ["acilis-toreni.jpg", "harita.jpg"]
    assert "![Açılış](acilis-toreni.jpg)" in revision.body
    assert revision.warnings == [
        "'harita.png' dosyasının içeriği JPEG resim; uzantısı .jpg olarak düzeltildi.",
        "Klasördeki şu dosyalar 'ekler' listesinde olmadığı için eklenmedi: not.txt."]
    stored = paths.registered / "2026" / result.number
    for name in ("acilis-toreni.jpg", "harita.jpg"):
        with Image.open(stored / "ekler" / name) as image:
            assert dict(image.getexif()) == {} and image.size == (40, 30)
    assert (stored / "original" / "Açılış Töreni.JPG").read_bytes() == photo  # the evidence stays as sent


@pytest.mark.parametrize("files, ekler, message", [
    ({"rapor.pdf": b"GIF89a" + bytes(64)}, "[rapor.pdf]",
     "'rapor.pdf' izin verilen bir dosya türü değil (içerik: image/gif). İzin verilen türler: PDF, JPEG resim"),
    ({"a.pdf": PDF}, "[b.pdf]", "'b.pdf' eki klasörde bulunamadı."),
    ({"a.pdf": PDF}, "[../a.pdf]", "'../a.pdf' geçersiz bir dosya adı"),
    ({"betik.pdf": b"#!/bin/sh\necho merhaba\n"}, "[betik.pdf]", "'betik.pdf' izin verilen bir dosya türü değil."),
    ({"yarim.jpg": jpeg_with_exif()[:300]}, "[yarim.jpg]", "'yarim.jpg' bozuk ya da yarım kalmış bir resim"),
])
def test_bad_attachments(tmp_path, instance, files, ekler, message):
    folder = bundle(tmp_path / "b", files, ekler=ekler)
    with pytest.raises(ValidationError) as caught:
        parse_submission(folder, "fen-isleri", instance)
    [problem] = caught.value.problems
    assert problem.field == "ekler.0" and problem.line == 4 and problem.message_tr.startswith(message)


def test_attachment_size_limit_from_instance(tmp_path, instance):
    small = instance.model_copy(update={"attachments": instance.attachments.model_copy(update={"max_bytes": 1000})})
    folder = bundle(tmp_path / "b", {"rapor.pdf": PDF + bytes(2000)}, ekler="[rapor.pdf]")
    with pytest.raises(ValidationError) as caught:
        parse_submission(folder, "fen-isleri", small)
    assert "çok büyük" in caught.value.problems[0].message_tr


def test_faaliyet_raporu_needs_a_real_pdf(tmp_path, instance):
    folder = bundle(tmp_path / "b", {"kapak.jpg": jpeg_with_exif()}, tur="faaliyet-raporu", ekler="[kapak.jpg]")
    with pytest.raises(ValidationError) as caught:
        parse_submission(folder, "strateji-gelistirme", instance)
    assert [p.field for p in caught.value.problems] == ["ekler"]


def test_symbolic_links_are_refused(tmp_path, instance):
    secret = tmp_path / "gizli.txt"
    secret.write_text("sunucudaki bir dosya", encoding="utf-8")
    folder = bundle(tmp_path / "b", {}, ekler="[gizli.pdf]")
    (folder / "gizli.pdf").symlink_to(secret)
    (tmp_path / "kisayol.md").symlink_to(folder / "index.md")
    for path in (folder, tmp_path / "kisayol.md"):
        with pytest.raises(ValidationError) as caught:
            parse_submission(path, "fen-isleri", instance)
        assert caught.value.problems[0].message_tr.startswith("Gönderide kısayol (sembolik bağlantı) var")


def test_folder_without_index_is_quarantined(instance, ledger, paths, clock):
    folder = paths.inbox / "zabita" / "fotograflar"
    folder.mkdir(parents=True)
    (folder / "a.jpg").write_bytes(jpeg_with_exif())
    [result] = intake_all(ledger, instance, paths, clock)
    assert result.status == "quarantined"
    assert "klasöründe index.md dosyası yok" in result.problems[0].message_tr
    assert (paths.quarantine / "zabita" / "fotograflar" / "a.jpg").is_file()


# --- .docx -------------------------------------------------------------------------------------------------
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _p(text: str, style: str | None = None) -> str:
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{props}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<w:tr>{''.join(f'<w:tc>{_p(c)}</w:tc>' for c in row)}</w:tr>" for row in rows)
    return f"<w:tbl>{cells}</w:tbl>"


def make_docx(path: Path, body_xml: str, extra: dict[str, str] | None = None) -> Path:
    """A minimal but real .docx (Office Open XML package) with the given body."""
    files = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
        'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main'
        '+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>{body_xml}'
                             '</w:body></w:document>',
        **(extra or {}),
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def test_docx_with_key_lines(tmp_path, instance, ledger, paths, clock):
    (paths.inbox / "fen-isleri").mkdir(parents=True)
    make_docx(paths.inbox / "fen-isleri" / "Yol Çalışması.docx",
              _p("tur: duyuru") + _p("baslik: Gazi Caddesi: Yol Çalışması") + _p("etiketler: [yol, altyapı]")
              + _p("Gazi Caddesi 3 gün kapalı olacak.") + _p("Ayrıntılar", "Heading1")
              + '<w:p><w:ins w:id="1" w:author="a"><w:r><w:t>eklenen</w:t></w:r></w:ins></w:p>',
              {"word/comments.xml": f'<?xml version="1.0"?><w:comments {_W}/>'})
    [result] = intake_all(ledger, instance, paths, clock)
    assert result.status == "registered", result.problems
    revision = ledger.revisions(result.item.id)[0]
    assert revision.front_matter == {"tur": "duyuru", "baslik": "Gazi Caddesi: Yol Çalışması",
                                     "etiketler": ["yol", "altyapı"]}
    assert revision.body.startswith("Gazi Caddesi 3 gün kapalı olacak.")
    assert revision.warnings == ["Word (.docx) dosyası Markdown'a çevrildi: aktarılamayanlar — açıklamalar "
                                 "(yorumlar); izlenen değişiklikler (yalnızca kabul edilmiş hâli alındı)."]
    stored = paths.registered / "2026" / result.number
    assert (stored / "original.docx").read_bytes() == (paths.registered / "2026" / result.number /
                                                        "original.docx").read_bytes()
    assert sorted(p.name for p in stored.iterdir()) == ["index.md", "original.docx"]


def test_docx_with_first_table(tmp_path, instance):
    path = make_docx(tmp_path / "seminer.docx",
                     _table([("tur", "seminer"), ("baslik", "Excel Eğitimi"), ("egitmen", "Ali Can"),
                             ("yer", "Salon"), ("baslangic", "2026-12-10 10:00"), ("bitis", "2026-12-10 09:00"),
                             ("kontenjan", "30")]) + _p("Eğitim içeriği."))
    with pytest.raises(ValidationError) as caught:
        parse_submission(path, "bilgi-islem", instance)
    assert [(p.field, p.line) for p in caught.value.problems] == [("bitis", 6)]  # row 6 of the table


def test_broken_docx_is_refused(tmp_path, instance):
    path = tmp_path / "bozuk.docx"
    path.write_bytes(b"PK\x03\x04 bozuk")
    with pytest.raises(ValidationError) as caught:
        parse_submission(path, "fen-isleri", instance)
    assert caught.value.problems[0].message_tr.startswith("Word dosyası açılamadı")


_DRAWING = (
    '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
    '<wp:docPr id="1" name="Resim 1" descr="Park"/>'
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:blipFill>'
    '<a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:embed="rIdImg"/>'
    '</pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>')


def test_docx_images_and_headers_are_reported_lost_tables_kept(tmp_path, instance):
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rIdImg" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'image" Target="media/park.jpg"/></Relationships>')
    path = make_docx(tmp_path / "haber.docx",
                     _table([("tur", "haber"), ("baslik", "Park Açıldı")]) + _p("Park hizmete açıldı.") + _DRAWING
                     + _table([("Saat", "Etkinlik"), ("10:00", "Açılış")]),
                     {"word/_rels/document.xml.rels": rels, "word/header1.xml": f'<w:hdr {_W}/>'})
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("word/media/park.jpg", jpeg_with_exif())
    sub = parse_submission(path, "park-bahceler", instance)
    assert (sub.tur, sub.title, sub.kind) == ("haber", "Park Açıldı", "docx")
    assert sub.body == "Park hizmete açıldı.\n\n| Saat | Etkinlik |\n|---|---|\n| 10:00 | Açılış |\n"
    assert sub.warnings == ["Word (.docx) dosyası Markdown'a çevrildi: aktarılamayanlar — 1 resim (resimleri ayrı "
                            "dosya olarak klasörle gönderin); üst bilgi / alt bilgi."]
