"""Turkish slugs, casing, sorting and dates: examples plus properties."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, strategies as st

from municms import turkish

TURKISH_LETTERS = "abcçdefgğhıijklmnoöprsştuüvyzABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZ"
turkish_text = st.text(alphabet=TURKISH_LETTERS + " -'.,0123456789", min_size=0, max_size=60)


@pytest.mark.parametrize("text, slug", [
    ("İhale", "ihale"), ("ihale", "ihale"), ("IHALE", "ihale"), ("Ihale", "ihale"),
    ("Işıklı", "isikli"), ("IŞIKLI", "isikli"), ("işıklı", "isikli"),
    ("Işıklı Çarşı İhalesi Sonuçlandı", "isikli-carsi-ihalesi-sonuclandi"),
    ("Gülabibey Mahallesi'ne Yeni Çocuk Parkı", "gulabibey-mahallesine-yeni-cocuk-parki"),
    ("ÖĞRENCİ ÜCRETSİZ ULAŞIM", "ogrenci-ucretsiz-ulasim"),
    ("Emlak Vergisi 1. Taksit — Son Gün 31 Mayıs", "emlak-vergisi-1-taksit-son-gun-31-mayis"),
    ("I\u0307stanbul", "istanbul"),  # decomposed İ (I + combining dot above)
    ("!!!", "icerik"),
])
def test_slug_examples(text, slug):
    assert turkish.slugify(text) == slug


@given(turkish_text)
def test_slug_is_url_safe_and_idempotent(text):
    slug = turkish.slugify(text)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert turkish.slugify(slug) == slug
    assert len(slug) <= 80


@given(turkish_text)
def test_slug_ignores_case_the_turkish_way(text):
    assert turkish.slugify(turkish.upper(text)) == turkish.slugify(turkish.lower(text)) == turkish.slugify(text)


@pytest.mark.parametrize("text, upper, lower", [
    ("istanbul", "İSTANBUL", "istanbul"), ("ılık", "ILIK", "ılık"), ("İzmir", "İZMİR", "izmir"),
    ("IŞIK", "IŞIK", "ışık"), ("çağrı", "ÇAĞRI", "çağrı"), ("Diyarbakır", "DİYARBAKIR", "diyarbakır"),
])
def test_case_mapping(text, upper, lower):
    assert turkish.upper(text) == upper
    assert turkish.lower(text) == lower


def test_python_default_lower_is_wrong_and_ours_is_right():
    assert "İSTANBUL".lower() != "istanbul"  # 'i̇stanbul' with a combining dot
    assert turkish.lower("İSTANBUL") == "istanbul"


@given(st.text(alphabet=TURKISH_LETTERS, max_size=30))
def test_case_round_trip_for_turkish_letters(text):
    assert turkish.lower(turkish.upper(text)) == turkish.lower(text)
    assert turkish.upper(turkish.lower(text)) == turkish.upper(text)


def test_title_case():
    assert turkish.title("ılık İSTANBUL akşamı") == "Ilık İstanbul Akşamı"


def test_sorting_follows_the_turkish_alphabet():
    words = ["Şeker", "Sabun", "Çay", "Cam", "Dere", "ılık", "İnce", "Irmak", "ibrik", "Zeytin", "Ödev",
             "Oda", "Üzüm", "Uçak", "Göl", "Ğ", "Hane"]
    assert turkish.sort_words(words) == ["Cam", "Çay", "Dere", "Göl", "Ğ", "Hane", "ılık", "Irmak", "ibrik",
                                         "İnce", "Oda", "Ödev", "Sabun", "Şeker", "Uçak", "Üzüm", "Zeytin"]


@given(st.lists(turkish_text, max_size=20))
def test_sorting_is_a_total_order_independent_of_input_order(words):
    once = turkish.sort_words(words)
    assert turkish.sort_words(list(reversed(words))) == once
    assert sorted(once) == sorted(words)


@pytest.mark.parametrize("day, text", [
    (dt.date(2026, 11, 25), "25 Kasım 2026 Çarşamba"),
    (dt.date(2027, 5, 31), "31 Mayıs 2027 Pazartesi"),
    (dt.date(2026, 2, 28), "28 Şubat 2026 Cumartesi"),
    (dt.date(2026, 8, 14), "14 Ağustos 2026 Cuma"),
])
def test_dates_in_turkish(day, text):
    assert turkish.format_day(day) == text


def test_datetime_in_turkish_keeps_local_time():
    moment = dt.datetime(2026, 12, 10, 10, 0, tzinfo=ZoneInfo("Europe/Istanbul"))
    assert turkish.format_moment(moment) == "10 Aralık 2026 Perşembe 10:00"


def test_distinct_slug():
    assert turkish.distinct_slug("meclis", set()) == "meclis"
    assert turkish.distinct_slug("meclis", {"meclis"}) == "meclis-2"
    assert turkish.distinct_slug("meclis", {"meclis", "meclis-2"}) == "meclis-3"


@pytest.mark.parametrize("written, uri", [
    ("0364 225 19 00", "tel:+903642251900"),
    ("0364 225 19 00 (Dahili 1210)", "tel:+903642251900;ext=1210"),
    ("153", "tel:153"),
    ("+90 364 225 19 00", "tel:+903642251900"),
    ("112", "tel:112"),
])
def test_phone_numbers_become_tel_uris(written, uri):
    assert turkish.tel_uri(written) == uri


@pytest.mark.parametrize("size, shown", [
    (0, "0 bayt"), (398, "398 bayt"), (1023, "1.023 bayt"), (1024, "1 kB"), (1485, "1,5 kB"),
    (123_456, "121 kB"), (1_258_291, "1,2 MB"), (15 * 1024 ** 2, "15 MB"), (3 * 1024 ** 3, "3 GB"),
])
def test_file_sizes_read_as_turkish_numbers(size, shown):
    """Attachment links: a decimal comma, a dot between thousands, one decimal below ten units."""
    assert turkish.format_size(size) == shown
