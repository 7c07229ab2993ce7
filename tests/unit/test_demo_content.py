"""The Çorum Belediyesi demo instance builds with every post-build check passing, and shows what it should."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from municms import turkish
from municms.config import load_instance
from tests.hostile import search_fragment
from tests.tinysite import REPO, build

SECTIONS = {  # section folder → the fewest items the demo must have there
    "haberler": 12, "duyurular": 10, "mukellef-duyurulari": 6,
    "faaliyet-raporlari": 3, "seminerler": 5, "e-hizmetler": 8,
}


def copy_demo(target: Path) -> Path:
    """The repository's demo instance (settings, content, data, plugins, theme) in target."""
    target.mkdir(parents=True)
    for name in ("instance.yaml", "pelicanconf.py"):
        shutil.copy2(REPO / name, target / name)
    for name in ("content", "data", "plugins", "themes"):
        shutil.copytree(REPO / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """(instance root, built site): built once, with the post-build checks on (a failed check raises)."""
    root = copy_demo(tmp_path_factory.mktemp("demo") / "corum")
    out = root.parent / "out"
    build(root, out)
    return root, out


def read(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


def item_pages(out: Path, section: str) -> list[str]:
    """Built item pages of a section: /<section>/<year>/<slug>/ or, for e-hizmetler, /<section>/<slug>/."""
    depth = 2 if section == "e-hizmetler" else 3
    pages = [p.relative_to(out).as_posix() for p in (out / section).rglob("index.html")]
    items = [p for p in pages if p.count("/") == depth]
    if depth == 3:  # year archives are /<section>/<year>/index.html; months /<section>/<year>/<mm>/index.html
        items = [p for p in items if not re.fullmatch(rf"{section}/\d{{4}}/\d{{2}}/index\.html", p)]
    return sorted(items)


def staff_only_sources(root: Path) -> list[Path]:
    return [p for p in (root / "content" / "seminerler").rglob("*.md")
            if re.search(r"^Hedef_kitle: personel$", p.read_text(encoding="utf-8"), re.M)]


def test_every_section_has_its_items_built(demo):
    root, out = demo
    total = 0
    for section, fewest in SECTIONS.items():
        sources = set((root / "content" / section).rglob("*.md")) - set(staff_only_sources(root))
        built = item_pages(out, section)
        assert len(built) == len(sources) >= fewest, section
        total += len(built)
    assert total >= 40
    assert total == 49


def test_trainings_for_staff_only_reach_no_public_file(demo):
    """4 of the demo's 9 seminars are for municipal staff (hedef_kitle: personel): no page, listing, feed,
    calendar, sitemap or search entry names them."""
    root, out = demo
    titles = [re.search(r"^Title: (.+)$", p.read_text(encoding="utf-8"), re.M).group(1)
              for p in staff_only_sources(root)]
    assert len(titles) == 4
    public = [p for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".ics", ".json", ".txt")]
    assert len(public) > 100
    for path in public:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not [t for t in titles if t in text], path
    # the search index's text: each page's fragment (words of the staff titles would be found there)
    fragments = list(out.rglob("*.pf_fragment"))
    assert len(fragments) > 40
    for path in fragments:
        text = json.dumps(search_fragment(path.read_bytes()), ensure_ascii=False)
        assert not [t for t in titles if t in text], path


def test_the_pelican_side_refuses_a_staff_training_of_the_content_folder(demo):
    """Defence in depth: the demo's staff trainings are files Pelican reads directly (no ledger, no
    materialise), and the sections plugin drops them before any page, listing or calendar is made."""
    root, out = demo
    sources = staff_only_sources(root)
    assert len(sources) == 4
    for source in sources:
        slug = turkish.slugify(re.search(r"^Title: (.+)$", source.read_text(encoding="utf-8"), re.M).group(1))
        assert not list(out.rglob(f"*{slug}*")), slug


def test_every_required_page_is_present_with_its_title(demo):
    root, out = demo
    required = load_instance(root).required_pages
    assert "/kurumsal/butce/" in required and "/sikca-sorulan-sorular/" in required
    titles = {"/kurumsal/": "Kurumsal", "/kurumsal/baskan/": "Başkan", "/kurumsal/organizasyon-semasi/": "Organizasyon Şeması",
              "/kurumsal/meclis/": "Belediye Meclisi", "/kurumsal/stratejik-plan/": "Stratejik Plan 2025–2029",
              "/kurumsal/butce/": "2026 Yılı Bütçesi", "/bilgi-edinme/": "Bilgi Edinme",
              "/kvkk/": "KVKK Aydınlatma Metni", "/erisilebilirlik/": "Erişilebilirlik Beyanı",
              "/iletisim/": "İletişim", "/sikca-sorulan-sorular/": "Sıkça Sorulan Sorular",
              "/birimler/": "Birimler", "/faaliyet-raporlari/": "Faaliyet Raporları"}
    for url in required:
        page = read(out, url.strip("/") + "/index.html")
        assert f"<h1>{titles[url]}</h1>" in page, url
    for extra in ("kurumsal/tarihce", "kurumsal/etik-kurul", "kurumsal/kalite-politikasi"):
        assert (out / extra / "index.html").is_file()


def test_two_items_with_the_same_title_get_distinct_addresses(demo):
    _, out = demo
    july = read(out, "duyurular/2026/planli-su-kesintisi/index.html")
    september = read(out, "duyurular/2026/planli-su-kesintisi-2/index.html")
    for page in (july, september):
        assert "<h1>Planlı Su Kesintisi</h1>" in page
    assert "12 Temmuz 2026 Pazar" in july and "17 Eylül 2026 Perşembe" not in july
    assert "17 Eylül 2026 Perşembe" in september
    archive = read(out, "duyurular/2026/index.html")
    assert 'href="/duyurular/2026/planli-su-kesintisi/"' in archive
    assert 'href="/duyurular/2026/planli-su-kesintisi-2/"' in archive


def _check_pdf(data: bytes) -> None:
    """A PDF with a header, an xref table whose every offset points at its object, and a trailer."""
    assert data.startswith(b"%PDF-1.4\n") and data.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data).group(1))
    assert data[startxref:startxref + 4] == b"xref"
    count = int(re.match(rb"xref\s+0 (\d+)\s", data[startxref:]).group(1))
    rows = re.findall(rb"(\d{10}) (\d{5}) ([nf]) ?\r?\n", data[startxref:])[:count]
    assert len(rows) == count and rows[0][2] == b"f"
    for number, (offset, _, kind) in enumerate(rows[1:], start=1):
        assert kind == b"n"
        assert data[int(offset):].startswith(b"%d 0 obj" % number)
    assert b"/Type /Page " in data and b"Faaliyet Raporu) Tj" in data


@pytest.mark.parametrize("report_year, published", [(2023, 2024), (2024, 2025), (2025, 2026)])
def test_activity_report_pdf_is_copied_and_linked(demo, report_year, published):
    root, out = demo
    name = f"{report_year}-faaliyet-raporu"
    source = root / "content/faaliyet-raporlari" / str(published) / name / f"{name}.pdf"
    copied = out / "faaliyet-raporlari" / str(published) / name / f"{name}.pdf"
    assert copied.read_bytes() == source.read_bytes()
    _check_pdf(copied.read_bytes())
    page = read(out, f"faaliyet-raporlari/{published}/{report_year}-yili-faaliyet-raporu/index.html")
    # the link says the file's type and size in Turkish number format (1485–1496 bytes: 1,5 kB)
    assert 1485 <= len(source.read_bytes()) <= 1496
    assert f'<a href="/faaliyet-raporlari/{published}/{name}/{name}.pdf">{name}.pdf (PDF, 1,5 kB)</a>' in page


def test_turkish_dates_on_named_items(demo):
    _, out = demo
    news = read(out, "haberler/2026/gazi-caddesinde-sicak-asfalt-calismasi-tamamlandi/index.html")
    assert '<time datetime="2026-08-14T11:00:00+03:00">14 Ağustos 2026 Cuma</time>' in news
    tax = read(out, "mukellef-duyurulari/2026/emlak-vergisi-2-taksit-odemesi-icin-son-gun-30-kasim/index.html")
    assert '<strong>Son gün:</strong> <time datetime="2026-11-30">30 Kasım 2026 Pazartesi</time>' in tax


def test_home_page_shows_only_deadlines_and_seminars_still_ahead(demo):
    _, out = demo
    home = read(out, "index.html")  # built on 25 November 2026
    assert "emlak-vergisi-2-taksit-odemesi-icin-son-gun-30-kasim/" in home
    assert "2025te-edinilen-tasinmazlar-icin-emlak-vergisi-beyan-donemi/" in home
    assert "ilan-ve-reklam-vergisi-beyan-ve-odeme-suresi/" not in home
    assert "e-devlet-ve-e-belediye-hizmetleri-kullanim-semineri/" in home
    assert "erisilebilir-web-icerigi-hazirlama-semineri/" not in home


def test_every_department_page_shows_its_director_and_contact(demo):
    root, out = demo
    details = yaml.safe_load((root / "data/birimler.yaml").read_text(encoding="utf-8"))
    departments = load_instance(root).departments
    assert sorted(details) == sorted(departments)
    for dep in departments:
        page = read(out, f"birimler/{dep}/index.html")
        assert f"<dd>{details[dep]['mudur']}</dd>" in page, dep
        assert f'href="mailto:{details[dep]["eposta"]}"' in page, dep
        assert "Dahili" in details[dep]["telefon"]


def test_eservices_are_grouped(demo):
    _, out = demo
    listing = read(out, "e-hizmetler/index.html")
    for group in ("Vergi ve Ödemeler", "Randevu ve Başvuru", "Cenaze ve Mezarlık", "Su ve Abonelik"):
        assert group in listing
    assert 'href="/e-hizmetler/borc-sorgulama/"' in listing
    assert 'href="/e-hizmetler/mezarlik-bilgi-sistemi/"' in listing


def test_bodies_are_written_turkish_of_reasonable_length(demo):
    root, _ = demo
    for path in sorted((root / "content").rglob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n\n", 1)[1]
        words = len(re.findall(r"\w+", body))
        assert 80 <= words <= 300, f"{path.name}: {words} words"
        assert "lorem" not in body.lower()


def test_a_seminar_page_says_how_its_room_is_reached(demo):
    """The room's access from instance.yaml's seminars.rooms, on the seminar's own page."""
    root, out = demo
    pages = {p.parent.name: p.read_text(encoding="utf-8") for p in (out / "seminerler").glob("*/*/index.html")}
    [conference] = [text for text in pages.values() if "<dd>Belediye Konferans Salonu</dd>" in text]
    assert ("<dt>Erişilebilirlik</dt><dd>Tekerlekli sandalye ile erişilebilir. Giriş katında; tekerlekli sandalye "
            "ile erişilebilir, işitme cihazları için indüksiyon döngüsü var.</dd>") in conference
    [classroom] = [text for text in pages.values() if "<dd>Kültür Merkezi Bilgisayar Sınıfı</dd>" in text]
    assert ("<dt>Erişilebilirlik</dt><dd>Tekerlekli sandalye ile erişilemez. Kültür Merkezinin 1. katında; asansör "
            "yok.</dd>") in classroom


def _unit_rows(chart) -> dict[str, tuple[str | None, str, str | None]]:
    """unit name → (its link, what its head line says, the name of the unit it sits under)."""
    rows = {}
    for li in chart.css(".orgchart li"):
        unit = li.css_first(".org-unit")
        name = unit.css_first("a, .org-name")
        head = unit.css_first(".org-head")
        parent = li.parent.parent.css_first(".org-unit a, .org-unit .org-name") if li.parent.parent.tag == "li" else None
        rows[name.text()] = (name.attributes.get("href"), " ".join(head.text().split()) if head else "",
                             parent.text() if parent else None)
    return rows


def test_org_chart_names_every_head_with_the_title_of_the_unit_and_links_every_unit_page(demo):
    from selectolax.lexbor import LexborHTMLParser

    root, out = demo
    chart = LexborHTMLParser(read(out, "kurumsal/organizasyon-semasi/index.html"))
    rows = _unit_rows(chart)
    assert {name: rows[name] for name in ("Belediye Başkanlığı", "Belediye Meclisi", "Belediye Encümeni",
                                          "Teftiş Kurulu Müdürlüğü", "Başkan Yardımcılığı (3)",
                                          "İtfaiye Daire Başkanlığı", "Fen İşleri Müdürlüğü", "Web Birimi")} == {
        "Belediye Başkanlığı": ("/kurumsal/baskan/", "Belediye Başkanı: Hasan Tahsin Güler", None),
        "Belediye Meclisi": ("/kurumsal/meclis/", "Meclis Başkanı: Hasan Tahsin Güler", "Belediye Başkanlığı"),
        "Belediye Encümeni": (None, "Encümen Başkanı: Hasan Tahsin Güler", "Belediye Başkanlığı"),
        "Teftiş Kurulu Müdürlüğü": ("/kurumsal/teftis-kurulu/", "Teftiş Kurulu Müdürü: Kenan Ilıcak",
                                    "Belediye Başkanlığı"),
        "Başkan Yardımcılığı (3)": (None, "Başkan Yardımcısı: Erdem Sarıkaya", "Belediye Başkanlığı"),
        "İtfaiye Daire Başkanlığı": ("/birimler/itfaiye/", "Daire Başkanı: Levent Şahbaz", "Başkan Yardımcılığı (3)"),
        "Fen İşleri Müdürlüğü": ("/birimler/fen-isleri/", "Müdür: Emre Koçyiğit", "Başkan Yardımcılığı (1)"),
        "Web Birimi": (None, "Birim Sorumlusu: Gizem Oktay", "Bilgi İşlem Müdürlüğü"),
    }
    instance = load_instance(root)
    assert len(rows) == len(instance.org_chart) and all(head for _, head, _ in rows.values())
    linked = {name for name, (href, _, _) in rows.items() if href}
    assert {instance.department_name(dep) for dep in instance.departments} | {"Teftiş Kurulu Müdürlüğü"} <= linked
    headings = [" ".join(h.text().split()) for h in chart.css("h1, h2")]
    assert headings.count("Organizasyon Şeması") == 1 and "Birimler ve yöneticileri" in headings
    assert "<dt>Daire Başkanı</dt><dd>Levent Şahbaz</dd>" in read(out, "birimler/itfaiye/index.html")


def test_corporate_index_lists_corporate_pages_and_is_the_menu_and_breadcrumb_entry(demo):
    from selectolax.lexbor import LexborHTMLParser

    root, out = demo
    index = LexborHTMLParser(read(out, "kurumsal/index.html"))
    links = [a.attributes["href"] for a in index.css(".corporate-list a")]
    corporate = sorted(f"/kurumsal/{p.name}/" for p in (out / "kurumsal").iterdir() if p.is_dir())
    assert sorted(links[:len(corporate)]) == corporate
    assert links[len(corporate):] == ["/birimler/", "/faaliyet-raporlari/", "/mevzuat/"]
    assert index.css_first("h1").text() == "Kurumsal"
    menu = {a.text(): a.attributes["href"] for a in index.css(".main-nav a")}
    assert menu["Kurumsal"] == "/kurumsal/"
    assert index.css_first('.main-nav a[aria-current="page"]').text() == "Kurumsal"
    page = LexborHTMLParser(read(out, "kurumsal/meclis/index.html"))
    assert [(a.attributes.get("href"), a.text()) for a in page.css(".breadcrumb a")] == [
        ("/", "Ana Sayfa"), ("/kurumsal/", "Kurumsal")]
    root_page = LexborHTMLParser(read(out, "iletisim/index.html"))
    assert [a.text() for a in root_page.css(".breadcrumb a")] == ["Ana Sayfa"]


def test_demo_regulations_have_unique_anchors_for_every_article(demo):
    from selectolax.lexbor import LexborHTMLParser

    root, out = demo
    zabita = LexborHTMLParser(read(out, "mevzuat/corum-belediyesi-zabita-yonetmeligi/index.html"))
    anchors = [h.attributes["id"] for h in zabita.css(".prose h3")]
    assert anchors == [f"madde-{n}" for n in range(1, 8)] + ["gecici-madde-1", "madde-8", "madde-9"]
    assert [a.attributes["href"] for a in zabita.css('nav[aria-label="İçindekiler"] ul ul a')] == \
        [f"#{anchor}" for anchor in anchors]
    web = LexborHTMLParser(read(out, "mevzuat/web-sitesi-yayin-yonergesi/index.html"))
    assert "ek-madde-1" in [h.attributes["id"] for h in web.css(".prose h2")]
    for page in (zabita, web):
        ids = [n.attributes["id"] for n in page.css("[id]")]
        assert len(ids) == len(set(ids))
    listing = [a.text() for a in LexborHTMLParser(read(out, "mevzuat/index.html")).css(".regulation-list li > a")]
    assert listing == ["Çorum Belediyesi Zabıta Yönetmeliği", "Web Sitesi Yayın Yönergesi"]


def test_the_fire_brigade_is_headed_by_a_daire_baskani_on_the_department_list(demo):
    root, out = demo
    listing = read(out, "birimler/index.html")
    assert "İtfaiye Daire Başkanlığı</a> <span class=\"meta\">Daire Başkanı: Levent Şahbaz</span>" in listing
    assert "Fen İşleri Müdürlüğü</a> <span class=\"meta\">Müdür: Emre Koçyiğit</span>" in listing
