"""In Chromium, under the site's strict CSP: the news photo loads as WebP at a width its layout asks for, with
no layout shift (its box is sized before it loads), the JSON-LD blocks are data the CSP never reports, and the
head links a favicon, touch icon and manifest that all load."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser

ARTICLE = "/haberler/2026/saat-kulesi-cevresi-tarihi-dokuya-uygun-olarak-duzenleniyor/"


def test_the_photo_loads_as_webp_and_json_ld_breaks_no_csp(browser, demo_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation', "
                         "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    responses = {}
    page.on("response", lambda response: responses.__setitem__(response.url, response.status))
    page.goto(demo_url + ARTICLE)
    page.wait_for_load_state("networkidle")
    image = page.locator(".photos img").first
    box = image.bounding_box()
    natural = image.evaluate("img => [img.currentSrc, img.naturalWidth, img.complete, img.loading]")
    # 390 CSS px less the page's padding, at 2 device pixels each: the 960 px rendition, as WebP
    assert natural[0] == demo_url + ARTICLE.replace("saat-kulesi-cevresi-tarihi-dokuya-uygun-olarak-duzenleniyor",
                                                     "saat-kulesi-duzenlemesi") + "saat-kulesi-meydan-960.webp"
    assert natural[1:] == [358, True, "auto"]  # naturalWidth in CSS px: the 960 px file drawn at 2 × 358 px
    assert box["width"] == pytest.approx(358, abs=1) and box["height"] == pytest.approx(358 * 2 / 3, abs=1)
    blocks = page.evaluate("[...document.querySelectorAll('script[type=\"application/ld+json\"]')]"
                           ".map(s => JSON.parse(s.textContent))")
    assert [b["@type"] for b in blocks] == ["NewsArticle", "BreadcrumbList"]
    for rel in ("icon", "apple-touch-icon", "manifest"):
        href = page.locator(f"link[rel='{rel}']").first.get_attribute("href")
        assert page.request.get(demo_url + href).status == 200, rel
    manifest = json.loads(page.request.get(demo_url + "/manifest.webmanifest").text())
    assert manifest["name"] == "Çorum Belediyesi"
    assert page.evaluate("window.__csp") == []
    assert [m for m in messages if "Content Security Policy" in m] == []
    assert all(status == 200 for status in responses.values()), responses
    context.close()
