"""Checksums of Turkish identity numbers and IBANs; pure functions, no IO."""

from __future__ import annotations

import re

_SPACES = re.compile(r"[\s-]")


def tc_kimlik_valid(text: str) -> bool:
    """True for a T.C. kimlik numarası: 11 digits, the first not 0, and the official 10th and 11th digits:
    d10 = (7 × (d1+d3+d5+d7+d9) − (d2+d4+d6+d8)) mod 10, d11 = (d1+…+d10) mod 10."""
    if len(text) != 11 or not text.isascii() or not text.isdigit() or text[0] == "0":
        return False
    d = [int(c) for c in text]
    tenth = (7 * sum(d[0:9:2]) - sum(d[1:8:2])) % 10
    return d[9] == tenth and d[10] == sum(d[:10]) % 10


def tc_kimlik_digits(first_nine: str) -> str:
    """The whole 11-digit number whose first nine digits are given (the two checksum digits appended)."""
    d = [int(c) for c in first_nine]
    tenth = (7 * sum(d[0:9:2]) - sum(d[1:8:2])) % 10
    eleventh = (sum(d) + tenth) % 10
    return f"{first_nine}{tenth}{eleventh}"


def compact_iban(text: str) -> str:
    return _SPACES.sub("", text).upper()


def iban_valid(text: str) -> bool:
    """True for a Turkish IBAN (TR, 2 check digits, 22 digits; spaces allowed) passing ISO 13616 mod-97."""
    iban = compact_iban(text)
    if len(iban) != 26 or not iban.startswith("TR") or not iban[2:].isascii() or not iban[2:].isdigit():
        return False
    return iban_mod97(iban) == 1


def iban_mod97(iban: str) -> int:
    """ISO 13616: the first four characters moved to the end, letters as 10…35, the number mod 97."""
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97


def iban_with_check(bban: str, country: str = "TR") -> str:
    """The IBAN of a 22-digit Turkish account number (bank code, reserve digit, account), check digits computed."""
    check = 98 - iban_mod97(f"{country}00{bban}")
    return f"{country}{check:02d}{bban}"


def phone_digits(text: str) -> str:
    """A Turkish phone number as its 10 significant digits (area or operator code first), or '' if it is
    not one: '+90 (532) 123 45 67', '0532 123 45 67' and '5321234567' all give '5321234567'."""
    digits = re.sub(r"\D", "", text.split("(Dahili")[0].split("(dahili")[0])
    for prefix in ("0090", "90", "0"):
        if len(digits) == 10 + len(prefix) and digits.startswith(prefix):
            digits = digits[len(prefix):]
            break
    return digits if len(digits) == 10 and digits[0] in "2345" else ""
