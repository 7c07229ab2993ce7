"""Location and device serial numbers in photos (EXIF, XMP): reported, and removed from the registered copies."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from .findings import Finding, finding, mask

log = logging.getLogger("municms.kvkk")

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
# BodySerialNumber, LensSerialNumber (EXIF 2.3), CameraSerialNumber (DNG / TIFF-EP)
SERIAL_TAGS = {0xA431: "gövde", 0xA435: "objektif", 0xC62F: "kamera"}
_XMP_KEYS = ("xmp", "XML:com.adobe.xmp")
_XMP_GPS = (b"GPSLatitude", b"GPSLongitude", b"GPSCoordinates")
_XMP_SERIAL = (b"SerialNumber",)
_SAVE = {"JPEG": {"quality": "keep"}, "WEBP": {"quality": 90}, "PNG": {}, "TIFF": {}}


def _xmp(image: Image.Image) -> bytes:
    for key in _XMP_KEYS:
        value = image.info.get(key)
        if value:
            return value.encode("utf-8", "replace") if isinstance(value, str) else bytes(value)
    return b""


def _serials(exif: Image.Exif) -> list[tuple[int, str]]:
    found = []
    inner = exif.get_ifd(EXIF_IFD)
    for tag in SERIAL_TAGS:
        value = inner.get(tag, exif.get(tag))
        if value not in (None, "", b""):
            found.append((tag, str(value.decode("ascii", "replace") if isinstance(value, bytes) else value).strip()))
    return found


def image_findings(path: Path, name: str) -> list[Finding]:
    """GPS position and serial numbers in one image file; the place names the file (as the department named it)."""
    place = f"ek '{name}'"
    try:
        with Image.open(path) as image:
            exif = image.getexif()
            xmp = _xmp(image)
            gps = bool(exif.get_ifd(GPS_IFD)) or any(key in xmp for key in _XMP_GPS)
            serials = _serials(exif)
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        log.warning("cannot read the metadata of %s: %s", path, exc)
        return [finding("taranamadi", "—", place, "Resmin üst bilgileri okunamadı.")]
    found = []
    if gps:
        found.append(finding("gps", "konum (silindi)", place))
    for tag, value in serials:
        found.append(finding("seri_no", mask(value, 2, 2) if value else "(silindi)", place,
                             f"({SERIAL_TAGS[tag]} seri numarası)"))
    if not serials and any(key in xmp for key in _XMP_SERIAL):
        found.append(finding("seri_no", "(silindi)", place, "(XMP üst bilgisinde)"))
    return found


def strip_image_metadata(path: Path) -> bool:
    """Rewrite an image file without its GPS position, serial numbers and XMP (the rest of its EXIF, such as
    the date and the orientation, is kept; a JPEG keeps its quantisation: no visible loss). False if the file
    held none of them (it is then left byte for byte as it was) or is not an image Pillow can write."""
    try:
        with Image.open(path) as image:
            fmt = image.format
            if fmt not in _SAVE:
                return False
            exif = image.getexif()
            xmp = _xmp(image)
            serials = _serials(exif)
            if not exif.get_ifd(GPS_IFD) and GPS_IFD not in exif and not serials and not xmp:
                return False
            exif.pop(GPS_IFD, None)
            exif.get_ifd(EXIF_IFD)  # loaded, so the tags removed below stay removed when written back
            for tag in SERIAL_TAGS:
                exif.pop(tag, None)
                if EXIF_IFD in exif:
                    exif.get_ifd(EXIF_IFD).pop(tag, None)
            for key in _XMP_KEYS:
                image.info.pop(key, None)
            options = dict(_SAVE[fmt])
            if image.info.get("icc_profile"):
                options["icc_profile"] = image.info["icc_profile"]
            if getattr(image, "n_frames", 1) > 1 and fmt != "JPEG":
                options["save_all"] = True
            buffer = io.BytesIO()
            image.save(buffer, fmt, exif=exif.tobytes(), **options)
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        log.warning("cannot strip the metadata of %s: %s", path, exc)
        return False
    path.write_bytes(buffer.getvalue())
    return True
