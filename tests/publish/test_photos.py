"""Photos of a news item, through the front door: a real JPEG (taken sideways, with EXIF) and a small PNG go
into a bundle with their alt texts, real intake registers it, editors approve it, the real pipeline publishes
it. The page shows each photo as <picture> with WebP and JPEG renditions that are never wider than the photo,
carry no metadata, and are not encoded again by a later publish; a photo without alt text is refused."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from bs4 import BeautifulSoup
from PIL import Image

from municms.incremental.compare import compare_with_full_build
from municms.model import EXPIRED
from municms.scheduler import Scheduler
from municms.share import SHARE_FOLDER

SITE = "http://127.0.0.1:8000"  # the demo instance's site_url


@pytest.fixture
def site(municipality):
    """The demo instance (its attachments may be photos), driven through the front door."""
    return municipality(site="demo")


def camera_jpeg(width: int, height: int, orientation: int) -> bytes:
    """A JPEG as a phone writes it: pixels stored sideways, an EXIF orientation, a camera and a GPS position."""
    image = Image.new("RGB", (width, height))
    for x in range(0, width, 50):  # stripes, so the encoder has something to encode
        image.paste((200, (x * 7) % 255, 40), (x, 0, min(x + 25, width), height))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Telefon Üreticisi"
    exif[0x8825] = {1: "N", 2: (40.0, 33.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def small_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (400, 300), (10, 120, 60, 255)).save(out, "PNG")
    return out.getvalue()


PHOTO_NEWS = """---
tur: haber
baslik: "Çocuk Parkı Açıldı"
ozet: "Yeni çocuk parkı Işıklı Mahallesi'nde hizmete girdi; açılışa yüzlerce aile katıldı."
fotograflar:
  - dosya: Açılış Töreni.JPG
    alt: "Başkan, kurdele keserken çocuklarla birlikte"
  - dosya: kroki.png
    alt: "Parkın yerini gösteren kroki"
ekler: [program.pdf]
---
Park bugün açıldı.
"""


def test_photos_are_published_in_responsive_sizes_without_metadata(site):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    result = site.drop("fen-isleri", "park", {"index.md": PHOTO_NEWS, "Açılış Töreni.JPG": camera_jpeg(2000, 1500, 6),
                                              "kroki.png": small_png(), "program.pdf": pdf})
    assert result.status == "registered", [p.format_tr() for p in result.problems]
    assert result.warnings == []  # the photos are listed files, not leftovers
    site.approve(result.item.number)
    published = site.publish()
    assert published.items == [result.item.number]
    root = site.paths.current
    folder = "haberler/2026/cocuk-parki-acildi"
    # the sideways photo is upright: 1500×2000 shown, renditions 480, 960 and 1440 wide; the PNG is 400 wide
    # and stays 400 (never enlarged)
    expected = {"acilis-toreni-480": (480, 640), "acilis-toreni-960": (960, 1280),
                "acilis-toreni-1440": (1440, 1920), "kroki-400": (400, 300)}
    for base, size in expected.items():
        for extension, fmt in (("webp", "WEBP"), ("jpg", "JPEG")):
            with Image.open(root / folder / f"{base}.{extension}") as image:
                assert (image.format, image.size) == (fmt, size)
                assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info
                assert "icc_profile" not in image.info
    assert not (root / folder / "kroki-480.webp").exists()

    html = (root / folder / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    pictures = soup.select(".photos picture")
    assert len(pictures) == 2
    first, second = (picture.find("img") for picture in pictures)
    sizes = "(min-width: 48rem) 46rem, calc(100vw - 2rem)"
    assert pictures[0].find("source").attrs == {
        "type": "image/webp", "sizes": sizes,
        "srcset": f"/{folder}/acilis-toreni-480.webp 480w, /{folder}/acilis-toreni-960.webp 960w, "
                  f"/{folder}/acilis-toreni-1440.webp 1440w"}
    assert first.attrs == {
        "src": f"/{folder}/acilis-toreni-960.jpg", "sizes": sizes,
        "srcset": f"/{folder}/acilis-toreni-480.jpg 480w, /{folder}/acilis-toreni-960.jpg 960w, "
                  f"/{folder}/acilis-toreni-1440.jpg 1440w",
        "width": "1440", "height": "1920", "alt": "Başkan, kurdele keserken çocuklarla birlikte",
        "decoding": "async"}  # above the fold: not lazy
    assert (second["width"], second["height"], second["loading"]) == ("400", "300", "lazy")
    assert second["srcset"] == f"/{folder}/kroki-400.jpg 400w" and second["alt"] == "Parkın yerini gösteren kroki"
    # the photos are not attachments: the attachment list names the PDF only
    assert [a.get_text() for a in soup.select(".attachments a")] == ["program.pdf (PDF, 45 bayt)"]

    # link previews show the first photo, schema.org names it as the article's image
    og = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
    assert og["og:image"] == f"{SITE}/{folder}/acilis-toreni-1440.jpg"
    assert (og["og:image:width"], og["og:image:height"]) == ("1440", "1920")
    assert og["og:image:alt"] == "Başkan, kurdele keserken çocuklarla birlikte"
    assert og["og:type"] == "article" and og["og:url"] == f"{SITE}/{folder}/"
    article = next(d for d in map(json.loads, (s.string for s in soup.find_all("script", type="application/ld+json")))
                   if d["@type"] == "NewsArticle")
    assert article["image"] == [f"{SITE}/{folder}/acilis-toreni-1440.jpg"]
    assert soup.find("meta", attrs={"name": "description"})["content"] == \
        "Yeni çocuk parkı Işıklı Mahallesi'nde hizmete girdi; açılışa yüzlerce aile katıldı."

    # a later publish encodes nothing again: the cached renditions are untouched and the outputs identical
    cache = site.paths.var / "cache" / "photos"
    before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len([name for name in before if name.endswith((".jpg", ".webp"))]) >= 8  # the demo's photo too
    outputs = {base: (root / folder / f"{base}.webp").read_bytes() for base in expected}
    other = site.submit("haber", "İkinci Haber", "Metin.\n")
    site.approve(other.number)
    assert site.publish().items == [other.number]
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == before
    root = site.paths.current
    assert {base: (root / folder / f"{base}.webp").read_bytes() for base in expected} == outputs
    # and a full build from scratch gives the publisher's files byte for byte
    comparison = compare_with_full_build(site.instance, site.paths)
    assert comparison.same, (comparison.only_full, comparison.only_incremental, comparison.differing)
    assert (root / SHARE_FOLDER / "haberler.png").is_file()


def test_a_photo_without_alt_text_is_quarantined_with_a_turkish_report(site):
    text = """---
tur: haber
baslik: "Fotoğraflı Haber"
fotograflar:
  - foto.jpg
  - dosya: ikinci.jpg
  - dosya: ucuncu.jpg
    alt: "   "
---
Metin.
"""
    photo = camera_jpeg(300, 200, 1)
    result = site.drop("fen-isleri", "fotolu", {"index.md": text, "foto.jpg": photo, "ikinci.jpg": photo,
                                                "ucuncu.jpg": photo})
    assert result.status == "quarantined"
    report = result.report.read_text(encoding="utf-8")
    assert "satır 5, alan 'fotograflar.0': 'foto.jpg' fotoğrafının alt metni yok." in report
    assert ("satır 6, alan 'fotograflar.1.alt': 'ikinci.jpg' fotoğrafının alt metni ('alt') zorunludur: "
            "fotoğrafı göremeyen okurlara ne gösterdiğini anlatan kısa bir Türkçe cümle yazın") in report
    assert "satır 8, alan 'fotograflar.2.alt': 'ucuncu.jpg' fotoğrafının alt metni ('alt') zorunludur" in report
    assert "Sorunlar (3)" in report
    assert (result.quarantined / "index.md").read_text(encoding="utf-8") == text  # kept unchanged, never lost


def test_photos_are_for_news_items_and_must_be_images(site):
    text = """---
tur: duyuru
baslik: "Fotoğraflı Duyuru"
fotograflar:
  - dosya: foto.jpg
    alt: "Bir fotoğraf"
---
Metin.
"""
    result = site.drop("fen-isleri", "duyuru", {"index.md": text, "foto.jpg": camera_jpeg(300, 200, 1)})
    assert result.status == "quarantined"
    assert "alan 'fotograflar': 'fotograflar' alanı bu tür için tanınmıyor" in result.report.read_text(
        encoding="utf-8")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    text = text.replace("duyuru", "haber").replace("foto.jpg", "belge.pdf")
    result = site.drop("fen-isleri", "haber", {"index.md": text, "belge.pdf": pdf})
    assert result.status == "quarantined"
    assert "satır 5, alan 'fotograflar.0.dosya': 'belge.pdf' bir fotoğraf değil; fotoğraflar JPEG, PNG ya da WebP " \
           "olmalıdır." in result.report.read_text(encoding="utf-8")


def test_an_editor_corrects_the_alt_text_and_keeps_the_photo(site):
    text = PHOTO_NEWS.replace("ekler: [program.pdf]\n", "")
    result = site.drop("fen-isleri", "park", {"index.md": text, "Açılış Töreni.JPG": camera_jpeg(800, 600, 1),
                                              "kroki.png": small_png()})
    assert result.status == "registered", [p.format_tr() for p in result.problems]
    number = result.item.number
    site.approve(number)
    site.publish()
    corrected = text.replace("Açılış Töreni.JPG", "acilis-toreni.jpg").replace(
        "Başkan, kurdele keserken çocuklarla birlikte", "Başkan ve çocuklar kurdeleyi birlikte kesiyor")
    site.edit(number, corrected, by="web2", keep=("acilis-toreni.jpg", "kroki.png"))
    site.approve(number, by="web3")
    site.publish()
    html = (site.paths.current / "haberler/2026/cocuk-parki-acildi/index.html").read_text(encoding="utf-8")
    alts = [img["alt"] for img in BeautifulSoup(html, "html.parser").select(".photos img")]
    assert alts == ["Başkan ve çocuklar kurdeleyi birlikte kesiyor", "Parkın yerini gösteren kroki"]


def test_an_expired_news_item_shows_its_photo_nowhere(site):
    """Past its `bitis` the page shows no photo (the notice "Yayın süresi doldu" stays): its link preview shows
    the section's card, not the photo."""
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    ending = PHOTO_NEWS.replace("ekler: [program.pdf]", "ekler: [program.pdf]\nbitis: 2026-11-26 12:00")
    result = site.drop("fen-isleri", "park", {"index.md": ending, "Açılış Töreni.JPG": camera_jpeg(800, 600, 1),
                                              "kroki.png": small_png(), "program.pdf": pdf})
    assert result.status == "registered", [p.format_tr() for p in result.problems]
    site.approve(result.item.number)
    scheduler = Scheduler(site.ledger, site.instance, site.paths, site.clock)
    assert scheduler.run_once().published is not None
    rel = "haberler/2026/cocuk-parki-acildi/index.html"

    def og_image():
        soup = BeautifulSoup((site.paths.current / rel).read_text("utf-8"), "html.parser")
        og = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
        return len(soup.select(".photos picture")), og["og:image"]

    assert og_image() == (2, f"{SITE}/haberler/2026/cocuk-parki-acildi/acilis-toreni-800.jpg")
    site.clock.advance(dt.timedelta(days=1))
    assert scheduler.run_once().published is not None
    assert site.ledger.item(result.item.number).state == EXPIRED
    assert og_image() == (0, f"{SITE}/{SHARE_FOLDER}/haberler.png")
