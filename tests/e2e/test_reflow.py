"""Reflow in real Chromium: every page type at 320, 390 and 1280 CSS px, nothing wider than the screen, axe 0 at
320 px; screenshots kept as artifacts (folder from MUNICMS_ARTIFACTS, else pytest's temporary folder). On a
phone the first screen shows the tasks and the menu is a disclosure that works without JavaScript."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .site import first_link
from .test_accessibility import FIXED_PAGES, FOUND_PAGES, axe_violations, readable

pytestmark = pytest.mark.browser

# the page types of the accessibility test, and the corporate pages with wide tables
PAGES = {**FIXED_PAGES, "contact page (table)": "/iletisim/", "budget page (table)": "/kurumsal/butce/",
         "search": "/arama/"}
WIDTHS = (320, 390, 1280)

# Everything wider than the screen, except what lies inside an element that scrolls or clips sideways and
# itself fits (a wide table in its scrolling region, visually hidden text).
OVERFLOW = """() => {
  const width = window.innerWidth, found = [];
  const html = document.documentElement;
  if (html.scrollWidth > width) found.push(`document: scrollWidth ${html.scrollWidth}`);
  const contained = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX) && p.getBoundingClientRect().right <= width + 0.5)
        return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if ((box.right > width + 0.5 || box.width > width + 0.5) && !contained(el)) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
      found.push(`${name}: right ${Math.round(box.right)}, width ${Math.round(box.width)}`);
    }
  }
  return found.slice(0, 10);
}"""


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory) -> Path:
    folder = os.environ.get("MUNICMS_ARTIFACTS")
    root = Path(folder) / "reflow" if folder else tmp_path_factory.mktemp("reflow")
    root.mkdir(parents=True, exist_ok=True)
    return root


def page_paths(site: Path) -> dict[str, str]:
    return {**PAGES, **{name: first_link(site, *where) for name, where in FOUND_PAGES.items()}}


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_type_reflows_without_horizontal_scrolling(browser, demo_url, built_demo, axe_source, artifacts,
                                                              width):
    context = browser.new_context(viewport={"width": width, "height": 844 if width < 1000 else 900})
    page = context.new_page()
    problems = []
    try:
        for name, path in page_paths(built_demo).items():
            page.goto(demo_url + path)
            page.wait_for_load_state("load")
            shot = artifacts / f"{width}px-{name.replace(' ', '-').replace('(', '').replace(')', '')}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 1000
            wide = page.evaluate(OVERFLOW)
            if wide:
                problems.append(f"{path} at {width} px: " + "; ".join(wide))
            if width == 320:
                violations = axe_violations(page, axe_source)
                if violations:
                    problems.append(f"axe on {path} at 320 px:\n{readable(violations)}")
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


def test_overflow_check_reports_a_wide_element(page):
    """The check above can fail: a 400 px box on a 320 px screen is found, a wide table that scrolls in its own
    region is not."""
    page.set_viewport_size({"width": 320, "height": 600})
    page.set_content('<!DOCTYPE html><html lang="tr"><body style="margin:0"><div id="genis" style="width:400px">x</div>'
                     '<div style="overflow-x:auto;max-width:100%"><table style="width:900px"><tr><td>y</td></tr>'
                     '</table></div></body></html>')
    found = page.evaluate(OVERFLOW)
    assert found[0] == "document: scrollWidth 400"
    assert any(line.startswith("div#genis: right 400") for line in found)
    assert not any(line.startswith("table") for line in found)


def test_wide_tables_scroll_in_a_focusable_labelled_region(browser, demo_url):
    context = browser.new_context(viewport={"width": 320, "height": 844})
    page = context.new_page()
    page.goto(demo_url + "/kurumsal/butce/")
    region = page.get_by_role("region", name="Tablo: Gider türü, Tutar (TL), Pay")
    expect(region).to_have_attribute("tabindex", "0")
    sizes = region.evaluate("el => [el.scrollWidth, el.clientWidth]")
    region.focus()
    page.keyboard.press("ArrowRight")
    context.close()
    assert sizes[0] >= sizes[1]


def test_phone_first_screen_shows_the_tasks_and_the_menu_opens_without_javascript(browser, demo_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_url + "/")
    menu = page.locator("nav[aria-label='Ana menü']")
    news = menu.get_by_role("link", name="Haberler", exact=True)
    expect(news).to_be_hidden()
    first_screen = []
    for target in (page.get_by_role("searchbox", name="Sitede ara"),
                   page.get_by_role("heading", name="Sık kullanılan e-hizmetler"),
                   page.locator(".task-grid a").first, page.locator(".task-grid a").nth(1)):
        box = target.bounding_box()
        first_screen.append(box is not None and box["y"] + box["height"] <= 844)
    assert first_screen == [True, True, True, True]
    assert page.locator(".task-grid a").all_inner_texts()[:2] == ["Online Ödeme", "Borç Sorgulama"]
    menu.locator("summary").click()
    expect(news).to_be_visible()
    news.click()
    expect(page.locator("main h1")).to_have_text("Haberler")
    context.close()


def test_menu_is_open_on_a_wide_screen(page, demo_url):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(demo_url + "/")
    menu = page.locator("nav[aria-label='Ana menü']")
    expect(menu.locator("summary")).to_be_hidden()
    expect(menu.get_by_role("link", name="Haberler", exact=True)).to_be_visible()
    menu.get_by_role("link", name="İletişim", exact=True).focus()
    expect(menu.get_by_role("link", name="İletişim", exact=True)).to_be_focused()
