"""The validators and the text scanner: generated identity numbers and IBANs (valid ones found, one digit off
not), and tables of phones, e-mail addresses and plates, the municipality's own ones not flagged."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from municms.config import load_instance
from municms.kvkk.scan import own_data
from municms.kvkk.text import TextScanner
from municms.kvkk.validators import iban_valid, iban_with_check, tc_kimlik_digits, tc_kimlik_valid
from tests.municipality import REPO

nine_digits = st.builds(lambda first, rest: first + rest, st.sampled_from("123456789"),
                        st.text("0123456789", min_size=8, max_size=8))
accounts = st.text("0123456789", min_size=22, max_size=22)


@pytest.fixture(scope="module")
def scanner() -> TextScanner:
    return TextScanner(own_data(load_instance(REPO)))


def kinds(scanner: TextScanner, text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.masked) for f in scanner.scan(text, "metin")]


def off_by_one(number: str, position: int, delta: int) -> str:
    digits = list(number)
    digits[position] = str((int(digits[position]) + delta) % 10)
    return "".join(digits)


@given(nine_digits)
def test_generated_identity_numbers_are_valid_and_found_masked(first_nine):
    number = tc_kimlik_digits(first_nine)
    assert tc_kimlik_valid(number)
    found = TextScanner().scan(f"Başvuran: Ayşe Yılmaz, T.C. {number}, Çorum", "metin")
    assert [(f.kind, f.masked, f.place) for f in found] == [("tc_kimlik", number[:3] + "******" + number[-2:],
                                                             "metin")]
    assert number not in repr(found)  # the whole number is never kept


@given(nine_digits, st.integers(0, 10), st.integers(1, 9))
def test_identity_number_with_one_digit_changed_is_not_found(first_nine, position, delta):
    number = off_by_one(tc_kimlik_digits(first_nine), position, delta)
    assert not tc_kimlik_valid(number)
    kinds = [f.kind for f in TextScanner().scan(f"No: {number}", "metin")]
    # not an identity number; a first digit changed to 0 can make it a phone number ("0364 …", "0532 …")
    assert kinds == (["telefon"] if number.startswith("0") and kinds else [])


@given(accounts, st.booleans())
def test_generated_ibans_are_found_spaced_or_not(account, spaced):
    iban = iban_with_check(account)
    assert iban_valid(iban)
    written = " ".join(iban[i:i + 4] for i in range(0, 26, 4)) if spaced else iban
    found = TextScanner().scan(f"Ödeme için {written} hesabına", "metin")
    assert [(f.kind, f.masked) for f in found] == [("iban", iban[:4] + "*" * 20 + iban[-2:])]


@settings(max_examples=200)
@given(accounts, st.integers(2, 25), st.integers(1, 9))
def test_iban_with_one_digit_changed_is_not_found(account, position, delta):
    iban = off_by_one(iban_with_check(account), position, delta)
    assert not iban_valid(iban)  # mod-97 catches every single-digit change
    assert [f.kind for f in TextScanner().scan(f"IBAN: {iban}", "metin")] == []


@pytest.mark.parametrize("number, valid", [
    ("10000000146", True), ("12345678950", True), ("12345678951", False), ("02345678950", False),
    ("1234567895", False), ("123456789500", False), ("1234567895a", False), ("١٢٣٤٥٦٧٨٩٥٠", False)])
def test_identity_number_table(number, valid):
    assert tc_kimlik_valid(number) is valid


@pytest.mark.parametrize("iban, valid", [
    ("TR33 0006 1005 1978 6457 8413 26", True), ("TR330006100519786457841326", True),
    ("tr33 0006 1005 1978 6457 8413 26", True), ("TR34 0006 1005 1978 6457 8413 26", False),
    ("TR33 0006 1005 1978 6457 8413 2", False), ("DE89 3704 0044 0532 0130 00", False)])
def test_iban_table(iban, valid):
    assert iban_valid(iban) is valid


@pytest.mark.parametrize("text, expected", [
    ("Bilgi için 0532 123 45 67", [("telefon", "0532*****67")]),
    ("+90 (532) 123-45-67", [("telefon", "0532*****67")]),
    ("0090 505 765 43 21", [("telefon", "0505*****21")]),
    ("Cep: 532 123 45 67", [("telefon", "0532*****67")]),
    ("Ev: (0312) 555 12 34", [("telefon", "0312*****34")]),
    ("Santral 0364 225 19 00", []),                # the municipality's own number (instance.yaml)
    ("+90 364 225 19 00 (Dahili 1210)", []),       # the same, with an extension (data/birimler.yaml)
    ("ALO 153 ve 444 0 019", []),                  # short and call-centre numbers are not personal
    ("Saat 10:00–12:30, 2026-12-10", []),
    ("Tutar 1.234.567,89 TL; dosya 2026/112", []),
])
def test_phone_table(scanner, text, expected):
    assert kinds(scanner, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Yazın: ayse.yilmaz@gmail.com", [("eposta", "a***@gmail.com")]),
    ("firma@ornek-insaat.com.tr adresine", [("eposta", "f***@ornek-insaat.com.tr")]),
    ("bilgi@corum.bel.tr ya da fenisleri@corum.bel.tr", []),       # the municipality's domain
    ("KEP: corumbelediyesi@hs01.kep.tr", []),                       # its KEP address
    ("başka biri: ali@hs01.kep.tr", [("eposta", "a***@hs01.kep.tr")]),  # the KEP domain is shared
])
def test_email_table(scanner, text, expected):
    assert kinds(scanner, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Araç 19 ABC 123 çekildi", [("plaka", "19*****3")]),
    ("06 A 1234 plakalı", [("plaka", "06****4")]),
    ("34AB1234", [("plaka", "34*****4")]),
    ("81 ZZ 999", [("plaka", "81****9")]),
    ("82 AB 123", []), ("00 AB 123", []),           # no such province
    ("19 ABCD 12", []), ("19 Ç 1234", []),          # too many letters; Ç is not a plate letter
    ("15 TEMMUZ 2026", []), ("Madde 14 A fıkrası", []), ("10 ve 12 arası", []),
])
def test_plate_table(scanner, text, expected):
    assert kinds(scanner, text) == expected


def test_overlapping_matches_are_reported_once(scanner):
    iban = iban_with_check("0006100519786457841326")
    assert kinds(scanner, f"{iban} 12345678950 0532 123 45 67") == [
        ("iban", iban[:4] + "*" * 20 + iban[-2:]), ("tc_kimlik", "123******50"), ("telefon", "0532*****67")]


def test_configured_domains_and_phones_are_the_municipalitys(tmp_path):
    from tests.municipality import bare_instance

    root = bare_instance(tmp_path / "i")
    text = (root / "instance.yaml").read_text(encoding="utf-8")
    (root / "instance.yaml").write_text(text + "\nkvkk:\n  own_domains: [corum.gov.tr]\n"
                                        "  own_phones: ['0532 000 19 19']\n", encoding="utf-8")
    scanner = TextScanner(own_data(load_instance(root)))
    assert kinds(scanner, "zabita@corum.gov.tr, a@b.corum.gov.tr, 0532 000 19 19, x@corum.gov.tr.ornek.com") == [
        ("eposta", "x***@corum.gov.tr.ornek.com")]
