"""The preview is the exact page the item would get, built by the real pipeline in private; nothing public."""

from __future__ import annotations

from municms.preview import build_preview
from municms.model import IN_REVIEW
from tests.municipality import files_mentioning


def test_preview_of_an_item_in_review_is_its_built_page_and_nothing_public_changes(municipality):
    m = municipality(site="tiny")
    m.publish()
    before = m.files()
    item = m.submit("duyuru", "Işıklı Çarşı İhalesi Sonuçlandı", "İhale **sonuçlandı**.\n\nAyrıntı [ek](sonuc.pdf).\n",
                    attachments={"sonuc.pdf": b"%PDF-1.4\n%%EOF\n"})
    m.assign(item.number)
    item = m.review(item.number)
    assert item.state == IN_REVIEW
    preview = build_preview(m.ledger, m.instance, item, m.clock)
    assert preview.page == "duyurular/2026/isikli-carsi-ihalesi-sonuclandi/index.html"
    html = preview.html
    assert "<strong>sonuçlandı</strong>" in html and "<h1" in html and "Işıklı Çarşı İhalesi Sonuçlandı" in html
    assert (preview.site / "duyurular/2026/isikli-carsi-ihalesi-sonuclandi/sonuc.pdf").is_file()
    assert preview.problems == []
    # nothing public moved: the served release, content/ and the item's state are as they were
    assert m.files() == before
    assert not (m.paths.content / "duyurular/2026/isikli-carsi-ihalesi-sonuclandi.md").exists()
    assert files_mentioning(m.paths.current, "Işıklı Çarşı İhalesi Sonuçlandı") == []
    assert m.ledger.item(item.number).state == IN_REVIEW
    assert preview.site.is_relative_to(m.paths.var / "previews")


def test_preview_lists_the_problems_of_the_page_beside_it(municipality):
    m = municipality(site="tiny")
    item = m.submit("duyuru", "Kırık Bağlantılı Duyuru", "Ayrıntılar [burada](/olmayan-sayfa/) ve [ek](yok.pdf).\n")
    preview = build_preview(m.ledger, m.instance, item, m.clock)
    rules = {(p["rule"], p["blocking"]) for p in preview.problems}
    assert ("attachments", True) in rules or ("links", True) in rules
    assert any("/olmayan-sayfa/" in p["message"] for p in preview.problems)
    assert preview.html is not None  # the page is still shown, with its problems listed
