"""Attachments of a bundle: type sniffed from content, size-limited, safely named, images without EXIF."""

from __future__ import annotations

import io
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import filetype
from PIL import Image, ImageOps

from .errors import Problem
from .turkish import slugify

_IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
PHOTO_TYPES = frozenset(_IMAGE_FORMATS)  # what a news item's `fotograflar` may hold
_OTHER_IMAGES = {"image/tiff": "TIFF"}   # attachments only (if allowed_types has them); cleaned the same way
_SAME_EXTENSION = {"jpeg": "jpg", "jpe": "jpg", "tif": "tiff"}
_TYPE_NAMES_TR = {"application/pdf": "PDF", "image/jpeg": "JPEG resim", "image/png": "PNG resim",
                  "image/webp": "WebP resim",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)"}


_SNIFFED = frozenset(kind.mime for kind in filetype.types)


@dataclass(frozen=True)
class Attachment:
    """One file of a bundle that will be stored with the item, under a safe name."""

    source: Path
    original_name: str
    name: str
    mime: str
    size: int


def size_tr(size: int) -> str:
    """'2,5 MB' or '740 bayt' (Turkish decimal comma)."""
    return f"{size / 1e6:.1f} MB".replace(".", ",") if size >= 100_000 else f"{size} bayt"


# Types a browser runs scripts in when it opens them from the site; filetype never reports the text ones, but
# an instance listing them would promise what intake refuses.
ACTIVE_TYPES = frozenset({"image/svg+xml", "text/html", "application/xhtml+xml", "text/xml", "application/xml",
                          "text/javascript", "application/javascript", "application/x-shockwave-flash",
                          "application/wasm", "application/x-msdownload", "application/x-executable"})


def refused_type_tr(mime: str) -> str | None:
    """Why instance.yaml may not list `mime` in attachments.allowed_types (Turkish), or None."""
    if mime in ACTIVE_TYPES:
        return (f"'{mime}' ek olarak kabul edilemez: tarayıcı bu dosyaları sitenin adresinde açıp içlerindeki "
                "betikleri çalıştırır (SVG, HTML, XML, program). Belgeyi PDF ya da resmi PNG/JPEG olarak yayımlayın.")
    if mime not in _SNIFFED:
        return (f"'{mime}' içerikten tanınan bir dosya türü değil; ekler içeriklerine bakılarak kabul edildiği "
                "için bu türde hiçbir dosya kabul edilemez.")
    return None


def allowed_types_tr(allowed: list[str]) -> str:
    return ", ".join(_TYPE_NAMES_TR.get(mime, mime) for mime in allowed)


MAX_NAME_BYTES = 255  # one file name on every common file system
# Invisible characters and the ones that turn text direction: 'fatura\u202efdp.exe' shows as 'faturaexe.pdf'.
_HIDDEN = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_TURKISH = set("çğıöşüâîûÇĞİÖŞÜÂÎÛ")


def _shown(name: str) -> str:
    """The name as a message can show it: hidden and control characters as U+XXXX, at most 80 characters."""
    text = "".join(f"<U+{ord(c):04X}>" if _HIDDEN.match(c) or unicodedata.category(c) == "Cc" else c
                   for c in name[:80])
    return text + ("…" if len(name) > 80 else "")


def name_problem(name: str) -> tuple[str, str] | None:
    """(Turkish, English) reason why `name` cannot name an attachment, or None: the one rule for bundle
    listings, web form and API uploads."""
    if not isinstance(name, str) or not name.strip():
        return "Ek adı boş.", "empty attachment name"
    if any(unicodedata.category(c) == "Cc" for c in name):
        return (f"'{_shown(name)}' adında denetim karakteri (ör. NUL) var; dosyayı yeniden adlandırın.",
                "control character in attachment name")
    hidden = _HIDDEN.search(name)
    if hidden:
        return (f"'{_shown(name)}' adında görünmeyen ya da yazı yönünü değiştiren bir karakter "
                f"(U+{ord(hidden.group()):04X}) var; böyle adlar dosyanın gerçek türünü gizler. Dosyayı yeniden "
                "adlandırın.", f"hidden or bidirectional character U+{ord(hidden.group()):04X} in attachment name")
    longest = max(len(part.encode("utf-8")) for part in name.split("/"))
    if longest > MAX_NAME_BYTES:
        return (f"'{_shown(name)}' adı çok uzun ({longest} bayt; en çok {MAX_NAME_BYTES}). Dosyaya daha kısa "
                "bir ad verin.", f"attachment name of {longest} bytes (limit {MAX_NAME_BYTES})")
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or "\\" in name:
        return (f"'{_shown(name)}' geçersiz bir dosya adı; yalnızca klasördeki dosyaların adını yazın.",
                "attachment path escapes the bundle")
    return None


def _foreign_letters(name: str) -> list[str]:
    """Letters of `name` that are neither ASCII nor Turkish (a Cyrillic 'а' looks like a Latin 'a')."""
    return [c for c in dict.fromkeys(name) if c.isalpha() and not c.isascii() and c not in _TURKISH]


def inspect_attachment(bundle: Path, listed: str, settings, taken: set[str], path: tuple,
                       line: int | None) -> tuple[Attachment | None, list[Problem], list[str]]:
    """Check one listed file of a bundle; return the attachment (or None), problems and warnings."""
    def problem(tr: str, en: str) -> tuple[None, list[Problem], list[str]]:
        return None, [Problem(".".join(map(str, path)), tr, en, line)], []

    refused = name_problem(listed)
    if refused:
        return problem(*refused)
    relative = PurePosixPath(listed)
    source = bundle
    for part in relative.parts:  # no component may lead out of the bundle
        source = source / part
        if source.is_symlink():
            return problem(f"'{listed}' bir kısayol (sembolik bağlantı); dosyanın kendisini klasöre koyun.",
                           "attachment is a symbolic link")
    try:
        size = source.stat().st_size if source.is_file() else None
    except OSError:
        size = None
    if size is None:
        return problem(f"'{listed}' eki klasörde bulunamadı.", f"attachment '{listed}' not found")
    if size > settings.max_bytes:
        return problem(f"'{listed}' çok büyük ({size_tr(size)}); en çok {size_tr(settings.max_bytes)} olabilir.",
                       f"attachment too large ({size} bytes)")
    kind = filetype.guess(str(source))
    if kind is None or kind.mime not in settings.allowed_types:
        found = f" (içerik: {kind.mime})" if kind else ""
        return problem(f"'{listed}' izin verilen bir dosya türü değil{found}. İzin verilen türler: "
                       f"{allowed_types_tr(settings.allowed_types)}.", f"attachment type not allowed{found}")
    if (kind.mime in _IMAGE_FORMATS or kind.mime in _OTHER_IMAGES) and not _image_readable(source):
        return problem(f"'{listed}' bozuk ya da yarım kalmış bir resim; dosyayı yeniden kaydedip gönderin.",
                       "image cannot be decoded")
    extension = _SAME_EXTENSION.get(kind.extension, kind.extension)
    shown = unicodedata.normalize("NFKC", relative.name)  # fullwidth '．' → '.', ligatures → letters
    stem, _, given = shown.rpartition(".")
    warnings = []
    if _SAME_EXTENSION.get(given.lower(), given.lower()) != extension:
        warnings.append(f"'{listed}' dosyasının içeriği {_TYPE_NAMES_TR.get(kind.mime, kind.mime)}; "
                        f"uzantısı .{extension} olarak düzeltildi.")
    name = f"{slugify(stem or shown, max_length=60)}.{extension}"
    number = 2
    while name in taken:
        name = f"{slugify(stem or shown, max_length=60)}-{number}.{extension}"
        number += 1
    taken.add(name)
    foreign = _foreign_letters(relative.name)
    if foreign or shown != unicodedata.normalize("NFC", relative.name):
        what = (", ".join(f"'{c}' (U+{ord(c):04X})" for c in foreign[:3])
                if foreign else "tam genişlikli ya da birleşik karakterler")
        warnings.append(f"'{listed}' adında Latin harflerine benzeyen başka karakterler var: {what}. Dosya "
                        f"'{name}' adıyla kaydedildi.")
    return Attachment(source, listed, name, kind.mime, size), [], warnings


def _image_readable(path: Path) -> bool:
    """True if Pillow can decode the whole image (it is re-encoded when stored)."""
    try:
        with Image.open(path) as image:
            image.load()
        return True
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False


def store_attachment(attachment: Attachment, target: Path) -> None:
    """Copy to target; images are re-encoded so EXIF (location, camera, owner) is not published."""
    fmt = _IMAGE_FORMATS.get(attachment.mime) or _OTHER_IMAGES.get(attachment.mime)
    if fmt is None:
        shutil.copyfile(attachment.source, target)
        return
    with Image.open(attachment.source) as image:
        image = ImageOps.exif_transpose(image)  # keep the orientation the camera recorded, then drop EXIF
        for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment", "dpi"):
            image.info.pop(key, None)
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        options = {"quality": 90} if fmt in ("JPEG", "WEBP") else {}
        image.save(buffer, fmt, **options)
    target.write_bytes(buffer.getvalue())
