"""Decode a submitted text file: UTF-8 (with or without BOM), or Windows-1254 converted with a warning."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from .errors import Problem

# Letters that only Turkish text has; a Windows-1254 decoding that yields none of them is not trusted.
_TURKISH_LETTERS = set("çğıöşüÇĞİÖŞÜ")
# Typical sequences of UTF-8 read as a single-byte code page ("Ã¼", "Ä±", "Å\x9f"): never accept them.
_MOJIBAKE = re.compile("[ÃÄÅ][\u0080-\u00bf\u0130\u0131\u015e\u015f\u011e\u011f\u2018-\u203a\u0152\u0153\u0178]")
_CONTROL = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]")
MAX_CHAOS = 0.2

ADVICE_TR = ("Dosyayı UTF-8 olarak kaydedip yeniden bırakın (Not Defteri: Farklı Kaydet → Kodlama: UTF-8; "
             "Word: Farklı Kaydet → Düz Metin → Unicode (UTF-8)).")


class EncodingProblem(Exception):
    """The bytes are not text municms can read safely; carries the Problem for the report."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message_en)
        self.problem = problem


def decode_submission(raw: bytes) -> tuple[str, list[str]]:
    """Return (text, warnings); raise EncodingProblem for empty, binary or undecidable bytes."""
    if not raw.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise EncodingProblem(Problem("", "Dosya boş. İçeriği yazıp kaydettikten sonra yeniden bırakın.",
                                      "the file is empty", 1))
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = _windows_1254(raw)
        if text is None:
            line = raw[:exc.start].count(b"\n") + 1
            raise EncodingProblem(Problem(
                "", "Dosyanın karakter kodlaması anlaşılamadı (UTF-8 değil). " + ADVICE_TR,
                f"not UTF-8 and not recognisably Windows-1254 (first bad byte at offset {exc.start})",
                line)) from None
        return _normalise(text), ["Dosya UTF-8 değil, Windows-1254 (Türkçe) kodlamasında bulundu ve UTF-8'e "
                                  "çevrildi. Metni kontrol edin; bundan sonra UTF-8 olarak kaydetmeniz önerilir."]
    if _CONTROL.search(text.replace("\t", "")):
        raise EncodingProblem(Problem("", "Dosya metin değil (ikili veri içeriyor). " + ADVICE_TR,
                                      "binary data in a text submission", None))
    return _normalise(text), []


def _windows_1254(raw: bytes) -> str | None:
    """The Windows-1254 reading of raw if charset-normalizer finds it coherent and it reads as Turkish."""
    matches = charset_normalizer.from_bytes(raw, cp_isolation=["cp1254"], threshold=MAX_CHAOS)
    best = matches.best()
    if best is None:
        return None
    try:
        text = raw.decode("cp1254")
    except UnicodeDecodeError:  # bytes undefined in cp1254 (0x81, 0x8D …)
        return None
    if not _TURKISH_LETTERS & set(text) or _MOJIBAKE.search(text) or _CONTROL.search(text.replace("\t", "")):
        return None
    return text


def _normalise(text: str) -> str:
    """Unix newlines, no BOM left inside."""
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
