"""Attachments of a bundle: type sniffed from content, size-limited, safely named, images without EXIF."""

from __future__ import annotations

import io
import shutil
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


def allowed_types_tr(allowed: list[str]) -> str:
    return ", ".join(_TYPE_NAMES_TR.get(mime, mime) for mime in allowed)


def inspect_attachment(bundle: Path, listed: str, settings, taken: set[str], path: tuple,
                       line: int | None) -> tuple[Attachment | None, list[Problem], list[str]]:
    """Check one listed file of a bundle; return the attachment (or None), problems and warnings."""
    def problem(tr: str, en: str) -> tuple[None, list[Problem], list[str]]:
        return None, [Problem(".".join(map(str, path)), tr, en, line)], []

    relative = PurePosixPath(listed)
    if relative.is_absolute() or ".." in relative.parts or not listed.strip():
        return problem(f"'{listed}' geçersiz bir dosya adı; yalnızca klasördeki dosyaların adını yazın.",
                       "attachment path escapes the bundle")
    source = bundle.joinpath(*relative.parts)
    if not source.is_file():
        return problem(f"'{listed}' eki klasörde bulunamadı.", f"attachment '{listed}' not found")
    size = source.stat().st_size
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
    stem, _, given = relative.name.rpartition(".")
    warnings = []
    if _SAME_EXTENSION.get(given.lower(), given.lower()) != extension:
        warnings.append(f"'{listed}' dosyasının içeriği {_TYPE_NAMES_TR.get(kind.mime, kind.mime)}; "
                        f"uzantısı .{extension} olarak düzeltildi.")
    name = f"{slugify(stem or relative.name, max_length=60)}.{extension}"
    number = 2
    while name in taken:
        name = f"{slugify(stem or relative.name, max_length=60)}-{number}.{extension}"
        number += 1
    taken.add(name)
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
