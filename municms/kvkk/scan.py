"""The scan of one submission or edit: its front-matter fields, its body line by line and its attachments."""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from urllib.parse import urlsplit

import filetype
import yaml

from .documents import DOCUMENT_TYPES, document_findings
from .findings import Finding
from .images import image_findings, strip_image_metadata
from .text import OwnData, TextScanner
from .validators import phone_digits

log = logging.getLogger("municms.kvkk")

# Keys whose values are codes the system checks itself, never free text
_NOT_TEXT = frozenset({"tur", "birim", "kayit_no", "ekler"})
_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/tiff"})


def own_data(instance) -> OwnData:
    """The municipality's own published numbers and domains: instance.yaml's contact and `kvkk`, and the
    departments' phone numbers in data/birimler.yaml."""
    contact = instance.municipality.contact
    phones = {phone_digits(p) for p in [contact.phone, *instance.kvkk.own_phones,
                                        *_department_phones(Path(instance.root) / "data" / "birimler.yaml")]}
    domains = {d.lower().strip(".") for d in instance.kvkk.own_domains}
    host = (urlsplit(instance.municipality.site_url).hostname or "").lower()
    if "." in host and not host.replace(".", "").isdigit():
        domains.add(host.removeprefix("www."))
    addresses = {a.lower() for a in (contact.email, contact.kep) if "@" in a}
    if "@" in contact.email:
        domains.add(contact.email.rpartition("@")[2].lower())
    return OwnData(phones=frozenset(p for p in phones if p), domains=tuple(sorted(d for d in domains if d)),
                   addresses=frozenset(addresses))


def _department_phones(path: Path) -> tuple[str, ...]:
    try:
        stat = path.stat()
    except OSError:
        return ()
    return _read_department_phones(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _read_department_phones(path: str, _mtime: int, _size: int) -> tuple[str, ...]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return ()
    entries = data.values() if isinstance(data, dict) else data if isinstance(data, list) else []
    return tuple(str(e["telefon"]) for e in entries if isinstance(e, dict) and e.get("telefon"))


def scan_submission(sub, instance) -> list[Finding]:
    """Every finding of a parsed submission (fields, body, attachments and other photos of its bundle)."""
    scanner = TextScanner(own_data(instance))
    found: list[Finding] = []
    for path, value in _texts(sub.front_matter, ()):
        if path[0] not in _NOT_TEXT:
            found.extend(scanner.scan(value, f"alan '{'.'.join(map(str, path))}'"))
    found.extend(scanner.scan_lines(sub.body, "metin"))
    scanned = set()
    for attachment in sub.attachments:
        scanned.add(Path(attachment.source).resolve())
        found.extend(_attachment(scanner, attachment.source, attachment.original_name, attachment.mime,
                                 instance.attachments.max_bytes))
    if sub.kind == "bundle":  # files kept with the original without being listed: photos are cleaned too
        for path in sorted(Path(sub.source).rglob("*")):
            if path.is_file() and path.resolve() not in scanned and _sniff(path) in _IMAGE_TYPES:
                found.extend(image_findings(path, path.relative_to(sub.source).as_posix()))
    return found


def _attachment(scanner: TextScanner, path: Path, name: str, mime: str, max_bytes: int) -> list[Finding]:
    if mime in _IMAGE_TYPES:
        return image_findings(path, name)
    if mime in DOCUMENT_TYPES:
        return document_findings(scanner, path, name, mime, max_bytes)
    return []


def strip_original_images(folder: Path) -> int:
    """Remove GPS positions and serial numbers from the photos of a registered bundle's original copy."""
    count = 0
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and _sniff(path) in _IMAGE_TYPES:
            count += strip_image_metadata(path)
    return count


def _sniff(path: Path) -> str | None:
    try:
        kind = filetype.guess(str(path))
    except OSError:
        return None
    return kind.mime if kind else None


def _texts(value, path: tuple):
    """(path, text) of every string in a front-matter value, lists and mappings included."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _texts(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _texts(inner, (*path, index))
