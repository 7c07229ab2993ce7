"""The Pagefind search index: built with every page, Turkish, never holding what is not published, and split into
bundles (undated pages, this month's items, one per year) so that a publish re-indexes only a few of them."""

import datetime as dt
import hashlib
import json
import shutil

import pytest

from municms.errors import BuildError
from municms.checks import Embargoed
from municms.search import (PARTS_FILE, bundle_files, bundle_of, index_site, part_of, parts_for,
                            read_parts_file, split_site)
from tests.hostile import search_fragment
from tests.tinysite import FIXED_NOW, build, copy_tiny

# The tiny instance built on 2026-11-25: which indexed page goes to which bundle.
TINY_SPLIT = {
    "genel": ["bilgi-edinme/index.html", "e-hizmetler/borc-sorgulama/index.html", "erisilebilirlik/index.html",
              "iletisim/index.html", "kurumsal/baskan/index.html", "kurumsal/organizasyon-semasi/index.html",
              "kvkk/index.html", "mevzuat/kaldirim-isgal-yonergesi/index.html", "sikca-sorulan-sorular/index.html"],
    "yeni": ["duyurular/2026/meclis-toplantisi-gundemi-2/index.html",  # published 1-25 November 2026
             "mukellef-duyurulari/2026/emlak-vergisi-2-taksit/index.html",
             "seminerler/2026/e-devlet-kullanimi-semineri/index.html"],
    "2026": ["duyurular/2026/meclis-toplantisi-gundemi/index.html",
                 "faaliyet-raporlari/2026/2025-faaliyet-raporu/index.html",
                 "haberler/2026/isikli-carsi-yenilendi/index.html",
                 "haberler/2026/kurban-bayrami-temizligi/index.html"],
    "2025": ["haberler/2025/kurban-bayrami-temizligi/index.html"],
}
BUNDLE_FOLDERS = {"genel": "pagefind", "yeni": "pagefind/yeni", "2026": "pagefind/2026",
                  "2025": "pagefind/2025"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = copy_tiny(tmp_path_factory.mktemp("search") / "tiny")
    out = tmp_path_factory.mktemp("out") / "site"
    build(root, out)
    return out


def entry(site, part):
    return json.loads((site / BUNDLE_FOLDERS[part] / "pagefind-entry.json").read_text(encoding="utf-8"))


def fragments(folder):
    return {p.name: search_fragment(p.read_bytes()) for p in (folder / "fragment").iterdir()}


def files_of(root):
    """Path → (sha256, mtime_ns) of every file under root."""
    return {p.relative_to(root).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def digests(root):
    return {name: digest for name, (digest, _) in files_of(root).items()}


def copy_site(built, target):
    shutil.copytree(built, target, copy_function=shutil.copy2)
    return target


def test_every_indexed_page_is_in_exactly_one_bundle(built):
    assert split_site(built, "2026-11-01") == TINY_SPLIT
    for part, pages in TINY_SPLIT.items():
        assert list(entry(built, part)["languages"]) == ["tr"]
        assert entry(built, part)["languages"]["tr"]["page_count"] == len(pages), part
        urls = sorted(f["url"] for f in fragments(built / BUNDLE_FOLDERS[part]).values())
        assert urls == sorted("/" + rel.removesuffix("index.html") for rel in pages), part
    # 10 articles (one a regulation) + 7 pages of the tiny instance carry data-pagefind-body; listings do not
    assert sum(len(pages) for pages in TINY_SPLIT.values()) == 17


def test_parts_file_lists_the_bundles_the_search_page_merges(built):
    assert read_parts_file(built) == {"birincil": "genel", "parcalar": ["yeni", "2026", "2025"],
                                      "yeni_baslangic": "2026-11-01"}
    assert "parcalar.json" in (built / "theme/js/arama.js").read_text(encoding="utf-8")


def test_index_holds_turkish_words_of_an_article_in_its_years_bundle(built):
    text = json.dumps([f for f in fragments(built / "pagefind/2026").values()], ensure_ascii=False)
    assert "IŞIKLI Çarşı Yenilendi" in text
    assert "/haberler/2026/isikli-carsi-yenilendi/" in text
    others = [f for part in ("genel", "yeni", "2025") for f in fragments(built / BUNDLE_FOLDERS[part]).values()]
    assert "IŞIKLI" not in json.dumps(others, ensure_ascii=False)


def test_a_page_goes_by_its_address_and_its_publication_date(built):
    seminar = "seminerler/2026/e-devlet-kullanimi-semineri/index.html"
    html = (built / seminar).read_bytes()  # published 10 November, its session on 10 December
    assert part_of(seminar, html, "2026-11-01") == "yeni"
    assert part_of(seminar, html, "2026-12-01") == "2026"  # the session's date is not a publication date
    service = "e-hizmetler/borc-sorgulama/index.html"
    assert part_of(service, (built / service).read_bytes(), "2026-11-01") == "genel"
    listing = "haberler/2026/index.html"
    assert part_of(listing, (built / listing).read_bytes(), "2026-11-01") is None


def test_parts_for_changed_files():
    changed = ["haberler/2016/eski-haber/index.html", "kvkk/index.html", "haberler/index.html",
               "pagefind/2016/pagefind-entry.json", "atom.xml"]
    assert parts_for(changed) == {"yeni", "2016", "genel"}
    assert parts_for([]) == {"yeni"}


def test_every_file_of_the_search_folder_is_in_one_bundle(built):
    everything = {p.relative_to(built).as_posix() for p in (built / "pagefind").rglob("*") if p.is_file()}
    by_bundle = {part: bundle_files(built, part) for part in ("genel", "yeni", "2026", "2025", PARTS_FILE)}
    assert set().union(*by_bundle.values()) == everything
    assert sum(len(files) for files in by_bundle.values()) == len(everything)  # no file in two bundles
    assert by_bundle[PARTS_FILE] == {"pagefind/parcalar.json"}
    assert "pagefind/pagefind-entry.json" in by_bundle["genel"] and "pagefind/yeni/pagefind-entry.json" in \
        by_bundle["yeni"]
    for part, files in by_bundle.items():
        assert {bundle_of(rel) for rel in files} == {part}
    assert bundle_of("haberler/2026/index.html") is None and bundle_of("pagefind/2026") == "genel"


def test_building_named_bundles_leaves_the_others_untouched(built, tmp_path):
    site = copy_site(built, tmp_path / "site")
    before = files_of(site)
    result = index_site(site, {"2025"}, now=FIXED_NOW)
    assert set(result.built) == {"2025"} and result.built["2025"].pages == 1 and result.removed == []
    after = files_of(site)
    assert sorted(after) == sorted(before)
    touched = sorted(name for name in after if after[name] != before[name])
    assert touched and all(name.startswith("pagefind/2025/") for name in touched), touched
    # rebuilt from the same pages, the bundle has the same bytes
    assert {name: after[name][0] for name in touched} == {name: before[name][0] for name in touched}


def test_bundles_are_byte_stable(built, tmp_path):
    site = copy_site(built, tmp_path / "site")
    shutil.rmtree(site / "pagefind")
    result = index_site(site, now=FIXED_NOW)
    assert sorted(result.built) == sorted(TINY_SPLIT)
    assert digests(site / "pagefind") == digests(built / "pagefind")


def test_a_publish_keeps_the_recent_bundles_first_day_when_the_month_turns(built, tmp_path):
    site = copy_site(built, tmp_path / "site")
    december = dt.datetime(2026, 12, 1, 9, 0, tzinfo=FIXED_NOW.tzinfo)
    result = index_site(site, {"yeni"}, now=december)  # the publisher asks for the recent bundle only
    assert set(result.built) == {"yeni"} and result.removed == []  # no year's bundle holds the publish up
    assert read_parts_file(site)["yeni_baslangic"] == "2026-11-01"
    assert entry(site, "yeni")["languages"]["tr"]["page_count"] == 3


def test_moving_the_first_day_puts_the_items_before_it_back_into_their_year(built, tmp_path):
    site = copy_site(built, tmp_path / "site")
    december = dt.datetime(2026, 12, 1, 9, 0, tzinfo=FIXED_NOW.tzinfo)
    result = index_site(site, {"yeni"}, now=december, start="2026-12-01")
    assert set(result.built) == {"2026"} and result.removed == ["yeni"]
    assert read_parts_file(site)["yeni_baslangic"] == "2026-12-01"
    assert not (site / "pagefind/yeni").exists()
    assert entry(site, "2026")["languages"]["tr"]["page_count"] == 7
    assert read_parts_file(site)["parcalar"] == ["2026", "2025"]


def test_unknown_bundle_name_is_refused(built, tmp_path):
    with pytest.raises(ValueError):
        index_site(copy_site(built, tmp_path / "site"), {"16"}, now=FIXED_NOW)


def test_search_page_is_built_with_form_that_works_without_javascript(built):
    page = (built / "arama/index.html").read_text(encoding="utf-8")
    assert '<script src="/theme/js/arama.js" defer></script>' in page and 'data-dizin="/pagefind/"' in page
    assert "<noscript>" in page and 'href="/haberler/"' in page.split("<noscript>")[1]
    home = (built / "index.html").read_text(encoding="utf-8")
    assert 'action="/arama/"' in home and 'name="q"' in home


def test_embargo_check_reads_the_compressed_search_index(tmp_path):
    root = copy_tiny(tmp_path / "tiny")
    # pretend this published title belongs to an item not yet due: the check must find it inside pagefind/
    secret = Embargoed(ref="BİM-2026-000999", title="IŞIKLI Çarşı Yenilendi", url="")
    with pytest.raises(BuildError) as caught:
        from municms.build import build_site
        from municms.config import load_instance
        build_site(load_instance(root), tmp_path / "out", now=FIXED_NOW, embargoed=[secret])
    assert ".pf_fragment" in caught.value.message_tr
    assert not (tmp_path / "out").exists()
