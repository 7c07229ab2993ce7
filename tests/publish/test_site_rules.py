"""What the build does with materialised data: ended items (Durum), emergency banners, the attachments check."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from municms.checks import check_site
from municms.errors import BuildError
from municms.fragments import BANNER_INCLUDE
from tests.tinysite import build, copy_tiny

SITE_URL = "https://www.deneme.bel.tr"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The tiny site with an expired, a withdrawn and an expired seminar item and one banner, built once."""
    tmp_path = tmp_path_factory.mktemp("rules")
    root = copy_tiny(tmp_path / "tiny")
    folder = root / "content" / "duyurular" / "2026"
    (folder / "eski-duyuru.md").write_text(
        "Title: Eski Trafik Duyurusu\nDate: 2026-11-20 09:00\nTur: duyuru\nBirim: fen-isleri\nTags: trafik\n"
        "Kayit_no: BİM-2026-000090\nDurum: suresi-doldu\n\nYol kapalıydı.\n", encoding="utf-8")
    (folder / "kaldirilan.md").write_text(
        "Title: Kaldırılan Liste\nDate: 2026-11-21 09:00\nTur: duyuru\nBirim: fen-isleri\n"
        "Kayit_no: BİM-2026-000091\nDurum: geri-cekildi\n\nBu içerik yayından kaldırılmıştır.\n\n"
        "**Gerekçe:** Hatalı bilgi.\n", encoding="utf-8")
    seminars = root / "content" / "seminerler" / "2026"
    (seminars / "eski-seminer.md").write_text(
        "Title: Eski Seminer\nDate: 2026-11-01 09:00\nTur: seminer\nBirim: bilgi-islem\n"
        "Baslangic: 2026-12-20 10:00\nKayit_no: BİM-2026-000092\nDurum: suresi-doldu\n\nBitti.\n", encoding="utf-8")
    (root / "data" / "acil.yaml").write_text(
        "- kayit_no: BİM-2026-000093\n  baslik: 'Acil: Su Kesintisi'\n  metin: Bilgi için **ALO 153**.\n"
        "  tarih: '2026-11-25 10:00'\n  birim: fen-isleri\n", encoding="utf-8")
    out = tmp_path / "out"
    build(root, out)
    return out


def read(out, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def test_expired_and_withdrawn_pages_stay_with_a_notice(built):
    expired = read(built, "duyurular/2026/eski-trafik-duyurusu/index.html")
    assert '<p class="notice notice-ended" role="note"><strong>Yayın süresi doldu.</strong>' in expired
    assert "Yol kapalıydı." in expired
    withdrawn = read(built, "duyurular/2026/kaldirilan-liste/index.html")
    assert "<strong>Bu içerik yayından kaldırıldı.</strong>" in withdrawn and "Hatalı bilgi." in withdrawn
    assert "Yayın süresi doldu" not in read(built, "duyurular/2026/meclis-toplantisi-gundemi/index.html")


def test_ended_items_leave_every_listing_feed_and_calendar(built):
    for rel in ("index.html", "duyurular/index.html", "duyurular/2026/index.html", "duyurular/atom.xml", "atom.xml",
                "birimler/fen-isleri/index.html", "seminerler/index.html", "seminerler.ics"):
        text = read(built, rel)
        for title in ("Eski Trafik Duyurusu", "Kaldırılan Liste", "Eski Seminer"):
            assert title not in text, (rel, title)
    assert not (built / "etiket" / "trafik").exists()
    search = [gzip.decompress(p.read_bytes()).decode("utf-8") for p in (built / "pagefind").glob("**/fragment/*")]
    assert not [text for text in search if "Yol kapalıydı" in text or "Hatalı bilgi" in text]
    assert [text for text in search if "Kasım ayı toplantısı" in text]
    assert "e-Devlet Kullanımı Semineri" in read(built, "seminerler.ics")
    ended = built / "seminerler" / "2026" / "eski-seminer"
    assert "takvim.ics" not in (ended / "index.html").read_text(encoding="utf-8")  # its page stays, no calendar
    assert not (ended / "takvim.ics").exists()


def test_emergency_banner_is_one_fragment_every_page_includes_first_in_main(built):
    """The banner is written once (_acil.html); every page includes it as the first thing inside <main>, so a
    banner that starts or ends changes that one file, and the skip link (to #icerik) reaches it."""
    assert read(built, "_acil.html") == (
        '<section class="emergency-banner" role="alert" aria-labelledby="acil-1">\n'
        '  <p class="emergency-kicker">Acil duyuru</p>\n  <h2 id="acil-1">Acil: Su Kesintisi</h2>\n'
        '  <p>Bilgi için <strong>ALO 153</strong>.</p>\n</section>')
    pages = sorted(p.relative_to(built).as_posix() for p in built.rglob("*.html") if p.name != "_acil.html")
    assert len(pages) > 50
    for rel in pages:
        text = read(built, rel)
        assert text.count(BANNER_INCLUDE.decode()) == 1, rel
        main = text.index('<main id="icerik" class="wrap" tabindex="-1">')
        assert text[main:text.index("<!--#include")] == '<main id="icerik" class="wrap" tabindex="-1">\n', rel
        assert "emergency-banner" not in text and "Su Kesintisi" not in text, rel
    assert '<a class="skip-link" href="#icerik">' in read(built, "haberler/index.html")


def test_attachment_missing_or_empty_in_the_output_fails_the_check(built, tmp_path):
    built = Path(shutil.copytree(built, tmp_path / "site"))
    check_site(built, SITE_URL, [])
    attachment = built / "faaliyet-raporlari/2026/2025-faaliyet-raporu/rapor.pdf"
    attachment.write_bytes(b"")
    with pytest.raises(BuildError) as caught:
        check_site(built, SITE_URL, [])
    assert [str(p) for p in caught.value.problems] == [
        "faaliyet-raporlari/2026/2025-faaliyet-raporu/index.html [attachments]: Ek dosya "
        "'/faaliyet-raporlari/2026/2025-faaliyet-raporu/rapor.pdf' çıktıda yok ya da boş."]
    attachment.unlink()
    with pytest.raises(BuildError) as caught:
        check_site(built, SITE_URL, [])
    assert [p.rule for p in caught.value.problems] == ["attachments"]


@pytest.mark.browser
def test_banner_and_ended_pages_have_no_axe_violations(built, site_server, page, axe_source):
    from tests.e2e.test_accessibility import axe_violations, readable

    base = site_server(built)
    for path in ("/", "/duyurular/2026/eski-trafik-duyurusu/", "/duyurular/2026/kaldirilan-liste/"):
        page.goto(base + path)
        violations = axe_violations(page, axe_source)
        assert violations == [], f"axe on {path}:\n{readable(violations)}"
    page.goto(base + "/")
    banner = page.get_by_role("alert")
    assert banner.get_by_role("heading").inner_text() == "Acil: Su Kesintisi"


def test_home_starts_with_the_tasks_and_every_phone_number_is_a_tel_link(built):
    home = LexborHTMLParser(read(built, "index.html"))
    main = home.css_first("main")
    sections = [node.css_first("h2").text() for node in main.css("section")]
    assert sections[:3] == ["Sık kullanılan e-hizmetler", "Haberler", "Duyurular"]
    assert [(a.attributes["href"], a.text()) for a in main.css(".task-grid a")] == [
        ("/e-hizmetler/borc-sorgulama/", "Borç Sorgulama")]  # tests/fixtures/tiny/instance.yaml: home.eservices
    assert [(a.attributes["href"], a.text(deep=True)) for a in main.css(".quick-links a")] == [
        ("https://www.turkiye.gov.tr/", "e-Devlet Kapısı turkiye.gov.tr"),
        ("tel:153", "ALO 153 Çağrı merkezi, 7/24")]  # the tiny site names no Beyaz Masa e-service
    for rel in ("index.html", "iletisim/index.html", "birimler/fen-isleri/index.html"):
        page = LexborHTMLParser(read(built, rel))
        assert page.css_first(".header-contact a").attributes["href"] == "tel:153", rel
        assert page.css_first(".site-footer address a").attributes["href"] == "tel:+903640000000", rel
    department = LexborHTMLParser(read(built, "birimler/fen-isleri/index.html"))
    assert [(a.attributes["href"], a.text()) for a in department.css(".facts a[href^='tel:']")] == [
        ("tel:+903640000001", "0364 000 00 01")]
    menu = home.css_first("nav.main-nav > details.menu")
    assert menu.css_first("summary").text(strip=True) == "Menü" and "open" not in menu.attributes
