"""The hostile site of tests/hostile.py in real Chromium: no payload runs on any page or in the search results,
even with the Content-Security-Policy switched off, and each title reads exactly as the department typed it.
Served by `publish.py serve`, every page carries the CSP as well."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.hostile import PAGE_TITLES, canonical_texts, publish_hostile_site
from tests.servers import free_port, wait_for_answer
from tests.site_tree import site_files

from ..conftest import REPO

pytestmark = pytest.mark.browser

# Every handler a payload could bring to life, fired by hand on every element (a live onmouseover runs then).
FIRE_EVERY_HANDLER = """() => {
  for (const element of document.querySelectorAll('*')) {
    for (const type of ['mouseover', 'mouseenter', 'focus', 'click', 'toggle', 'load', 'error']) {
      if (type === 'click' && element.closest('a, button, form, summary, input')) { continue; }
      element.dispatchEvent(new Event(type, {bubbles: true}));
    }
  }
}"""
XSS_TEXTS = {field: text.replace("alert(1)", "window.__xss=1") for field, text in canonical_texts().items()}


@pytest.fixture
def hostile(municipality):
    """(site folder, type → title) of a published tiny site carrying every payload."""
    m = municipality("tiny")
    titles = publish_hostile_site(m, XSS_TEXTS)
    return m, titles


@pytest.fixture
def browser_context_args(browser_context_args):
    """CSP off: what must keep the payloads inert here is the escaping alone."""
    return {**browser_context_args, "bypass_csp": True}


def visit_and_fire(page, url: str, dialogs: list[str]) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    page.evaluate(FIRE_EVERY_HANDLER)
    flag = page.evaluate("() => [window.__xss, document.title]")
    assert flag[0] is None and not dialogs, (url, flag, dialogs)


def test_no_payload_runs_on_any_page_and_titles_read_as_typed(page, hostile, site_server):
    m, titles = hostile
    site = m.paths.current
    base = site_server(site)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    pages = sorted(p.relative_to(site).as_posix() for p in site_files(site, ".html") if not p.name == "404.html")
    for rel in pages:
        visit_and_fire(page, f"{base}/{rel.removesuffix('index.html')}", dialogs)
    headings = {}
    for rel in pages:
        page.goto(f"{base}/{rel.removesuffix('index.html')}")
        headings[rel] = page.locator("main h1").first.inner_text() if page.locator("main h1").count() else ""
    for tur in PAGE_TITLES:
        assert titles[tur] in headings.values(), (tur, titles[tur])
    page.goto(base + "/")
    expect(page.locator(".emergency-banner h2")).to_have_text(titles["acil-duyuru"])
    assert page.evaluate("() => window.__xss") is None and not dialogs


def test_search_results_show_hostile_titles_as_text(page, hostile, site_server):
    m, titles = hostile
    base = site_server(m.paths.current)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(base + "/arama/?q=Kalın")
    link = page.locator("#arama-sonuclar .card-title a", has_text=titles["haber"]).first
    expect(link).to_have_text(titles["haber"])
    expect(page.locator("#arama-sonuclar .search-excerpt").first).to_be_visible()
    page.evaluate(FIRE_EVERY_HANDLER)
    assert page.evaluate("() => window.__xss") is None and not dialogs
    assert page.locator("#arama-sonuclar b, #arama-sonuclar img, #arama-sonuclar svg").count() == 0
    # The query itself comes back on the page ("… için sonuç bulunamadı"): as text too.
    query = '"><img src=x onerror=window.__xss=1><svg onload=window.__xss=1>'
    page.goto(base + "/arama/?q=" + urllib.parse.quote(query))
    expect(page.locator("#arama-durum")).to_contain_text(query)
    page.evaluate(FIRE_EVERY_HANDLER)
    assert page.evaluate("() => window.__xss") is None and not dialogs


def test_served_by_publish_serve_every_page_carries_the_csp(page, hostile):
    m, titles = hostile
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "publish.py"), "--instance", str(m.root), "serve", "--host", "127.0.0.1",
         "--port", str(port), "--dir", str(m.paths.current)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_answer(f"http://127.0.0.1:{port}", process, "publish.py serve")
        base = f"http://127.0.0.1:{port}"
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        response = page.goto(base + "/")
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        for rel in ("haberler/", "seminerler/", "kurumsal/organizasyon-semasi/", "e-hizmetler/"):
            with urllib.request.urlopen(f"{base}/{rel}", timeout=10) as answer:
                assert answer.headers["Content-Security-Policy"] == csp, rel
            visit_and_fire(page, f"{base}/{rel}", dialogs)
        expect(page.locator("main h1")).to_have_text(re.compile(".+"))
    finally:
        process.terminate()
        process.wait(timeout=10)
