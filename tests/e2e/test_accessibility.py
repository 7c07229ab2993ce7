"""axe-core in real Chromium: 0 violations of WCAG 2.0/2.1/2.2 A and AA on every kind of page of the demo site."""

from __future__ import annotations

import pytest

from .site import first_link

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FIXED_PAGES = {
    "home": "/",
    "section list": "/haberler/",
    "year archive": "/haberler/2026/",
    "taxpayer notices, past deadlines marked": "/mukellef-duyurulari/",
    "seminars, the one held marked": "/seminerler/",
    "org chart": "/kurumsal/organizasyon-semasi/",
    "e-services": "/e-hizmetler/",
    "corporate index": "/kurumsal/",
    "regulations": "/mevzuat/",
    "open data": "/acik-veri/",
    "404": "/boyle-bir-sayfa-yok/",
}
# Pages found through the site's own listings: (listing, link selector).
FOUND_PAGES = {
    "article": ("/haberler/", "main .item-list .card-title a"),
    "taxpayer announcement": ("/mukellef-duyurulari/", "main .item-list .card-title a"),
    "seminar": ("/seminerler/", "main .item-list .card-title a"),
    "department": ("/birimler/", "main .department-list a"),
    "tag": ("/etiket/", "main .tag-cloud a"),
    "regulation": ("/mevzuat/", "main .regulation-list li > a"),
}


def readable(violations: list[dict]) -> str:
    """One block per violated rule: id, impact, help, and the offending elements with axe's explanation."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl'].split('?')[0]})")
        for node in v["nodes"][:8]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            lines.append(f"      {node['failureSummary'].replace(chr(10), ' / ')[:300]}")
    return "\n".join(lines)


def axe_violations(page, axe_source: str) -> list[dict]:
    # A click that navigates returns once the new page starts loading; axe must
    # see the page with its stylesheets applied, as a reader does.
    page.wait_for_load_state("load")
    page.evaluate(axe_source)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
                           " resultTypes: ['violations']})", WCAG_TAGS)
    return result["violations"]


@pytest.mark.parametrize("name", list(FIXED_PAGES) + list(FOUND_PAGES))
def test_page_has_no_axe_violations(page, demo_url, built_demo, axe_source, name):
    path = FIXED_PAGES.get(name) or first_link(built_demo, *FOUND_PAGES[name])
    page.goto(demo_url + path)
    violations = axe_violations(page, axe_source)
    assert violations == [], f"axe on {path}:\n{readable(violations)}"


def test_search_page_with_results_has_no_axe_violations(page, demo_url, axe_source):
    page.goto(demo_url + "/arama/?q=çarşı")
    page.locator("#arama-sonuclar .card-title a").first.wait_for()
    violations = axe_violations(page, axe_source)
    assert violations == [], f"axe on /arama/?q=çarşı:\n{readable(violations)}"


def test_axe_harness_reports_a_real_violation(page, axe_source):
    """The check above can fail: an image without text alternative and an unlabelled field are reported."""
    page.set_content('<!DOCTYPE html><html lang="tr"><title>t</title><main><img src="data:,">'
                     '<input type="text"></main></html>')
    found = {v["id"] for v in axe_violations(page, axe_source)}
    assert {"image-alt", "label"} <= found, found


def test_home_on_a_phone_screen_has_no_axe_violations(browser, demo_url, axe_source):
    """Reflow and 24 px targets hold on a 375 px wide screen too, where the menu stacks."""
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(demo_url + "/")
    violations = axe_violations(page, axe_source)
    context.close()
    assert violations == [], f"axe on / at 375 px:\n{readable(violations)}"
