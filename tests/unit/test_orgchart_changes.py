"""Organisation changes applied to the chart on their effective date, described in Turkish."""

import datetime as dt

from municms.config import OrgUnit
from plugins.orgchart import chart_tree
from municms.orgchart import apply_changes

CHART = [OrgUnit(id="baskan", name="Belediye Başkanlığı", kind="baskanlik"),
         OrgUnit(id="by-1", name="Başkan Yardımcılığı (1)", kind="baskan-yardimciligi", parent="baskan"),
         OrgUnit(id="by-2", name="Başkan Yardımcılığı (2)", kind="baskan-yardimciligi", parent="baskan"),
         OrgUnit(id="fen-isleri", name="Fen İşleri Müdürlüğü", kind="mudurluk", parent="by-1", head="Ali Demir"),
         OrgUnit(id="zabita", name="Zabıta Müdürlüğü", kind="mudurluk", parent="by-1")]

ROWS = [
    {"kayit_no": "BİM-2026-000002", "baslik": "Zabıta taşındı", "yururluk": "2026-12-15",
     "degisiklikler": [{"islem": "birim-tasi", "birim": "zabita", "ust": "by-2"},
                       {"islem": "yeniden-adlandir", "birim": "zabita", "ad": "Zabıta ve Güvenlik Müdürlüğü"}]},
    {"kayit_no": "BİM-2026-000001", "baslik": "Atama", "yururluk": dt.date(2026, 11, 1),
     "degisiklikler": [{"islem": "ata", "birim": "zabita", "gorev": "Müdür", "kisi": "Ayşe Yılmaz"},
                       {"islem": "ayril", "birim": "fen-isleri"},
                       {"islem": "birim-ekle", "birim": "akilli-sehir", "ad": "Akıllı Şehir Müdürlüğü", "ust": "by-2"}]},
]


def _units(as_of):
    units, applied, upcoming = apply_changes(CHART, ROWS, as_of)
    return {u.id: u for u in units}, applied, upcoming


def test_changes_in_force_are_applied_and_later_ones_announced():
    units, applied, upcoming = _units(dt.date(2026, 11, 25))
    assert (units["zabita"].head, units["fen-isleri"].head) == ("Ayşe Yılmaz", "")
    assert (units["akilli-sehir"].name, units["akilli-sehir"].parent, units["akilli-sehir"].kind) == \
        ("Akıllı Şehir Müdürlüğü", "by-2", "mudurluk")
    assert (units["zabita"].parent, units["zabita"].name) == ("by-1", "Zabıta Müdürlüğü")
    assert [c.number for c in applied] == ["BİM-2026-000001"]
    assert [c.number for c in upcoming] == ["BİM-2026-000002"]
    assert applied[0].lines == ["Zabıta Müdürlüğü: Ayşe Yılmaz müdür olarak atandı.",
                                "Fen İşleri Müdürlüğü: görevden ayrıldı; görev boş.",
                                "Akıllı Şehir Müdürlüğü kuruldu (Başkan Yardımcılığı (2) altında)."]


def test_change_applies_from_its_effective_day_in_date_order():
    units, applied, upcoming = _units(dt.date(2026, 12, 15))
    assert (units["zabita"].parent, units["zabita"].name) == ("by-2", "Zabıta ve Güvenlik Müdürlüğü")
    assert [c.number for c in applied] == ["BİM-2026-000001", "BİM-2026-000002"] and upcoming == []
    assert applied[1].lines == ["Zabıta Müdürlüğü, Başkan Yardımcılığı (2) altına bağlandı.",
                                "Zabıta Müdürlüğü adı “Zabıta ve Güvenlik Müdürlüğü” olarak değiştirildi."]
    tree = chart_tree(units.values())
    second = [n for n in tree[0].children if n.id == "by-2"][0]
    assert [n.name for n in second.children] == ["Akıllı Şehir Müdürlüğü", "Zabıta ve Güvenlik Müdürlüğü"]


def test_removed_unit_leaves_the_chart():
    rows = [{"kayit_no": "BİM-2026-000003", "baslik": "Kapatma", "yururluk": "2026-01-01",
             "degisiklikler": [{"islem": "birim-kaldir", "birim": "zabita"}]}]
    units, applied, _ = apply_changes(CHART, rows, dt.date(2026, 1, 1))
    assert "zabita" not in {u.id for u in units}
    assert applied[0].lines == ["Zabıta Müdürlüğü kaldırıldı."]


def test_unreadable_changes_file_fails_the_build_naming_it(tmp_path):
    import pytest

    from municms.errors import BuildError
    from tests.tinysite import build, copy_tiny

    root = copy_tiny(tmp_path / "tiny")
    (root / "data" / "organizasyon.yaml").write_text("- kayit_no: [bozuk\n", encoding="utf-8")
    with pytest.raises(BuildError) as failed:
        build(root, tmp_path / "out")
    assert "data/organizasyon.yaml okunamadı (geçerli YAML değil)" in failed.value.message_tr
    assert not (tmp_path / "out").exists()


def test_heads_and_their_titles_follow_appointments_and_departures():
    rows = [{"kayit_no": "BİM-2026-000004", "baslik": "Atamalar", "yururluk": "2026-10-01",
             "degisiklikler": [{"islem": "ata", "birim": "zabita", "gorev": "Müdür Vekili", "kisi": "Okan Sezer"},
                               {"islem": "ata", "birim": "by-2", "gorev": "başkan yardımcısı", "kisi": "Ece Tan"},
                               {"islem": "ayril", "birim": "fen-isleri", "kisi": "Ali Demir"}]}]
    units, _, _ = apply_changes(CHART, rows, dt.date(2026, 10, 1))
    pages = {"fen-isleri": "birimler/fen-isleri/", "zabita": "birimler/zabita/"}
    tree = chart_tree(units, pages, heads={"zabita": "Eski Müdür", "by-1": "Deniz Ak"})
    nodes = {}
    walk = list(tree)
    while walk:
        node = walk.pop()
        nodes[node.id] = node
        walk += node.children
    assert {n.id: (n.head_title, n.head, n.vacant, n.url) for n in nodes.values()} == {
        "baskan": ("", "", False, ""),                                # nobody named: no head line
        "by-1": ("Başkan Yardımcısı", "Deniz Ak", False, ""),          # the details' name, the kind's title
        "by-2": ("Başkan Yardımcısı", "Ece Tan", False, ""),           # the kind's own title, however typed
        "zabita": ("Müdür Vekili", "Okan Sezer", False, "birimler/zabita/"),
        "fen-isleri": ("Müdür", "", True, "birimler/fen-isleri/"),     # left: vacant, not the details' name
    }
