"""The register's pages are pages of the site's theme: the head conventions (their own title and description, the
canonical address, share metadata), the header with its navigation, the breadcrumb, the footer with the rights
links and contact details, and the emergency banner include, as every other page of the release has them; the
layout the build leaves for them is never public. A deploy of a build made elsewhere gets them too; a tree without
the layout (an older build) gets the standalone pages."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from municms.actions.deploy_build import deploy_build
from municms.build import build_site
from municms.register.layout import LAYOUT_FILE
from tests.register.test_export_pages import PAGES, SITE_URL, published_history

RIGHTS = {"/bilgi-edinme/": "Bilgi Edinme", "/kvkk/": "KVKK Aydınlatma Metni",
          "/erisilebilirlik/": "Erişilebilirlik Beyanı", "/iletisim/": "İletişim"}
TITLES = {"/yayin-kaydi/": "Yayın kaydı", "/yayin-kaydi/kayitlar-2026.html": "2026 yılının yayın kayıtları",
          "/yayin-kaydi/icerikler-2026.html": "2026 yılında kaydedilen içeriklerin yayın geçmişi"}
OTHER_PAGE = "uyum-raporu/index.html"  # a page of the theme every build has


def served(site, page: str) -> str:
    root = Path(os.path.realpath(site.paths.current))
    return (root / page.lstrip("/")).joinpath("index.html" if page.endswith("/") else "").read_text("utf-8")


def outer(tree: LexborHTMLParser, selector: str) -> str:
    node = tree.css_first(selector)
    assert node is not None, selector
    return node.html


def assert_themed(site, page: str) -> None:
    html = served(site, page)
    tree, other = LexborHTMLParser(html), LexborHTMLParser(served(site, OTHER_PAGE))
    # header, navigation and footer exactly as on the other pages of the release
    for selector in ("header.site-header", "footer.site-footer"):
        assert outer(tree, selector) == outer(other, selector), (page, selector)
    menu = [a.text() for a in tree.css("nav.main-nav a")]
    assert "Haberler" in menu and menu == [a.text() for a in other.css("nav.main-nav a")]
    footer = {a.attributes["href"]: a.text() for a in tree.css("footer.site-footer a")}
    assert {href: footer.get(href) for href in RIGHTS} == RIGHTS
    address = tree.css_first("footer.site-footer address").text()
    assert "0364 000 00 00" in address and "bilgi@deneme.bel.tr" in address and "Cumhuriyet Meydanı" in address
    assert "<!--#include virtual=\"/_acil.html\" -->" in html  # the emergency banner, as on every page
    # head: its own title, description, canonical address and share metadata
    title = TITLES[page]
    assert tree.css_first("title").text() == f"{title} — Deneme Belediyesi"
    meta = {n.attributes.get("name") or n.attributes.get("property"): n.attributes["content"]
            for n in tree.css("meta[content]")}
    assert meta["og:title"] == meta["twitter:title"] == title
    assert meta["description"] == meta["og:description"] and meta["description"].startswith(
        {"/yayin-kaydi/": "Deneme Belediyesi sitesinde yayımlanan", "/yayin-kaydi/kayitlar-2026.html":
         "Deneme Belediyesi sitesinin 2026 yılındaki", "/yayin-kaydi/icerikler-2026.html": "2026 yılında"}[page])
    assert tree.css_first("link[rel=canonical]").attributes["href"] == meta["og:url"] == SITE_URL + page
    assert [a.text(strip=True) for a in tree.css("nav.breadcrumb li")] == (
        ["Ana Sayfa", "Yayın kaydı"] + ([title] if page != "/yayin-kaydi/" else []))
    assert tree.css_first("main h1").text() == title
    assert "%%MUNICMS" not in html


def test_export_pages_are_pages_of_the_theme_and_the_layout_is_not_public(site):
    item = published_history(site)
    for page in PAGES:
        assert_themed(site, page)
    history = LexborHTMLParser(served(site, "/yayin-kaydi/icerikler-2026.html"))
    assert history.css_first(f"main h2#icerik-{item.number}").text() == \
        f'{item.number} — Yol <b>Çalışması</b> & "Işıklar"'  # the submission's title, as text
    assert not (Path(os.path.realpath(site.paths.current)) / LAYOUT_FILE).exists()
    # the publisher's own tree keeps the layout it built (so a later publish does not write it again)
    work = [p for p in site.paths.root.rglob("_sablon.html") if "releases" not in p.parts]
    assert len(work) == 1 and "%%MUNICMS-REGISTER-CONTENT%%" in work[0].read_text("utf-8")


def test_a_build_made_elsewhere_gets_the_theme_and_an_older_one_the_standalone_pages(site, tmp_path):
    published_history(site)
    build = tmp_path / "elsewhere"
    build_site(site.instance, output=build, now=site.clock.now(), build_id="disarida")
    deploy_build(site.ledger, site.instance, site.paths, site.clock, site.actor("mudur1"), build,
                 "20261125T120000Z-disari")
    assert (build / LAYOUT_FILE).is_file()  # the build is not modified
    for page in PAGES:
        assert_themed(site, page)
    older = tmp_path / "older"
    shutil.copytree(build, older)
    (older / LAYOUT_FILE).unlink()
    deploy_build(site.ledger, site.instance, site.paths, site.clock, site.actor("mudur1"), older,
                 "20261125T130000Z-eski")
    tree = LexborHTMLParser(served(site, "/yayin-kaydi/kayitlar-2026.html"))
    assert tree.css_first("footer") is None and tree.css_first("title").text() == \
        "2026 yılının yayın kayıtları — Deneme Belediyesi"
    assert len(tree.css("main section.register-record")) == 5  # three publishes and two deploys
    code, out, _ = site.run("--json", "verify")
    assert code == 0, out
