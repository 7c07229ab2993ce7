"""Turkish text helpers: case mapping, slugs, alphabetical sorting and dates."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.units import format_unit
from slugify import slugify as _slugify

LOCALE = "tr_TR"
_BABEL_LOCALE = Locale.parse(LOCALE)   # parsed once: Babel parses a locale name again on every call

# Python's str.lower/upper follow the default Unicode mapping, which is wrong for Turkish dotted/dotless i.
_UPPER_SPECIAL = str.maketrans({"i": "İ", "ı": "I"})
_LOWER_SPECIAL = str.maketrans({"İ": "i", "I": "ı"})
_TRANSLIT = str.maketrans({"ı": "i", "ş": "s", "ğ": "g", "ç": "c", "ö": "o", "ü": "u",
                           "â": "a", "î": "i", "û": "u"})
ALPHABET = "abcçdefgğhıijklmnoöprsştuüvyz"
_RANK = {ch: index for index, ch in enumerate(ALPHABET)}


def upper(text: str) -> str:
    """Turkish upper case: 'istanbul' → 'İSTANBUL', 'ılık' → 'ILIK'."""
    return unicodedata.normalize("NFC", text).translate(_UPPER_SPECIAL).upper()


def lower(text: str) -> str:
    """Turkish lower case: 'İSTANBUL' → 'istanbul', 'IŞIK' → 'ışık'."""
    # NFC first: a decomposed 'İ' (I + combining dot) must become one character before mapping.
    return unicodedata.normalize("NFC", text).translate(_LOWER_SPECIAL).lower()


def title(text: str) -> str:
    """Turkish title case, word by word: 'ılık çarşı' → 'Ilık Çarşı'."""
    return " ".join(upper(word[:1]) + lower(word[1:]) for word in text.split(" "))


def fold(text: str) -> str:
    """Text as people type it when searching: Turkish lower case, letters without their marks, one space between
    words ('ZABITA', 'Zabıta', 'zabita' → 'zabita'; 'IŞIKLI Çarşı' → 'isikli carsi')."""
    return " ".join(lower(text).translate(_TRANSLIT).split())


# The whitespace of JavaScript's \s, so that search_fold and its twin in the search page's script split alike.
_JS_SPACE = re.compile("[ \t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")


def search_fold(text: str) -> str:
    """Text as the search index holds it and as a query is looked up: Turkish lower case, Turkish letters as
    their ASCII twins, every other mark dropped, one space between words ('İSKİ', 'iski', 'i\u0307ski' → 'iski';
    'Nikâh' → 'nikah'). Its exact twin is foldTurkish in themes/belediye/static/js/arama.js."""
    folded = lower(text).translate(_TRANSLIT)
    if not folded.isascii():  # marks to drop (most Turkish text is plain ASCII by now)
        folded = unicodedata.normalize("NFC", "".join(ch for ch in unicodedata.normalize("NFD", folded)
                                                      if not unicodedata.category(ch).startswith("M")))
    return " ".join(part for part in _JS_SPACE.split(folded) if part)


@functools.lru_cache(maxsize=65536)  # pure; a publisher slugs the same titles and tags on every build
def slugify(text: str, max_length: int = 80) -> str:
    """URL slug that treats Turkish letters deliberately: 'İhale', 'ihale', 'IHALE' → 'ihale'."""
    # An apostrophe only separates a proper noun from its suffix (Çorum'da): keep the word whole.
    ascii_ready = lower(text).translate(_TRANSLIT).replace("'", "").replace("\u2019", "")
    slug = _slugify(ascii_ready, max_length=max_length, word_boundary=True, lowercase=True)
    return slug or "icerik"[:max_length]  # nothing sluggable; never longer than asked (then it is its own slug)


def sort_key(text: str) -> tuple:
    """Key for Turkish alphabetical order: C < Ç < D, I(ı) < İ(i), S < Ş < T; case-insensitive."""
    folded = lower(unicodedata.normalize("NFC", text))
    primary = tuple(_RANK.get(ch, 100 + ord(ch)) if ch.isalpha() else (0 if ch.isspace() else 50 + ord(ch) % 50)
                    for ch in folded)
    return primary, text


def sort_words(words, key=lambda value: value):
    """Sort any iterable by Turkish alphabetical order of key(value)."""
    return sorted(words, key=lambda value: sort_key(key(value)))


def format_day(value: dt.date | dt.datetime, fmt: str = "d MMMM y EEEE") -> str:
    """'25 Kasım 2026 Çarşamba' (Babel, Turkish)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, fmt, locale=_BABEL_LOCALE)


def format_moment(value: dt.datetime, fmt: str = "d MMMM y EEEE HH:mm") -> str:
    """'25 Kasım 2026 Çarşamba 14:30'."""
    return format_datetime(value, fmt, locale=_BABEL_LOCALE)


_SIZE_UNITS = ((1024 ** 3, "digital-gigabyte"), (1024 ** 2, "digital-megabyte"), (1024, "digital-kilobyte"))


def format_size(size: int) -> str:
    """A file size as readers see it: '1,2 MB', '340 kB', '512 bayt' (Babel, Turkish number format)."""
    for factor, unit in _SIZE_UNITS:
        if size >= factor:
            value = size / factor
            return format_unit(value, unit, length="short", format="#,##0.#" if value < 10 else "#,##0",
                               locale=_BABEL_LOCALE)
    return format_unit(size, "digital-byte", length="short", locale=_BABEL_LOCALE)


def distinct_slug(slug: str, taken: set[str]) -> str:
    """slug, or slug-2, slug-3 … the first one not in taken."""
    if slug not in taken:
        return slug
    n = 2
    while f"{slug}-{n}" in taken:
        n += 1
    return f"{slug}-{n}"


def tel_uri(number: str) -> str:
    """A Turkish phone number as written on the site → its tel: URI (RFC 3966): '0364 225 19 00 (Dahili 1210)'
    → 'tel:+903642251900;ext=1210', a short code such as '153' stays 'tel:153'."""
    text = str(number)
    main, _, rest = text.partition("(")
    digits = "".join(ch for ch in main if ch.isdigit())
    if digits.startswith("0") and len(digits) == 11:      # trunk prefix 0 + area code + subscriber number
        digits = "+90" + digits[1:]
    elif digits.startswith("90") and len(digits) == 12:
        digits = "+" + digits
    extension = "".join(ch for ch in rest if ch.isdigit())
    return f"tel:{digits}" + (f";ext={extension}" if extension else "")
