"""Digests of what a page is made from: the inputs of one Pelican write (template, output name, the values
passed to it and the global context names its templates read), so a publish renders only pages whose inputs
changed.

A content object is digested by its source file (path, size, modification time in nanoseconds) and the address
the build gave it (with its time-dependent state, `_where`); every other value by its type and contents, recursively. Anything the digest does not know
is digested by `repr`, which is safe only if `repr` shows the contents: unknown objects with the default
`object.__repr__` are refused (a fingerprint must never be stable while its output changes).

`quick_key` states the same rules as a plain tuple compared without hashing (equal tuples, equal digests), so
the publisher digests a page only when that tuple changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from enum import Enum
from typing import Any

from pelican.contents import Article, Content, Page
from pelican.urlwrappers import URLWrapper


class UnknownValue(TypeError):
    """A value whose contents the digest cannot see."""


def source_stamp(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_size, info.st_mtime_ns


class SequenceMemo:
    """Digests of lists of articles and pages, kept between builds: a listing's items are mostly the same
    objects in the same order from one publish to the next.

    A list's digest is made of its objects' source files, stamps and addresses. An object kept between builds
    keeps its source and stamp (a changed file is a new object); its address may change (a slug taken by a new
    item), so `begin` forgets every digest when an object kept since the last build has another address now
    (a new object changes no stored list: a list holding it is another list). A list is looked up only if every
    item is a kept article or page; the memo keeps the objects of its lists alive, so their ids are not
    reused."""

    def __init__(self) -> None:
        self.digests: dict[tuple, bytes] = {}
        self.epoch = 0                       # changes when a kept object's address changed
        self.addresses: dict[int, tuple] = {}
        self.kept: set[int] = set()
        self.used: set[tuple] = set()

    def begin(self, contents) -> None:
        """Start a build over the kept content objects."""
        addresses = {id(c): _where(c) for c in contents}
        before = self.addresses
        if any(before.get(key, where) != where for key, where in addresses.items()):
            self.digests = {}
            self.epoch += 1
        else:
            self.digests = {key: self.digests[key] for key in self.used if key in self.digests}
        self.addresses = addresses
        self.kept = set(addresses)
        self.used = set()

    def holds(self, content) -> bool:
        """Whether `content` is a kept article or page of this build."""
        return type(content) in _PAGES and id(content) in self.kept

    def key(self, value) -> tuple | None:
        if not all(self.holds(v) for v in value):
            return None
        return (type(value), *value)


class Digester:
    """Digests values of one build; content objects and repeated values are digested once."""

    def __init__(self, sequences: SequenceMemo | None = None) -> None:
        self._by_id: dict[int, tuple[Any, bytes]] = {}  # id → (the object, kept alive; its digest)
        self._plain: dict[tuple, bytes] = {}            # (type, value) → digest, for values equal only to equals
        self.sequences = sequences

    def __call__(self, value: Any) -> bytes:
        return self.digest(value)

    def digest(self, value: Any) -> bytes:
        kind = type(value)
        if kind in _CACHED_PLAIN:  # equal values of these types have equal reprs (not so floats or datetimes)
            key = (kind, value)
            known = self._plain.get(key)
            if known is None:
                known = self._plain[key] = _hash(b"v", repr(value).encode())
            return known
        if value is None or isinstance(value, (str, int, float, bool, bytes, dt.date, dt.datetime, dt.time,
                                               dt.timedelta)):
            return _hash(b"v", repr(value).encode())
        if isinstance(value, Enum):
            return _hash(b"e", repr(value).encode())
        known = self._by_id.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        result = self._compute(value)
        self._by_id[id(value)] = (value, result)
        return result

    def _compute(self, value: Any) -> bytes:
        if isinstance(value, Content):
            return self._content(value)
        if isinstance(value, URLWrapper):  # a category or tag: its name and address
            return _hash(b"u", type(value).__name__.encode(), value.name.encode(), value.url.encode())
        if isinstance(value, dict):
            parts = sorted((self.digest(k), self.digest(v)) for k, v in value.items())
            return _hash(b"d", *(k + v for k, v in parts))
        if isinstance(value, (list, tuple)):  # digests have one length: their concatenation is unambiguous
            key = self.sequences.key(value) if self.sequences is not None and len(value) > 4 else None
            if key is not None:
                self.sequences.used.add(key)
                known = self.sequences.digests.get(key)
                if known is not None:
                    return known
            result = _hash(b"l" if isinstance(value, list) else b"t", b"".join([self.digest(v) for v in value]))
            if key is not None:
                self.sequences.digests[key] = result
            return result
        if isinstance(value, (set, frozenset)):
            return _hash(b"s", b"".join(sorted(self.digest(v) for v in value)))
        fields = getattr(value, "__digest_fields__", None)
        if fields is not None:  # a plain data object that names what it shows
            return _hash(b"o", type(value).__name__.encode(), *(self.digest(getattr(value, f)) for f in fields))
        if hasattr(value, "__dataclass_fields__"):
            return _hash(b"o", type(value).__name__.encode(),
                         *(self.digest(getattr(value, f)) for f in value.__dataclass_fields__))
        if hasattr(value, "model_dump"):  # pydantic (the instance configuration)
            return _hash(b"p", type(value).__name__.encode(), self.digest(value.model_dump()))
        if hasattr(value, "__dict__") and type(value).__repr__ is object.__repr__:
            return _hash(b"o", type(value).__name__.encode(),
                         self.digest({k: v for k, v in vars(value).items() if not k.startswith("_")}))
        if type(value).__repr__ is object.__repr__:
            raise UnknownValue(f"cannot digest {type(value).__name__}")
        return _hash(b"r", type(value).__name__.encode(), repr(value).encode())

    def _content(self, content: Content) -> bytes:
        """A page or article: its source file as read, and where the build put it (slugs depend on others).

        The stamp is the one the object was read with (set by the generator that keeps it), else the file's."""
        stamp = getattr(content, "_municms_stamp", None)
        if stamp is None:
            stamp = source_stamp(content.source_path) if content.source_path and \
                os.path.exists(content.source_path) else (0, 0)
        where = _where(content)
        known = getattr(content, "_municms_digest", None)
        if known is not None and known[0] == (stamp, where):
            return known[1]
        result = _hash(b"c", type(content).__name__.encode(), str(content.source_path).encode(),
                       repr(stamp).encode(), *(part.encode() for part in where))
        content._municms_digest = ((stamp, where), result)
        return result


_CACHED_PLAIN = frozenset({str, int, bool, bytes, type(None)})
_PAGES = (Article, Page)


def _where(content: Content) -> tuple[str, str, str, str, str]:
    """Where a build put a content object: address, output file, slug, status, and whether it is past at the
    build's time (the listings plugin's `past_note`: a deadline or a seminar's end passing changes the pages
    that show the item although its file did not change)."""
    # the addresses the sections plugin set, which Pelican's url and save_as of articles and pages return
    fields = content.__dict__ if type(content) in _PAGES else {}
    url, save_as = fields.get("override_url"), fields.get("override_save_as")
    return (str(content.url if url is None else url), str(content.save_as if save_as is None else save_as),
            str(content.slug), str(getattr(content, "status", "")), str(fields.get("past_note", "")))


# -- the same rules, as plain tuples compared without hashing -------------------------------------------------

def quick_key(template: str, name: str, relative_urls, url, kwargs: dict, globals_digest: bytes,
              sequences=None) -> tuple | None:
    """What the digest of a page's inputs is made of, as a tuple compared without hashing; None when a value is
    of a kind it does not know. Equal tuples mean equal digests, so the publisher keeps the digest of each
    page's last tuple instead of digesting it again.

    A content object passed on its own (an article's page) is named by its source, stamp and address. Inside
    lists, tuples, dicts and data objects (a listing's items, years and head) a kept article or page is named by
    itself, compared by identity: it keeps its source and stamp between builds, and `sequences.epoch` (in the
    tuple) changes whenever a kept object's address changes."""
    parts: list = [template, name, relative_urls, url, globals_digest]
    for key in sorted(kwargs):
        value = kwargs[key]
        if isinstance(value, Content):
            stamp = getattr(value, "_municms_stamp", None)
            if stamp is None:
                return None
            parts.append((key, type(value).__name__, value.source_path, stamp, _where(value)))
        elif isinstance(value, URLWrapper):
            parts.append((key, type(value).__name__, value.name, value.url))
        else:
            quick = _quick_value(value, sequences)
            if quick is _UNKNOWN:
                return None
            parts.append((key, quick))
    if sequences is not None:
        parts.append(sequences.epoch)
    return tuple(parts)


_UNKNOWN = object()


def _quick_value(value, sequences):
    """A value as a tuple that is equal for values with equal digests; _UNKNOWN for a kind it does not know."""
    kind = type(value)
    if kind in _CACHED_PLAIN:
        return (kind, value)
    if kind is float or isinstance(value, (dt.date, dt.time, dt.timedelta)):  # -0.0 == 0.0; aware datetimes
        return (kind, repr(value))
    if kind in _PAGES:
        return value if sequences is not None and sequences.holds(value) else _UNKNOWN
    if kind in (list, tuple):
        parts = []
        for item in value:
            quick = _quick_value(item, sequences)
            if quick is _UNKNOWN:
                return _UNKNOWN
            parts.append(quick)
        return (kind, tuple(parts))
    if kind is dict:
        if not all(type(k) is str for k in value):
            return _UNKNOWN
        parts = []
        for k in sorted(value):
            quick = _quick_value(value[k], sequences)
            if quick is _UNKNOWN:
                return _UNKNOWN
            parts.append((k, quick))
        return (dict, tuple(parts))
    fields = getattr(kind, "__digest_fields__", None) or getattr(kind, "__dataclass_fields__", None)
    if fields is not None:
        parts = []
        for name in fields:
            quick = _quick_value(getattr(value, name), sequences)
            if quick is _UNKNOWN:
                return _UNKNOWN
            parts.append(quick)
        return (kind, tuple(parts))
    return _UNKNOWN


def _hash(*parts: bytes) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(len(part).to_bytes(4, "little"))
        digest.update(part)
    return digest.digest()
