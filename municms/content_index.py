"""The content files on disk: which registered item lives in which file, and which slugs each folder uses."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from . import turkish

# content root → {file path → ((size, mtime ns, inode), metadata)}: a publish scans content/ twice, and every
# publish scans it again; only files whose stamp changed are read again.
_HEADS: dict[str, dict[str, tuple[tuple[int, int, int], dict[str, str]]]] = {}


def _read_head(path: Path) -> dict[str, str]:
    """The metadata lines of a content file (lower-case keys), up to the first blank line."""
    data = b""
    with path.open("rb") as handle:  # bytes in blocks: this runs over every file of the site
        while b"\n\n" not in data and (block := handle.read(4096)):
            data += block
    head = {}
    for line in data.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].decode("utf-8", "replace").splitlines():
        key, sep, value = line.partition(":")
        if sep:
            head[key.strip().lower()] = value.strip()
    return head


def _folders(top: str, rel: str):
    """(folder relative to the content root, its .md files as DirEntry, by name) for every folder, parents first
    and folders by name, as os.walk with sorted names goes (symbolic links to folders are not followed)."""
    with os.scandir(top) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    yield rel, [e for e in entries if e.name.endswith(".md") and not e.name.startswith(".") and not e.is_dir()]
    for entry in entries:
        if entry.is_dir() and not entry.is_symlink():
            yield from _folders(entry.path, entry.name if rel == "." else f"{rel}/{entry.name}")


@dataclass
class ContentIndex:
    """The content files on disk: which item lives where, and which slugs each folder already uses."""

    by_number: dict[str, str] = field(default_factory=dict)      # Kayit_no → source path under content/
    owners: dict[str, str] = field(default_factory=dict)         # source → Kayit_no
    titles: set[str] = field(default_factory=set)                # titles of every content file
    rows: dict[str, list[tuple[str, str, str, str]]] = field(default_factory=dict)  # folder → (date, path, slug, title)
    added: dict[str, set[str]] = field(default_factory=dict)     # folder → slugs given during this run
    on_disk: dict[str, set[str]] = field(default_factory=dict)   # folder → slugs of its files (computed once)

    @classmethod
    def scan(cls, content: Path) -> "ContentIndex":
        index = cls()
        if not content.is_dir():
            return index
        root = str(Path(content).resolve())
        known, seen = _HEADS.get(root, {}), {}
        for folder, entries in _folders(str(content), "."):  # os.scandir and plain strings: every file of the site
            for entry in entries:
                name = entry.name
                source = f"{folder}/{name}" if folder != "." else name
                path = entry.path
                info = entry.stat()
                stamp = (info.st_size, info.st_mtime_ns, info.st_ino)
                cached = known.get(path)
                head = cached[1] if cached is not None and cached[0] == stamp else _read_head(Path(path))
                seen[path] = (stamp, head)
                index.rows.setdefault(folder, []).append((head.get("date", ""), source, head.get("slug", ""),
                                                          head.get("title", "") or name[:-3]))
                index.titles.add(head.get("title", ""))
                if head.get("kayit_no"):
                    index.by_number[head["kayit_no"]] = source
                    index.owners[source] = head["kayit_no"]
        _HEADS[root] = seen
        return index

    def slugs(self, folder: str) -> set[str]:
        """Every slug and file name used in folder (computed when first needed: slugify is not free)."""
        if folder not in self.on_disk:
            assigned: set[str] = set()
            # The sections plugin gives the later of two equal slugs '-2' (by date, then path): take those too.
            for _, source, slug, title in sorted(self.rows.get(folder, [])):
                assigned.add(turkish.distinct_slug(slug or turkish.slugify(title), assigned))
                assigned.add(source.rsplit("/", 1)[-1][:-len(".md")])
            self.on_disk[folder] = assigned
        return self.on_disk[folder] | self.added.get(folder, set())

    def add(self, folder: str, slug: str, number: str) -> None:
        self.added.setdefault(folder, set()).add(slug)
        self.by_number[number] = f"{folder}/{slug}.md"

    def taken(self, folder: str, number: str) -> set[str]:
        """Slugs in folder used by anything but item number."""
        own = self.by_number.get(number)
        own_stem = own.rsplit("/", 1)[-1][:-3] if own and own.rsplit("/", 1)[0] == folder else None
        return {s for s in self.slugs(folder) if s != own_stem}
