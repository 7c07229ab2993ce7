"""A site whose departments typed hostile text into every free-text field, and a reader of every output file.

`publish_hostile_site(m, texts)` drops one submission of every type into the inboxes of a test municipality
(tests/municipality.py: real intake, real people approving, the real publish pipeline) with `texts[field]` in
each free-text field. `live_markup(site)` parses every file of the published site (HTML with an HTML parser,
Atom and sitemaps as XML, the calendar as iCalendar, JSON and the search index as JSON) and lists everything
a browser or a feed reader would run.
"""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from icalendar import Calendar
from selectolax.lexbor import LexborHTMLParser

from municms.fragments import BANNER_INCLUDE
from tests.site_tree import site_files
from tests.tinysite import REPO

# Markup, quotes, script URLs and entity-encoded tags, as a department might paste them.
PAYLOADS = (
    'Deneme <b onmouseover="alert(1)">Kalın</b>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "'><script>window.__xss=1</script>",
    "javascript:alert(1)",
    "Yaş < 18 & \"çift\" 'tek'",
    '<a href="javascript:alert(1)">tıkla</a>',
    "{{ 7*7 }} {% raw %}",
    "]]></title><script>alert(1)</script>",
    "&#60;b&#62;kalın&#60;/b&#62; &amp;amp;",
    '<!--#include virtual="/_acil.html" --> <!--#echo var="DOCUMENT_URI" -->',
)
# Raw HTML and Markdown a body may carry (no src=: an image of nowhere is a broken link, not a script).
BODY_PAYLOADS = (
    "<script>window.__xss=1</script>",
    '<p onclick="window.__xss=1">tıklanır paragraf</p>',
    "<svg onload=window.__xss=1></svg>",
    '<details open ontoggle="window.__xss=1"><summary>aç</summary>içerik</details>',
    '<a href="javascript:window.__xss=1">javascript bağlantısı</a>',
    "[markdown bağlantısı](javascript:window.__xss=1)",
    '<form action="javascript:window.__xss=1"><button>gönder</button></form>',
    "<style>body{display:none}</style>",
    "&lt;script&gt;window.__xss=1&lt;/script&gt; metin olarak kalır",
    '<math><maction actiontype="statusline" xlink:href="javascript:window.__xss=1">m</maction></math>',
    '<!--#include virtual="/yonetim/" -->',
)
# Every free-text field of every type, by the key tests draw a text for.
TEXT_FIELDS = ("haber", "haber_ozet", "etiket", "duyuru", "duyuru_ozet", "mukellef", "mukellef_ozet", "rapor",
               "rapor_ozet", "seminer", "seminer_ozet", "egitmen", "yer", "hedef_kitle", "ehizmet", "ehizmet_ozet",
               "grup", "acil", "sayfa", "sayfa_ozet", "organizasyon", "gorev", "kisi", "birim_adi", "yeni_ad",
               "metin", "mevzuat", "mevzuat_ozet", "rg_sayisi")
# Pages an item has: its type → the key of its title.
PAGE_TITLES = {"haber": "haber", "duyuru": "duyuru", "mukellef-duyurusu": "mukellef", "faaliyet-raporu": "rapor",
               "seminer": "seminer", "e-hizmet": "ehizmet", "sayfa": "sayfa", "mevzuat": "mevzuat"}
PDF = (REPO / "tests/fixtures/samples/good/strateji-gelistirme/2025-faaliyet-raporu/faaliyet-raporu-2025.pdf")
SERVICE_URL = "https://www.turkiye.gov.tr/corum-belediyesi-borc-sorgulama?tur=emlak&yil=2026"
THEME_SCRIPTS = {"/theme/js/arama.js"}  # search.html, nowhere else (it imports /pagefind/pagefind.js)


def one_line(text: str) -> str:
    """What a one-line field shows: intake strips it and materialise joins its whitespace."""
    return " ".join(text.split())


def canonical_texts() -> dict[str, str]:
    """Every field gets a payload, in turn."""
    return {field: PAYLOADS[index % len(PAYLOADS)] for index, field in enumerate(TEXT_FIELDS)}


def hostile_body(text: str) -> str:
    return "\n\n".join(("Giriş paragrafı.",) + BODY_PAYLOADS + (text,)) + "\n"


def publish_hostile_site(m, texts: dict[str, str]) -> dict[str, str]:
    """One item of every type through intake, approval and publish; returns the type → its public title."""
    t = texts
    body = hostile_body(t["metin"])
    tags = [t["etiket"], "deneme"]
    items = [
        m.submit("haber", t["haber"], body, ozet=t["haber_ozet"], etiketler=tags),
        m.submit("duyuru", t["duyuru"], body, ozet=t["duyuru_ozet"], etiketler=tags),
        m.submit("mukellef-duyurusu", t["mukellef"], body, ozet=t["mukellef_ozet"], son_basvuru="2026-12-31"),
        m.submit("faaliyet-raporu", t["rapor"], body, ozet=t["rapor_ozet"],
                 attachments={"rapor.pdf": PDF.read_bytes()}),
        m.submit("seminer", t["seminer"], body, ozet=t["seminer_ozet"], egitmen=t["egitmen"], yer=t["yer"],
                 hedef_kitle=[t["hedef_kitle"], "vatandaş"], baslangic="2026-12-10 10:00",
                 bitis="2026-12-10 12:00", kontenjan=30, kayit_son="2026-12-08"),
        m.submit("e-hizmet", t["ehizmet"], body, ozet=t["ehizmet_ozet"], grup=t["grup"], adres=SERVICE_URL),
        m.submit("sayfa", t["sayfa"], body, ozet=t["sayfa_ozet"]),
        m.submit("mevzuat", t["mevzuat"], body + "\nAmaç\nMADDE 1 – " + t["metin"] + "\n", ozet=t["mevzuat_ozet"],
                 karar_tarihi="2026-11-02", karar_sayisi="2026/12", yururluk="2026-11-03",
                 resmi_gazete_tarihi="2026-11-04", resmi_gazete_sayisi=t["rg_sayisi"]),
        m.submit("organizasyon", t["organizasyon"], body, yururluk="2026-11-01", degisiklikler=[
            {"islem": "ata", "birim": "fen-isleri", "gorev": t["gorev"], "kisi": t["kisi"]},
            {"islem": "birim-ekle", "birim": "yeni-birim", "ad": t["birim_adi"], "ust": "baskan"},
            {"islem": "yeniden-adlandir", "birim": "web", "ad": t["yeni_ad"]}]),
    ]
    banner = m.submit("acil-duyuru", t["acil"], body, bitis="2026-12-31")
    for item in items:
        m.approve(item.number)
    m.approve(banner.number, by=("web2", "web3"))  # an emergency banner needs two approvals
    result = m.publish()
    assert sorted(result.items) == sorted(i.number for i in items + [banner]), result
    titles = {tur: one_line(t[key]) for tur, key in PAGE_TITLES.items()}
    return dict(titles, **{"acil-duyuru": one_line(t["acil"]), "organizasyon": one_line(t["organizasyon"])})


# --- reading every output file -------------------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data", "background",
                  "cite", "ping", "manifest"}
FOREIGN_TAGS = {"iframe", "object", "embed", "frame", "frameset", "applet", "base", "svg", "math", "style",
                "template", "portal"}
_IGNORED_IN_URL = re.compile(r"[\x00-\x20]")


def _runs_script(url: str) -> bool:
    return _IGNORED_IN_URL.sub("", url).lower().startswith(("javascript:", "vbscript:", "data:"))


def _json_ld(node) -> bool:
    """A JSON-LD data block (browsers never run it): only a `type`, JSON text, and no `<`, `>` or `&` that could
    end the element or be read as markup."""
    text = node.text()
    if dict(node.attributes) != {"type": "application/ld+json"} or any(c in text for c in "<>&"):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def html_problems(html: str, where: str, theme_scripts: set[str] = frozenset()) -> list[str]:
    """Everything in an HTML document or fragment that would run: handlers, script URLs, foreign scripts."""
    problems = []
    # a server-side include directive other than the theme's banner line would run on the web server
    if html.count("<!--#") != html.count(BANNER_INCLUDE.decode()):
        problems.append(f"{where}: server-side include directive not put there by the theme")
    tree = LexborHTMLParser(html)
    for node in tree.root.traverse(include_text=False) if tree.root else []:
        for name, value in node.attributes.items():
            if name.lower().startswith("on"):
                problems.append(f"{where}: <{node.tag} {name}=…> event handler")
            if name.lower() in URL_ATTRIBUTES and _runs_script(value or ""):
                problems.append(f"{where}: <{node.tag} {name}={value!r}> script URL")
            if name.lower() in ("style", "srcdoc"):
                problems.append(f"{where}: <{node.tag} {name}=…> attribute")
        if node.tag == "script" and not _json_ld(node) and (node.attributes.get("src") not in theme_scripts
                                                             or node.text()):
            problems.append(f"{where}: <script {node.attributes}> not put there by the theme")
        if node.tag in FOREIGN_TAGS:
            problems.append(f"{where}: <{node.tag}> element")
        if node.tag == "meta" and "http-equiv" in node.attributes:
            problems.append(f"{where}: <meta http-equiv>")
    return problems


def _atom_problems(data: bytes, where: str) -> list[str]:
    problems = []
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(data)
    for element in feed.iter():
        if element.get("type") == "html":  # feed readers render these as HTML
            problems += html_problems(element.text or "", f"{where} <{element.tag.split('}')[1]}>")
        elif element.get("type") not in (None, "text"):
            problems.append(f"{where}: <{element.tag}> of type {element.get('type')}")
    for link in feed.iterfind(".//a:link", ns):
        if not link.get("href", "").startswith("https://"):
            problems.append(f"{where}: link {link.get('href')!r}")
    return problems


def _sitemap_problems(data: bytes, where: str) -> list[str]:
    return [f"{where}: loc {loc.text!r}" for loc in ET.fromstring(data).iter()
            if loc.tag.endswith("}loc") and not (loc.text or "").startswith("https://")]


def _calendar_problems(data: bytes, where: str) -> list[str]:
    return [f"{where}: URL {event.get('url')!r}" for event in Calendar.from_ical(data).walk("VEVENT")
            if not str(event.get("url")).startswith("https://")]


def search_fragment(data: bytes) -> dict:
    """A Pagefind fragment: text only (the search page escapes '<' and '>' before it adds its highlights)."""
    text = gzip.decompress(data).decode("utf-8")
    return json.loads(text[text.index("{"):])


# Files that are not made from submitted text: theme assets, Pagefind's own program and binary index, and
# the attachments as the departments sent them.
NOT_FROM_TEXT = (".css", ".js", ".svg", ".png", ".wasm", ".pf_index", ".pf_meta", ".pf_filter", ".pdf",
                 ".municms-build", ".txt", ".ico", ".jpg", ".webp")


def live_markup(site: Path) -> list[str]:
    """Read every output file with the parser of its kind; what would run in a browser or feed reader."""
    problems = []
    for path in site_files(site):
        rel = path.relative_to(site).as_posix()
        data = path.read_bytes()
        if rel.endswith(".html"):
            problems += html_problems(data.decode("utf-8"), rel, THEME_SCRIPTS if rel == "arama/index.html" else set())
        elif rel.endswith("atom.xml"):
            problems += _atom_problems(data, rel)
        elif rel.endswith(".xml"):
            problems += _sitemap_problems(data, rel)
        elif rel.endswith(".ics"):
            problems += _calendar_problems(data, rel)
        elif rel.endswith((".json", ".webmanifest")):
            json.loads(data)
        elif rel.endswith(".jsonl"):  # the publication register: one JSON record per line
            [json.loads(line) for line in data.splitlines()]
        elif rel.endswith(".pf_fragment"):
            search_fragment(data)
        elif not rel.endswith(NOT_FROM_TEXT) and not re.match(r"pagefind/([a-z0-9-]+/)?wasm\.", rel):
            problems.append(f"{rel}: an output file this test does not know how to read")
    return problems
