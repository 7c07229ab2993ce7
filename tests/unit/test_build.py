"""Building with Pelican as a library: URLs, slugs, listings, sanitising, and clean failure on bad input."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from municms.errors import BuildError, ConfigError
from tests.tinysite import REPO, build, copy_tiny


@pytest.fixture
def tiny(tmp_path):
    return copy_tiny(tmp_path / "tiny")


@pytest.fixture
def built(tiny, tmp_path):
    out = tmp_path / "out"
    build(tiny, out)
    return out


def read(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


def test_pretty_urls_per_section_and_year(built):
    assert (built / "haberler/2026/isikli-carsi-yenilendi/index.html").is_file()
    assert (built / "haberler/2025/kurban-bayrami-temizligi/index.html").is_file()
    assert (built / "e-hizmetler/borc-sorgulama/index.html").is_file()
    assert (built / "kurumsal/organizasyon-semasi/index.html").is_file()
    assert (built / "iletisim/index.html").is_file()
    assert (built / "faaliyet-raporlari/2026/2025-faaliyet-raporu/rapor.pdf").is_file()


def test_same_title_same_year_gets_stable_distinct_slugs(built):
    # the earlier item keeps the plain slug, whatever its file is called
    october = read(built, "duyurular/2026/meclis-toplantisi-gundemi/index.html")
    november = read(built, "duyurular/2026/meclis-toplantisi-gundemi-2/index.html")
    assert "Ekim ayı toplantısı" in october
    assert "Kasım ayı toplantısı" in november


def test_same_title_in_different_years_keeps_plain_slug(built):
    assert (built / "haberler/2025/kurban-bayrami-temizligi/index.html").is_file()
    assert (built / "haberler/2026/kurban-bayrami-temizligi/index.html").is_file()


def test_turkish_date_on_article(built):
    page = read(built, "haberler/2026/isikli-carsi-yenilendi/index.html")
    assert '<time datetime="2026-10-01T11:30:00+03:00">1 Ekim 2026 Perşembe</time>' in page


def test_submitted_html_is_sanitised(built):
    page = read(built, "haberler/2026/kurban-bayrami-temizligi/index.html")
    assert "<script>alert" not in page
    assert "javascript:" not in page


def test_tags_differing_in_turkish_case_are_one_tag(built):
    page = read(built, "etiket/imar/index.html")
    assert page.count('class="card-title"') == 2
    assert (built / "etiket/carsi/index.html").is_file()
    tags = read(built, "etiket/index.html")
    # Turkish alphabetical order; "İmar" and "imar" are used once each, the tie goes to the first in that order
    order = [tags.index(f">{name}</a>") for name in ("Çarşı", "ihale", "imar", "meclis", "temizlik", "vergi")]
    assert order == sorted(order)


def test_section_front_shows_latest_and_links_year_archives(built):
    front = read(built, "haberler/index.html")
    assert front.count('class="card-title"') == 2  # listings.latest: 2 in the tiny instance
    assert 'href="/haberler/2026/"' in front and 'href="/haberler/2025/"' in front
    year = read(built, "haberler/2026/index.html")
    assert year.count('class="card-title"') == 2


def test_department_page_and_year_archive(built):
    page = read(built, "birimler/fen-isleri/index.html")
    assert "Çağla Öztürk" in page
    assert (built / "birimler/fen-isleri/2025/index.html").is_file()


def test_home_shows_upcoming_deadline_and_seminar(built):
    home = read(built, "index.html")
    assert "30 Kasım 2026 Pazartesi" in home
    assert "10 Aralık 2026 Perşembe 10:00" in home


def test_feeds_sitemap_robots(built):
    feed = read(built, "haberler/atom.xml")
    assert "https://www.deneme.bel.tr/haberler/2026/isikli-carsi-yenilendi/" in feed
    index = read(built, "sitemap.xml")
    assert "sitemaps/haberler-2025.xml" in index and "sitemaps/haberler-2026.xml" in index
    assert "Sitemap: https://www.deneme.bel.tr/sitemap.xml" in read(built, "robots.txt")


def test_large_year_is_split_by_month(tiny, tmp_path):
    text = (tiny / "instance.yaml").read_text(encoding="utf-8").replace("month_split_over: 60",
                                                                       "month_split_over: 1")
    (tiny / "instance.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "split"
    build(tiny, out)
    year = read(out, "haberler/2026/index.html")
    assert 'href="/haberler/2026/10/"' in year and 'href="/haberler/2026/05/"' in year
    assert "IŞIKLI Çarşı Yenilendi" in read(out, "haberler/2026/10/index.html")


def _digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file()}


def test_adding_one_item_changes_a_bounded_set_of_files(tiny, tmp_path):
    before = tmp_path / "before"
    build(tiny, before)
    (tiny / "content/haberler/2026/yeni.md").write_text(
        "Title: Yeni Kütüphane Açıldı\nDate: 2026-11-20 10:00\nTur: haber\nBirim: fen-isleri\n"
        "Tags: kültür\nSummary: Kütüphane açıldı.\n\nKütüphane hizmete girdi.\n", encoding="utf-8")
    after = tmp_path / "after"
    build(tiny, after)
    old, new = _digests(before), _digests(after)
    changed = {name for name in new if old.get(name) != new[name]}
    # Search changes too, but only the recent bundle (the item is from this month): its entry point, metadata,
    # the new item's fragment and the index chunks holding its words; the other bundles keep their bytes.
    search = {name for name in changed if name.startswith("pagefind/")}
    assert all(name.startswith("pagefind/yeni/") for name in search), sorted(search)
    assert "pagefind/yeni/pagefind-entry.json" in search and len(search) <= 8, sorted(search)
    assert sum(name.startswith("pagefind/yeni/fragment/") for name in search) == 1
    changed -= search
    assert changed == {
        "haberler/2026/yeni-kutuphane-acildi/index.html",   # the item
        "haberler/index.html", "haberler/2026/index.html", "haberler/atom.xml",  # its section
        "etiket/kultur/index.html", "etiket/kultur/2026/index.html", "etiket/index.html",  # its (new) tag
        "birimler/fen-isleri/index.html", "birimler/fen-isleri/2026/index.html",  # its department
        "index.html", "atom.xml", "sitemap.xml", "sitemaps/haberler-2026.xml", "sitemaps/genel.xml",
        "api/v1/haberler/2026/yeni-kutuphane-acildi.json", "api/v1/haberler/2026.json",  # its documents
        "api/v1/haberler/index.json", "api/v1/index.json",
    }


def test_two_builds_of_the_same_input_are_identical(tiny, tmp_path):
    build(tiny, tmp_path / "a", build_id="same")
    build(tiny, tmp_path / "b", build_id="same")
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")


def test_unknown_type_fails_the_build_and_writes_nothing(tiny, tmp_path):
    (tiny / "content/haberler/2026/bozuk.md").write_text(
        "Title: Bozuk\nDate: 2026-11-20 10:00\nTur: bulten\n\nMetin.\n", encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(BuildError) as info:
        build(tiny, out)
    assert "'tur' alanı eksik ya da bilinmiyor ('bulten')" in info.value.message_tr
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_missing_attachment_fails_the_build(tiny, tmp_path):
    (tiny / "content/faaliyet-raporlari/2026/2025-faaliyet-raporu/rapor.pdf").unlink()
    with pytest.raises(BuildError) as info:
        build(tiny, tmp_path / "out")
    assert "ek 'rapor.pdf' bulunamadı" in info.value.message_tr


def test_bad_pelicanconf_lists_every_problem_and_writes_nothing(tiny, tmp_path):
    conf = tiny / "pelicanconf.py"
    text = conf.read_text(encoding="utf-8")
    text = text.replace('THEME = "themes/belediye"', 'THEME = "themes/yok"')
    text = text.replace('PLUGINS = ["turkish",', 'PLUGINS = ["turkce",')
    text = text.replace('DEFAULT_LANG = "tr"', 'DEFAULT_LANG = "en"')
    conf.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(ConfigError) as info:
        build(tiny, out)
    fields = sorted(p.field for p in info.value.problems)
    assert fields == ["DEFAULT_LANG", "PLUGINS", "PLUGINS", "THEME"]
    theme = next(p for p in info.value.problems if p.field == "THEME")
    assert theme.line == next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith("THEME ="))
    assert not out.exists()


def run_cli(*args, cwd):
    return subprocess.run([sys.executable, str(REPO / "publish.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_cli_invalid_instance_exits_1_with_turkish_and_english_and_writes_nothing(tiny, tmp_path):
    text = (tiny / "instance.yaml").read_text(encoding="utf-8")
    (tiny / "instance.yaml").write_text(text.replace("latest: 2,", "latest: sifir,")
                                        .replace('prefix: "BİM"', "prefix: 12345678901"), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("--instance", str(tiny), "build", "--output", str(out), cwd=tmp_path)
    assert result.returncode == 1
    assert "Yapılandırma geçersiz; hiçbir dosya yazılmadı." in result.stderr
    assert "listings.latest': Tam sayı bekleniyordu." in result.stderr
    assert "registration.prefix" in result.stderr
    assert "Configuration is invalid" in result.stderr
    assert not out.exists() and not (tiny / "var").exists()


def test_cli_build_json(tiny, tmp_path):
    out = tmp_path / "out"
    result = run_cli("--instance", str(tiny), "build", "--output", str(out), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"ok": true' in result.stdout and (out / "index.html").is_file()


def test_cli_usage_error_exits_2(tmp_path):
    result = run_cli("build", "--no-such-flag", cwd=tmp_path)
    assert result.returncode == 2


def test_manifest_records_sources_of_each_output_outside_the_public_tree(built, tiny):
    import json
    (manifest_file,) = (tiny / "var/manifests").glob("*.json")
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    files = manifest["files"]
    assert set(files) == {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()}
    article = files["haberler/2026/isikli-carsi-yenilendi/index.html"]
    assert "haberler/2026/isikli-carsi.md" in article["sources"]
    assert "haberler/2025/kurban-bayrami-temizligi.md" not in article["sources"]
    assert files["haberler/atom.xml"]["sources"] == ["haberler/2025/kurban-bayrami-temizligi.md",
                                                     "haberler/2026/isikli-carsi.md",
                                                     "haberler/2026/kurban-bayrami-temizligi.md"]
    assert files["faaliyet-raporlari/2026/2025-faaliyet-raporu/rapor.pdf"]["sources"] == [
        "faaliyet-raporlari/2026/2025-faaliyet-raporu/rapor.pdf"]
    assert files["sitemap.xml"]["sources"] == ["*"]
    assert hashlib.sha256((built / "index.html").read_bytes()).hexdigest() == files["index.html"]["sha256"]
    assert len(manifest["sources"]["haberler/2026/isikli-carsi.md"]) == 64
    assert "instance.yaml" in manifest["shared"]
    # JSON in the public tree: the search index and the open data (/api/v1/), never the manifest
    assert [p for p in built.rglob("*.json") if "pagefind" not in p.parts
            and p.relative_to(built).parts[:2] != ("api", "v1")] == []


def test_seminar_calendar(built):
    from icalendar import Calendar
    calendar = Calendar.from_ical((built / "seminerler.ics").read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "e-Devlet Kullanımı Semineri"
    assert event.decoded("dtstart").isoformat() == "2026-12-10T10:00:00+03:00"
    assert str(event["location"]) == "Konferans Salonu"
    assert str(event["url"]) == "https://www.deneme.bel.tr/seminerler/2026/e-devlet-kullanimi-semineri/"
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Istanbul"]


def test_build_log_names_counts_and_phases(tiny, tmp_path):
    result = build(tiny, tmp_path / "out", build_id="log-test")
    log = (tiny / "var/logs/builds/log-test.log").read_text(encoding="utf-8").splitlines()
    assert log[:2] == ["build log-test", f"output {tmp_path / 'out'}"]
    assert "articles 10" in log and "pages 7" in log and f"files {result.files}" in log
    assert [line.split()[1] for line in log if line.startswith("phase ")] == ["pelican", "search", "checks", "manifest"]
    assert list(result.phases) == ["pelican", "search", "checks", "manifest"]
    assert sum(result.phases.values()) <= result.seconds + 0.01


def test_only_the_newest_build_manifests_are_kept(tmp_path):
    from municms.build import KEEP_MANIFESTS, write_manifest
    from municms.paths import InstancePaths

    paths = InstancePaths(tmp_path)
    written = []
    for n in range(KEEP_MANIFESTS + 5):
        target = write_manifest(paths, {"build_id": f"b{n:03d}", "files": {}})
        os.utime(target, ns=(n * 10**9, n * 10**9))  # the order the builds were made in
        written.append(target.name)
    assert sorted(p.name for p in (tmp_path / "var" / "manifests").iterdir()) == written[-KEEP_MANIFESTS:]


def test_each_seminar_has_its_own_calendar_linked_from_its_page(built):
    from icalendar import Calendar
    calendar = Calendar.from_ical((built / "seminerler.ics").read_bytes())
    whole = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    pages = sorted(p for p in (built / "seminerler").rglob("index.html") if p.parent.parent.name.isdigit())
    assert pages and len(pages) == len(whole)
    for page in pages:
        assert '<a href="takvim.ics" type="text/calendar">Takvime ekle (.ics)</a>' in page.read_text(encoding="utf-8")
        own = Calendar.from_ical((page.parent / "takvim.ics").read_bytes())
        [event] = own.walk("VEVENT")
        assert own["x-wr-calname"] == event["summary"]
        same = whole[str(event["uid"])]  # the same event, with the same UID, as in the whole calendar
        assert (event["dtstart"].dt, event["dtend"].dt, str(event["location"])) == \
            (same["dtstart"].dt, same["dtend"].dt, str(same["location"]))
        assert str(event["dtstart"].dt.tzinfo) == "Europe/Istanbul"
        assert Calendar.from_ical(own.to_ical()).to_ical() == own.to_ical()  # round-trips
    section = (built / "seminerler" / "index.html").read_text(encoding="utf-8")
    assert 'seminerler.ics" type="text/calendar">Tüm seminerleri takvime ekle (.ics)</a>' in section


def test_a_seminar_card_shows_when_and_where_it_takes_place_not_when_it_was_announced(built):
    for rel in ("seminerler/index.html", "seminerler/2026/index.html", "birimler/bilgi-islem/index.html"):
        card = (built / rel).read_text(encoding="utf-8").split('class="card-title"')[1].split("</article>")[0]
        assert '<time datetime="2026-12-10T10:00:00+03:00">10 Aralık 2026 Perşembe 10:00</time>' in card, rel
        assert "Konferans Salonu" in card and "10 Kasım 2026" not in card, rel
