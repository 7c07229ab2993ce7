"""The emergency banner (acil-duyuru) on every page while it is in force: submitted through intake, approved by two
people, published by the real pipeline, answered by real nginx (SSI) and by serve's file server, first inside
<main> where the skip link leads, announced as an alert, axe 0; gone at its `bitis`. Publishing it writes one
file (/_acil.html), not every page."""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.request

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import expect
from selectolax.lexbor import LexborHTMLParser

from municms.actions.expire import expire_due
from municms.fragments import BANNER_FILE
from municms.model import PUBLISHED
from municms.serve import SecurityHeaders, SiteFiles

from tests.site_tree import site_files

from .test_accessibility import axe_violations, readable
from .test_html_validity import vnu_errors

pytestmark = [pytest.mark.slow, pytest.mark.browser]

TITLE = "Acil: Merkez İlçede Su Kesintisi"
BODY = "Ana isale hattındaki arıza nedeniyle su kesintisi. Bilgi için **ALO 153**.\n"
MISSING = "/boyle-bir-sayfa-yok/"


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def addresses(site) -> list[str]:
    """Every page of the release (each HTML file but the fragment) as its address, and one that does not exist."""
    pages = []
    for path in sorted(site_files(site, ".html")):  # the release's shards are symlinked folders
        rel = path.relative_to(site).as_posix()
        if rel == BANNER_FILE or rel.startswith("pagefind/"):
            continue
        pages.append("/" + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel))
    return pages + [MISSING]


def banner_problems(html: str, where: str) -> list[str]:
    """The banner must be the first thing inside <main>, an alert named by its heading, with the body text."""
    tree = LexborHTMLParser(html)
    main = tree.css_first("main#icerik")
    first = main.child if main is not None else None
    while first is not None and first.tag in ("-text", "_text", "-comment", "_comment"):
        first = first.next
    if first is None or "emergency-banner" not in (first.attributes.get("class") or ""):
        return [f"{where}: the banner is not the first element inside <main>"]
    if (first.attributes.get("role"), first.css_first("h2").text(strip=True)) != ("alert", TITLE):
        return [f"{where}: banner {first.html[:120]!r}"]
    if "<strong>ALO 153</strong>" not in first.html or len(tree.css(".emergency-banner")) != 1:
        return [f"{where}: banner text or count"]
    return []


def test_banner_is_on_every_page_through_nginx_and_serve_and_gone_at_its_end(municipality, nginx, browser,
                                                                                axe_source, vnu_command, tmp_path):
    m = municipality("tiny")
    m.publish()
    current = m.paths.current
    nginx_url = nginx(current)
    serve = TestClient(SecurityHeaders(SiteFiles(lambda: m.paths.current)))
    assert "emergency-banner" not in fetch(nginx_url + "/")[1]

    end = m.clock.now() + dt.timedelta(hours=6)
    item = m.submit("acil-duyuru", TITLE, BODY, bitis=end.strftime("%Y-%m-%d %H:%M"))
    m.approve(item.number, by=("web2", "web3"))  # two distinct approvers, neither the reviewer
    result = m.publish()
    assert m.ledger.item(item.number).state == PUBLISHED
    # one file changed for every page: not a page was rendered again
    assert [rel for rel in result.build.written if not rel.startswith(("pagefind/", "surum.json"))] == [BANNER_FILE]

    pages = addresses(m.paths.current)
    assert len(pages) > 40
    problems = []
    served = tmp_path / "served"
    for number, address in enumerate(pages):
        status, html = fetch(nginx_url + address)
        (served / str(number)).mkdir(parents=True)
        (served / str(number) / "index.html").write_text(html, encoding="utf-8")
        problems += [f"nginx {address}: {status}"] if status != (404 if address == MISSING else 200) else []
        problems += banner_problems(html, f"nginx {address}")
        answer = serve.get(address)
        assert answer.headers["content-security-policy"].startswith("default-src 'self'")
        assert "etag" not in answer.headers
        problems += banner_problems(answer.text, f"serve {address}")
    assert problems == []
    assert vnu_errors(vnu_command, served) == []  # every page as served, with the banner, is valid HTML

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        for address in ("/", "/haberler/", "/kurumsal/organizasyon-semasi/", MISSING):
            page.goto(nginx_url + address)
            page.keyboard.press("Tab")
            expect(page.locator(".skip-link")).to_be_focused()
            page.keyboard.press("Enter")
            assert page.evaluate("document.activeElement.id") == "icerik"
            # the first thing read after the skip link is the banner (the focused <main> starts with it)
            assert page.evaluate("document.activeElement.firstElementChild.className") == "emergency-banner"
            alert = page.get_by_role("alert", name=TITLE)
            expect(alert).to_be_visible()
            box = alert.bounding_box()
            assert box is not None and box["y"] + box["height"] < 844 * 1.5
            colours = page.evaluate("""() => [getComputedStyle(document.querySelector('.emergency-banner'))
                .backgroundColor, getComputedStyle(document.querySelector('.site-header')).backgroundColor]""")
            assert colours[0] != colours[1]
            violations = axe_violations(page, axe_source)
            assert violations == [], f"axe on {address} with the banner:\n{readable(violations)}"
    finally:
        context.close()

    m.clock.set(end + dt.timedelta(minutes=1))
    assert [i.number for i in expire_due(m.ledger, m.instance, m.clock)] == [item.number]
    result = m.publish()
    assert (m.paths.current / BANNER_FILE).read_bytes() == b""
    assert [rel for rel in result.build.written if not rel.startswith(("pagefind/", "surum.json"))] == [BANNER_FILE]
    for address in pages:
        for html in (fetch(nginx_url + address)[1], serve.get(address).text):
            assert "emergency-banner" not in html and TITLE not in html, address
            assert "<main" in html and "<!--#" not in html, address
