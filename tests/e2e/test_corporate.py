"""The corporate part of the site in real Chromium and real nginx: /kurumsal/ is a page (not the web server's
403), the org chart and the regulations read on a 320 px phone screen, and a regulation's contents lead to
each article by its anchor."""

from __future__ import annotations

import re
import urllib.request

import pytest
from playwright.sync_api import expect

from .site import first_link
from .test_accessibility import axe_violations, readable

pytestmark = pytest.mark.browser

PHONE_PAGES = ["/kurumsal/", "/kurumsal/organizasyon-semasi/", "/mevzuat/",
               "/mevzuat/corum-belediyesi-zabita-yonetmeligi/"]


def test_real_nginx_answers_the_corporate_index_with_the_page(nginx, built_demo):
    base = nginx(built_demo)
    with urllib.request.urlopen(base + "/kurumsal/") as response:
        html = response.read().decode("utf-8")
        assert response.status == 200
    assert "<h1>Kurumsal</h1>" in html and 'href="/kurumsal/organizasyon-semasi/"' in html


def test_corporate_pages_reflow_at_320_px_without_axe_violations(browser, demo_url, axe_source):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        for path in PHONE_PAGES:
            page.goto(demo_url + path)
            violations = axe_violations(page, axe_source)
            assert violations == [], f"axe on {path} at 320 px:\n{readable(violations)}"
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{path} is {width} px wide at 320 px"
    finally:
        context.close()


def test_contents_lead_to_an_article_by_its_anchor(page, demo_url, built_demo, axe_source):
    path = first_link(built_demo, "/mevzuat/", "main .regulation-list li > a")
    page.goto(demo_url + path)
    assert axe_violations(page, axe_source) == []
    contents = page.get_by_role("navigation", name="İçindekiler")
    contents.get_by_role("link", name="MADDE 6 – Vatandaş başvuruları").click()
    expect(page).to_have_url(re.compile(re.escape(demo_url + path) + "#madde-6$"))
    heading = page.get_by_role("heading", name="MADDE 6 – Vatandaş başvuruları", level=3)
    expect(heading).to_be_in_viewport()
    assert heading.get_attribute("id") == "madde-6"
