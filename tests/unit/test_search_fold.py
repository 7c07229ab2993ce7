"""Turkish folding for search: one function in Python (the index, turkish.search_fold) and its twin in the search
page's script (the query, foldTurkish in arama.js) fold a table of strings alike; the search copy of a page holds
the folded words, one for each original word, and the original title, section, date and words as metadata."""

from __future__ import annotations

import functools
import json
import shutil
import subprocess

import pytest
from hypothesis import given, settings, strategies as st
from selectolax.lexbor import LexborHTMLParser

from municms.search_copy import search_copy
from municms.turkish import search_fold
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, REPO, require

ARAMA_JS = REPO / "themes" / "belediye" / "static" / "js" / "arama.js"

FOLDED = [
    ("ZABITA", "zabita"), ("zabita", "zabita"), ("Zabıta", "zabita"), ("zabıta", "zabita"),
    ("IŞIKLI", "isikli"), ("isikli", "isikli"), ("Işıklı", "isikli"), ("ışıklı", "isikli"),
    ("İSKİ", "iski"), ("i\u0307ski", "iski"), ("I\u0307SKI\u0307", "iski"),  # İ typed decomposed, or lowered by JS
    ("ÇARŞI", "carsi"), ("carsi", "carsi"), ("çarşı", "carsi"),
    ("İmar", "imar"), ("IMAR", "imar"), ("Çorum", "corum"), ("ÇORUM", "corum"),
    ("Nikâh", "nikah"), ("nikah", "nikah"), ("şikâyet", "sikayet"), ("ŞİKAYET", "sikayet"),
    ("Resmî", "resmi"), ("Hûkûmet", "hukumet"), ("İnönü", "inonu"), ("İNÖNÜ", "inonu"),
    ("Gazi Caddesi'nde", "gazi caddesi'nde"), ("ĞÜŞİÖÇ ğüşıöç", "gusioc gusioc"),
    ("  su\tkesintisi\n", "su kesintisi"), ("beyaz\u00a0masa", "beyaz masa"), ("KVKK", "kvkk"),
    ("e-İmar: İmar Durumu", "e-imar: imar durumu"), ("2.500 TL", "2.500 tl"), ("Café", "cafe"),
    ("", ""), ("   ", ""),
]


@pytest.mark.parametrize("text, folded", FOLDED)
def test_search_fold_examples(text, folded):
    assert search_fold(text) == folded


@settings(max_examples=200)
@given(st.text(alphabet="abcçdefgğhıijklmnoöprsştuüvyzABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZâîûÂÎÛ '.-\u0307", max_size=40))
def test_search_fold_is_ascii_lower_case_and_idempotent(text):
    folded = search_fold(text)
    assert folded == search_fold(folded)
    assert all(ch.isascii() for ch in folded), folded
    assert folded == folded.lower()


def run_js(function: str, calls: list[list]) -> list:
    """function of arama.js (one it exports) applied to each list of arguments: in node when it is installed,
    else in Chromium."""
    node = shutil.which("node")
    if node:
        script = ("const exported = require(process.argv[1]);"
                  "const calls = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
                  f"process.stdout.write(JSON.stringify(calls.map(args => exported.{function}(...args))));")
        done = subprocess.run([node, "-e", script, str(ARAMA_JS)], input=json.dumps(calls), capture_output=True,
                              text=True, check=True, timeout=60)
        return json.loads(done.stdout)
    require(CHROMIUM.exists(), "chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.add_script_tag(content="var module = {exports: {}};\n" + ARAMA_JS.read_text(encoding="utf-8"))
            return page.evaluate(f"calls => calls.map(args => module.exports.{function}(...args))", calls)
        finally:
            browser.close()


def test_the_search_page_script_folds_exactly_as_python_does():
    strings = [text for text, _ in FOLDED] + [
        "Σίσυφος ΟΔΟΣ", "Straße STRASSE", "ǅemal", "Ⅻ", "ＡＢＣ", "İ̇", "a\u200bb", "x\x1cy", "ﬁle",
        "Çınaraltı Kütüphanesi Hizmete Girdi", "YÜRÜYÜŞLERİNİ", "Başkan Yardımcılığı (3): kültür",
    ]
    assert run_js("foldTurkish", [[text] for text in strings]) == [search_fold(text) for text in strings]


# (a word of a page's search copy, a folded query word) → whether the page's word counts as a match
AGREEMENT = [
    ("zabita", "zabita", True), ("zabitaya", "zabita", True), ("isleri", "iski", False), ("is", "iski", False),
    ("isikli", "isikli", True), ("isik", "isikli", True), ("c", "carsi", False), ("carsisi", "carsi", True),
    ("kesintiler", "kesintisi", True), ("kesinti.", "kesintisi", True), ("kesim", "kesintisi", False),
    ("ihale", "ihalesi", True), ("e-imar:", "imar", True), ("e-imar:", "eimar", True),
    ("caddesi'nde", "caddesi", True), ("corum'da", "corumda", True), ("su", "su", True), ("suyu", "su", True),
    ("suresince", "su", False), ("subat", "su", True), ("kvkk", "kvkk", True), ("kvk", "kvkk", False),
    ("2026", "2026", True), ("2025", "2026", False), ("belediye", "belediyesinin", True),
]


@pytest.mark.parametrize("page_word, query_word, agrees", AGREEMENT)
def test_search_page_agreement_of_words(page_word, query_word, agrees):
    # one run of the script for the whole table (cached), checked case by case
    assert agreement_table()[(page_word, query_word)] is agrees


@functools.cache
def agreement_table() -> dict:
    found = run_js("agrees", [[page_word, query_word] for page_word, query_word, _ in AGREEMENT])
    return {(page_word, query_word): result for (page_word, query_word, _), result in zip(AGREEMENT, found)}


PAGE = """<!DOCTYPE html><html lang="tr"><head><title>x</title>
<meta name="description" content="Zabıta &amp; pazar denetimi."></head><body><main>
<article class="item" data-pagefind-body><header class="item-header"><p class="kicker">Haberler</p>
<h1>Zabıta Ekipleri <em>IŞIKLI</em> Çarşıda</h1>
<p class="meta"><span>Yayın tarihi: <time datetime="2026-09-22">22 Eylül 2026 Salı</time></span><span>Birim:
<a href="/birimler/zabita/">Zabıta Müdürlüğü</a></span></p></header>
<div class="prose"><p>Çorum'<em>da</em> denetim.</p><dl><dt>Gün</dt><dd>Pazartesi</dd><dt>Yer</dt><dd>Hal</dd></dl>
<p>Not: <script>ignored()</script>&lt;b&gt;kalın&lt;/b&gt; değil</p><form><label>Ad</label></form>
<p hidden>gizli</p></div></article></main></body></html>"""


def test_search_copy_holds_folded_words_and_the_original_ones_as_metadata():
    copy = LexborHTMLParser(search_copy(PAGE.encode()).decode())
    assert copy.css_first("html").attributes["lang"] == "tr"
    body = copy.css_first("[data-pagefind-body]")
    meta = {node.attributes["data-pagefind-meta"].split("[")[0]: node.attributes["data-deger"]
            for node in body.css("[data-pagefind-meta]")}
    assert meta == {
        "title": "Zabıta Ekipleri IŞIKLI Çarşıda",
        "bolum": "Haberler",
        "tarih": "22 Eylül 2026 Salı",
        "ozet": "Zabıta & pazar denetimi.",
        "metin": "Zabıta Ekipleri IŞIKLI Çarşıda Çorum'da denetim. Gün Pazartesi Yer Hal Not: <b>kalın</b> "
                 "değil Haberler Yayın tarihi: 22 Eylül 2026 Salı Birim: Zabıta Müdürlüğü",
    }
    assert body.css_first("h1").text() == "zabita ekipleri isikli carsida"
    text = body.css_first("p").text()
    assert text == ("corum'da denetim. gun pazartesi yer hal not: <b>kalin</b> degil haberler yayin tarihi: "
                    "22 eylul 2026 sali birim: zabita mudurlugu")
    # one folded word for each original word, in order: the search page maps a match back to the original word
    assert (body.css_first("h1").text() + " " + text).split() == [search_fold(w) for w in meta["metin"].split()]


def test_search_copy_is_a_pure_function_of_the_page():
    assert search_copy(PAGE.encode()) == search_copy(PAGE)
    with pytest.raises(ValueError):
        search_copy(b"<html><body><main>no body mark</main></body></html>")


def test_copy_cache_gives_the_copy_and_keeps_within_its_budget():
    from municms.search_copy import CopyCache
    pages = [PAGE.replace("Zabıta Ekipleri", f"Zabıta Ekipleri {n}").encode() for n in range(6)]
    one = len(search_copy(pages[0]))
    cache = CopyCache(budget=3 * one + 2)
    assert [cache.copy_of(page) for page in pages] == [search_copy(page) for page in pages]
    assert cache.size <= cache.budget and len(cache._copies) == 3  # the three used last
    assert cache.copy_of(pages[-1]) is cache.copy_of(pages[-1])  # from the cache, not made again
