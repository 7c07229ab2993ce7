"""Heading anchors in item bodies are Turkish-aware slugs (no letter is dropped), prefixed `b-` like every body id."""

from tests.tinysite import build, copy_tiny


def test_heading_ids_keep_turkish_letters(tmp_path):
    root = copy_tiny(tmp_path / "tiny")
    news = root / "content/haberler/2026/isikli-carsi.md"
    news.write_text(news.read_text(encoding="utf-8") + "\n## Katılım Şartları\n\nİlk gün ücretsizdir.\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    build(root, out)
    page = (out / "haberler/2026/isikli-carsi-yenilendi/index.html").read_text(encoding="utf-8")
    assert '<h2 id="b-calismalar">Çalışmalar</h2>' in page
    assert '<h2 id="b-katilim-sartlari">Katılım Şartları</h2>' in page
