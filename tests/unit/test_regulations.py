"""Regulations (Tur: mevzuat): every MADDE becomes a heading with a stable, unique anchor, listed in a table of
contents; the adoption details head the page; /mevzuat/ lists them by title in Turkish order."""

from markdown import Markdown
from selectolax.lexbor import LexborHTMLParser

from tests.tinysite import REPO, build, copy_tiny

SOURCE = "content/mevzuat/kaldirim-yonergesi.md"
PAGE = "mevzuat/kaldirim-isgal-yonergesi/index.html"


def _markdown(body: str, tur: str = "mevzuat") -> str:
    namespace: dict = {}
    exec((REPO / "pelicanconf.py").read_text(encoding="utf-8"), namespace)  # the site's own Markdown settings
    settings = namespace["MARKDOWN"]  # Pelican adds the meta extension, which reads the Tur line
    return Markdown(extensions=["markdown.extensions.meta", *settings["extension_configs"]],
                    extension_configs=settings["extension_configs"]).convert(f"Tur: {tur}\n\n{body}")


def _headings(html: str) -> list[tuple[str, str, str]]:
    tree = LexborHTMLParser(html)
    return [(h.tag, h.attributes.get("id"), h.text()) for h in tree.css(".prose h2, .prose h3")]


def test_every_way_of_writing_an_article_line_gets_its_anchor():
    html = _markdown("Madde 14 – (1) Metin.\n\nMADDE 15 -\n(1) Metin.\n\nMADDE 16\n\nGEÇİCİ MADDE 1 – Geçiş.\n\n"
                     "Ek Madde 2 – Ek.\n\nEK MADDE 3/A – Sonradan eklenen.\n\nGeçici madde 2 – küçük harfle.")
    tree = LexborHTMLParser(html)
    assert [(h.tag, h.attributes["id"], h.text()) for h in tree.css("h2")] == [
        ("h2", "madde-14", "MADDE 14"), ("h2", "madde-15", "MADDE 15"), ("h2", "madde-16", "MADDE 16"),
        ("h2", "gecici-madde-1", "GEÇİCİ MADDE 1"), ("h2", "ek-madde-2", "EK MADDE 2"),
        ("h2", "ek-madde-3a", "EK MADDE 3/A")]
    assert [p.text() for p in tree.css("p")] == ["(1) Metin.", "(1) Metin.", "Geçiş.", "Ek.", "Sonradan eklenen.",
                                                 "Geçici madde 2 – küçük harfle."]


def test_same_number_twice_gets_a_distinct_anchor_and_other_documents_are_left_alone():
    html = _markdown("Amaç\nMADDE 3 – Bir.\n\nMADDE 3 – İki.\n\nMADDE 3 – Üç.")
    assert [h.attributes["id"] for h in LexborHTMLParser(html).css("h2")] == ["madde-3", "madde-3-2", "madde-3-3"]
    assert LexborHTMLParser(html).css_first("h2").text() == "MADDE 3 – Amaç"
    news = _markdown("Madde 5 – kapsamında yapılan başvurular.\n\nBİRİNCİ BÖLÜM", tur="haber")
    assert "<h2" not in news and "<h3" not in news


def test_built_regulation_page_has_parts_articles_contents_and_adoption_details(tmp_path):
    root = copy_tiny(tmp_path / "tiny")
    build(root, tmp_path / "out")
    html = (tmp_path / "out" / PAGE).read_text(encoding="utf-8")
    assert _headings(html) == [
        ("h2", "b-birinci-bolum", "BİRİNCİ BÖLÜM – Genel Hükümler"), ("h3", "madde-1", "MADDE 1 – Amaç"),
        ("h3", "madde-2", "MADDE 2"), ("h2", "b-ikinci-bolum", "İKİNCİ BÖLÜM – Son Hükümler"),
        ("h3", "gecici-madde-1", "GEÇİCİ MADDE 1"), ("h3", "ek-madde-2", "EK MADDE 2")]
    tree = LexborHTMLParser(html)
    ids = [node.attributes["id"] for node in tree.css("[id]")]
    assert len(ids) == len(set(ids))
    assert tree.css_first('.prose a[href="#madde-1"]').text() == "1 inci madde"  # in-body links reach the article
    toc = tree.css_first('nav[aria-label="İçindekiler"]')
    assert [(a.attributes["href"], a.text()) for a in toc.css("a")] == [
        ("#b-birinci-bolum", "BİRİNCİ BÖLÜM – Genel Hükümler"), ("#madde-1", "MADDE 1 – Amaç"),
        ("#madde-2", "MADDE 2"), ("#b-ikinci-bolum", "İKİNCİ BÖLÜM – Son Hükümler"),
        ("#gecici-madde-1", "GEÇİCİ MADDE 1"), ("#ek-madde-2", "EK MADDE 2")]
    assert [len(ol.css("li")) for ol in toc.css("ul ul")] == [2, 2]
    assert [(dt.text(), dd.text()) for dt, dd in zip(tree.css(".adoption dt"), tree.css(".adoption dd"))] == [
        ("Meclis karar tarihi", "5 Şubat 2026"), ("Meclis karar sayısı", "2026/18"),
        ("Yürürlük tarihi", "2 Mart 2026"), ("Resmî Gazete", "20 Şubat 2026, sayı 33172")]
    assert tree.css_first(".adoption time").attributes["datetime"] == "2026-02-05"


def test_anchors_stay_the_same_across_rebuilds_and_when_text_is_added(tmp_path):
    root = copy_tiny(tmp_path / "tiny")
    build(root, tmp_path / "one")
    first = _headings((tmp_path / "one" / PAGE).read_text(encoding="utf-8"))
    build(root, tmp_path / "two")
    assert (tmp_path / "two" / PAGE).read_bytes() == (tmp_path / "one" / PAGE).read_bytes()
    source = root / SOURCE
    source.write_text(source.read_text(encoding="utf-8").replace(
        "BİRİNCİ BÖLÜM", "## Yayımlayan\n\nBelediye Meclisi.\n\nBİRİNCİ BÖLÜM"), encoding="utf-8")
    build(root, tmp_path / "three")
    third = _headings((tmp_path / "three" / PAGE).read_text(encoding="utf-8"))
    assert third == [("h2", "b-yayimlayan", "Yayımlayan")] + first


def test_regulations_are_listed_by_title_in_turkish_order(tmp_path):
    root = copy_tiny(tmp_path / "tiny")
    text = (root / SOURCE).read_text(encoding="utf-8")
    for title in ("Çevre Yönetmeliği", "Zabıta Yönetmeliği", "İlan ve Reklam Yönetmeliği", "Cenaze Yönergesi"):
        (root / "content/mevzuat" / f"{len(title)}-{title[:3]}.md").write_text(
            text.replace("Title: Kaldırım İşgal Yönergesi", f"Title: {title}"), encoding="utf-8")
    build(root, tmp_path / "out")
    listing = LexborHTMLParser((tmp_path / "out/mevzuat/index.html").read_text(encoding="utf-8"))
    assert [a.text() for a in listing.css(".regulation-list li > a")] == [
        "Cenaze Yönergesi", "Çevre Yönetmeliği", "İlan ve Reklam Yönetmeliği", "Kaldırım İşgal Yönergesi",
        "Zabıta Yönetmeliği"]
    assert "Meclis kararı: 5 Şubat 2026, sayı 2026/18. Yürürlük: 2 Mart 2026." in \
        [" ".join(m.text().split()) for m in listing.css(".regulation-list .meta")]


def test_links_to_articles_are_checked_against_the_articles_the_page_will_have(municipality):
    from tests.municipality import submission_text

    m = municipality("tiny")
    body = ("BİRİNCİ BÖLÜM\nGenel\n\nMADDE 1 – (1) Bkz. [2 nci madde](#madde-2), [geçici madde](#gecici-madde-1),\n"
            "[bölüm](#birinci-bolum) ve [9 uncu madde](#madde-9).\n\nMADDE 2 – Metin.\n\nGEÇİCİ MADDE 1 – Geçiş.\n")
    result = m.drop("fen-isleri", "yonerge.md", submission_text(
        "mevzuat", "Kaldırım Yönergesi", body, karar_tarihi="2026-11-05", karar_sayisi="2026/12",
        yururluk="2026-11-20"))
    assert result.status == "registered"
    assert result.warnings == ["Yayın denetimi: Metnin 5. satırındaki bağlantı '#madde-9' sayfada bir ara başlığa "
                               "gitmiyor: '#madde-9' adında bir başlık yok. Bu düzeltilmeden içerik onaylanamaz."]
