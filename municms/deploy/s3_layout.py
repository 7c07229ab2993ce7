"""Segments of an s3 release: which release's prefix stores each part of the site, so that a deploy writes only
the parts that changed and one PUT of the pointer still switches the whole site.

A file's segment is its first folder, with the first year folder beneath it when there is one at the second,
third or fourth level: `haberler/2026/x/index.html` → `haberler/2026`, `etiket/imar/2026/index.html` →
`etiket/2026`, `api/v1/haberler/2026/x.json` → `api/2026`,
`etiket/imar/index.html` → `etiket`, `theme/css/a.css` → `theme`. A file at the root is in the root segment
``, which every release stores itself (its `surum.json` is there). The same two regular expressions give the
segment in Python (deploy) and in nginx (a `map` on `$uri`), so both always agree.

A release records, per segment, the release whose prefix holds that segment's objects (`stores`). A deploy
compares each segment's files (path and sha256) with the live release's: an unchanged segment keeps the
release that stores it, a changed one is written under the new release's prefix (each file copied inside the
store when some release holds its bytes, else uploaded). Past years never change, so a one-item publish
writes its year's segments and the root, not the whole site.

The pointer object names the live release in three metadata headers that nginx reads with one HEAD:
`x-amz-meta-release`, `x-amz-meta-base` (a release that stores every segment not listed) and
`x-amz-meta-segments`, `segment=release;…` for the segments stored elsewhere. S3 limits a object's metadata
to 2 KB, so when the list would pass SEGMENTS_LIMIT bytes the new release stores every segment itself and
becomes the base of the releases after it (a rebase: the cost of one deploy as large as the site).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# nginx's PCRE and Python's re read these the same way (named groups written (?P<…>), a lazy optional folder)
SEGMENT_YEAR = r"^/(?P<municms_top>[A-Za-z0-9._~-]+)/(?:[^/]+/){0,2}?(?P<municms_year>[0-9]{4})/"
SEGMENT_TOP = r"^/(?P<municms_top>[A-Za-z0-9._~-]+)/"
_YEAR, _TOP = re.compile(SEGMENT_YEAR), re.compile(SEGMENT_TOP)
ROOT = ""
SEGMENTS_LIMIT = 1800  # bytes of x-amz-meta-segments; S3 allows 2 KB for all of an object's metadata


def segment(rel: str) -> str:
    """The segment of a file at `rel` (relative to the release, `/`-separated)."""
    path = "/" + rel
    match = _YEAR.match(path)
    if match:
        return f"{match['municms_top']}/{match['municms_year']}"
    match = _TOP.match(path)
    return match["municms_top"] if match else ROOT


def by_segment(hashes: dict[str, str]) -> dict[str, dict[str, str]]:
    """segment → {path: sha256} of a release's files."""
    out: dict[str, dict[str, str]] = {}
    for rel, sha in hashes.items():
        out.setdefault(segment(rel), {})[rel] = sha
    return out


@dataclass
class Layout:
    """Where a release's segments are stored: `stores` segment → release id, `base` the release for the
    segments the pointer does not list."""

    release: str
    base: str
    stores: dict[str, str] = field(default_factory=dict)

    @classmethod
    def whole(cls, release: str, segments) -> "Layout":
        """Every segment stored by the release itself (the first deploy, a rebase, a release of before)."""
        return cls(release, release, {seg: release for seg in segments})

    @classmethod
    def of(cls, release: str, record: dict | None) -> "Layout":
        """The layout kept in a release's metadata or manifest; a release without one stores all of itself."""
        if record and record.get("stores") is not None:
            return cls(release, record["base"], dict(record["stores"]))
        return cls(release, release, {})

    @classmethod
    def from_pointer(cls, release: str, base: str, listed: str) -> "Layout":
        """The layout the pointer's headers describe: the listed segments, the root in the release itself, the
        rest in the base (the release itself for a pointer written before segments)."""
        stores = dict(pair.split("=", 1) for pair in listed.split(";") if pair)
        return cls(release, base or release, {**stores, ROOT: release})

    def store_of(self, rel: str) -> str:
        """The release whose prefix holds the file at `rel`."""
        return self.stores.get(segment(rel), self.release if not self.stores else self.base)

    def listed(self) -> str:
        """The pointer's x-amz-meta-segments: every segment not stored by the base (the root never listed)."""
        return ";".join(f"{seg}={rid}" for seg, rid in sorted(self.stores.items())
                        if seg != ROOT and rid != self.base)

    def record(self) -> dict:
        return {"base": self.base, "stores": dict(sorted(self.stores.items()))}


def plan_layout(release: str, hashes: dict[str, str], live: Layout | None,
                live_hashes: dict[str, str] | None) -> tuple[Layout, list[str]]:
    """The new release's layout and the files it must write under its own prefix: segments equal to the live
    release's keep their store; the root and the changed ones are the new release's. A rebase when the live
    release has no layout or the pointer's list would grow past SEGMENTS_LIMIT."""
    new = by_segment(hashes)
    new.setdefault(ROOT, {})
    if live is not None and live.stores and live_hashes is not None:
        old = by_segment(live_hashes)
        stores = {seg: (live.stores[seg] if seg != ROOT and seg in live.stores and old.get(seg) == files
                        else release)
                  for seg, files in new.items()}
        layout = Layout(release, live.base, stores)
        if len(layout.listed().encode("utf-8")) <= SEGMENTS_LIMIT:
            return layout, sorted(rel for seg, files in new.items() if stores[seg] == release for rel in files)
    return Layout.whole(release, new), sorted(hashes)


def store_named_by_pointer(rel: str, release: str, base: str, listed: str) -> str:
    """The release whose prefix holds `rel`, from the pointer's three headers, as nginx's maps find it."""
    return Layout.from_pointer(release, base, listed).store_of(rel)


def nginx_maps(i1: str = "    ") -> str:
    """The `map` blocks that give nginx the release storing the requested file ($municms_store), from $uri and
    the pointer's headers (set by auth_request_set as $municms_release, $municms_base_sent, $municms_segments).
    `volatile`: an error page or an include is looked up for its own address, not the page's."""
    def quoted(regex: str) -> str:
        assert "\\" not in regex and '"' not in regex
        return f'"~{regex}"'

    return (
        "map $uri $municms_segment {\n"
        f"{i1}volatile;\n"
        f'{i1}{quoted(SEGMENT_YEAR)} "$municms_top/$municms_year";\n'
        f'{i1}{quoted(SEGMENT_TOP)} "$municms_top";\n'
        f'{i1}default "";\n'
        "}\n\n"
        # a pointer written before segments had no base: the release stores all of itself
        "map $municms_base_sent $municms_base {\n"
        f"{i1}volatile;\n"
        f'{i1}"" $municms_release;\n'
        f"{i1}default $municms_base_sent;\n"
        "}\n\n"
        'map "$municms_segment|$municms_segments" $municms_store {\n'
        f"{i1}volatile;\n"
        f'{i1}"~^\\\\|" $municms_release;\n'
        f'{i1}"~^(?P<municms_seg>[^|]+)\\\\|(?:[^|]*;)?(?P=municms_seg)=(?P<municms_at>[^;|]+)" $municms_at;\n'
        f"{i1}default $municms_base;\n"
        "}\n\n")
