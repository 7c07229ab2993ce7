"""Personal data in plain text: identity numbers, IBANs, e-mail addresses, phone numbers and vehicle plates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from .findings import Finding, finding, mask, mask_email
from .validators import compact_iban, iban_valid, phone_digits, tc_kimlik_valid

_TC = re.compile(r"(?<![\d.,])[1-9]\d{10}(?![\d.,]?\d)")
_IBAN = re.compile(r"(?<![A-Za-z0-9])[Tt][Rr]\d{2}(?:[ ]?\d{4}){5}[ ]?\d{2}(?!\d)")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})\b")
# 0532 123 45 67, +90 532 123 45 67, (0364) 225 19 00, 0 (364) 225-19-00, 0090…; a bare 532 123 45 67 too
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)90[\s.-]?|0[\s.-]?)?\(?[2-5]\d{2}\)?[\s.-]?\d{3}[\s.-]?\d{2}[\s.-]?\d{2}(?!\d)")
# Plates: province 01–81, then 1 letter + 4 digits, 2 letters + 3–4 digits or 3 letters + 2–3 digits (the letters
# a plate may hold: no Ç Ğ İ Ö Ş Ü Q W X)
_L = "[ABCDEFGHIJKLMNOPRSTUVYZ]"
_PLATE = re.compile(rf"(?<![\w])(0[1-9]|[1-7]\d|8[01])[ ]?(?:{_L}[ ]?\d{{4}}|{_L}{{2}}[ ]?\d{{3,4}}|{_L}{{3}}[ ]?\d{{2,3}})(?![\w])")


@dataclass(frozen=True)
class OwnData:
    """What the municipality publishes itself and is therefore not personal: its numbers and its domains."""

    phones: frozenset[str] = frozenset()        # 10 significant digits
    domains: tuple[str, ...] = ()               # an address on one of these or a subdomain is the municipality's
    addresses: frozenset[str] = frozenset()     # whole addresses (the KEP address on a shared KEP domain)

    def own_email(self, address: str) -> bool:
        address = address.lower()
        domain = address.rpartition("@")[2]
        return address in self.addresses or any(domain == d or domain.endswith("." + d) for d in self.domains)


@dataclass
class TextScanner:
    """Finds personal data in text; each match is reported once, the longest kind first (an IBAN's digits
    are not also a phone number)."""

    own: OwnData = field(default_factory=OwnData)

    def scan(self, text: str, place: str) -> list[Finding]:
        return [found for _span, found in self._matches(text, place)]

    def scan_lines(self, text: str, place: str) -> list[Finding]:
        """Findings per line: the place says `<place>, satır N`."""
        found = []
        for number, line in enumerate(text.splitlines(), 1):
            if any(ch.isdigit() for ch in line) or "@" in line:
                found.extend(self.scan(line, f"{place}, satır {number}"))
        return found

    def _matches(self, text: str, place: str) -> Iterator[tuple[tuple[int, int], Finding]]:
        taken: list[tuple[int, int]] = []

        def free(match: re.Match) -> bool:
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                return False
            taken.append((start, end))
            return True

        results = []
        for match in _IBAN.finditer(text):
            if iban_valid(match.group()) and free(match):
                results.append((match.span(), finding("iban", mask(compact_iban(match.group()), 4, 2), place)))
        for match in _EMAIL.finditer(text):
            if free(match) and not self.own.own_email(match.group()):
                results.append((match.span(), finding("eposta", mask_email(match.group()), place)))
        for match in _TC.finditer(text):
            if tc_kimlik_valid(match.group()) and free(match):
                results.append((match.span(), finding("tc_kimlik", mask(match.group(), 3, 2), place)))
        for match in _PHONE.finditer(text):
            digits = phone_digits(match.group())
            if digits and digits not in self.own.phones and free(match):
                results.append((match.span(), finding("telefon", mask("0" + digits, 4, 2), place)))
        for match in _PLATE.finditer(text):
            if free(match):
                results.append((match.span(), finding("plaka", mask(match.group(), 2, 1), place)))
        return iter(sorted(results, key=lambda pair: pair[0]))
