"""Search over the split index in real Chromium: a site with items from eleven years finds, with Turkish queries,
an item published a second ago (only in the recent bundle) and one from ten years ago (only in its year's
bundle); the search page merges the bundles listed in pagefind/parcalar.json."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from municms.build import build_site
from municms.config import load_instance
from municms.search import read_parts_file
from tests.hostile import search_fragment
from tests.tinysite import copy_tiny

from .test_accessibility import axe_violations, readable

pytestmark = pytest.mark.browser

ISTANBUL = ZoneInfo("Europe/Istanbul")
FRESH = "Ilıca Parkı Işıklarıyla Açıldı"
OLD = "Çınaraltı Kütüphanesi Hizmete Girdi"


def write_item(root, year: int, slug: str, title: str, published: dt.datetime, body: str) -> None:
    folder = root / "content" / "haberler" / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{slug}.md").write_text(
        f"Title: {title}\nDate: {published:%Y-%m-%d %H:%M:%S}\nTur: haber\nBirim: fen-isleri\n"
        f"Tags: park\nSummary: {title}.\n\n{body}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def decade_site(tmp_path_factory):
    """The tiny instance plus a news item in each of the last eleven years, one of them published a second
    before the build; built with the real clock."""
    root = copy_tiny(tmp_path_factory.mktemp("decade") / "tiny")
    now = dt.datetime.now(ISTANBUL).replace(microsecond=0)
    first = now.year - 10
    for year in range(first, now.year):
        write_item(root, year, f"yillik-rapor-{year}", f"{year} Yılı Park Bakım Raporu",
                   dt.datetime(year, 6, 15, 10, 0), f"{year} yılında parklarda yapılan bakım çalışmaları.")
    write_item(root, first, "cinaralti-kutuphanesi", OLD, dt.datetime(first, 3, 2, 10, 0),
               "Çınaraltı Mahallesi'nde kütüphane okurlarını bekliyor.")
    write_item(root, now.year, "ilica-parki", FRESH, now - dt.timedelta(seconds=1),
               "Ilıca Parkı'nın yeni aydınlatması akşam yürüyüşlerini güvenli kıldı.")
    site = root.parent / "site"
    build_site(load_instance(root), site, now=now, build_id="test-decade")
    return site, now.year, first


def bundle_titles(site, folder: str) -> set[str]:
    return {search_fragment(p.read_bytes())["meta"]["title"] for p in (site / folder / "fragment").iterdir()}


def test_fresh_item_is_only_in_the_recent_bundle_and_old_one_only_in_its_year(decade_site):
    site, this_year, first = decade_site
    parts = read_parts_file(site)["parcalar"]
    assert parts[0] == "yeni" and {str(year) for year in range(first, this_year)} <= set(parts), parts
    holding = {folder: bundle_titles(site, "pagefind" + ("/" + folder if folder else ""))
               for folder in [""] + parts}
    assert [folder for folder, titles in holding.items() if FRESH in titles] == ["yeni"]
    assert [folder for folder, titles in holding.items() if OLD in titles] == [str(first)]


# The index and the query are folded the Turkish way (turkish.search_fold): "ÇINARALTI" finds "Çınaraltı".
@pytest.mark.parametrize("query, title", [
    ("aydınlatması", FRESH), ("Ilıca", FRESH), ("YÜRÜYÜŞLERİNİ", FRESH),
    ("çınaraltı", OLD), ("Çınaraltı", OLD), ("KÜTÜPHANESİ", OLD),
    ("ÇINARALTI", OLD), ("cinaralti", OLD), ("ILICA", FRESH),
])
def test_search_page_finds_the_fresh_and_the_ten_year_old_item(page, site_server, decade_site, query, title):
    site, _, _ = decade_site
    base = site_server(site)
    page.goto(base + "/arama/?q=" + query)
    link = page.locator("#arama-sonuclar .card-title a", has_text=title)
    expect(link.first).to_be_visible()
    href = link.first.get_attribute("href")
    assert (site / href.split("#")[0].strip("/") / "index.html").is_file(), href


def test_results_of_all_bundles_are_ranked_together(page, site_server, decade_site):
    site, this_year, first = decade_site
    base = site_server(site)
    page.goto(base + "/arama/?q=park")
    results = page.locator("#arama-sonuclar .card-title a")
    message = page.locator("#arama-durum")
    expect(message).to_have_text(re.compile(r"için \d+ sonuç"))
    found = int(re.search(r"için (\d+) sonuç", message.inner_text()).group(1))
    more = page.get_by_role("button", name="Daha fazla sonuç")
    while results.count() < found:   # each click loads the next page of results, rendered a moment later
        shown = results.count()
        more.click()
        expect(results).not_to_have_count(shown)
    expect(results).to_have_count(found)
    years = {href.split("/")[2] for href in (results.nth(i).get_attribute("href") for i in range(results.count()))}
    assert {str(year) for year in range(first, this_year + 1)} <= years, sorted(years)


def test_results_page_of_the_split_index_has_no_axe_violations(page, site_server, decade_site, axe_source):
    site, _, _ = decade_site
    page.goto(site_server(site) + "/arama/?q=çınaraltı")
    page.locator("#arama-sonuclar .card-title a").first.wait_for()
    violations = axe_violations(page, axe_source)
    assert violations == [], f"axe on /arama/?q=çınaraltı:\n{readable(violations)}"
