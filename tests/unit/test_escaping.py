"""Escape by default: hostile text in every free-text field of every submission type, dropped into a
department's inbox, approved by real people and published, reaches no output file as something that runs,
and every title reads exactly as the department typed it (pages, feeds, calendar)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from markupsafe import Markup
from selectolax.lexbor import LexborHTMLParser

from municms.fragments import resolve_includes
from tests.hostile import (BODY_PAYLOADS, PAGE_TITLES, PAYLOADS, TEXT_FIELDS, canonical_texts, html_problems,
                           live_markup, one_line, publish_hostile_site, search_fragment)
from tests.site_tree import site_files

pytestmark = pytest.mark.slow

# Turkish letters, ASCII punctuation and digits; no control characters (YAML and one-line fields are not the
# subject here), no ',' or ';' (they separate list values in metadata lines).
LETTERS = "abcçdefgğhıijklmnoöprsştuüvyzABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZ0123456789"
CHARACTERS = LETTERS + " <>&\"'=/()[]{}#!?:.*-_%+`\\|"
hostile_text = st.lists(st.one_of(st.sampled_from(PAYLOADS), st.text(CHARACTERS, min_size=1, max_size=12)),
                        min_size=1, max_size=3).map(" ".join).filter(lambda text: text.strip() != "")
# A body is also checked for its links and images before approval: no image of nowhere, no [link](to-nowhere).
body_text = st.lists(st.one_of(st.sampled_from([p for p in PAYLOADS if "src=" not in p]),
                               st.text(CHARACTERS.translate(str.maketrans("", "", "[]()")), min_size=1, max_size=12)),
                     min_size=1, max_size=3).map(" ".join)
all_fields = st.fixed_dictionaries({field: body_text if field == "metin" else hostile_text for field in TEXT_FIELDS})


def texts_of(node) -> str:
    return one_line(node.text(deep=True)) if node is not None else ""


def assert_titles_read_as_typed(site, titles: dict[str, str], texts: dict[str, str]) -> None:
    headings = {texts_of(h1) for page in site_files(site, ".html") for h1 in LexborHTMLParser(
        page.read_text(encoding="utf-8")).css("h1")}
    for tur in PAGE_TITLES:
        assert titles[tur] in headings, (tur, titles[tur])
    # the home page as the web server answers it: with the banner fragment included
    home = LexborHTMLParser(resolve_includes((site / "index.html").read_bytes(), site).decode("utf-8"))
    assert titles["acil-duyuru"] in {texts_of(h) for h in home.css("main > .emergency-banner h2")}
    chart = LexborHTMLParser((site / "kurumsal/organizasyon-semasi/index.html").read_text(encoding="utf-8"))
    assert any(titles["organizasyon"] in texts_of(h) for h in chart.css(".org-changes h3"))
    assert one_line(texts["kisi"]) in {texts_of(n) for n in chart.css(".org-head .org-person")}
    regulation = next(page for page in site.glob("mevzuat/*/index.html")
                      if texts_of(LexborHTMLParser(page.read_text(encoding="utf-8")).css_first("h1")) == titles["mevzuat"])
    adoption = [texts_of(dd) for dd in LexborHTMLParser(regulation.read_text(encoding="utf-8")).css(".adoption dd")]
    assert any(dd.endswith(", sayı " + one_line(texts["rg_sayisi"])) for dd in adoption), adoption
    seminar = next(page for page in site.glob("seminerler/2026/*/index.html")
                   if texts_of(LexborHTMLParser(page.read_text(encoding="utf-8")).css_first("h1")) == titles["seminer"])
    facts = [texts_of(dd) for dd in LexborHTMLParser(seminar.read_text(encoding="utf-8")).css(".facts dd")]
    assert one_line(texts["yer"]) in facts and one_line(texts["egitmen"]) in facts
    # The feed and the calendar carry the same text (Atom titles are text, not HTML).
    feed = ET.parse(site / "atom.xml")
    feed_titles = {one_line(e.text or "") for e in feed.iter("{http://www.w3.org/2005/Atom}title")}
    assert titles["haber"] in feed_titles and titles["seminer"] in feed_titles
    calendar = Calendar.from_ical((site / "seminerler.ics").read_bytes())
    assert titles["seminer"] in {str(event.get("summary")) for event in calendar.walk("VEVENT")}
    # The search index holds the text as the page shows it (its page escapes it again; see the browser test).
    found = {search_fragment(p.read_bytes())["meta"]["title"] for p in site_files(site / "pagefind")
             if p.parent.name == "fragment"}
    assert {titles[tur] for tur in PAGE_TITLES} <= found


@settings(max_examples=6, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@example(texts=canonical_texts())
@given(texts=all_fields)
def test_hostile_text_in_every_field_of_every_type_never_runs_and_reads_as_typed(municipality, texts):
    m = municipality("tiny")
    titles = publish_hostile_site(m, texts)
    site = m.paths.current
    assert live_markup(site) == []
    assert_titles_read_as_typed(site, titles, texts)


def test_the_reviewed_title_appears_on_every_listing_as_text(municipality):
    """The defect found by review: this title reached the home page, listings and the item page live."""
    title = 'Deneme <b onmouseover="alert(1)">Kalın</b>'
    m = municipality("tiny")
    item = m.submit("haber", title, "Metin.\n", ozet="Yaş < 18 &lt;script&gt;", etiketler=["deneme"])
    m.approve(item.number)
    m.publish()
    site = m.paths.current
    for page in ("index.html", "haberler/index.html", "haberler/2026/index.html", "birimler/fen-isleri/index.html",
                 "etiket/deneme/index.html", "haberler/2026/deneme-b-onmouseover-alert-1-kalin-b/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        tree = LexborHTMLParser(html)
        assert tree.css("b") == [] and html_problems(html, page) == [], page
        assert title in {texts_of(a) for a in tree.css("a, h1")}, page
        assert "Deneme &lt;b onmouseover=&#34;alert(1)&#34;&gt;Kalın&lt;/b&gt;" in html, page
    card = LexborHTMLParser((site / "haberler/index.html").read_text(encoding="utf-8")).css_first(".summary")
    assert card.text() == "Yaş < 18 &lt;script&gt;"  # the summary is the department's text, not Markdown or HTML


# --- the theme's own environment, many more examples --------------------------------------------------------

@pytest.fixture(scope="module")
def theme(tmp_path_factory):
    """The theme's templates in the Jinja environment a build gives them: pelicanconf.py's settings, the
    plugins' filters (Pelican initialised with the tiny instance, nothing built)."""
    from pelican import Pelican
    from pelican.generators import Generator

    from municms.build import pelican_settings
    from municms.config import load_instance
    from tests.tinysite import FIXED_NOW, copy_tiny

    root = copy_tiny(tmp_path_factory.mktemp("theme") / "tiny")
    settings = pelican_settings(load_instance(root), root / "out", "theme", FIXED_NOW)
    Pelican(settings)  # loads the plugins, which add their template filters
    return Generator({}, settings, settings["PATH"], settings["THEME"], settings["OUTPUT_PATH"])


@settings(max_examples=200, deadline=None, database=None)
@given(title=hostile_text, summary=hostile_text, department=hostile_text)
def test_card_and_breadcrumb_print_metadata_as_text(theme, title, summary, department):
    item = SimpleNamespace(title=title, summary=summary, birim_adi=department, url="haberler/2026/x/",
                           date=dt.datetime(2026, 11, 25, 12, 0), section=SimpleNamespace(title="Haberler"))
    macros = theme.get_template("_macros").module
    html = str(macros.item_card(item, "", show_section=True)) + str(macros.breadcrumb([("", title)], ""))
    assert html_problems(html, "card") == []
    tree = LexborHTMLParser(html)
    assert tree.css_first(".card-title a").text() == title
    assert tree.css_first(".summary").text() == summary
    assert department in tree.css_first(".meta").text()
    assert tree.css_first("[aria-current=page]").text() == title


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.one_of(st.sampled_from(PAYLOADS + BODY_PAYLOADS), st.text(CHARACTERS, max_size=20)),
                max_size=6).map("\n".join))
def test_the_one_trusted_filter_passes_only_the_policy_s_output(theme, fragment):
    """What the `sanitised` filter marks safe never runs, and is already what the policy gives (so bodies
    sanitised when read come out of the filter unchanged, ids included)."""
    trusted = theme.env.filters["sanitised"](fragment)
    assert isinstance(trusted, Markup) and html_problems(str(trusted), "body") == []
    assert str(theme.env.filters["sanitised"](str(trusted))) == str(trusted)
