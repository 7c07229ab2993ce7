"""parse_submission: the schema of every type, every problem at once with field and line, encodings, HTML."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from municms.errors import ValidationError
from municms.submission import parse_submission, sanitise_markdown

from .conftest import submission_text

TZ = ZoneInfo("Europe/Istanbul")


def parse(tmp_path, instance, text: str | bytes, name: str = "gonderi.md", department: str = "fen-isleri"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return parse_submission(path, department, instance)


def problems(tmp_path, instance, text, **kwargs) -> list[tuple[str, int | None, str]]:
    with pytest.raises(ValidationError) as caught:
        parse(tmp_path, instance, text, **kwargs)
    return [(p.field, p.line, p.message_tr) for p in caught.value.problems]


def fields(tmp_path, instance, text, **kwargs) -> set[str]:
    return {field for field, _, _ in problems(tmp_path, instance, text, **kwargs)}


def test_minimal_duyuru(tmp_path, instance):
    sub = parse(tmp_path, instance, submission_text(etiketler="[ihale, altyapı]", yayin="2026-12-01 09:00",
                                                     bitis="2027-01-01"))
    assert (sub.tur, sub.title, sub.department, sub.kind) == ("duyuru", "Deneme Duyurusu", "fen-isleri", "file")
    assert sub.publish_at == dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
    assert sub.expire_at == dt.datetime(2027, 1, 2, 0, 0, tzinfo=TZ)  # a date means "through that day"
    assert sub.front_matter == {"tur": "duyuru", "baslik": "Deneme Duyurusu", "etiketler": ["ihale", "altyapı"],
                                "yayin": "2026-12-01T09:00:00+03:00", "bitis": "2027-01-01"}
    assert sub.body == "Gövde metni.\n" and sub.warnings == []


@pytest.mark.parametrize("written, tags", [
    ("ihale, altyapı", ["ihale", "altyapı"]),
    ("ihale; altyapı", ["ihale", "altyapı"]),
    ('["a;b", "c, d", "&lt;b&gt;"]', ["a", "b", "c", "d", "&lt", "b&gt"]),
])
def test_tags_split_on_commas_and_semicolons_as_pelican_reads_them(tmp_path, instance, written, tags):
    # Pelican splits a Tags line on ';' when there is one: intake registers the same tags the page will show
    sub = parse(tmp_path, instance, submission_text(etiketler=f"'{written}'" if written[0] != "[" else written))
    assert sub.front_matter["etiketler"] == tags


def test_turkish_date_forms_are_accepted(tmp_path, instance):
    sub = parse(tmp_path, instance, submission_text(yayin="01.12.2026 09:30"))
    assert sub.publish_at == dt.datetime(2026, 12, 1, 9, 30, tzinfo=TZ)


def test_every_problem_at_once_with_lines(tmp_path, instance):
    text = "\n".join(["---", "tur: seminer", "baslik: ''", "basllik: Yazım", "baslangic: 2026-13-01 10:00",
                      "bitis: yarın", "kontenjan: kırk", "birim: zabita", "---", "Metin"])
    found = problems(tmp_path, instance, text)
    assert [(f, line) for f, line, _ in found] == [
        ("egitmen", 2), ("yer", 2), ("baslik", 3), ("basllik", 4), ("baslangic", 5), ("bitis", 6),
        ("kontenjan", 7), ("birim", 8)]
    messages = dict(((f, m) for f, _, m in found))
    assert messages["basllik"] == "'basllik' alanı bu tür için tanınmıyor (yazım hatası olabilir). " \
                                  "'baslik' mı demek istediniz?"
    assert messages["egitmen"] == "'egitmen' alanı zorunludur ('seminer' türü için)."
    assert messages["kontenjan"] == "Tam sayı bekleniyordu (ör. 40)."
    assert messages["bitis"].startswith("'yarın' bir tarih değil.")


@pytest.mark.parametrize("tur, missing", [
    ("haber", set()), ("duyuru", set()), ("sayfa", set()),
    ("mukellef-duyurusu", {"son_basvuru"}), ("faaliyet-raporu", {"ekler"}),
    ("organizasyon", {"yururluk", "degisiklikler"}),
    ("seminer", {"egitmen", "yer", "baslangic", "bitis", "kontenjan"}),
    ("e-hizmet", {"adres", "grup"}), ("acil-duyuru", {"bitis"}),
])
def test_required_keys_of_each_type(tmp_path, instance, tur, missing):
    text = submission_text(tur=tur)
    if not missing:
        assert parse(tmp_path, instance, text).tur == tur
    else:
        assert fields(tmp_path, instance, text) == missing


def test_sayfa_place_and_order(tmp_path, instance):
    sub = parse(tmp_path, instance, submission_text(tur="sayfa", yer="kok", sira=5))
    assert (sub.front_matter["yer"], sub.front_matter["sira"]) == ("kok", 5)
    assert fields(tmp_path, instance, submission_text(tur="sayfa", yer="menü", sira=-1)) == {"yer", "sira"}


def test_keys_of_another_type_are_unknown(tmp_path, instance):
    assert fields(tmp_path, instance, submission_text(tur="haber", son_basvuru="2026-12-31")) == {"son_basvuru"}


def test_e_hizmet(tmp_path, instance):
    sub = parse(tmp_path, instance, submission_text(tur="e-hizmet", adres="https://e.corum.bel.tr/borc",
                                                    grup="Vergi"))
    assert sub.front_matter["adres"] == "https://e.corum.bel.tr/borc"
    assert problems(tmp_path, instance, submission_text(tur="e-hizmet", adres="javascript:alert(1)", grup="x")) \
        == [("adres", 4, "'javascript:alert(1)' geçerli bir web adresi değil: http:// ya da https:// ile başlayan, "
                         "bir sunucu adı içeren tam bir adres olmalıdır; boşluk, tırnak, < > ve 'kullanıcı@' olamaz "
                         "(ör. https://www.turkiye.gov.tr/corum-belediyesi).")]


def test_seminer_rules(tmp_path, instance):
    good = dict(egitmen="A", yer="B", baslangic="2026-12-10 10:00", bitis="2026-12-10 12:00", kontenjan=20,
                hedef_kitle="[personel]", kayit_son="2026-12-08")
    sub = parse(tmp_path, instance, submission_text(tur="seminer", **good))
    assert sub.expire_at is None and sub.front_matter["kontenjan"] == 20
    late = problems(tmp_path, instance, submission_text(tur="seminer", **{**good, "kayit_son": "2026-12-11"}))
    assert late == [("kayit_son", 10, "'kayit_son' (son kayıt günü) seminerin başlangıcından sonra olamaz.")]
    assert fields(tmp_path, instance, submission_text(tur="seminer", **{**good, "kontenjan": 0})) == {"kontenjan"}


def test_organizasyon_operations_against_the_chart(tmp_path, instance):
    text = "\n".join(["---", "tur: organizasyon", "baslik: Değişiklik", "yururluk: 2026-12-01", "degisiklikler:",
                      "  - {islem: birim-ekle, birim: akilli-sehir, ad: Akıllı Şehir, ust: baskan-yardimcisi-2}",
                      "  - {islem: ata, birim: akilli-sehir, gorev: Müdür, kisi: Ayşe}",
                      "  - {islem: birim-kaldir, birim: bilgi-islem}",
                      "  - {islem: birim-tasi, birim: baskan-yardimcisi-2, ust: akilli-sehir}",
                      "  - {islem: yeniden-adlandir, birim: yok-boyle}",
                      "  - {islem: kapat, birim: zabita}",
                      "  - {islem: birim-ekle, birim: zabita, ad: İkinci, ust: baskan}", "---", ""])
    found = problems(tmp_path, instance, text)
    assert [(f, line) for f, line, _ in found] == [
        ("degisiklikler.2.birim", 8), ("degisiklikler.3.ust", 9), ("degisiklikler.4.ad", 10),
        ("degisiklikler.4.birim", 10), ("degisiklikler.5.islem", 11), ("degisiklikler.6.birim", 12)]
    assert found[0][2] == "'bilgi-islem' kaldırılamaz: alt birimleri var (web, egitim, destek)."
    assert found[1][2] == "'baskan-yardimcisi-2' kendi altına taşınamaz."


def test_units_added_by_published_changes_are_known(tmp_path, instance):
    text = submission_text(tur="organizasyon", yururluk="2027-01-01",
                           degisiklikler="[{islem: ata, birim: akilli-sehir, gorev: Müdür, kisi: Can}]")
    assert fields(tmp_path, instance, text) == {"degisiklikler.0.birim"}
    (instance.root / "data").mkdir()
    (instance.root / "data" / "organizasyon.yaml").write_text(
        "- kayit_no: BİM-2026-000004\n  yururluk: 2026-12-01\n  degisiklikler:\n"
        "  - {islem: birim-ekle, birim: akilli-sehir, ad: Akıllı Şehir, ust: baskan-yardimcisi-2}\n",
        encoding="utf-8")
    assert parse(tmp_path, instance, text).tur == "organizasyon"


def test_yururluk_must_be_a_date(tmp_path, instance):
    text = submission_text(tur="organizasyon", yururluk="2026-12-01 10:00",
                           degisiklikler="[{islem: ayril, birim: zabita}]")
    assert fields(tmp_path, instance, text) == {"yururluk"}


def test_kayit_no_is_read_loosely(tmp_path, instance):
    sub = parse(tmp_path, instance, submission_text(kayit_no="bim-2026-000012"))
    assert sub.kayit_no == "BİM-2026-000012"
    assert fields(tmp_path, instance, submission_text(kayit_no="12")) == {"kayit_no"}


def test_attachments_need_a_bundle(tmp_path, instance):
    assert fields(tmp_path, instance, submission_text(ekler="[a.pdf]")) == {"ekler"}


def test_no_front_matter_and_unclosed_front_matter(tmp_path, instance):
    assert problems(tmp_path, instance, "Merhaba\n")[0][:2] == ("", 1)
    assert problems(tmp_path, instance, "---\ntur: haber\nbaslik: x\n")[0][:2] == ("", 4)
    assert problems(tmp_path, instance, "---\n- a\n- b\n---\n")[0][:2] == ("", 2)


def test_yaml_aliases_are_refused(tmp_path, instance):
    bomb = "---\ntur: haber\nbaslik: x\na: &a [1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"{k}: &{k} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, k in zip("abcdefgh", "bcdefghi")) + "---\n"
    assert problems(tmp_path, instance, bomb) == [("", 5, "Ön bilgi bloğunda YAML takma adı (*ad) kullanılamaz; "
                                                          "değeri açıkça yazın.")]


def test_utf8_bom_and_crlf(tmp_path, instance):
    sub = parse(tmp_path, instance, b"\xef\xbb\xbf" + submission_text(baslik="Çarşı").replace("\n", "\r\n")
                .encode("utf-8"))
    assert sub.title == "Çarşı" and sub.warnings == [] and "\r" not in sub.body


def test_windows_1254_is_converted(tmp_path, instance):
    sub = parse(tmp_path, instance, submission_text(baslik="Işıklı Çarşı İhalesi", body="Şehir ğüş\n")
                .encode("cp1254"))
    assert sub.title == "Işıklı Çarşı İhalesi" and sub.body == "Şehir ğüş\n"
    assert sub.warnings[0].startswith("Dosya UTF-8 değil, Windows-1254")


@pytest.mark.parametrize("raw", [
    bytes(range(128, 256)) * 4,                                       # no Turkish reading at all
    "---\ntur: haber\nbaslik: Işık\n---\n".encode("utf-8") + "Çarşı".encode("cp1254"),  # mixed encodings
    b"\x89PNG\r\n\x1a\n" + bytes(200),                                 # an image renamed to .md
])
def test_undecidable_bytes_are_refused_with_advice(tmp_path, instance, raw):
    [(field, _line, message)] = problems(tmp_path, instance, raw)
    assert field == "" and "UTF-8 olarak kaydedip yeniden bırakın" in message


def test_size_limit_applies_to_the_text_too(tmp_path, instance):
    small = instance.model_copy(update={"attachments": instance.attachments.model_copy(update={"max_bytes": 100})})
    [(_, _, message)] = problems(tmp_path, small, submission_text(body="uzun metin " * 20))
    assert message == "Dosya çok büyük (266 bayt; en çok 100 bayt)."


def test_unsupported_file_type(tmp_path, instance):
    [(_, _, message)] = problems(tmp_path, instance, b"%PDF-1.4", name="rapor.pdf")
    assert message.startswith("'.pdf' türündeki dosyalar gönderi olarak kabul edilmiyor.")


def test_html_fragments_are_sanitised_markdown_kept(tmp_path, instance):
    body = ("# Başlık\n\n**kalın** ve <b onclick=\"x()\">HTML</b> satır içi.\n\n<script>alert(1)</script>\n\n"
            "<div style=\"color:red\">\n<p>blok</p>\n</div>\n\n```\n<script>kod örneği</script>\n```\n\n> alıntı\n")
    sub = parse(tmp_path, instance, submission_text(body=body))
    assert "onclick" not in sub.body and "<script>alert" not in sub.body and "style=" not in sub.body
    assert "**kalın** ve <b>HTML</b> satır içi." in sub.body
    assert "```\n<script>kod örneği</script>\n```" in sub.body and "> alıntı" in sub.body
    assert sub.warnings == ["Metindeki HTML'den güvenli olmayan kısımlar (betik, stil, olay öznitelikleri vb.) "
                            "çıkarıldı."]


def test_clean_html_is_left_alone():
    body = "Metin <abbr title=\"Türkiye Cumhuriyeti\">TC</abbr> ve a < b.\n"
    assert sanitise_markdown(body) == (body, False)


_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                     st.text(max_size=20), st.dates().map(str))
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)
_keys = st.sampled_from(["tur", "baslik", "birim", "yayin", "bitis", "ekler", "kayit_no", "son_basvuru",
                         "degisiklikler", "kontenjan", "baslangic", "adres", "yururluk", "x"]) | st.text(max_size=6)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front=st.dictionaries(_keys, _values, max_size=8),
       tur=st.sampled_from(["haber", "seminer", "organizasyon", "e-hizmet", "faaliyet-raporu", "acil-duyuru",
                            "mukellef-duyurusu", "bulten"]))
def test_arbitrary_front_matter_never_crashes(tmp_path, instance, front, tur):
    import yaml
    front = {"tur": tur, **front}
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\nMetin\n"
    try:
        sub = parse(tmp_path, instance, text)
    except ValidationError as exc:
        assert exc.problems and all(p.message_tr for p in exc.problems)
    else:
        assert sub.tur == front["tur"] and sub.title


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: ("---\n" + t).encode("utf-8")))
def test_arbitrary_bytes_never_crash(tmp_path, instance, raw):
    try:
        parse(tmp_path, instance, raw)
    except ValidationError as exc:
        assert exc.problems
