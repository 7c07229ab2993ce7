"""The JSON API through the front door: items come from real intake, people log in to approve and withdraw,
and the real pipeline publishes. Nothing leaks before its time, a withdrawn item's document says so, one new
item changes a bounded set of documents, and the live API equals a full build's."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest

from municms.scheduler import run_due
from tests.municipality import files_mentioning
from tests.publish.test_incremental import assert_same_as_full_build

from .api import schema_errors

BASE = "https://www.deneme.bel.tr/"   # the tiny instance's site_url


def read(site, rel: str) -> dict:
    return json.loads((site.paths.current / rel).read_text(encoding="utf-8"))


@pytest.mark.slow
def test_a_scheduled_item_is_in_no_api_document_until_its_time(site):
    tomorrow = site.clock.now() + dt.timedelta(days=1)
    title = "Gülabibey Mahallesine Yeni Çocuk Parkı"
    item = site.submit("haber", title, "Park törenle açıldı.", yayin=tomorrow, etiketler=["park"],
                       attachments={"plan.pdf": b"%PDF-1.4\n%plan\n"})
    site.approve(item.number)
    run_due(site.ledger, site.instance, site.paths, site.clock)
    api = site.paths.current / "api" / "v1"
    assert (api / "index.json").is_file() and (api / "haberler" / "2026.json").is_file()
    for needle in (title, item.number, "gulabibey", "plan.pdf"):
        assert [rel for rel in files_mentioning(site.paths.current, needle)] == []
    before = read(site, "api/v1/haberler/index.json")

    site.clock.set(tomorrow + dt.timedelta(minutes=1))
    assert run_due(site.ledger, site.instance, site.paths, site.clock).published.items == [item.number]
    rel = "api/v1/haberler/2026/gulabibey-mahallesine-yeni-cocuk-parki.json"
    document = read(site, rel)
    assert schema_errors(site.paths.current, document, BASE) == []
    assert (document["baslik"], document["kayit_no"], document["durum"]) == (title, item.number, "yayinda")
    assert document["yayin_tarihi"] == tomorrow.replace(second=0, microsecond=0).isoformat()
    assert document["ekler"] == [{
        "ad": "plan.pdf", "adres": BASE + "haberler/2026/gulabibey-mahallesine-yeni-cocuk-parki/plan.pdf",
        "medya_turu": "application/pdf", "boyut": 15, "sha256": hashlib.sha256(b"%PDF-1.4\n%plan\n").hexdigest()}]
    assert read(site, "api/v1/haberler/2026.json")["ogeler"][0]["adres"] == BASE + rel
    after = read(site, "api/v1/haberler/index.json")
    assert [y["adet"] for y in after["yillar"] if y["yil"] == 2026] == \
        [y["adet"] + 1 for y in before["yillar"] if y["yil"] == 2026]


@pytest.mark.slow
def test_a_withdrawn_item_keeps_its_document_saying_so_with_the_public_reason_only(site):
    item = site.submit("duyuru", "Kura Listesi", "Ad soyad listesi.", etiketler=["kura"],
                       attachments={"liste.pdf": b"%PDF-1.4\n%liste\n"})
    site.approve(item.number)
    site.publish()
    rel = "api/v1/duyurular/2026/kura-listesi.json"
    assert read(site, rel)["durum"] == "yayinda" and len(read(site, rel)["ekler"]) == 1
    site.withdraw(item.number, by="web1", reason="Kişisel veri içerdiği için.")
    run_due(site.ledger, site.instance, site.paths, site.clock)
    document = read(site, rel)
    assert schema_errors(site.paths.current, document, BASE) == []
    assert document["durum"] == "geri-cekildi"
    assert "Kişisel veri içerdiği için." in document["govde_html"]
    assert (document["ekler"], document["etiketler"], document["fotograflar"]) == ([], [], [])
    assert files_mentioning(site.paths.current, "Ad soyad listesi.") == []
    # the publication register names the removed file (its record of what left the site), nothing else does
    assert files_mentioning(site.paths.current, "liste.pdf") == ["yayin-kaydi/kayitlar-2026.jsonl"]
    year = read(site, "api/v1/duyurular/2026.json")
    assert [(e["kayit_no"], e["durum"]) for e in year["ogeler"] if e["kayit_no"] == item.number] == \
        [(item.number, "geri-cekildi")]
    assert_same_as_full_build(site, site.root.parent / "tam")


@pytest.mark.slow
def test_one_new_item_changes_only_its_document_its_year_and_the_indexes(site):
    site.publish()
    item = site.submit("haber", "Gülabibey Parkı Açıldı", "Park açıldı.\n", etiketler=["park"])
    site.approve(item.number)
    build = site.publish().build
    assert sorted(rel for rel in build.written if rel.startswith("api/")) == [
        "api/v1/haberler/2026.json", "api/v1/haberler/2026/gulabibey-parki-acildi.json",
        "api/v1/haberler/index.json", "api/v1/index.json"]
    assert_same_as_full_build(site, site.root.parent / "tam")
    again = site.publish().build
    assert [rel for rel in again.written if rel.startswith("api/")] == []


@pytest.mark.slow
def test_each_organisation_change_gives_the_chart_of_its_day_and_a_later_one_waits_for_its_day(site):
    today = site.clock.now().date()
    first_day, second_day = today - dt.timedelta(days=3), today + dt.timedelta(days=10)
    done = site.submit("organizasyon", "Fen İşleri Müdürlüğüne atama", yururluk=first_day,
                       degisiklikler=[{"islem": "ata", "birim": "fen-isleri", "gorev": "Müdür Vekili",
                                       "kisi": "Ayşe Yılmaz"}])
    later = site.submit("organizasyon", "Mali Hizmetler Müdürlüğüne atama", yururluk=second_day,
                        degisiklikler=[{"islem": "ata", "birim": "mali-hizmetler", "gorev": "Müdür",
                                        "kisi": "Okan Sezer"}])
    for change in (done, later):
        site.approve(change.number)
    site.publish()
    chart = read(site, "api/v1/organizasyon/index.json")
    assert schema_errors(site.paths.current, chart, BASE) == []
    first = f"{BASE}api/v1/organizasyon/{first_day.isoformat()}.json"
    assert [(c["kayit_no"], c["yururluk"], c["adres"]) for c in chart["degisiklikler"]] == \
        [(done.number, first_day.isoformat(), first)]
    assert {u["kimlik"]: u["yonetici"] for u in chart["birimler"]}["fen-isleri"] == \
        {"ad": "Ayşe Yılmaz", "unvan": "Müdür Vekili"}
    for needle in ("Okan Sezer", later.number):  # held until its day, like its page
        assert files_mentioning(site.paths.current, needle) == []
    at_first = (site.paths.current / first[len(BASE):]).read_bytes()

    site.clock.set(dt.datetime.combine(second_day, dt.time(9), tzinfo=site.instance.tz))
    run_due(site.ledger, site.instance, site.paths, site.clock)
    chart = read(site, "api/v1/organizasyon/index.json")
    second = f"{BASE}api/v1/organizasyon/{second_day.isoformat()}.json"
    assert [(c["kayit_no"], c["adres"]) for c in chart["degisiklikler"]] == [(later.number, second),
                                                                            (done.number, first)]
    at_second = json.loads((site.paths.current / second[len(BASE):]).read_text(encoding="utf-8"))
    assert schema_errors(site.paths.current, at_second, BASE) == []
    assert at_second["tarih"] == second_day.isoformat() and at_second["birimler"] == chart["birimler"]
    heads = {u["kimlik"]: u["yonetici"] for u in at_second["birimler"]}
    assert heads["mali-hizmetler"] == {"ad": "Okan Sezer", "unvan": "Müdür"}
    assert heads["fen-isleri"] == {"ad": "Ayşe Yılmaz", "unvan": "Müdür Vekili"}
    # the chart of the first day is what it was: a later change leaves it alone
    assert (site.paths.current / first[len(BASE):]).read_bytes() == at_first
    assert "Okan Sezer" not in at_first.decode("utf-8")
    assert_same_as_full_build(site, site.root.parent / "tam")


@pytest.mark.slow
def test_hostile_text_reads_as_typed_in_the_document_and_its_body_html_runs_nothing(site):
    from tests.hostile import html_problems

    title = 'Deneme <b onmouseover="alert(1)">Kalın</b> & "tırnak"'
    summary = "Yaş < 18 &lt;script&gt;"
    body = 'Metin <script>alert(1)</script> <b onclick="alert(2)">x</b> <a href="javascript:alert(3)">a</a>\n'
    item = site.submit("haber", title, body, ozet=summary, etiketler=["<i>etiket</i>"])
    site.approve(item.number)
    site.publish()
    found = [doc for rel, doc in ((p.relative_to(site.paths.current).as_posix(),
                                   json.loads(p.read_text(encoding="utf-8")))
                                  for p in (site.paths.current / "api/v1/haberler/2026").glob("*.json"))
             if doc["kayit_no"] == item.number]
    assert len(found) == 1
    document = found[0]
    assert (document["baslik"], document["ozet"]) == (title, summary)
    assert [tag["ad"] for tag in document["etiketler"]] == ["<i>etiket</i>"]
    html = document["govde_html"]
    assert html_problems(f"<!DOCTYPE html><html lang=tr><head><title>t</title></head><body>{html}</body></html>",
                         "govde_html") == []
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html
    year = json.loads((site.paths.current / "api/v1/haberler/2026.json").read_text(encoding="utf-8"))
    assert [e["baslik"] for e in year["ogeler"] if e["kayit_no"] == item.number] == [title]


@pytest.mark.slow
def test_an_expired_item_keeps_its_document_and_text_marked_expired(site):
    ends = site.clock.now() + dt.timedelta(days=2)
    item = site.submit("mukellef-duyurusu", "Emlak Vergisi Son Gün", "Son gün yaklaşıyor.", bitis=ends,
                       son_basvuru=(site.clock.now() + dt.timedelta(days=1)).date())
    site.approve(item.number)
    run_due(site.ledger, site.instance, site.paths, site.clock)
    rel = "api/v1/mukellef-duyurulari/2026/emlak-vergisi-son-gun.json"
    assert read(site, rel)["durum"] == "yayinda"
    site.clock.set(ends + dt.timedelta(seconds=1))
    assert run_due(site.ledger, site.instance, site.paths, site.clock).expired == [item.number]
    document = read(site, rel)
    assert schema_errors(site.paths.current, document, BASE) == []
    assert (document["durum"], document["gecmis_notu"]) == ("suresi-doldu", "Süresi geçti")
    assert "Son gün yaklaşıyor." in document["govde_html"]
    assert document["son_basvuru"] == (ends - dt.timedelta(days=1)).date().isoformat()
    year = read(site, "api/v1/mukellef-duyurulari/2026.json")
    assert [e["durum"] for e in year["ogeler"] if e["kayit_no"] == item.number] == ["suresi-doldu"]
    assert_same_as_full_build(site, site.root.parent / "tam")
