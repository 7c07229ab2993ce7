"""Hostile attachment names and links, through the front doors: a bundle dropped into an inbox (real intake),
the department's web form and the JSON API. Refused: '..', absolute paths, NUL and other control characters,
hidden and direction-changing characters, names over 255 bytes, symbolic links anywhere in a bundle (and the
bundle being one). Look-alike letters are stored under an ASCII name with a warning. SVG/HTML are never
attachments: sniffed by content they are refused, and instance.yaml cannot allow them."""

from __future__ import annotations

import os

import pytest

from municms.config import parse_instance
from municms.errors import ConfigError
from tests.intake.test_bundles_docx import PDF
from tests.municipality import REPO, submission_text
from tests.web.api_client import Api, error
from tests.web.conftest import editorial  # noqa: F401 (the editorial app fixture)
from tests.web.screens import Browser, errors_of

def drop_bundle(m, listed: list[str], files: dict[str, bytes]):
    text = submission_text("faaliyet-raporu", "2025 Faaliyet Raporu", "Rapor ektedir.\n", ekler=listed)
    return m.drop("fen-isleri", "rapor", {"index.md": text, **files})


def quarantined(m, result) -> list[tuple[str, str]]:
    """The problems of a quarantined drop (each in its report); proves nothing was registered or deleted."""
    assert result.status == "quarantined", (result.status, result.number)
    report = result.report.read_text(encoding="utf-8")
    assert all(p.message_tr in report for p in result.problems)
    assert result.quarantined.exists() and m.ledger.items() == []
    return [(p.field, p.message_tr) for p in result.problems]


@pytest.mark.parametrize("listed, message", [
    ("../../instance.yaml", "'../../instance.yaml' geçersiz bir dosya adı; yalnızca klasördeki dosyaların adını yazın."),
    ("/etc/passwd", "'/etc/passwd' geçersiz bir dosya adı; yalnızca klasördeki dosyaların adını yazın."),
    ("ekler/../../x.pdf", "'ekler/../../x.pdf' geçersiz bir dosya adı; yalnızca klasördeki dosyaların adını yazın."),
    ("..\\..\\x.pdf", "'..\\..\\x.pdf' geçersiz bir dosya adı; yalnızca klasördeki dosyaların adını yazın."),
    ("rapor\x00.pdf", "'rapor<U+0000>.pdf' adında denetim karakteri (ör. NUL) var; dosyayı yeniden adlandırın."),
    ("rapor\n.pdf", "'rapor<U+000A>.pdf' adında denetim karakteri (ör. NUL) var; dosyayı yeniden adlandırın."),
    ("fatura\u202efdp.exe", "'fatura<U+202E>fdp.exe' adında görünmeyen ya da yazı yönünü değiştiren bir karakter "
                            "(U+202E) var; böyle adlar dosyanın gerçek türünü gizler. Dosyayı yeniden adlandırın."),
    ("rap\u200bor.pdf", "'rap<U+200B>or.pdf' adında görünmeyen ya da yazı yönünü değiştiren bir karakter (U+200B) "
                        "var; böyle adlar dosyanın gerçek türünü gizler. Dosyayı yeniden adlandırın."),
    ("ş" * 130 + ".pdf", f"'{'ş' * 80}…' adı çok uzun (264 bayt; en çok 255). Dosyaya daha kısa bir ad verin."),
])
def test_hostile_listed_names_are_quarantined_with_the_reason(municipality, listed, message):
    m = municipality()
    result = drop_bundle(m, [listed], {"rapor.pdf": PDF})
    assert quarantined(m, result) == [("ekler.0", message)]


def test_a_name_over_255_bytes_that_exists_is_not_a_traceback(municipality):
    # 255 bytes is the longest name a file system holds; a longer listed name used to raise ENAMETOOLONG
    m = municipality()
    result = drop_bundle(m, ["a" * 300 + ".pdf"], {"rapor.pdf": PDF})
    assert quarantined(m, result) == [("ekler.0", f"'{'a' * 80}…' adı çok uzun (304 bayt; en çok 255). Dosyaya "
                                                  "daha kısa bir ad verin.")]


@pytest.mark.parametrize("listed, stored, warning", [
    ("f\u0430tura.pdf", "fatura.pdf", "'f\u0430tura.pdf' adında Latin harflerine benzeyen başka karakterler var: "
                                      "'\u0430' (U+0430). Dosya 'fatura.pdf' adıyla kaydedildi."),
    ("fatura\uff0epdf", "fatura.pdf", "'fatura\uff0epdf' adında Latin harflerine benzeyen başka karakterler var: "
                                      "tam genişlikli ya da birleşik karakterler. Dosya 'fatura.pdf' adıyla kaydedildi."),
    ("!!!.pdf", "icerik.pdf", None),                     # nothing left to slug: the slugger's fallback name
    ("Çorum Şükür Raporu.PDF", "corum-sukur-raporu.pdf", None),
])
def test_look_alike_and_empty_names_are_stored_under_a_safe_ascii_name(municipality, listed, stored, warning):
    m = municipality()
    result = drop_bundle(m, [listed], {listed: PDF})
    assert result.status == "registered", result.problems
    assert result.item.number == "BİM-2026-000001"
    folder = m.paths.registered / "2026" / result.number / "ekler"
    assert [p.name for p in folder.iterdir()] == [stored] and (folder / stored).read_bytes() == PDF
    assert [w for w in result.warnings if "Latin" in w] == ([warning] if warning else [])


LINK_REFUSED = "Gönderide kısayol (sembolik bağlantı) var: {}. Dosyanın kendisini bırakın."


@pytest.mark.parametrize("target", ["/etc/passwd", "outside.pdf", "folder"])
def test_symbolic_links_inside_a_bundle_are_refused(municipality, tmp_path, target):
    m = municipality()
    (tmp_path / "outside.pdf").write_bytes(PDF)
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "rapor.pdf").write_bytes(PDF)
    bundle = m.paths.inbox / "fen-isleri" / "rapor"
    bundle.mkdir(parents=True)
    listed = "ek/rapor.pdf" if target == "folder" else "rapor.pdf"
    (bundle / "index.md").write_text(submission_text("faaliyet-raporu", "Rapor", ekler=[listed]), encoding="utf-8")
    link = bundle / ("ek" if target == "folder" else "rapor.pdf")
    link.symlink_to(target if target.startswith("/") else tmp_path / target)
    from municms.actions.intake import intake_file
    result = intake_file(m.ledger, m.instance, m.paths, bundle, m.clock)
    assert quarantined(m, result) == [("", LINK_REFUSED.format(link.name))]
    assert result.quarantined.joinpath(link.name).is_symlink()  # kept as it came, never followed or deleted
    assert (tmp_path / "outside.pdf").read_bytes() == PDF


def test_a_bundle_that_is_itself_a_symbolic_link_is_refused(municipality, tmp_path):
    m = municipality()
    real = tmp_path / "gercek"
    real.mkdir()
    (real / "index.md").write_text(submission_text("duyuru", "Bağlantı"), encoding="utf-8")
    (m.paths.inbox / "fen-isleri").mkdir(parents=True)
    link = m.paths.inbox / "fen-isleri" / "kisayol"
    link.symlink_to(real)
    from municms.actions.intake import intake_file
    result = intake_file(m.ledger, m.instance, m.paths, link, m.clock)
    assert quarantined(m, result) == [("", LINK_REFUSED.format("kisayol"))]
    assert sorted(os.listdir(real)) == ["index.md"]


# --- SVG and HTML ---------------------------------------------------------------------------------------------

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.mark.parametrize("name, data", [("logo.svg", SVG), ("sayfa.html", HTML), ("rapor.pdf", HTML),
                                        ("resim.png", SVG), ("ikili.pdf", b"<html>%PDF-1.4<script>x</script>")])
def test_svg_html_and_renamed_markup_are_refused_by_content(municipality, name, data):
    m = municipality()
    result = drop_bundle(m, [name], {name: data})
    assert quarantined(m, result) == [("ekler.0", f"'{name}' izin verilen bir dosya türü değil. İzin verilen "
                                                  "türler: PDF, JPEG resim, PNG resim, WebP resim, Excel (.xlsx), "
                                                  "Word (.docx).")]


def test_a_png_carrying_html_after_its_image_is_stored_without_it(municipality):
    from tests.web.test_photo_form import jpeg
    from PIL import Image
    import io
    out = io.BytesIO()
    Image.open(io.BytesIO(jpeg())).save(out, "PNG")
    polyglot = out.getvalue() + HTML  # a PNG viewer shows the image; a sniffing browser might see the HTML
    m = municipality()
    text = submission_text("haber", "Resimli", ekler=["resim.png"])
    result = m.drop("fen-isleri", "haber", {"index.md": text, "resim.png": polyglot})
    assert result.status == "registered", result.problems
    stored = (m.paths.registered / "2026" / result.number / "ekler" / "resim.png").read_bytes()
    assert stored.startswith(b"\x89PNG") and b"<script>" not in stored  # re-encoded: only the image is kept


@pytest.mark.parametrize("mime, reason", [
    ("image/svg+xml", "'image/svg+xml' ek olarak kabul edilemez: tarayıcı bu dosyaları sitenin adresinde açıp "
                      "içlerindeki betikleri çalıştırır (SVG, HTML, XML, program). Belgeyi PDF ya da resmi PNG/JPEG "
                      "olarak yayımlayın."),
    ("text/html", "'text/html' ek olarak kabul edilemez: tarayıcı bu dosyaları sitenin adresinde açıp içlerindeki "
                  "betikleri çalıştırır (SVG, HTML, XML, program). Belgeyi PDF ya da resmi PNG/JPEG olarak "
                  "yayımlayın."),
    ("text/plain", "'text/plain' içerikten tanınan bir dosya türü değil; ekler içeriklerine bakılarak kabul "
                   "edildiği için bu türde hiçbir dosya kabul edilemez."),
])
def test_instance_yaml_cannot_allow_svg_or_html(mime, reason):
    text = (REPO / "instance.yaml").read_text(encoding="utf-8").replace("allowed_types: [", f"allowed_types: [{mime}, ")
    with pytest.raises(ConfigError) as caught:
        parse_instance(text)
    assert [(p.field, p.message_tr) for p in caught.value.problems] == [("attachments.allowed_types.0", reason)]


# --- the web form and the API ---------------------------------------------------------------------------------

@pytest.mark.parametrize("filename, message", [
    ("x" * 300 + ".pdf", f"'{'x' * 80}…' adı çok uzun (304 bayt; en çok 255). Dosyaya daha kısa bir ad verin."),
    ("f\u202efdp.exe", "'f<U+202E>fdp.exe' adında görünmeyen ya da yazı yönünü değiştiren bir karakter (U+202E) "
                       "var; böyle adlar dosyanın gerçek türünü gizler. Dosyayı yeniden adlandırın."),
])
def test_the_web_form_refuses_hostile_upload_names(editorial, filename, message):
    e = editorial()
    fen = Browser(e, "fen1")
    answer = fen.submit("faaliyet-raporu", {"baslik": "Rapor"}, files=[(filename, PDF)])
    assert answer.status_code == 422
    assert errors_of(answer) == [("#alan-ekler", f"Ekler, alan 'ekler': {message}")]
    assert e.m.ledger.items() == []


def test_the_web_form_refuses_a_nul_in_an_upload_name(editorial):
    from tests.web.conftest import BASE, page
    from tests.web.screens import form_token
    e = editorial()
    fen = Browser(e, "fen1")
    token = form_token(page(fen.get("/birim/yeni?tur=faaliyet-raporu")), "gonderi-formu")
    fields = {"csrf_token": token, "tur": "faaliyet-raporu", "metin": "Metin.", "islem": "gonder", "baslik": "Rapor"}
    body = b"".join(f'--sinir\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                    for k, v in fields.items())
    body += b'--sinir\r\nContent-Disposition: form-data; name="ekler"; filename="a\x00b.pdf"\r\n\r\n' + PDF
    body += b"\r\n--sinir--\r\n"  # by hand: an HTTP client library would clean the name before sending it
    answer = fen.client.post(BASE + "/birim/yeni?tur=faaliyet-raporu", content=body,
                             headers={"Content-Type": "multipart/form-data; boundary=sinir"})
    assert answer.status_code == 422
    assert errors_of(answer) == [("#alan-ekler", "Ekler, alan 'ekler': 'a<U+0000>b.pdf' adında denetim karakteri "
                                                 "(ör. NUL) var; dosyayı yeniden adlandırın.")]
    assert e.m.ledger.items() == []


def test_the_web_form_keeps_only_the_file_name_of_a_traversal(editorial):
    e = editorial()
    answer = Browser(e, "fen1").submit("faaliyet-raporu", {"baslik": "Rapor"}, files=[("../../../etc/passwd", PDF)])
    assert "BİM-2026-000001" in answer.text
    stored = e.m.paths.registered / "2026" / "BİM-2026-000001" / "ekler"
    assert [p.name for p in stored.iterdir()] == ["passwd.pdf"] and (stored / "passwd.pdf").read_bytes() == PDF


@pytest.mark.parametrize("filename, message", [
    ("a\x00b.pdf", "'a<U+0000>b.pdf' adında denetim karakteri (ör. NUL) var; dosyayı yeniden adlandırın."),
    ("x" * 300 + ".pdf", f"'{'x' * 80}…' adı çok uzun (304 bayt; en çok 255). Dosyaya daha kısa bir ad verin."),
    ("f\u202efdp.exe", "'f<U+202E>fdp.exe' adında görünmeyen ya da yazı yönünü değiştiren bir karakter (U+202E) "
                       "var; böyle adlar dosyanın gerçek türünü gizler. Dosyayı yeniden adlandırın."),
])
def test_the_api_refuses_hostile_upload_names_with_422(municipality, filename, message):
    m = municipality()
    api = Api(m)
    text = submission_text("faaliyet-raporu", "Rapor", ekler=["rapor.pdf"])
    boundary = "sinir"  # written by hand: an HTTP client library would clean the file name before sending it
    parts = [(b'name="dosya"; filename="index.md"', text.encode()),
             (b'name="ekler"; filename="' + filename.encode() + b'"', PDF)]
    body = b"".join(b"--sinir\r\nContent-Disposition: form-data; " + head + b"\r\n\r\n" + data + b"\r\n"
                    for head, data in parts) + b"--sinir--\r\n"
    response = api.post("/items", "fen1", content=body,
                        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert response.status_code == 422, response.text
    assert [(p["field"], p["message"]) for p in error(response)["problems"]] == [("ekler", message)]
    assert m.ledger.items() == []


def test_the_api_keeps_only_the_file_name_of_a_traversal(municipality):
    m = municipality()
    api = Api(m)
    text = submission_text("faaliyet-raporu", "Rapor", ekler=["passwd"])
    response = api.post("/items", "fen1", files=[("dosya", ("index.md", text.encode(), "text/markdown")),
                                                 ("ekler", ("../../../etc/passwd", PDF, "application/pdf"))])
    assert response.status_code == 201, response.text
    stored = m.paths.registered / "2026" / response.json()["number"] / "ekler"
    assert [p.name for p in stored.iterdir()] == ["passwd.pdf"]
    assert b"root:" not in (stored / "passwd.pdf").read_bytes()
