"""Keyboard use shows where focus is; without JavaScript the site still reads and navigates."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

FOCUS_STYLE = """() => {
  const el = document.activeElement, s = getComputedStyle(el);
  return {text: (el.innerText || el.getAttribute('aria-label') || el.id || el.tagName).trim().slice(0, 40),
          outline: s.outlineStyle !== 'none' ? parseFloat(s.outlineWidth) : 0,
          shadow: s.boxShadow !== 'none'};
}"""


def test_every_tab_stop_in_the_header_shows_a_focus_indicator(page, demo_url):
    page.goto(demo_url + "/")
    nav_links = page.locator("nav[aria-label='Ana menü'] a").count()
    seen = []
    for _ in range(5 + nav_links):  # skip link, brand, search field, search button, ALO 153, menu
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUS_STYLE))
    invisible = [stop["text"] for stop in seen if stop["outline"] < 2 and not stop["shadow"]]
    assert invisible == [], f"focus not visible on: {invisible}"
    assert seen[0]["text"] == "İçeriğe geç"


def test_site_reads_and_navigates_without_javascript(browser, demo_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_url + "/")
    expect(page.locator("main .item-list .card-title a").first).to_be_visible()
    page.locator("nav[aria-label='Ana menü']").get_by_role("link", name="Haberler", exact=True).click()
    expect(page.locator("main h1")).to_have_text("Haberler")
    page.locator("main .item-list .card-title a").first.click()
    expect(page.locator("main .item-header time")).to_be_visible()
    expect(page.locator("main .prose")).not_to_be_empty()
    context.close()
