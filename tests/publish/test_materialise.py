"""Materialise: exact content files and metadata per type, fixed slugs, idempotence, undo, ended items."""

from __future__ import annotations

import datetime as dt
import os

import pytest
import yaml

from municms.materialise import MaterialiseError, materialise
from municms.model import EXPIRED, PUBLISHED, SCHEDULED, WITHDRAWN

from tests.publish.items import NOW, TZ, make_entry, store_attachment


def read(paths, rel: str) -> str:
    return (paths.root / rel).read_text(encoding="utf-8")


def test_news_item_becomes_a_pelican_file_with_every_field(tiny):
    instance, paths = tiny
    entry = make_entry("BİM-2026-000007", "haber",
                       {"baslik": "Işıklı Çarşı İhalesi Sonuçlandı", "birim": "fen-isleri", "ozet": "Kısa\n özet.",
                        "etiketler": ["ihale", "altyapı, yol"]}, "İhale **sonuçlandı**.\n\n")
    change = materialise([entry], instance, paths, NOW)
    assert change.written == ["content/haberler/2026/isikli-carsi-ihalesi-sonuclandi.md"]
    assert read(paths, change.written[0]) == (
        "Title: Işıklı Çarşı İhalesi Sonuçlandı\n"
        "Date: 2026-11-24 09:30\n"
        "Tur: haber\n"
        "Slug: isikli-carsi-ihalesi-sonuclandi\n"
        "Birim: fen-isleri\n"
        "Tags: ihale, altyapı  yol\n"
        "Summary: Kısa özet.\n"
        "Kayit_no: BİM-2026-000007\n"
        "\n"
        "İhale **sonuçlandı**.\n")
    assert change.placed["BİM-2026-000007"].url == "haberler/2026/isikli-carsi-ihalesi-sonuclandi/"


def test_type_specific_fields_and_places(tiny):
    instance, paths = tiny
    store_attachment(paths, "BİM-2026-000004", "ekler/rapor-2025.pdf", b"%PDF-1.4 rapor")
    entries = [
        make_entry("BİM-2026-000001", "mukellef-duyurusu",
                   {"baslik": "Emlak Vergisi", "son_basvuru": "2027-05-31T17:00:00+03:00"},
                   department="mali-hizmetler",
                   item_id=1),
        make_entry("BİM-2026-000002", "seminer",
                   {"baslik": "Temel Bilgisayar", "egitmen": "Mehmet Kaya", "yer": "Konferans Salonu",
                    "baslangic": "2026-12-10T10:00:00+03:00", "bitis": dt.datetime(2026, 12, 10, 12, 30),
                    "kontenjan": 40, "hedef_kitle": ["personel", "vatandas"], "kayit_son": dt.date(2026, 12, 8)},
                   department="bilgi-islem", item_id=2),
        make_entry("BİM-2026-000003", "e-hizmet",
                   {"baslik": "Su Aboneliği", "adres": "https://e.ornek.bel.tr/su", "grup": "Su"}, item_id=3),
        make_entry("BİM-2026-000004", "faaliyet-raporu", {"baslik": "2025 Faaliyet Raporu"},
                   attachments=("ekler/rapor-2025.pdf",), department="mali-hizmetler", item_id=4),
        make_entry("BİM-2026-000005", "sayfa", {"baslik": "Meclis", "yer": "kurumsal", "sira": 3,
                                                "ozet": "Meclis üyeleri."}, item_id=5),
    ]
    change = materialise(entries, instance, paths, NOW)
    assert read(paths, "content/mukellef-duyurulari/2026/emlak-vergisi-2.md").splitlines()[:9] == [
        "Title: Emlak Vergisi", "Date: 2026-11-24 09:30", "Tur: mukellef-duyurusu", "Slug: emlak-vergisi-2",
        "Birim: mali-hizmetler", "Son_basvuru: 2027-05-31", "Kayit_no: BİM-2026-000001", "", "Metin."]
    seminar = read(paths, "content/seminerler/2026/temel-bilgisayar.md")
    assert ("Egitmen: Mehmet Kaya\nYer: Konferans Salonu\nBaslangic: 2026-12-10 10:00\nBitis: 2026-12-10 12:30\n"
            "Kontenjan: 40\nHedef_kitle: personel, vatandas\nKayit_son: 2026-12-08\n") in seminar
    assert "Adres: https://e.ornek.bel.tr/su\nGrup: Su\n" in read(paths, "content/e-hizmetler/su-aboneligi.md")
    report = read(paths, "content/faaliyet-raporlari/2026/2025-faaliyet-raporu-2.md")
    assert "Birim: mali-hizmetler\nEkler: rapor-2025.pdf\n" in report
    assert (paths.content / "faaliyet-raporlari/2026/2025-faaliyet-raporu-2/rapor-2025.pdf").read_bytes() == \
        b"%PDF-1.4 rapor"
    assert read(paths, "content/sayfalar/meclis.md") == (
        "Title: Meclis\nSlug: meclis\nYer: kurumsal\nSira: 3\nSummary: Meclis üyeleri.\n"
        "Kayit_no: BİM-2026-000005\n\nMetin.\n")
    assert change.placed["BİM-2026-000005"].url == "kurumsal/meclis/"
    assert change.placed["BİM-2026-000003"].url == "e-hizmetler/su-aboneligi/"


def test_emergency_banner_and_org_change_go_to_data_files(tiny):
    instance, paths = tiny
    entries = [make_entry("BİM-2026-000010", "acil-duyuru", {"baslik": "Acil: Su Kesintisi"}, "ALO 153.",
                          department="zabita", item_id=10),
               make_entry("BİM-2026-000011", "organizasyon",
                          {"baslik": "Atama", "yururluk": dt.date(2026, 12, 1),
                           "degisiklikler": [{"islem": "ata", "birim": "destek-hizmetleri", "kisi": "Ayşe Yılmaz"}]},
                          "Meclis kararı.", department="insan-kaynaklari", item_id=11)]
    change = materialise(entries, instance, paths, NOW)
    assert change.written == ["data/acil.yaml", "data/organizasyon.yaml"]
    assert yaml.safe_load(read(paths, "data/acil.yaml")) == [
        {"kayit_no": "BİM-2026-000010", "baslik": "Acil: Su Kesintisi", "metin": "ALO 153.",
         "tarih": "2026-11-24 09:30", "birim": "zabita"}]
    assert yaml.safe_load(read(paths, "data/organizasyon.yaml"))[0]["degisiklikler"][0]["kisi"] == "Ayşe Yılmaz"
    # once expired, the banner disappears and its data file goes
    ended = make_entry("BİM-2026-000010", "acil-duyuru", {"baslik": "Acil: Su Kesintisi"}, state=EXPIRED,
                       department="zabita", item_id=10)
    change = materialise([ended, entries[1]], instance, paths, NOW)
    assert change.removed == ["data/acil.yaml"] and not (paths.data / "acil.yaml").exists()


def test_rerun_changes_nothing_and_slug_and_year_stay_fixed(tiny):
    instance, paths = tiny
    entry = make_entry("BİM-2026-000020", "haber", {"baslik": "Kurban Bayramı Temizliği"})
    first = materialise([entry], instance, paths, NOW)
    # the seed already has haberler/2026/kurban-bayrami-temizligi.md: the new item gets a distinct slug
    assert first.written == ["content/haberler/2026/kurban-bayrami-temizligi-2.md"]
    first.commit()
    stat = os.stat(paths.root / first.written[0])
    again = materialise([entry], instance, paths, NOW + dt.timedelta(days=40))
    assert (again.written, again.removed) == ([], [])
    assert os.stat(paths.root / first.written[0]).st_mtime_ns == stat.st_mtime_ns
    # a later revision with a new title, published in a new year, keeps its address
    renamed = make_entry("BİM-2026-000020", "haber", {"baslik": "Bayram Temizliği Tamamlandı"}, state=PUBLISHED,
                         changed_at=dt.datetime(2027, 1, 3, 10, 0, tzinfo=TZ))
    later = materialise([renamed], instance, paths, dt.datetime(2027, 1, 3, 11, 0, tzinfo=TZ))
    assert later.written == first.written
    text = read(paths, first.written[0])
    assert "Title: Bayram Temizliği Tamamlandı\nDate: 2026-11-24 09:30\nModified: 2027-01-03 10:00\n" in text
    assert "Slug: kurban-bayrami-temizligi-2\n" in text


def test_item_not_yet_due_is_not_written_until_its_time(tiny):
    instance, paths = tiny
    tomorrow = NOW + dt.timedelta(days=1)
    entry = make_entry("BİM-2026-000030", "duyuru", {"baslik": "Yarınki Duyuru"}, state=SCHEDULED,
                       publish_at=tomorrow)
    assert materialise([entry], instance, paths, NOW).written == []
    assert not list(paths.content.rglob("yarinki-duyuru*"))
    change = materialise([entry], instance, paths, tomorrow)
    assert change.written == ["content/duyurular/2026/yarinki-duyuru.md"]
    assert "Date: 2026-11-26 12:00\n" in read(paths, change.written[0])


def test_withdrawn_item_keeps_its_address_shows_the_reason_and_loses_attachments(tiny):
    instance, paths = tiny
    store_attachment(paths, "BİM-2026-000040", "liste.pdf", b"%PDF-1.4 liste")
    live = make_entry("BİM-2026-000040", "duyuru", {"baslik": "Kura Sonuçları", "ozet": "Sonuçlar",
                                                     "etiketler": ["kura"]}, "Kişisel veri içeren liste.",
                      attachments=("liste.pdf",), state=PUBLISHED)
    materialise([live], instance, paths, NOW).commit()
    gone = make_entry("BİM-2026-000040", "duyuru", {"baslik": "Kura Sonuçları", "ozet": "Sonuçlar",
                                                     "etiketler": ["kura"]}, "Kişisel veri içeren liste.",
                      attachments=("liste.pdf",), state=WITHDRAWN, public_reason="Kişisel veri içerdiği için.")
    change = materialise([gone], instance, paths, NOW)
    assert change.removed == ["content/duyurular/2026/kura-sonuclari/liste.pdf"]
    assert not (paths.content / "duyurular/2026/kura-sonuclari").exists()
    assert read(paths, "content/duyurular/2026/kura-sonuclari.md") == (
        "Title: Kura Sonuçları\nDate: 2026-11-24 09:30\nTur: duyuru\nSlug: kura-sonuclari\nBirim: fen-isleri\n"
        "Kayit_no: BİM-2026-000040\nDurum: geri-cekildi\n\nBu içerik yayından kaldırılmıştır.\n\n"
        "**Gerekçe:** Kişisel veri içerdiği için.\n")


def test_expired_item_is_marked_and_keeps_its_text(tiny):
    instance, paths = tiny
    entry = make_entry("BİM-2026-000050", "duyuru", {"baslik": "Eski Duyuru"}, "Eski metin.", state=EXPIRED)
    change = materialise([entry], instance, paths, NOW)
    text = read(paths, change.written[0])
    assert text.endswith("Kayit_no: BİM-2026-000050\nDurum: suresi-doldu\n\nEski metin.\n")


def test_item_moved_back_before_its_time_is_removed(tiny):
    """A published file whose item is now scheduled for later leaves content/ (it must not leak)."""
    instance, paths = tiny
    entry = make_entry("BİM-2026-000060", "haber", {"baslik": "Erken"})
    materialise([entry], instance, paths, NOW).commit()
    later = make_entry("BİM-2026-000060", "haber", {"baslik": "Erken"}, state=SCHEDULED,
                       publish_at=NOW + dt.timedelta(days=3))
    assert materialise([later], instance, paths, NOW).removed == ["content/haberler/2026/erken.md"]


def test_undo_restores_content_exactly(tiny):
    instance, paths = tiny
    before = {p.relative_to(paths.root).as_posix(): p.read_bytes()
              for p in sorted(paths.content.rglob("*")) if p.is_file()}
    store_attachment(paths, "BİM-2026-000070", "ek.pdf", b"%PDF-1.4")
    first = make_entry("BİM-2026-000070", "haber", {"baslik": "Bir"}, attachments=("ek.pdf",), item_id=70)
    materialise([first], instance, paths, NOW).commit()
    middle = {p.relative_to(paths.root).as_posix(): p.read_bytes()
              for p in sorted(paths.content.rglob("*")) if p.is_file()}
    assert set(middle) - set(before) == {"content/haberler/2026/bir.md", "content/haberler/2026/bir/ek.pdf"}
    second = make_entry("BİM-2026-000071", "acil-duyuru", {"baslik": "Acil"}, item_id=71)
    changed = make_entry("BİM-2026-000070", "haber", {"baslik": "Bir (düzeltildi)"}, item_id=70, state=WITHDRAWN,
                         public_reason="Hatalı.")
    change = materialise([changed, second], instance, paths, NOW)
    assert change.changed
    change.undo()
    after = {p.relative_to(paths.root).as_posix(): p.read_bytes()
             for p in sorted(paths.content.rglob("*")) if p.is_file()}
    assert after == middle
    assert not (paths.data / "acil.yaml").exists()
    assert not (paths.var / "materialise").exists() or not any((paths.var / "materialise").iterdir())


def test_missing_registered_attachment_stops_before_anything_is_written(tiny):
    instance, paths = tiny
    before = sorted(p.relative_to(paths.root).as_posix() for p in paths.root.rglob("*") if p.is_file())
    good = make_entry("BİM-2026-000080", "haber", {"baslik": "Sağlam"}, item_id=80)
    broken = make_entry("BİM-2026-000081", "duyuru", {"baslik": "Eksik Ekli"}, attachments=("yok.pdf",), item_id=81)
    with pytest.raises(MaterialiseError) as caught:
        materialise([good, broken], instance, paths, NOW)
    [problem] = caught.value.problems
    assert problem.file == "content/duyurular/2026/eksik-ekli/yok.pdf"
    assert problem.message_tr.startswith("BİM-2026-000081: ek 'yok.pdf' kayıtlı dosyalar arasında yok")
    assert sorted(p.relative_to(paths.root).as_posix() for p in paths.root.rglob("*") if p.is_file()) == before


def test_item_withdrawn_before_publication_has_no_page(tiny):
    instance, paths = tiny
    entry = make_entry("BİM-2026-000082", "duyuru", {"baslik": "Hiç Yayımlanmadı"}, state=WITHDRAWN,
                       was_published=False)
    assert materialise([entry], instance, paths, NOW).written == []
    assert not list(paths.content.rglob("hic-yayimlanmadi*"))
