"""Incremental publishing: after any sequence of publishes the live site is byte for byte what a full build of
the same content gives, a publish renders and writes only what its change touches, and the embargo holds.

Everything goes through the front door: items come from intake, people log in to review and approve, and the
real pipeline (materialise → incremental Pelican build → checks → deploy) publishes."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from municms.actions.expire import expire_due
from municms.actions.rollback import rollback
from municms.build import build_site
from municms.incremental.compare import tree_hashes
from municms.incremental.digest import Digester
from municms.incremental.registry import forget, state_for, work_dir
from municms.model import PUBLISHED
from municms.register.layout import LAYOUT_FILE
from municms.incremental.search_prep import prepare_soon
from municms.search import SEARCH_DIR, part_of, read_parts_file
from tests.hostile import search_fragment
from tests.municipality import files_mentioning, submission_text

# The search index is compared by what it finds (tests/unit/test_search.py), not byte for byte here; the
# release file names the release; the publication register (yayin-kaydi/) is written at deploy, not by the build.
NOT_COMPARED = ("pagefind/", "surum.json", ".municms-build", "yayin-kaydi/")


def tree(root: Path) -> dict[str, str]:
    """The hash of every file below root (following the release's links into shared parts), by relative path."""
    return tree_hashes(root, NOT_COMPARED)


def full_build(m, target: Path) -> dict[str, str]:
    """A full build of the content publish left in content/ and data/, at the same moment, from nothing."""
    build_site(m.instance, output=target, now=m.clock.now(), build_id="tam", check=False, search=False)
    return tree(target)


def assert_same_as_full_build(m, target: Path) -> None:
    live, full = tree(m.paths.current), full_build(m, target)
    assert sorted(live) == sorted(full)
    differing = sorted(rel for rel in live if live[rel] != full[rel])
    assert differing == []
    # the layout of the register's pages, which the export consumed: the publisher's tree keeps the one it built
    assert (work_dir(m.paths) / "site" / LAYOUT_FILE).read_bytes() == (target / LAYOUT_FILE).read_bytes()


def searched_pages(site: Path) -> dict[str, list[str]]:
    """The addresses each search bundle of a live site holds (read from its fragments)."""
    site = Path(os.path.realpath(site))
    root = site / SEARCH_DIR
    found = {}
    for folder in [root, *sorted(p for p in root.iterdir() if p.is_dir() and (p / "fragment").is_dir())]:
        name = "genel" if folder == root else folder.name
        found[name] = sorted(search_fragment(f.read_bytes())["url"] for f in (folder / "fragment").iterdir())
    return {name: urls for name, urls in found.items() if urls}


def assert_search_holds_exactly_the_searchable_pages(m) -> None:
    """Every page with searchable content is in its bundle, and nothing else is (a withdrawn item leaves it)."""
    site = Path(os.path.realpath(m.paths.current))
    start = read_parts_file(site)["yeni_baslangic"]  # the recent bundle's first day (moved by serve's preparation)
    expected: dict[str, list[str]] = {}
    for rel in tree(site):  # the release's pages, through its shard links
        part = part_of(rel, (site / rel).read_bytes(), start) if rel.endswith(".html") else None
        if part:
            expected.setdefault(part, []).append("/" + rel.removesuffix("index.html"))
    assert searched_pages(site) == {part: sorted(urls) for part, urls in expected.items()}


TITLES = st.sampled_from(["Işıklı Çarşı İhalesi", "Zabıta Denetimi", "Çevre Temizliği", "Su Kesintisi",
                          "İmar Planı Askısı", "Gülabibey Parkı"])
TAGS = st.lists(st.sampled_from(["ihale", "imar", "çevre", "İmar", "su"]), max_size=2, unique=True)


class Publishing(RuleBasedStateMachine):
    """Random sequences of what a municipality does, each followed by a real publish."""

    def __init__(self):
        super().__init__()
        self.published: list[str] = []
        self.scheduled: list[str] = []
        self.step = 0

    @initialize()
    def start(self):
        self.m = self.municipality(site="tiny", name=f"site-{id(self)}")
        for login in ("mudur1", "web1", "web2", "web3"):
            self.m.actor(login)
        self.m.publish()

    def publish(self):
        self.m.publish()
        self.step += 1

    @rule(title=TITLES, tur=st.sampled_from(["haber", "duyuru"]), tags=TAGS)
    def add(self, title, tur, tags):
        front = {"etiketler": tags} if tags else {}
        item = self.m.submit(tur, f"{title} {self.step}", f"{title} hakkında metin.\n", **front)
        self.m.approve(item.number)
        self.publish()
        self.published.append(item.number)

    @rule(title=TITLES, days=st.integers(0, 3))
    def add_tax_notice(self, title, days):
        """A notice whose last day comes within days: `time_passes` takes it past, which changes its pages and
        listings although nothing about the item changes."""
        item = self.m.submit("mukellef-duyurusu", f"{title} Vergisi {self.step}", "Son gün yakında.\n",
                             son_basvuru=(self.m.clock.now() + dt.timedelta(days=days)).date().isoformat())
        self.m.approve(item.number)
        self.publish()

    @rule(title=TITLES, days=st.integers(1, 3))
    def add_embargoed(self, title, days):
        item = self.m.submit("haber", f"{title} (yakında) {self.step}", "Yakında.\n",
                             yayin=self.m.clock.now() + dt.timedelta(days=days))
        self.m.approve(item.number)
        self.publish()
        self.scheduled.append(item.number)
        assert files_mentioning(self.m.paths.current, item.number) == []

    @precondition(lambda self: self.published)
    @rule(index=st.integers(0, 50), title=TITLES)
    def edit(self, index, title):
        number = self.published[index % len(self.published)]
        item = self.m.ledger.item(number)
        if item.state != PUBLISHED:
            return
        self.m.edit(number, submission_text(item.tur, f"{title} (düzeltildi)", "Düzeltilmiş metin.\n"), by="web1")
        self.m.approve(number, by="web3", reviewer="web1")
        self.publish()

    @precondition(lambda self: self.published)
    @rule(index=st.integers(0, 50))
    def withdraw(self, index):
        number = self.published[index % len(self.published)]
        if self.m.ledger.item(number).state == PUBLISHED:
            self.m.withdraw(number, by="web2", reason="Bilgi güncelliğini yitirdi.")
            self.publish()

    @rule(hours=st.integers(1, 80))
    def time_passes(self, hours):
        """Scheduled items come due, ended ones expire; the date on the home page moves on."""
        self.m.clock.advance(dt.timedelta(hours=hours))
        expire_due(self.m.ledger, self.m.instance, self.m.clock)
        self.publish()

    @rule()
    def month_turns(self):
        """The first morning of the next month: last month's items leave the recent search bundle."""
        now = self.m.clock.now()
        first = (now.replace(day=1) + dt.timedelta(days=32)).replace(day=1, hour=9, minute=0)
        self.m.clock.advance(first - now)
        expire_due(self.m.ledger, self.m.instance, self.m.clock)
        self.publish()

    @rule()
    def serve_prepares_the_year_bundles(self):
        """serve's scheduler indexes in the background the years that items leaving the recent bundle go to."""
        thread = prepare_soon(state_for(self.m.paths), self.m.clock.now())
        if thread is not None:
            thread.join()

    @rule(title=TITLES)
    def banner(self, title):
        item = self.m.submit("acil-duyuru", f"Acil: {title} {self.step}", "ALO 153.\n",
                             bitis=self.m.clock.now() + dt.timedelta(days=1))
        self.m.approve(item.number, by=("web2", "web3"))
        self.publish()

    @precondition(lambda self: self.step >= 2)
    @rule()
    def roll_back_then_publish(self):
        rollback(self.m.ledger, self.m.instance, self.m.paths, self.m.clock, self.m.actor("mudur1"),
                 reason="Hatalı yayın.")
        self.publish()

    @rule()
    def another_process_publishes(self):
        """The command line publishes with the state serve saved (this process forgets its own)."""
        forget(self.m.paths)
        self.publish()

    @invariant()
    def live_site_is_the_full_build(self):
        if getattr(self, "m", None) is None:
            return
        assert_same_as_full_build(self.m, self.m.root.parent / f"tam-{id(self)}-{self.step}")
        assert_search_holds_exactly_the_searchable_pages(self.m)


@pytest.mark.slow
def test_any_sequence_of_publishes_equals_a_full_build(municipality):
    Publishing.municipality = staticmethod(municipality)
    test = Publishing.TestCase
    test.settings = settings(max_examples=4, stateful_step_count=6, deadline=None, derandomize=True,
                             suppress_health_check=list(HealthCheck), database=None)
    test().runTest()


@pytest.mark.slow
def test_one_new_item_renders_and_writes_only_what_shows_it(site):
    site.publish()
    item = site.submit("haber", "Gülabibey Parkı Açıldı", "Park açıldı.\n", etiketler=["park"])
    site.approve(item.number)
    result = site.publish()
    build = result.build
    page = "haberler/2026/gulabibey-parki-acildi/index.html"
    pages = sorted(rel for rel in build.written if not rel.startswith(("pagefind/", "surum.json")))
    assert pages == sorted([
        page, "haberler/index.html", "haberler/2026/index.html", "haberler/atom.xml", "atom.xml", "index.html",
        "etiket/index.html", "etiket/park/index.html", "etiket/park/2026/index.html",
        "birimler/fen-isleri/index.html", "birimler/fen-isleri/2026/index.html",
        "sitemap.xml", "sitemaps/genel.xml", "sitemaps/haberler-2026.xml",
        "api/v1/index.json", "api/v1/haberler/index.json", "api/v1/haberler/2026.json",
        "api/v1/haberler/2026/gulabibey-parki-acildi.json"])
    assert build.read == 1 and [rel for rel in build.removed if not rel.startswith("pagefind/")] == []
    assert build.rendered <= len(pages)
    assert_same_as_full_build(site, site.root.parent / "tam")


@pytest.mark.slow
def test_withdrawing_an_item_of_an_earlier_year_takes_it_out_of_that_years_search_bundle(site):
    """Its page stays (with the notice) but loses its searchable content: the year's bundle is built again."""
    site.publish()
    item = site.submit("haber", "Gülabibey Parkı Açıldı", "Park açıldı.\n")
    site.approve(item.number)
    site.publish()
    page = "haberler/2026/gulabibey-parki-acildi/"
    assert "/" + page in searched_pages(site.paths.current)["yeni"]
    site.clock.advance(dt.timedelta(days=10))  # December: the item is no longer recent
    # the tiny site's tax notice is past its last day (30 November) by now: the publish that shows it so
    # changes a 2026 page, which year bundles prepared before it would not hold in that version
    site.publish()
    prepare_soon(state_for(site.paths), site.clock.now()).join()  # as serve's scheduler does after a pass
    other = site.submit("haber", "Kış Hazırlıkları Başladı", "Tuzlama ekipleri hazır.\n")
    site.approve(other.number)
    site.publish()  # the next publish that indexes anything takes the prepared year bundles
    assert "/" + page in searched_pages(site.paths.current)["2026"]
    site.withdraw(item.number, by="web2", reason="Bilgi güncelliğini yitirdi.")
    result = site.publish()
    assert f"{page}index.html" in result.build.written
    assert "/" + page not in [url for urls in searched_pages(site.paths.current).values() for url in urls]
    assert_search_holds_exactly_the_searchable_pages(site)


@pytest.mark.slow
def test_the_inputs_of_an_unchanged_article_page_are_not_digested_again(site, monkeypatch):
    """A publisher that kept its state compares each article page's inputs as a plain tuple: only a page whose
    inputs are new is digested (and rendered)."""
    site.publish()
    first = site.submit("haber", "Gülabibey Parkı Açıldı", "Park açıldı.\n")
    site.approve(first.number)
    site.publish()
    digested = []
    digest = Digester.digest

    def counting(self, value):
        if isinstance(value, dict) and value.get("template") == "article.html":
            digested.append(value["name"])
        return digest(self, value)
    monkeypatch.setattr(Digester, "digest", counting)
    second = site.submit("duyuru", "Su Kesintisi", "Yarın su kesintisi var.\n")
    site.approve(second.number)
    result = site.publish()
    assert digested == ["duyurular/2026/su-kesintisi/index.html"]
    assert "duyurular/2026/su-kesintisi/index.html" in result.build.written
    assert_same_as_full_build(site, site.root.parent / "tam")


@pytest.mark.slow
def test_only_the_listings_and_article_folders_a_new_item_is_on_are_gone_through_and_digested_again(
        site, monkeypatch):
    """The pages of a listing, or of the articles of one section's year, whose items, head and templates' global
    values are those of the last build are not even asked for (a publish costs the listings and the folder it
    changes, not every tag, department and article); of those asked for, only the pages whose inputs changed are
    digested."""
    from municms.incremental.pelican import FingerprintWriter

    site.publish()
    first = site.submit("haber", "Gülabibey Parkı Açıldı", "Park açıldı.\n", etiketler=["park"])
    site.approve(first.number)
    site.publish()
    digested, asked = [], []
    digest, write_file = Digester.digest, FingerprintWriter.write_file

    def counting(self, value):
        if isinstance(value, dict) and "template" in value and "kwargs" in value:
            digested.append(value["name"])
        return digest(self, value)

    def recording(self, name, *args, **kwargs):
        asked.append(name)
        return write_file(self, name, *args, **kwargs)
    monkeypatch.setattr(Digester, "digest", counting)
    monkeypatch.setattr(FingerprintWriter, "write_file", recording)
    second = site.submit("duyuru", "Su Kesintisi", "Yarın su kesintisi var.\n")
    site.approve(second.number)
    site.publish()
    assert sorted(digested) == sorted([
        "duyurular/2026/su-kesintisi/index.html", "duyurular/index.html", "duyurular/2026/index.html",
        "birimler/fen-isleri/index.html", "birimler/fen-isleri/2026/index.html", "index.html"])
    on = ["duyurular/index.html", "duyurular/2026/index.html", "birimler/fen-isleri/index.html",
          "birimler/fen-isleri/2026/index.html",                 # the listings the new item is on
          "duyurular/2026/su-kesintisi/index.html"] + sorted(    # and the articles of its folder
        str(path.relative_to(site.paths.current)) for path in (site.paths.current / "duyurular" / "2026").glob(
            "*/index.html"))
    off = ["haberler/index.html", "haberler/2026/index.html", "etiket/park/index.html",
           "etiket/park/2026/index.html",                        # not gone through
           "haberler/2026/gulabibey-parki-acildi/index.html"]
    assert len(on) > 6
    assert [name for name in on if name in asked] == on
    assert [name for name in off if name in asked] == []
    assert_same_as_full_build(site, site.root.parent / "tam")


@pytest.mark.slow
def test_another_process_parses_only_what_changed_with_the_objects_stored_on_disk(site):
    """The command line (or serve after a restart) starts without the publisher's memory: the parsed objects
    come from var/work/content.sqlite, so only the new item's source is parsed, and the site is the same."""
    site.publish()
    first = site.submit("haber", "Gülabibey Parkı Açıldı", "Park **açıldı**.\n", etiketler=["park"])
    site.approve(first.number)
    site.publish()
    forget(site.paths)  # a new process
    second = site.submit("duyuru", "Su Kesintisi", "Yarın su kesintisi var.\n")
    site.approve(second.number)
    result = site.publish()
    assert result.build.read == 1
    assert "duyurular/2026/su-kesintisi/index.html" in result.build.written
    assert_same_as_full_build(site, site.root.parent / "tam")


@pytest.mark.slow
def test_a_store_written_by_other_code_is_not_used(site, monkeypatch):
    from municms.incremental import store

    site.publish()
    forget(site.paths)
    monkeypatch.setattr(store, "code_digest", lambda: "another version")
    item = site.submit("duyuru", "Su Kesintisi", "Yarın su kesintisi var.\n")
    site.approve(item.number)
    result = site.publish()
    assert result.build.read == len(list((site.root / "content").rglob("*.md")))  # every source parsed again
    assert_same_as_full_build(site, site.root.parent / "tam")


@pytest.mark.slow
def test_the_temp_files_of_a_killed_build_are_removed_by_the_next_one(site):
    """A build killed while writing a page leaves its temp file next to the page and the page in its journal;
    the next process's build does not trust the tree, removes every file it did not produce and publishes the
    same site a full build gives."""
    site.publish()
    tree = site.paths.var / "work" / "site"
    leftover = tree / "haberler" / ".#yarim"
    leftover.write_bytes(b"<html>yar")
    (site.paths.var / "work" / "journal").write_text("haberler/index.html\n", encoding="utf-8")
    forget(site.paths)  # the process that was killed
    item = site.submit("duyuru", "Su Kesintisi", "Yarın su kesintisi var.\n")
    site.approve(item.number)
    site.publish()
    assert not leftover.exists()
    assert not list(tree.rglob(".#*"))
    assert_same_as_full_build(site, site.root.parent / "tam")


@pytest.mark.slow
def test_two_killed_builds_in_a_row_leave_no_page_trusted_that_the_first_one_wrote(site):
    """The first killed build replaced the home page (named in its journal); the second one was killed after
    reading that journal and before saving its state: the third must still not trust the home page."""
    site.publish()
    tree = site.paths.var / "work" / "site"
    (tree / "index.html").write_bytes(b"<html><main>yarim kalan yayin</main></html>")  # the first build's page
    (site.paths.var / "work" / "journal").write_text("index.html\n", encoding="utf-8")
    forget(site.paths)  # the first process, killed
    second = state_for(site.paths)
    second.begin(second.environment)  # reads the journal, starts its own
    forget(site.paths)  # the second process, killed before its state was saved
    site.publish()  # nothing new: the home page's inputs are what the saved state says
    assert b"yarim kalan yayin" not in (site.paths.current / "index.html").read_bytes()
    assert_same_as_full_build(site, site.root.parent / "tam")


@pytest.mark.slow
def test_a_failed_build_forgets_what_it_touched(site):
    """A build that fails its checks leaves pages in the working tree; the next build does not trust them."""
    site.publish()
    state = state_for(site.paths)
    broken = site.submit("duyuru", "Kırık Bağlantı", "Ayrıntı [burada](/olmayan-sayfa/).\n")
    site.approve(broken.number)
    held = site.publish()  # the item's page fails the link check: held back, the rest published
    assert broken.number in held.held
    assert not any("kirik-baglanti" in rel for rel in state.fingerprints)
    assert_same_as_full_build(site, site.root.parent / "tam")


@pytest.mark.slow
def test_an_edit_of_published_content_renders_its_page_again(site):
    item = site.submit("duyuru", "Yol Çalışması", "Pazartesi başlıyor.\n", etiketler=["imar"])
    site.approve(item.number)
    site.publish()
    site.edit(item.number, submission_text("duyuru", "Yol Çalışması Ertelendi", "Salı başlıyor.\n",
                                           etiketler=["imar"]), by="web1")
    site.approve(item.number, by="web3", reviewer="web1")
    result = site.publish()
    assert result.items == [item.number] and result.build.read == 1
    page = "duyurular/2026/yol-calismasi/index.html"
    assert page in result.build.written
    assert "Salı başlıyor." in (site.paths.current / page).read_text(encoding="utf-8")
    assert_same_as_full_build(site, site.root.parent / "tam")


@pytest.mark.slow
def test_build_full_compares_with_the_incremental_tree_and_a_difference_renders_everything_again(site):
    item = site.submit("haber", "Park Açıldı", "Park açıldı.\n", etiketler=["park"])
    site.approve(item.number)
    site.publish()
    code, out, err = site.run("build", "--full")
    assert code == 0 and "birebir aynı" in out, err
    # a page of the tree that is not what a full build makes (as a wrong digest would leave it), written as a new
    # file like every write of the publisher, so the live release keeps its own
    page = state_for(site.paths).work / "haberler/2026/park-acildi/index.html"
    wrong = page.with_name("yanlis.html")
    wrong.write_text(page.read_text(encoding="utf-8").replace("Park açıldı.", "Değiştirildi."), encoding="utf-8")
    os.replace(wrong, page)
    code, out, _ = site.run("build", "--full", "--json")
    report = json.loads(out)
    assert code == 1 and report["differing"] == ["haberler/2026/park-acildi/index.html"]
    assert (report["only_full"], report["only_incremental"]) == ([], [])
    again = site.publish()  # every page rendered again, only the wrong one written: the tree is right again
    assert again.build.rendered > 50 and again.build.written == ["haberler/2026/park-acildi/index.html"]
    assert_same_as_full_build(site, site.root.parent / "tam")
    assert site.run("build", "--full")[0] == 0


def test_the_nightly_full_build_runs_at_its_time_and_writes_its_report(site):
    from municms.daily import next_run
    from municms.incremental.nightly import NightlyFullBuild

    now = dt.datetime(2026, 11, 25, 12, 0, tzinfo=site.instance.tz)
    assert next_run(now, dt.time(3, 30)) == dt.datetime(2026, 11, 26, 3, 30, tzinfo=site.instance.tz)
    assert next_run(now.replace(hour=2), dt.time(3, 30)) == now.replace(hour=3, minute=30)
    assert site.instance.serve.full_rebuild_time() == dt.time(3, 30)
    site.publish()
    result = NightlyFullBuild(site.instance, site.paths, site.clock, dt.time(3, 30)).run_once()
    assert result.same and result.files > 50
    report = json.loads((site.paths.logs / "builds" / "tam-derleme-2026-11-25.log").read_text(encoding="utf-8"))
    assert report["ok"] is True and report["differing"] == []
