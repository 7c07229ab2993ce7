"""Every request Chromium makes while a visitor browses the site goes to the site's own loopback origin."""

from __future__ import annotations

import pytest

from .site import first_link

pytestmark = pytest.mark.browser


@pytest.mark.slow
def test_browsing_the_site_makes_no_third_party_request(page, demo_url, built_demo):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    paths = ["/", first_link(built_demo, "/haberler/"), first_link(built_demo, "/seminerler/"),
             "/kurumsal/organizasyon-semasi/", "/e-hizmetler/", "/boyle-bir-sayfa-yok/"]
    for path in paths:
        page.goto(demo_url + path)
        page.wait_for_load_state("networkidle")
    page.goto(demo_url + "/arama/?q=çarşı")
    page.locator("#arama-sonuclar .card-title a").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert any("/pagefind/" in url for url in requested), "the search page loaded no index"
    foreign = [url for url in requested if not url.startswith(demo_url + "/")]
    assert foreign == [], f"requests that leave the site: {foreign}"
