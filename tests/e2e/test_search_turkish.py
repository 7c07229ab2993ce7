"""Turkish search in real Chromium over the built demo site: queries typed with and without Turkish letters, in
any case, find the page a citizen expects first; a word that is not on the site, or words that never meet on one
page, find nothing and the page says so in Turkish. One browser page for the whole table."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ZABITA_NEWS = "/haberler/2026/zabita-ekipleri-semt-pazarlarinda-denetim-yapti/"
# both have Zabıta in the title: the regulation and the news item
ZABITA = {ZABITA_NEWS, "/mevzuat/corum-belediyesi-zabita-yonetmeligi/"}
ILAN_REKLAM = "/mukellef-duyurulari/2026/ilan-ve-reklam-vergisi-beyan-ve-odeme-suresi/"
DUKKAN = "/duyurular/2025/kiralik-dukkan-ve-bufe-ihale-ilani/"
E_IMAR = "/e-hizmetler/e-imar-imar-durumu-sorgulama/"
SU_KESINTISI = {"/duyurular/2026/planli-su-kesintisi/", "/duyurular/2026/planli-su-kesintisi-2/"}
EMLAK = "/mukellef-duyurulari/2026/emlak-vergisi-1-taksit-odemeleri-1-haziranda-sona-eriyor/"
ASFALT_IHALE = "/duyurular/2026/bitumlu-sicak-karisim-asfalt-malzemesi-alimi-ihale-ilani/"
TATBIKAT = "/haberler/2026/itfaiyeden-okullarda-yangin-ve-tahliye-tatbikati/"
ITFAIYE = {TATBIKAT, "/duyurular/2026/sozlesmeli-itfaiye-eri-alimi-duyurusu/"}
NIKAH = "/e-hizmetler/nikah-randevusu/"
MEZARLIK = "/e-hizmetler/mezarlik-bilgi-sistemi/"
BEYAZ_MASA = "/e-hizmetler/beyaz-masa-basvurusu/"
BEYAZ_MASA_BOTH = {BEYAZ_MASA, "/haberler/2026/beyaz-masaya-2025-yilinda-18-bin-basvuru-ulasti/"}
LEBLEBI = "/haberler/2025/corum-leblebi-ve-kultur-festivali-coskuyla-tamamlandi/"
INONU = "/duyurular/2026/inonu-caddesinde-yol-calismasi-nedeniyle-trafik-duzenlemesi/"
GAZI = "/haberler/2026/gazi-caddesinde-sicak-asfalt-calismasi-tamamlandi/"
BUTCE = "/kurumsal/butce/"
KVKK = "/kvkk/"
KENT_ORMANI = "/haberler/2024/corum-kent-ormanina-5-bin-fidan-dikildi/"
NONE = None

# query → the page expected first (a set: any of those pages), or NONE when nothing may be found
QUERIES = {
    "ZABITA": ZABITA, "zabita": ZABITA, "Zabıta": ZABITA,
    "IŞIKLI": ILAN_REKLAM, "isikli": ILAN_REKLAM, "Işıklı": ILAN_REKLAM, "ışıklı reklam": ILAN_REKLAM,
    "İSKİ": NONE, "iski": NONE,
    "ÇARŞI": DUKKAN, "carsi": DUKKAN, "çarşı": DUKKAN, "Çarşısı": DUKKAN,
    "İmar": E_IMAR, "IMAR": E_IMAR, "imar": E_IMAR,
    "çorum kent ormanı": KENT_ORMANI, "CORUM KENT ORMANI": KENT_ORMANI,
    "su kesintisi": SU_KESINTISI, "SU KESİNTİSİ": SU_KESINTISI, "Su Kesintisi": SU_KESINTISI,
    "emlak vergisi": EMLAK, "EMLAK VERGİSİ": EMLAK, "EMLAK VERGISI": EMLAK,
    "asfalt ihale": ASFALT_IHALE, "ASFALT İHALESİ": ASFALT_IHALE,
    "itfaiye": ITFAIYE, "İTFAİYE": ITFAIYE, "ITFAIYE": ITFAIYE, "itfaiye tatbikatı": TATBIKAT,
    "nikah": NIKAH, "nikâh": NIKAH, "NİKAH": NIKAH, "Nikâh randevusu": NIKAH,
    "mezarlık": MEZARLIK, "mezarlik": MEZARLIK, "MEZARLIK": MEZARLIK,
    "şikayet": BEYAZ_MASA, "şikâyet": BEYAZ_MASA, "SIKAYET": BEYAZ_MASA,
    "leblebi": LEBLEBI, "LEBLEBİ": LEBLEBI,
    "İnönü": INONU, "inonu": INONU, "İNÖNÜ": INONU,
    "Gazi caddesi": GAZI, "GAZİ CADDESİ": GAZI, "gazi caddesi asfalt": GAZI,
    "bütçe": BUTCE, "butce": BUTCE, "BÜTÇE": BUTCE,
    "KVKK": KVKK, "kvkk": KVKK,
    "beyaz masa": BEYAZ_MASA_BOTH, "BEYAZ MASA BAŞVURUSU": BEYAZ_MASA, "beyaz masa basvurusu": BEYAZ_MASA,
    "şikayet başvurusu": BEYAZ_MASA,
    "zabıta denetim": ZABITA_NEWS, "ZABITA PAZAR": ZABITA_NEWS, "zabita yonetmeligi": ZABITA - {ZABITA_NEWS},
    "zabıta leblebi": NONE, "metro hattı": NONE, "xyzzy": NONE, "Su kesintisi İSKİ": NONE,
}


@pytest.fixture(scope="module")
def search_page(browser, demo_url):
    context = browser.new_context()
    # the site is served with its strict CSP: the search page must run under it (no inline script or style)
    context.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                            " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
    page = context.new_page()
    yield page
    context.close()


def search(page, base: str, query: str) -> tuple[list[str], str]:
    """The result links and the announced status of /arama/?q=query, once the search has finished."""
    page.goto(base + "/arama/?q=" + quote(query))
    page.locator('#arama[data-durum="hazir"]').wait_for()
    assert page.evaluate("window.__csp") == [], query
    links = page.locator("#arama-sonuclar .card-title a")
    return [links.nth(i).get_attribute("href") for i in range(links.count())], page.inner_text("#arama-durum")


def test_turkish_queries_find_the_expected_page_first(search_page, demo_url):
    assert len(QUERIES) >= 30
    wrong = []
    for query, expected in QUERIES.items():
        found, status = search(search_page, demo_url, query)
        if expected is NONE:
            if found or status != f"“{query}” için sonuç bulunamadı. Yazımı denetleyin ya da daha az sözcükle arayın.":
                wrong.append(f"{query!r}: expected no result, got {found[:3]} / {status!r}")
            continue
        wanted = expected if isinstance(expected, set) else {expected}
        count = re.fullmatch(f"“{re.escape(query)}” için (\\d+) sonuç bulundu\\.", status)
        if not found or found[0] not in wanted or not count or int(count.group(1)) < len(found):
            wrong.append(f"{query!r}: expected {sorted(wanted)} first, got {found[:3]} / {status!r}")
    assert wrong == [], "\n".join(wrong)


def test_results_show_original_turkish_with_words_apart_and_keep_the_query(search_page, demo_url):
    search(search_page, demo_url, "ZABITA")
    expect(search_page.locator("#q")).to_have_value("ZABITA")
    first = search_page.locator("#arama-sonuclar > li").filter(has=search_page.locator(f'a[href="{ZABITA_NEWS}"]'))
    expect(first.locator(".card-title a")).to_have_text("Zabıta Ekipleri Semt Pazarlarında Denetim Yaptı")
    expect(first.locator(".meta")).to_have_text("Haberler · 22 Eylül 2026 Salı")
    excerpt = first.locator(".search-excerpt")
    marked = excerpt.locator("mark").all_inner_texts()
    assert marked and {word.rstrip(".,") for word in marked} <= {"Zabıta"}, marked
    assert "Zabıta ekiplerimiz" in excerpt.inner_text()
    assert search_page.locator("#arama-durum").get_attribute("aria-live") == "polite"
    assert search_page.locator("#arama-durum").get_attribute("role") == "status"
    # the site's own look, at the base font size
    sizes = search_page.evaluate("""() => [getComputedStyle(document.body).fontSize,
        getComputedStyle(document.querySelector('.search-excerpt')).fontSize]""")
    assert sizes[0] == sizes[1], sizes


def test_a_schedule_reads_with_its_words_apart(search_page, demo_url):
    found, _ = search(search_page, demo_url, "kontenjan")
    assert found
    texts = search_page.locator("#arama-sonuclar .search-excerpt").all_inner_texts()
    joined = " ".join(texts)
    assert re.search(r"Kontenjan \d+ kişi", joined), joined  # facts of a seminar: <dt>, <dd> one after another
    assert not re.search(r"[a-zçğıöşü]{2}[A-ZÇĞİÖŞÜ][a-zçğıöşü]", joined), joined  # no "PazartesiBirim"


def test_more_results_come_ten_at_a_time(search_page, demo_url):
    found, status = search(search_page, demo_url, "belediye")
    total = int(re.search(r"için (\d+) sonuç", status).group(1))
    assert total > 10 and len(found) == 10
    more = search_page.get_by_role("button", name="Daha fazla sonuç")
    while more.is_visible():
        shown = search_page.locator("#arama-sonuclar > li").count()
        more.click()
        expect(search_page.locator("#arama-sonuclar > li")).not_to_have_count(shown)
        # the keyboard goes on where the new results begin
        expect(search_page.locator("#arama-sonuclar .card-title a").nth(shown)).to_be_focused()
    expect(search_page.locator("#arama-sonuclar > li")).to_have_count(total)
    links = search_page.locator("#arama-sonuclar .card-title a")
    hrefs = links.evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert len(set(hrefs)) == total
