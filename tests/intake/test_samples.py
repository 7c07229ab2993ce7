"""The shared samples: every good one registers, every bad one is quarantined with the problem EXPECTED.md names."""

from __future__ import annotations

import shutil

import pytest

from municms.actions.intake import intake_all

from .conftest import SAMPLES

GOOD = [  # register order: department folder, then name
    ("basin-yayin", "cocuk-parki-acildi.md", "haber", "web"),
    ("bilgi-islem", "temel-bilgisayar-semineri.md", "seminer", "egitim"),
    ("fen-isleri", "isikli-carsi-ihalesi.md", "duyuru", "web"),
    ("hukuk-isleri", "pazar-yerleri-yonetmeligi.md", "mevzuat", "web"),
    ("insan-kaynaklari", "destek-hizmetleri-mudur-atamasi.md", "organizasyon", "web"),
    ("mali-hizmetler", "emlak-vergisi-birinci-taksit.md", "mukellef-duyurusu", "web"),
    ("strateji-gelistirme", "2025-faaliyet-raporu", "faaliyet-raporu", "web"),
    ("zabita", "acil-su-kesintisi.md", "acil-duyuru", "web"),
]

# (department, file) → [(field, line, Turkish sentence the report must contain)]
BAD = {
    ("fen-isleri", "baslik-yok.md"): [("baslik", 2, "'baslik' alanı zorunludur.")],
    ("fen-isleri", "bilinmeyen-tur.md"): [
        ("tur", 2, "'tur: bulten' bilinen bir gönderi türü değil. İzin verilen türler: haber, duyuru, "
                   "mukellef-duyurusu, faaliyet-raporu, sayfa, organizasyon, seminer, e-hizmet, acil-duyuru, mevzuat.")],
    ("mali-hizmetler", "gecersiz-tarih.md"): [
        ("son_basvuru", 4, "'2026-02-30' geçerli bir tarih değil (böyle bir gün ya da saat yok).")],
    ("basin-yayin", "yaml-bozuk.md"): [
        ("", 3, "Ön bilgi bloğu geçerli YAML değil: Tırnak işareti açılmış ama kapatılmamış.")],
    ("basin-yayin", "birim-uyusmuyor.md"): [
        ("birim", 4, "'birim: mali-hizmetler' bu dosyanın bırakıldığı 'basin-yayin' klasörüyle uyuşmuyor.")],
    ("zabita", "bos-dosya.md"): [("", 1, "Dosya boş.")],
    ("insan-kaynaklari", "olmayan-birim.md"): [
        ("degisiklikler.0.birim", 7, "'uzay-ajansi' birimi organizasyon şemasında yok.")],
    ("bilgi-islem", "seminer-tarih-ters.md"): [
        ("bitis", 7, "'bitis' (2026-12-15 11:00) 'baslangic' (2026-12-15 14:00) zamanından önce"),
        ("kontenjan", 8, "'kontenjan' sıfırdan büyük olmalıdır (şu an -5).")],
    ("hukuk-isleri", "karar-sayisi-yok.md"): [
        ("karar_sayisi", 2, "'karar_sayisi' alanı zorunludur ('mevzuat' türü için)."),
        ("yururluk", 5, "Yürürlük tarihi (2026-11-01) Meclis karar tarihinden (2026-11-05) önce olamaz.")],
}


def _copy_samples(kind: str, paths) -> None:
    for department in (SAMPLES / kind).iterdir():
        if department.is_dir():
            shutil.copytree(department, paths.inbox / department.name, dirs_exist_ok=True)


def test_every_good_sample_registers_in_order(ledger, instance, paths, clock):
    _copy_samples("good", paths)
    results = intake_all(ledger, instance, paths, clock)
    assert [(r.status, r.department, r.name, r.number) for r in results] == [
        ("registered", dep, name, f"BİM-2026-{n:06d}") for n, (dep, name, _, _) in enumerate(GOOD, 1)]
    items = ledger.items()
    assert [(i.number, i.tur, i.department, i.unit, i.state, i.author) for i in items] == [
        (f"BİM-2026-{n:06d}", tur, dep, unit, "registered", f"birim:{dep}")
        for n, (dep, _, tur, unit) in enumerate(GOOD, 1)]
    for n, (dep, name, tur, _) in enumerate(GOOD, 1):
        number = f"BİM-2026-{n:06d}"
        stored = paths.registered / "2026" / number
        source = SAMPLES / "good" / dep / name
        if source.is_dir():
            assert (stored / "original" / "index.md").read_bytes() == (source / "index.md").read_bytes()
            assert sorted(p.name for p in stored.iterdir()) == ["ekler", "index.md", "original"]
        else:
            assert (stored / "original.md").read_bytes() == source.read_bytes()
            assert sorted(p.name for p in stored.iterdir()) == ["index.md", "original.md"]
        assert (stored / "index.md").read_text(encoding="utf-8").startswith(f"---\ntur: {tur}\n")
        revision = ledger.revisions(items[n - 1].id)[0]
        assert revision.stored_dir == f"2026/{number}" and revision.rev == 1
        events = ledger.events(items[n - 1].id)
        assert [(e.action, e.actor, e.from_state, e.to_state, e.data["number"]) for e in events] == [
            ("register", "sistem", "received", "registered", number)]
        assert (paths.receipts / dep / f"{name}.alindi.txt").is_file()
        assert not (paths.inbox / dep / name).exists()
    assert list(paths.quarantine.glob("*/*")) == []


def test_registered_copies_are_read_only_and_attachment_is_kept(ledger, instance, paths, clock):
    _copy_samples("good", paths)
    intake_all(ledger, instance, paths, clock)
    stored = paths.registered / "2026" / "BİM-2026-000007"
    pdf = SAMPLES / "good" / "strateji-gelistirme" / "2025-faaliyet-raporu" / "faaliyet-raporu-2025.pdf"
    assert (stored / "ekler" / "faaliyet-raporu-2025.pdf").read_bytes() == pdf.read_bytes()
    revision = ledger.revisions(ledger.item("BİM-2026-000007").id)[0]
    assert revision.attachments == ["ekler/faaliyet-raporu-2025.pdf"]
    for path in [stored, *stored.rglob("*")]:
        assert path.stat().st_mode & 0o222 == 0, path


def test_receipt_text(ledger, instance, paths, clock):
    _copy_samples("good", paths)
    intake_all(ledger, instance, paths, clock)
    receipt = (paths.receipts / "basin-yayin" / "cocuk-parki-acildi.md.alindi.txt").read_text(encoding="utf-8")
    assert receipt == "\n".join([
        "ALINDI BELGESİ — Çorum Belediyesi", "",
        "Kayıt numarası : BİM-2026-000001",
        "Başlık         : Gülabibey Mahallesi'ne Yeni Çocuk Parkı",
        "Tür            : haber",
        "Gönderen birim : Basın Yayın ve Halkla İlişkiler Müdürlüğü (basin-yayin)",
        "Dosya          : cocuk-parki-acildi.md",
        "Kayıt zamanı   : 25 Kasım 2026 Çarşamba 14:30",
        "Durum          : kaydedildi",
        "İnceleyecek    : Web Birimi (web)", "",
        "Uyarı yok.", "",
        "Kişisel veri taraması (KVKK): kişisel veri bulunmadı.", "",
        "Bundan sonra ne olacak:",
        "  Gönderiniz kayıt defterine işlendi. Müdür işi Web Birimi personeline havale edecek; içerik başka bir "
        "kişi tarafından incelenip onaylandıktan sonra yayımlanır.",
        "  Onaylanırsa en erken 2 Aralık 2026 Çarşamba 10:00 tarihinde yayımlanır.",
        "  Değişiklik istenirse gerekçesi bu klasöre yazılır. Düzeltilmiş dosyanın ön bilgi bloğuna "
        "'kayit_no: BİM-2026-000001' satırını ekleyip dosyayı yeniden bırakın.",
        "  Bu gönderiyle ilgili yazışmalarda kayıt numarasını (BİM-2026-000001) belirtin.", ""])


@pytest.mark.parametrize("key", sorted(BAD), ids=lambda key: "/".join(key))
def test_bad_sample_is_quarantined_with_its_problem(key, ledger, instance, paths, clock):
    department, name = key
    source = SAMPLES / "bad" / department / name
    (paths.inbox / department).mkdir(parents=True)
    shutil.copy2(source, paths.inbox / department / name)
    [result] = intake_all(ledger, instance, paths, clock)
    assert result.status == "quarantined"
    assert sorted((p.field, p.line) for p in result.problems) == sorted((f, line) for f, line, _ in BAD[key])
    report = (paths.quarantine / department / f"{name}.hata.txt").read_text(encoding="utf-8")
    for field, line, sentence in BAD[key]:
        where = f"satır {line}" + (f", alan '{field}'" if field else "")
        assert any(row.strip().split(". ", 1)[-1].startswith(f"{where}: {sentence}") for row in report.splitlines()), \
            report
    assert f"Sorunlar ({len(BAD[key])}):" in report
    assert (paths.quarantine / department / name).read_bytes() == source.read_bytes()
    assert not (paths.inbox / department / name).exists()
    assert ledger.items() == [] and ledger.events() == []
    assert not paths.registered.exists() or list(paths.registered.rglob("*")) == []
    assert not (paths.receipts / department).exists()


def test_windows_1254_sample_is_converted_with_a_warning(ledger, instance, paths, clock):
    source = SAMPLES / "bad" / "zabita" / "windows-1254-kodlama.md"
    (paths.inbox / "zabita").mkdir(parents=True)
    shutil.copy2(source, paths.inbox / "zabita" / source.name)
    [result] = intake_all(ledger, instance, paths, clock)
    assert (result.status, result.number) == ("registered", "BİM-2026-000001")
    item = ledger.item("BİM-2026-000001")
    assert item.title == "Pazar Yerleri İçin Yeni Düzenleme"
    revision = ledger.revisions(item.id)[0]
    assert revision.body == "Zabıta Müdürlüğü tarafından pazar yerlerinde şüphesiz yeni düzenleme.\n"
    stored = paths.registered / "2026" / "BİM-2026-000001"
    assert (stored / "original.md").read_bytes() == source.read_bytes()
    assert "Pazar Yerleri İçin Yeni Düzenleme" in (stored / "index.md").read_text(encoding="utf-8")
    receipt = (paths.receipts / "zabita" / "windows-1254-kodlama.md.alindi.txt").read_text(encoding="utf-8")
    assert "Windows-1254 (Türkçe) kodlamasında bulundu ve UTF-8'e çevrildi" in receipt
    assert "Ã" not in receipt and "Ä" not in receipt


def test_all_samples_at_once_nothing_lost(ledger, instance, paths, clock):
    _copy_samples("good", paths)
    _copy_samples("bad", paths)
    results = intake_all(ledger, instance, paths, clock)
    assert len(results) == len(GOOD) + len(BAD) + 1
    registered = [r.number for r in results if r.status == "registered"]
    assert registered == [f"BİM-2026-{n:06d}" for n in range(1, len(GOOD) + 2)]
    assert sorted((r.department, r.name) for r in results if r.status == "quarantined") == sorted(BAD)
    assert [p for p in paths.inbox.rglob("*") if p.is_file()] == []
    assert len(ledger.items()) == len(GOOD) + 1
    assert ledger.events()[-1].data["number"] == registered[-1]
