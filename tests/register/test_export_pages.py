"""The register's pages as people get them: valid HTML (Nu Html Checker), no axe violations in real Chromium
served by real nginx, every link inside the site resolves, and nothing from another host."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from tests.e2e.test_accessibility import axe_violations, readable
from tests.e2e.test_html_validity import vnu_errors
from tests.municipality import submission_text

PAGES = ("/yayin-kaydi/", "/yayin-kaydi/kayitlar-2026.html", "/yayin-kaydi/icerikler-2026.html")
SITE_URL = "https://www.deneme.bel.tr"  # the tiny instance's municipality.site_url


def published_history(site):
    """An item published, changed and withdrawn (a title with markup in it), and an emergency banner."""
    item = site.submit("duyuru", 'Yol <b>Çalışması</b> & "Işıklar"', "Çalışma Pazartesi başlayacak.\n")
    site.approve(item.number)
    site.publish()
    site.edit(item.number, submission_text("duyuru", 'Yol <b>Çalışması</b> & "Işıklar"', "Salı.\n"), by="web2")
    site.approve(item.number, by="web3", reviewer="web1")
    site.publish()
    site.withdraw(item.number, by="web1", reason="Ertelendi.")
    site.publish()
    return item


def test_export_pages_are_valid_html_whose_links_resolve(site, vnu_command):
    published_history(site)
    root = Path(os.path.realpath(site.paths.current))
    assert vnu_errors(vnu_command, root / "yayin-kaydi") == []
    for page in PAGES:
        html = (root / page.lstrip("/")).joinpath("index.html" if page.endswith("/") else "").read_text("utf-8")
        tree = LexborHTMLParser(html)
        assert tree.css("b") == [] and tree.css("script") == [] and tree.css("[style]") == []
        for node in tree.css("[href], [src]"):
            link = (node.attributes.get("href") or node.attributes.get("src")).split("#")[0]
            if link.startswith(("tel:", "mailto:")):  # the footer's contact details: no request at all
                continue
            if link.startswith(SITE_URL + "/"):  # the canonical address and og:url name the page on its own host
                assert node.tag == "link" and node.attributes["rel"] == "canonical", (page, link)
                assert link == SITE_URL + page
                link = link[len(SITE_URL):]
            if not link:  # an anchor of the page itself: the skip link
                assert tree.css_first("#icerik") is not None
                continue
            assert link.startswith("/") and not link.startswith("//"), (page, link)  # nothing from another host
            target = root / link.lstrip("/")
            assert (target / "index.html").is_file() if link.endswith("/") else target.is_file(), (page, link)
    history = (root / "yayin-kaydi" / "icerikler-2026.html").read_text("utf-8")
    assert "Yol &lt;b&gt;Çalışması&lt;/b&gt; &amp; &#34;Işıklar&#34;" in history


@pytest.mark.browser
def test_export_pages_have_no_axe_violations(site, nginx, page, axe_source):
    published_history(site)
    base = nginx(site.paths.current)
    for address in PAGES:
        response = page.goto(base + address)
        assert response.status == 200
        violations = axe_violations(page, axe_source)
        assert violations == [], f"axe on {address}:\n{readable(violations)}"
