"""Pelican's `get_files` and `add_source_path` for a publisher that keeps the site between builds: folders are
listed again only when their modification time changed, and a kept content object's source path relative to
the content folder is computed once.

Pelican walks the content folder three to six times per build (articles, pages, static files, and the checks
for disabled readers), matching every file name against IGNORE_FILES: about a second at 20,000 items, for a
publish that changed one file. The same rules apply here (exclusions by folder, IGNORE_FILES on folders and
files, extensions, symbolic links followed); only the folder listings and the file names a folder contributes
are remembered. A folder whose modification time is less than RACY_SECONDS old when listed is listed again
next time (a file added within the file system's timestamp granularity would not change it).
"""

from __future__ import annotations

import fnmatch
import os
import time

RACY_SECONDS = 2


class FolderCache:
    """Folder listings (and the files of each that a generator includes) of one content tree."""

    def __init__(self) -> None:
        self.folders: dict[str, tuple[int, bool, list[str], list[str], dict]] = {}

    def entries(self, folder: str) -> tuple[list[str], list[str], dict]:
        """(file names, folder names, memo of included files by rule) of a folder."""
        mtime = os.stat(folder).st_mtime_ns
        known = self.folders.get(folder)
        if known is not None and known[0] == mtime and known[1]:
            return known[2], known[3], known[4]
        files, folders = [], []
        with os.scandir(folder) as scan:
            for entry in scan:
                (folders if entry.is_dir() else files).append(entry.name)  # is_dir follows links, as os.walk
        stable = mtime < time.time_ns() - RACY_SECONDS * 1_000_000_000
        self.folders[folder] = (mtime, stable, files, folders, {})
        return files, folders, self.folders[folder][4]


def cached_get_files(generator, cache: FolderCache):
    """Generator.get_files (Pelican 4.12) over remembered folder listings."""

    def get_files(paths, exclude=None, extensions=None) -> set[str]:
        exclude = exclude or []
        if isinstance(paths, str):
            paths = [paths]
        exclusions_by_dirpath: dict[str, set[str]] = {}
        for e in exclude:
            parent_path, subdir = os.path.split(os.path.join(generator.path, e))
            exclusions_by_dirpath.setdefault(parent_path, set()).add(subdir)
        ignores = generator.settings["IGNORE_FILES"]
        rule = (tuple(generator.readers.extensions) if extensions is None else
                extensions if extensions is False else tuple(extensions), tuple(ignores))
        files: set[str] = set()
        for path in paths:
            root = os.path.join(generator.path, path) if path else generator.path
            if os.path.isdir(root):
                todo = [root]
                while todo:
                    dirpath = todo.pop()
                    names, folders, memo = cache.entries(dirpath)
                    excl = exclusions_by_dirpath.get(dirpath, ())
                    for d in folders:
                        if not (d in excl or any(fnmatch.fnmatch(d, ignore) for ignore in ignores)):
                            todo.append(os.path.join(dirpath, d))
                    included = memo.get(rule)
                    if included is None:
                        reldir = os.path.relpath(dirpath, generator.path)
                        included = memo[rule] = [fp for fp in (os.path.join(reldir, f) for f in names)
                                                 if generator._include_path(fp, extensions)]
                    files.update(included)
            elif os.path.exists(root) and generator._include_path(path, extensions):
                files.add(path)
        return files

    return get_files


def cached_add_source_path(generator):
    """Generator.add_source_path with the object's relative source path remembered on it."""

    def add_source_path(content, static=False):
        known = getattr(content, "_municms_location", None)
        base = generator.settings["PATH"]
        if known is None or known[0] != (base, content.source_path):
            known = ((base, content.source_path), content.get_relative_source_path())
            content._municms_location = known
        key = "static_content" if static else "generated_content"
        generator.context[key][known[1]] = content

    return add_source_path


def keep_listings(generator, cache: FolderCache) -> None:
    generator.get_files = cached_get_files(generator, cache)
    generator.add_source_path = cached_add_source_path(generator)
