"""A visitor in real Chromium: main navigation, a news item with its Turkish date, an announcement, the skip
link, the 404 page and the Pagefind search."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from babel.dates import format_date
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MAIN_NAV = "nav[aria-label='Ana menü']"
TURKISH_DAY = re.compile(r"^\d{1,2} (Ocak|Şubat|Mart|Nisan|Mayıs|Haziran|Temmuz|Ağustos|Eylül|Ekim|Kasım|Aralık) "
                         r"\d{4} (Pazartesi|Salı|Çarşamba|Perşembe|Cuma|Cumartesi|Pazar)$")


def test_main_nav_leads_to_a_news_item_with_its_turkish_date(page, demo_url):
    page.goto(demo_url + "/")
    expect(page).to_have_title(re.compile("Belediyesi"))
    page.locator(MAIN_NAV).get_by_role("link", name="Haberler", exact=True).click()
    expect(page).to_have_url(demo_url + "/haberler/")
    expect(page.locator(MAIN_NAV).locator("a[aria-current='page']")).to_have_text("Haberler")
    first = page.locator("main .item-list .card-title a").first
    title = first.inner_text()
    first.click()
    expect(page).to_have_url(re.compile(re.escape(demo_url) + r"/haberler/\d{4}/[a-z0-9-]+/$"))
    expect(page.locator("main h1")).to_have_text(title)
    expect(page.locator(MAIN_NAV).get_by_role("link", name="Haberler", exact=True)).to_have_class("in-section")
    stamp = page.locator("main .item-header time")
    shown = stamp.inner_text()
    published = dt.datetime.fromisoformat(stamp.get_attribute("datetime"))
    assert shown == format_date(published, "d MMMM y EEEE", locale="tr")
    assert TURKISH_DAY.match(shown), shown


def test_main_nav_leads_to_an_announcement(page, demo_url):
    page.goto(demo_url + "/")
    page.locator(MAIN_NAV).get_by_role("link", name="Duyurular", exact=True).click()
    expect(page).to_have_url(demo_url + "/duyurular/")
    expect(page.locator("main h1")).to_have_text("Duyurular")
    first = page.locator("main .item-list .card-title a").first
    title = first.inner_text()
    first.click()
    expect(page).to_have_url(re.compile(re.escape(demo_url) + r"/duyurular/\d{4}/[a-z0-9-]+/$"))
    expect(page.locator("main h1")).to_have_text(title)
    expect(page.locator("main .breadcrumb a").nth(1)).to_have_text("Duyurular")


def test_skip_link_is_first_shows_on_focus_and_moves_focus_to_main(page, demo_url):
    page.goto(demo_url + "/")
    skip = page.get_by_role("link", name="İçeriğe geç")
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] >= 24, box
    page.keyboard.press("Enter")
    expect(page).to_have_url(demo_url + "/#icerik")
    assert page.evaluate("document.activeElement.id") == "icerik"


def test_unknown_address_gets_the_sites_404_page(page, demo_url):
    response = page.goto(demo_url + "/boyle-bir-sayfa-yok/")
    assert response.status == 404
    expect(page.locator("main h1")).to_have_text("Sayfa bulunamadı")
    expect(page.locator(MAIN_NAV)).to_be_visible()


@pytest.mark.parametrize("query", ["ihale", "çarşı"])
def test_search_page_finds_turkish_words_in_the_browser(page, demo_url, built_demo, query):
    page.goto(demo_url + "/arama/?q=" + query)
    results = page.locator("#arama-sonuclar .card-title a")
    expect(results.first).to_be_visible()
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    pages = {href.split("#")[0] for href in hrefs}
    missing = [p for p in pages if not (p.startswith("/") and (built_demo / p.strip("/") / "index.html").is_file())]
    assert missing == [], f"results that are not pages of the site: {missing}"
    marked = page.locator("#arama-sonuclar mark").all_inner_texts()
    assert any(word.lower().startswith(query[:4]) for word in marked), marked


def test_header_search_form_opens_the_search_page_with_results(page, demo_url):
    page.goto(demo_url + "/")
    page.get_by_label("Sitede ara").fill("ihale")
    page.get_by_role("button", name="Ara", exact=True).click()
    expect(page).to_have_url(demo_url + "/arama/?q=ihale")
    expect(page.locator("#arama-sonuclar .card-title a").first).to_be_visible()
