"""Every page of the demo site describes itself for sharing and for search engines: its own description, a
canonical address, Open Graph and Twitter card values whose image exists with the stated size, and JSON-LD
that passes the schema of its schema.org type. The share cards, icons and manifest are the same bytes in every
build."""

from __future__ import annotations

import collections
import gzip
import json

from bs4 import BeautifulSoup
from PIL import Image

from municms.build import build_site
from municms.config import load_instance
from municms.fragments import BANNER_FILE
from tests.conftest import FIXED_NOW, REPO, copy_instance
from tests.jsonld import jsonld_blocks

SITE = "http://127.0.0.1:8000"
SECTIONS = ["duyurular", "e-hizmetler", "faaliyet-raporlari", "haberler", "mukellef-duyurulari", "seminerler"]


def pages(root):
    for path in sorted(root.rglob("*.html")):
        if "pagefind" not in path.parts and path.name != BANNER_FILE:  # the banner fragment is part of pages
            yield path.relative_to(root).as_posix(), path.read_text(encoding="utf-8")


def test_every_page_has_its_own_description_canonical_link_cards_and_valid_json_ld(built_demo):
    descriptions = collections.Counter()
    types = collections.defaultdict(set)
    for rel, html in pages(built_demo):
        soup = BeautifulSoup(html, "html.parser")
        head = soup.head
        description = head.find_all("meta", attrs={"name": "description"})
        assert len(description) == 1, rel
        text = description[0]["content"]
        assert 0 < len(text) <= 160, rel
        assert text == " ".join(text.split()), rel
        descriptions[text] += 1
        og = {m["property"]: m["content"] for m in head.find_all("meta", property=True)}
        twitter = {m["name"]: m["content"] for m in head.find_all("meta", attrs={"name": True})
                   if m["name"].startswith("twitter:")}
        path = rel.removesuffix("index.html")
        canonical = head.find_all("link", rel="canonical")
        if rel == "404.html":
            assert canonical == [] and "og:url" not in og
        else:
            assert [link["href"] for link in canonical] == [f"{SITE}/{path}"], rel
            assert og["og:url"] == f"{SITE}/{path}"
        assert (og["og:locale"], og["og:site_name"], og["og:description"]) == ("tr_TR", "Çorum Belediyesi", text)
        item = soup.select_one("main article.item")
        assert og["og:type"] == ("article" if item is not None and "page" not in item["class"] else "website"), rel
        image = built_demo / og["og:image"].removeprefix(SITE + "/")
        with Image.open(image) as opened:
            assert opened.size == (int(og["og:image:width"]), int(og["og:image:height"])), rel
        assert twitter == {"twitter:card": "summary_large_image", "twitter:title": og["og:title"],
                           "twitter:description": text, "twitter:image": og["og:image"],
                           "twitter:image:alt": og["og:image:alt"]}
        assert head.find("link", rel="manifest")["href"] == "/manifest.webmanifest"
        assert head.find("link", rel="apple-touch-icon")["href"] == "/apple-touch-icon.png"
        assert head.find("link", rel="icon", href="/favicon.ico") is not None
        blocks = jsonld_blocks(html)
        for block in blocks:
            types[block["@type"]].add(rel)
        crumbs = soup.select("nav.breadcrumb li")
        trail = next((b for b in blocks if b["@type"] == "BreadcrumbList"), None)
        if trail is not None:  # the same trail as the page shows
            assert [step["name"] for step in trail["itemListElement"]] == \
                [li.get_text(strip=True) for li in crumbs], rel
            links = [a["href"] for a in soup.select("nav.breadcrumb li a")]
            assert [step["item"] for step in trail["itemListElement"][:-1]] == [SITE + href for href in links]
            assert trail["itemListElement"][-1]["item"] == f"{SITE}/{path}"
        article = soup.select_one("main article.item")
        if article is not None and article.has_attr("data-pagefind-body"):  # current, not ended or withdrawn
            kind = {"item-haber": "NewsArticle", "item-seminer": "Event", "item-e-hizmet": "GovernmentService"}
            expected = [name for cls, name in kind.items() if cls in article["class"]]
            assert [b["@type"] for b in blocks if b["@type"] != "BreadcrumbList"] == expected, rel
    # one description per page: never the same text on two pages
    assert [text for text, count in descriptions.items() if count > 1] == []
    assert types["GovernmentOrganization"] == {"index.html"}
    assert len(types["NewsArticle"]) == 14 and len(types["GovernmentService"]) == 9
    assert len(types["Event"]) >= 4
    assert len(types["BreadcrumbList"]) > 200


def test_a_news_page_and_the_home_page_say_what_they_are(built_demo):
    home = jsonld_blocks((built_demo / "index.html").read_text(encoding="utf-8"))
    assert home == [{
        "@context": "https://schema.org", "@type": "GovernmentOrganization", "name": "Çorum Belediyesi",
        "url": f"{SITE}/", "logo": f"{SITE}/icon-512.png",
        "address": {"@type": "PostalAddress",
                    "streetAddress": "Çepni Mahallesi, İnönü Caddesi No: 4, 19100 Merkez / Çorum",
                    "addressLocality": "Çorum", "addressCountry": "TR"},
        "telephone": "0364 225 19 00", "email": "bilgi@corum.bel.tr"}]
    news = next(p for p in sorted((built_demo / "haberler" / "2026").glob("*/index.html")))
    soup = BeautifulSoup(news.read_text(encoding="utf-8"), "html.parser")
    article = next(b for b in jsonld_blocks(str(soup)) if b["@type"] == "NewsArticle")
    assert article["headline"] == soup.h1.get_text()
    assert article["image"] == [f"{SITE}/paylasim/haberler.png"]  # no photo: the section's card
    assert article["datePublished"] == soup.select_one("p.meta time")["datetime"]
    og = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
    assert (og["og:image"], og["og:image:width"], og["og:image:height"], og["og:image:alt"]) == (
        f"{SITE}/paylasim/haberler.png", "1200", "630", "Çorum Belediyesi: Haberler")


def test_share_cards_icons_and_manifest(built_demo):
    for name in ["site"] + SECTIONS:
        with Image.open(built_demo / "paylasim" / f"{name}.png") as card:
            assert (card.format, card.size, card.mode) == ("PNG", (1200, 630), "RGB")
    with Image.open(built_demo / "favicon.ico") as icon:
        assert icon.format == "ICO" and icon.ico.sizes() == {(16, 16), (32, 32), (48, 48)}
    with Image.open(built_demo / "apple-touch-icon.png") as icon:
        assert (icon.format, icon.size) == ("PNG", (180, 180))
    manifest = json.loads((built_demo / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert (manifest["name"], manifest["short_name"], manifest["lang"], manifest["theme_color"],
            manifest["start_url"]) == ("Çorum Belediyesi", "Çorum", "tr", "#8a1c1c", "/")
    sizes = []
    for icon in manifest["icons"]:
        with Image.open(built_demo / icon["src"].lstrip("/")) as image:
            assert f"{image.size[0]}x{image.size[1]}" == icon["sizes"] and image.format == "PNG"
            sizes.append((icon["sizes"], icon["purpose"]))
    assert sizes == [("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")]


def test_generated_images_are_the_same_bytes_in_a_fresh_build(built_demo, tmp_path):
    """A second build from a fresh copy (no cache under var/) encodes every image again: the same bytes."""
    root = copy_instance(REPO, tmp_path / "instance")
    output = tmp_path / "site"
    build_site(load_instance(root), output, now=FIXED_NOW, build_id="again", check=False, search=False)
    made = ["favicon.ico", "apple-touch-icon.png", "icon-192.png", "icon-512.png", "icon-maskable-512.png",
            "manifest.webmanifest"] + [f"paylasim/{name}.png" for name in ["site"] + SECTIONS]
    for rel in made:
        assert (output / rel).read_bytes() == (built_demo / rel).read_bytes(), rel
    assert (root / "var" / "cache" / "paylasim").is_dir()  # and the next build takes them from the cache


def test_home_page_stays_small(built_demo):
    """The head's sharing data keeps the home page light: its HTML well under 10 KB compressed."""
    assert len(gzip.compress((built_demo / "index.html").read_bytes())) < 10_000


def test_a_page_of_another_kind_takes_the_title_and_description_its_writer_passes():
    from municms.share import page_meta

    municipality = load_instance(REPO).municipality
    meta = page_meta({"output_file": "nobetci-eczaneler/index.html", "share_title": "Nöbetçi Eczaneler",
                      "share_description": "Bugün ve yarın nöbetçi olan eczaneler."},
                     municipality, "Çorum Belediyesi", {})
    assert (meta.title, meta.description, meta.url, meta.type, meta.jsonld) == (
        "Nöbetçi Eczaneler", "Bugün ve yarın nöbetçi olan eczaneler.", f"{SITE}/nobetci-eczaneler/", "website",
        [])
    assert meta.image.url == f"{SITE}/paylasim/site.png"
    plain = page_meta({"output_file": "baska/index.html"}, municipality, "Çorum Belediyesi", {})
    assert (plain.title, plain.description) == ("Çorum Belediyesi", "Çorum Belediyesi resmî internet sitesi.")


def test_descriptions_are_one_line_cut_at_a_word():
    from municms.share import plain_description

    text = "Işıklı Çarşı'nın\nyenileme ihalesi,   sonuçlandı. " * 8
    cut = plain_description(text)
    words = cut.removesuffix("…").split()
    assert len(cut) <= 160 and cut.endswith("…") and "\n" not in cut
    assert words == text.split()[:len(words)] and not words[-1].endswith(",")
    assert plain_description("Kısa  özet\n") == "Kısa özet"
