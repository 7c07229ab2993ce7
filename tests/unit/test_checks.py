"""Post-build checks: each rule catches its problem, names page and rule, and a failing build writes nothing."""

import pytest

from municms.checks import Embargoed, check_site
from municms.errors import BuildError
from tests.tinysite import build, copy_tiny

SITE_URL = "https://www.deneme.bel.tr"
REQUIRED = ["/iletisim/", "/birimler/"]


@pytest.fixture
def site(tmp_path):
    root = copy_tiny(tmp_path / "tiny")
    out = tmp_path / "out"
    build(root, out)
    return out


def problems(out, required=REQUIRED, embargoed=()):
    with pytest.raises(BuildError) as info:
        check_site(out, SITE_URL, required, embargoed)
    return sorted(str(p) for p in info.value.problems)


def test_built_tiny_site_passes(site):
    check_site(site, SITE_URL, REQUIRED)


def test_broken_link_and_anchor(site):
    page = site / "iletisim/index.html"
    html = page.read_text(encoding="utf-8")
    html = html.replace("</main>", '<a href="/yok-boyle/">x</a><a href="/haberler/#olmayan">y</a>'
                                   '<a href="https://www.deneme.bel.tr/etiket/yok/">z</a>'
                                   '<a href="https://example.org/">dış</a><a href="#icerik">üst</a></main>')
    page.write_text(html, encoding="utf-8")
    assert problems(site) == [
        "iletisim/index.html [anchors]: Bağlantı '/haberler/#olmayan': sayfada '#olmayan' yok.",
        "iletisim/index.html [links]: Bağlantı '/yok-boyle/' hiçbir dosyaya gitmiyor.",
        "iletisim/index.html [links]: Bağlantı 'https://www.deneme.bel.tr/etiket/yok/' hiçbir dosyaya gitmiyor.",
    ]


def test_relative_links_resolve_against_the_page(site):
    page = site / "haberler/index.html"
    html = page.read_text(encoding="utf-8").replace("</main>", '<a href="2026/">yıl</a><a href="../yok/">x</a></main>')
    page.write_text(html, encoding="utf-8")
    assert problems(site) == ["haberler/index.html [links]: Bağlantı '../yok/' hiçbir dosyaya gitmiyor."]


def test_empty_page(site):
    page = site / "iletisim/index.html"
    html = page.read_text(encoding="utf-8")
    start, end = html.index("<main"), html.index("</main>")
    page.write_text(html[:start] + '<main id="icerik">  ' + html[end:], encoding="utf-8")
    assert "iletisim/index.html [empty]: Sayfanın ana içeriği boş." in problems(site)


def test_required_page_missing(site):
    assert problems(site, required=REQUIRED + ["/kurumsal/butce/"]) == [
        "kurumsal/butce/index.html [required]: Zorunlu sayfa '/kurumsal/butce/' (Bütçe) eksik. Bu adreste bir sayfa "
        "yayımlayın (ör. content/sayfalar/ altında, adresine uygun Slug ile). (Dayanak: 5018 sayılı Kamu Mali "
        "Yönetimi ve Kontrol Kanunu; 5393 sayılı Belediye Kanunu)"]


def test_embargoed_item_found_in_every_kind_of_file(site):
    (site / "sitemaps/haberler-2026.xml").write_text(
        (site / "sitemaps/haberler-2026.xml").read_text() + "<!-- /haberler/2026/gizli-haber/ -->")
    (site / "atom.xml").write_text((site / "atom.xml").read_text() + "<!-- Gizli Haber Başlığı -->")
    (site / "arama.json").write_text('{"ref": "BİM-2026-000042"}', encoding="utf-8")
    (site / "haberler/2026/gizli-haber").mkdir()
    (site / "haberler/2026/gizli-haber/index.html").write_text("<main>x</main>")
    item = Embargoed("BİM-2026-000042", "Gizli Haber Başlığı", "/haberler/2026/gizli-haber/")
    found = problems(site, embargoed=[item])
    assert found == [
        "arama.json [embargo]: Yayın zamanı gelmemiş 'BİM-2026-000042' (Gizli Haber Başlığı) bu dosyada geçiyor.",
        "atom.xml [embargo]: Yayın zamanı gelmemiş 'BİM-2026-000042' (Gizli Haber Başlığı) bu dosyada geçiyor.",
        "haberler/2026/gizli-haber/index.html [embargo]: Yayın zamanı gelmemiş bir içeriğin dosyası çıktıda.",
        "sitemaps/haberler-2026.xml [embargo]: Yayın zamanı gelmemiş 'BİM-2026-000042' (Gizli Haber Başlığı) bu dosyada geçiyor.",
    ]


def test_failing_check_writes_no_build(tmp_path):
    root = copy_tiny(tmp_path / "tiny")
    text = (root / "instance.yaml").read_text(encoding="utf-8").replace('"/birimler/"]', '"/birimler/", "/kvkk-yok/"]')
    (root / "instance.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(BuildError):
        build(root, tmp_path / "out")
    assert not (tmp_path / "out").exists()
