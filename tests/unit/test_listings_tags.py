"""Tag pages exist for every tag an item page links to, including tags used only by undated e-services."""

from tests.tinysite import build, copy_tiny


def test_tag_used_only_by_an_eservice_gets_its_page(tmp_path):
    root = copy_tiny(tmp_path / "tiny")
    service = root / "content/e-hizmetler/borc-sorgulama.md"
    text = service.read_text(encoding="utf-8")
    service.write_text(text.replace("Grup: Vergi ve Ödemeler\n", "Grup: Vergi ve Ödemeler\nTags: Ödeme\n"),
                       encoding="utf-8")
    out = tmp_path / "out"
    build(root, out)  # the post-build link check fails if the item's tag link has no page

    page = (out / "e-hizmetler/borc-sorgulama/index.html").read_text(encoding="utf-8")
    assert 'href="/etiket/odeme/"' in page
    tag = (out / "etiket/odeme/index.html").read_text(encoding="utf-8")
    assert tag.count('class="card-title"') == 1
    assert 'href="/e-hizmetler/borc-sorgulama/"' in tag
