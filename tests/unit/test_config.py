"""instance.yaml schema: every problem reported at once, each with its path, line and Turkish message."""

from pathlib import Path

import pytest

from municms.config import load_instance, parse_instance
from municms.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]
DEMO = (REPO / "instance.yaml").read_text(encoding="utf-8")


def problems_of(text: str) -> list:
    with pytest.raises(ConfigError) as info:
        parse_instance(text)
    return info.value.problems


def test_demo_instance_is_valid():
    inst = load_instance(REPO)
    assert inst.municipality.name == "Çorum Belediyesi"
    assert inst.unit_for_type("seminer") == "egitim"
    assert inst.unit_for_type("e-hizmet") == "destek"
    assert inst.unit_for_type("haber") == "web"
    # identifiers the shared samples rely on
    for dep in ("fen-isleri", "mali-hizmetler", "basin-yayin", "insan-kaynaklari", "bilgi-islem",
                "strateji-gelistirme", "zabita", "destek-hizmetleri"):
        assert dep in inst.departments
    assert {"destek-hizmetleri", "basin-yayin", "baskan-yardimcisi-2"} <= set(inst.units_by_id)


def test_every_structural_problem_is_reported_with_path_and_line():
    text = (DEMO.replace("kind: birim,", "kind: bolum,", 1)
            .replace("  latest: 10", "  latest: -3")
            .replace('  prefix: "BİM"', '  prefix: ""')
            .replace("  keep_releases: 5", "  keep_releases: 5\n  colour: red"))
    found = {(p.field, p.line): p for p in problems_of(text)}
    lines = text.splitlines()

    def line_of(snippet):
        return next(i for i, line in enumerate(lines, 1) if snippet in line)

    assert set(found) == {
        ("org_chart.27.kind", line_of("kind: bolum")),
        ("listings.latest", line_of("latest: -3")),
        ("registration.prefix", line_of('prefix: ""')),
        ("deploy.colour", line_of("colour: red")),
    }
    assert found[("listings.latest", line_of("latest: -3"))].message_tr == "Değer 0 sayısından büyük olmalıdır."
    assert "İzin verilenler: 'baskanlik'" in found[("org_chart.27.kind", line_of("kind: bolum"))].message_tr
    assert found[("deploy.colour", line_of("colour: red"))].message_tr.startswith("Bu alan tanınmıyor")


def test_missing_required_sections_are_all_listed():
    fields = {p.field for p in problems_of("municipality:\n  name: X\n")}
    assert {"municipality.short_name", "municipality.site_url", "municipality.contact", "registration",
            "org_chart", "departments", "editorial_units", "routing", "sections", "attachments"} <= fields


def test_cross_references_are_checked_together():
    text = (DEMO.replace("  - ozel-kalem\n", "  - ozel-kalem\n  - uzay-ajansi\n")
            .replace("  seminer: egitim", "  seminer: muhasebe")
            .replace("parent: baskan-yardimcisi-3}", "parent: yok-boyle-birim}", 1)
            .replace("  e-hizmet: destek", "  e-hizmet: destek\n  bulten: web"))
    messages = {p.field: p.message_tr for p in problems_of(text)}
    assert messages["departments.20"] == "'uzay-ajansi' organizasyon şemasında tanımlı değil."
    assert messages["routing.seminer"].startswith("'muhasebe' bir yayın birimi değil")
    assert messages["org_chart.20.parent"] == "Üst birim 'yok-boyle-birim' organizasyon şemasında yok."
    assert messages["routing.bulten"].startswith("'bulten' bilinen bir gönderi türü değil.")


def test_duplicate_ids_and_cycles():
    text = DEMO.replace("{id: web, name: \"Web Birimi\", kind: birim, parent: bilgi-islem, head: {name: \"Gizem Oktay\"}}",
                        "{id: zabita, name: \"Web Birimi\", kind: birim, parent: zabita}")
    messages = [p.message_tr for p in problems_of(text)]
    assert "'zabita' kimliği birden fazla kez kullanılmış." in messages


def test_yaml_syntax_error_names_the_line():
    (problem,) = problems_of("municipality:\n  name: \"Çorum\n  short_name: x\n")
    assert problem.line is not None and problem.message_tr.startswith("YAML sözdizimi hatalı")


def test_empty_file_is_reported():
    (problem,) = problems_of("")
    assert problem.message_tr == "Dosya boş ya da bir eşleme (anahtar: değer) değil."


def test_missing_instance_file(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_instance(tmp_path)
    assert "bulunamadı" in info.value.problems[0].message_tr


def test_sla_days_per_type_with_a_default_and_every_bad_entry_reported():
    inst = load_instance(REPO)
    assert (inst.editorial.sla_for("acil-duyuru"), inst.editorial.sla_for("haber")) == (1, 5)
    text = DEMO.replace("    acil-duyuru: 1\n", "    acil-duyuru: 0\n    bulten: 2\n")
    found = {p.field: p.message_tr for p in problems_of(text)}
    assert found == {"editorial.sla_days.acil-duyuru": "Süre en az 1 gün olmalıdır.",
                     "editorial.sla_days.bulten": found.get("editorial.sla_days.bulten")}
    assert found["editorial.sla_days.bulten"].startswith("'bulten' bilinen bir gönderi türü değil.")


def test_seminar_rooms_and_trainers_are_found_as_people_type_them():
    seminars = load_instance(REPO).seminars
    room = seminars.room("Kültür Merkezi Küçük Salon")
    assert room is not None and room.id == "kultur-kucuk-salon"
    for typed in ("KÜLTÜR MERKEZİ KÜÇÜK SALON", "kultur merkezi kucuk salon", "kultur-kucuk-salon"):
        assert seminars.room(typed) is room
    assert seminars.room("Kültür Merkezi") is None and seminars.room("") is None
    assert seminars.trainer("MURAT IŞIKGÖZ").id == "murat-isikgoz" == seminars.trainer("murat isikgoz").id


def test_seminar_rooms_and_trainers_are_checked():
    assert "seminars.rooms.1.capacity" in {p.field for p in problems_of(DEMO.replace("capacity: 120", "capacity: 0"))}
    text = (DEMO.replace('name: "Belediye Meclis Salonu"', 'name: "BELEDİYE KONFERANS SALONU"')
            .replace('{id: onur-celikkol, name: "Onur Çelikkol", unit: bilgi-islem}',
                     '{id: onur-celikkol, name: "Onur Çelikkol", unit: uzay-ajansi}'))
    messages = {p.field: p.message_tr for p in problems_of(text)}
    assert messages["seminars.rooms.1.name"] == ("'BELEDİYE KONFERANS SALONU' başka bir salonun kimliği ya da adıyla "
                                                 "aynı (büyük-küçük harf ve Türkçe harfler ayırt edilmez).")
    assert messages["seminars.trainers.1.unit"] == "'uzay-ajansi' organizasyon şemasında tanımlı değil."


def test_home_tasks_are_read_in_order_and_every_bad_entry_reported():
    inst = load_instance(REPO)
    assert inst.home.eservices[:2] == ["online-odeme", "borc-sorgulama"]
    assert (inst.home.beyaz_masa, inst.home.e_devlet) == ("beyaz-masa-basvurusu", "https://www.turkiye.gov.tr/")
    text = (DEMO.replace("  eservices: [online-odeme, borc-sorgulama,", "  eservices: [Online Ödeme, online-odeme, borc-sorgulama,")
            .replace("              cenaze-hizmetleri]", "              cenaze-hizmetleri, online-odeme]")
            .replace("  beyaz_masa: beyaz-masa-basvurusu", "  beyaz_masa: Beyaz Masa"))
    found = {p.field: p.message_tr for p in problems_of(text)}
    assert found == {
        "home.eservices.0": "'Online Ödeme' bir e-hizmet adresi değil: yalnızca küçük harf, rakam ve tire kullanın "
                            "(ör. borc-sorgulama).",
        "home.eservices.7": "'online-odeme' birden fazla kez yazılmış.",
        "home.beyaz_masa": "'Beyaz Masa' bir e-hizmet adresi değil: yalnızca küçük harf, rakam ve tire kullanın "
                           "(ör. beyaz-masa-basvurusu)."}
    text = DEMO.replace('  e_devlet: "https://www.turkiye.gov.tr/"', '  e_devlet: "turkiye.gov.tr"')
    assert [(p.field, p.message_tr) for p in problems_of(text)] == [
        ("home.e_devlet", "Biçim geçersiz. Adresi https:// ile yazın (ör. https://www.turkiye.gov.tr/).")]


def test_home_tasks_are_optional():
    text = DEMO[:DEMO.index("home:\n")] + DEMO[DEMO.index("attachments:\n"):]
    inst = parse_instance(text)
    assert (inst.home.eservices, inst.home.beyaz_masa, inst.home.e_devlet) == ([], "", "https://www.turkiye.gov.tr/")


def test_unit_heads_are_checked_with_turkish_messages_and_lines():
    text = (DEMO.replace('head: {name: "Murat Altıntaş"}', 'head: {name: "", unvan: "Başkan Yardımcısı"}')
            .replace('head: {name: "Gizem Oktay"}', 'head: [Gizem Oktay]'))
    found = {p.field: p for p in problems_of(text)}
    lines = text.splitlines()
    by1 = next(n for n, line in enumerate(lines, 1) if "unvan:" in line)
    web = next(n for n, line in enumerate(lines, 1) if "head: [Gizem Oktay]" in line)
    assert sorted(found) == ["org_chart.27.head", "org_chart.5.head.name", "org_chart.5.head.unvan"]
    assert (found["org_chart.5.head.name"].message_tr, found["org_chart.5.head.name"].line) == \
        ("Bu alan boş bırakılamaz.", by1)
    assert (found["org_chart.5.head.unvan"].message_tr, found["org_chart.5.head.unvan"].line) == \
        ("Bu alan tanınmıyor (yazım hatası olabilir).", by1)
    assert (found["org_chart.27.head"].message_tr, found["org_chart.27.head"].line) == \
        ("Eşleme (anahtar: değer) bekleniyordu.", web)


def test_unit_head_given_as_a_name_takes_the_title_of_its_kind():
    inst = parse_instance(DEMO.replace('head: {name: "Gizem Oktay"}', 'head: "Gizem Oktay"'))
    assert inst.units_by_id["web"].head.model_dump() == {"name": "Gizem Oktay", "title": ""}
    assert inst.units_by_id["meclis"].head.model_dump() == {"name": "Hasan Tahsin Güler", "title": "Meclis Başkanı"}
    assert inst.units_by_id["itfaiye"].kind == "daire-baskanligi"
