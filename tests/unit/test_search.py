"""The Pagefind search index: built with every page, Turkish, and never holding what is not published."""

import gzip
import json

import pytest

from municms.errors import BuildError
from municms.checks import Embargoed
from tests.tinysite import build, copy_tiny


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = copy_tiny(tmp_path_factory.mktemp("search") / "tiny")
    out = tmp_path_factory.mktemp("out") / "site"
    build(root, out)
    return out


def test_index_is_turkish_and_covers_every_article_and_page(built):
    entry = json.loads((built / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["tr"]
    # 9 articles + 7 pages of the tiny instance carry data-pagefind-body; listings do not
    assert entry["languages"]["tr"]["page_count"] == 16


def test_index_holds_turkish_words_of_an_article(built):
    fragments = [gzip.decompress(p.read_bytes()) for p in (built / "pagefind/fragment").iterdir()]
    text = b"\n".join(fragments).decode("utf-8", errors="replace")
    assert "IŞIKLI Çarşı Yenilendi" in text
    assert "/haberler/2026/isikli-carsi-yenilendi/" in text


def test_search_page_is_built_with_form_that_works_without_javascript(built):
    page = (built / "arama/index.html").read_text(encoding="utf-8")
    assert "/pagefind/pagefind-ui.js" in page and "<noscript>" in page
    home = (built / "index.html").read_text(encoding="utf-8")
    assert 'action="/arama/"' in home and 'name="q"' in home


def test_embargo_check_reads_the_compressed_search_index(tmp_path):
    root = copy_tiny(tmp_path / "tiny")
    # pretend this published title belongs to an item not yet due: the check must find it inside pagefind/
    secret = Embargoed(ref="BİM-2026-000999", title="IŞIKLI Çarşı Yenilendi", url="")
    with pytest.raises(BuildError) as caught:
        from municms.build import build_site
        from municms.config import load_instance
        from tests.tinysite import FIXED_NOW
        build_site(load_instance(root), tmp_path / "out", now=FIXED_NOW, embargoed=[secret])
    assert ".pf_fragment" in caught.value.message_tr
    assert not (tmp_path / "out").exists()
