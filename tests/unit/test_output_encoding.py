"""Output encoding, rule by rule: URL fields, images from other sites, body ids, one trusted filter, settings."""

from __future__ import annotations

import re

import pytest
from selectolax.lexbor import LexborHTMLParser

from municms.errors import BuildError, ConfigError, ValidationError
from municms.sanitize import foreign_embeds, is_site_path, is_web_url, sanitise_html
from tests.municipality import submission_text
from tests.tinysite import REPO, build, copy_tiny

THEME = REPO / "themes" / "belediye" / "templates"


def page(site, path: str) -> LexborHTMLParser:
    return LexborHTMLParser((site / path).read_text(encoding="utf-8"))


# --- e-hizmet `adres`: only absolute http(s) addresses --------------------------------------------------------

@pytest.mark.parametrize("address", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
    'https://www.turkiye.gov.tr/"><svg onload=alert(1)>', "https://www.turkiye.gov.tr/a b",
    "//www.turkiye.gov.tr/", "/borc-sorgulama/", "https://www.turkiye.gov.tr@kotu.example/",
    "ftp://dosya.corum.bel.tr/", "https://", "https://www.turkiye.gov.tr:port/"])
def test_a_service_address_that_is_not_an_absolute_web_url_is_quarantined_naming_field_and_line(municipality,
                                                                                              address):
    m = municipality()
    text = submission_text("e-hizmet", "Borç Sorgulama", grup="Vergi", adres=address)
    result = m.drop("fen-isleri", "borc.md", text)
    assert result.status == "quarantined"
    line = text.split("\n").index(next(row for row in text.split("\n") if row.startswith("adres:"))) + 1
    (problem,) = result.problems
    assert (problem.field, problem.line) == ("adres", line)
    assert problem.message_tr.startswith(f"'{address}' geçerli bir web adresi değil: http:// ya da https:// ile "
                                         "başlayan, bir sunucu adı içeren tam bir adres olmalıdır;")
    assert f"satır {line}, alan 'adres'" in result.report.read_text(encoding="utf-8")


def test_a_service_address_with_query_and_turkish_host_is_accepted_and_printed_escaped(municipality):
    m = municipality("tiny")
    address = "https://e.çorum.bel.tr/borc?tur=emlak&yil=2026"
    item = m.submit("e-hizmet", "Su Borcu Sorgulama", grup="Vergi", adres=address)
    m.approve(item.number)
    m.publish()
    html = (m.paths.current / "e-hizmetler/su-borcu-sorgulama/index.html").read_text(encoding="utf-8")
    assert '<a class="button" href="https://e.çorum.bel.tr/borc?tur=emlak&amp;yil=2026">' in html


def test_a_content_file_with_a_script_address_fails_the_build_and_prints_no_link(tmp_path):
    """Render time refuses it too: content written by hand (or by a bug) never turns into a link."""
    root = copy_tiny(tmp_path / "tiny")
    service = next((root / "content/e-hizmetler").glob("*.md"))
    text = service.read_text(encoding="utf-8")
    service.write_text(re.sub(r"^Adres: .*$", "Adres: javascript:alert(1)", text, flags=re.MULTILINE),
                       encoding="utf-8")
    with pytest.raises(BuildError) as error:
        build(root, tmp_path / "out")
    assert f"{service.relative_to(root / 'content').as_posix()}: 'adres' alanı geçerli bir web adresi değil" \
        in error.value.message_tr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("url, ok", [("https://www.turkiye.gov.tr/", True), ("http://[::1]:8080/x", True),
                                     ("https://-kotu.example/", False), ("https://a\tb.example/", False),
                                     ("mailto:bilgi@corum.bel.tr", False), (None, False)])
def test_web_url_rule(url, ok):
    assert is_web_url(url) is ok


# --- images and other embedded resources: only from the site ----------------------------------------------

def test_the_policy_keeps_site_images_and_removes_embeds_from_other_hosts():
    html = ('<img src="foto.jpg" alt="a"><img src="/theme/img/logo.svg" alt="b">'
            '<img src="https://kotu.example/iz.png" alt="c"><img src="//kotu.example/iz.png" alt="d">'
            '<img src="/\\kotu.example/iz.png" alt="e"><img src="data:image/png;base64,AAAA" alt="f">'
            '<img src=" java\tscript:alert(1)" alt="g">'
            '<a href="https://www.turkiye.gov.tr/harita.png">harita</a>')
    assert sanitise_html(html) == (
        '<img src="foto.jpg" alt="a"><img src="/theme/img/logo.svg" alt="b">cdefg'
        '<a href="https://www.turkiye.gov.tr/harita.png">harita</a>')


def test_foreign_embeds_finds_the_images_and_media_of_raw_html():
    body = ('<p><img src="https://harita.example/k.png" alt="harita"></p>\n\n![foto](foto.jpg)\n\n'
            '<video poster="http://v.example/p.jpg"><source src="/ortak/tanitim.mp4"></video>\n\n'
            '<picture><source srcset="kucuk.jpg 1x, https://cdn.example/b.jpg 2x"></picture>\n\n'
            '<a href="https://harita.example/k.png">bağlantı olarak</a>\n')
    assert foreign_embeds(body) == ["https://harita.example/k.png", "https://cdn.example/b.jpg",
                                    "http://v.example/p.jpg"]
    assert is_site_path("ekler/foto.jpg") and not is_site_path("HTTPS://x.example/a.png")


def test_a_markdown_image_from_another_site_is_reported_at_intake_and_stops_approval(municipality):
    m = municipality("tiny")
    body = "Giriş.\n\n![Kavşak planı](https://harita.example/kavsak.png)\n"
    result = m.drop("fen-isleri", "kavsak.md", submission_text("duyuru", "Kavşak Düzenlemesi", body))
    assert result.status == "registered"
    expected = ("Yayın denetimi: Metnin 3. satırındaki resim 'https://harita.example/kavsak.png' başka bir "
                "adresten yükleniyor; sitemiz sayfalarına başka sitelerdeki resimleri koymaz (resim sayfadan "
                "çıkarılır).")
    assert any(w.startswith(expected) for w in result.warnings), result.warnings
    assert expected in result.receipt.read_text(encoding="utf-8")
    with pytest.raises(ValidationError) as refused:
        m.approve(result.number)
    (problem,) = refused.value.problems
    assert problem.field == "metin" and "3. satırındaki resim" in problem.message_tr


def test_a_raw_html_image_from_another_site_is_removed_at_intake_and_the_receipt_says_so(municipality):
    m = municipality("tiny")
    body = 'Giriş.\n\n<p><img src="https://iz.example/p.gif" alt="sayaç"> Metin.</p>\n'
    result = m.drop("fen-isleri", "sayac.md", submission_text("haber", "Sayaçlı Haber", body))
    assert result.status == "registered"
    assert ("Metindeki HTML'de başka bir adresten yüklenen resim ya da ortam vardı, sayfadan çıkarıldı: "
            "https://iz.example/p.gif.") in result.receipt.read_text(encoding="utf-8")
    assert "iz.example" not in m.ledger.revision(result.item.id, 1).body
    m.approve(result.number)
    m.publish()
    site = m.paths.current
    main = page(site, "haberler/2026/sayacli-haber/index.html").css_first("main")
    assert main.css("img") == []  # no <img> without src (invalid HTML); its text alternative stays
    assert "sayaç Metin." in main.text()


def test_a_content_file_with_an_image_from_another_site_is_built_without_it(tmp_path):
    root = copy_tiny(tmp_path / "tiny")
    news = root / "content/haberler/2026/isikli-carsi.md"
    news.write_text(news.read_text(encoding="utf-8") + "\n![iz](https://iz.example/p.gif)\n", encoding="utf-8")
    build(root, tmp_path / "out")
    body = page(tmp_path / "out", "haberler/2026/isikli-carsi-yenilendi/index.html").css_first(".prose")
    assert body.css("img") == []
    assert "iz" in body.text().split()


# --- body ids never collide with the theme's -------------------------------------------------------------

def test_body_ids_are_prefixed_and_in_body_links_follow(municipality):
    m = municipality("tiny")
    body = ("[Başa dön](#icerik) · [Şartlar](#katilim-sartlari)\n\n## İçerik\n\nMetin.\n\n"
            "## Katılım Şartları\n\n<h3 id=\"q\">Soru</h3>\n\n[Soruya](#q)\n")
    item = m.submit("duyuru", "Çarşı Kuralları", body)
    m.approve(item.number)
    m.publish()  # the post-build anchor check passes: every in-body link has its target
    tree = page(m.paths.current, "duyurular/2026/carsi-kurallari/index.html")
    ids = [node.attributes["id"] for node in tree.css("[id]")]
    assert len(ids) == len(set(ids)), ids
    assert ids.count("icerik") == 1 and tree.css_first("main").attributes["id"] == "icerik"
    prose = tree.css_first(".prose")
    assert [h.attributes.get("id") for h in prose.css("h2, h3")] == ["b-icerik", "b-katilim-sartlari", "b-q"]
    assert [a.attributes["href"] for a in prose.css("a")] == ["#b-icerik", "#b-katilim-sartlari", "#b-q"]


def test_an_in_body_link_to_a_theme_id_is_reported_before_approval(municipality):
    """'#icerik' in a body points at the body's own (missing) heading now, not at the theme's <main>."""
    m = municipality("tiny")
    result = m.drop("fen-isleri", "ust.md", submission_text("duyuru", "Yukarı", "[Başa dön](#icerik)\n"))
    assert any("'#icerik' adında bir başlık yok" in w for w in result.warnings), result.warnings


# --- one trusted filter, autoescape on ---------------------------------------------------------------------

def test_the_theme_marks_nothing_safe_but_bodies_through_the_sanitised_filter():
    sources = {path.name: path.read_text(encoding="utf-8") for path in THEME.glob("*.html")}
    for name, source in sources.items():
        assert not re.search(r"\|\s*safe\b|autoescape\s+false|Markup", source), name
    uses = sorted((name, use) for name, source in sources.items()
                  for use in re.findall(r"\{\{\s*([\w.]+)\|sanitised\s*\}\}", source))
    assert uses == [("acil.html", "banner.html"), ("article.html", "article.content"), ("page.html", "page.content"),
                    ("regulation.html", "article.content")]


@pytest.mark.parametrize("setting, value, message", [
    ("JINJA_ENVIRONMENT", {"trim_blocks": True}, "Şablonlarda otomatik kaçış açık olmalıdır"),
    ("FORMATTED_FIELDS", ["summary"], "Üst bilgi alanları düz metindir"),
])
def test_check_refuses_settings_that_would_print_text_as_html(tmp_path, setting, value, message):
    from municms.build import pelican_settings
    from municms.config import load_instance

    root = copy_tiny(tmp_path / "tiny")
    conf = root / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + f"\n{setting} = {value!r}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        pelican_settings(load_instance(root), tmp_path / "out", "b", None)
    (problem,) = [p for p in error.value.problems if p.field == setting]
    assert problem.message_tr.startswith(message) and problem.line is not None  # `publish.py check` says the same
