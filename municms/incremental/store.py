"""Parsed content objects on disk (`var/work/content.sqlite`), so that a process which starts without them (the
command line, `serve` after a restart) parses only the source files that changed since, as `serve`'s publisher
does with the objects it keeps in memory.

Each object is pickled on its own, with the build's settings and context left out (they are the next build's
when it is read back) and never another content object inside it (such a blob is not stored: the file is
parsed again). A row is used only for the same file stamp and the same environment: theme, plugins, settings,
instance.yaml, this package's code, Pelican and Python; anything else empties the store. Written after a
successful build, in one transaction, under the deploy lock like every build.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import pickle
import platform
import sqlite3
from pathlib import Path

import pelican
from pelican.contents import Content

log = logging.getLogger(__name__)
PACKAGE = Path(__file__).resolve().parents[1]


@functools.cache
def code_digest() -> str:
    """This package's code, Pelican's version and Python's: objects pickled by other code are not trusted. Taken
    once per process: the code that pickles and reads objects is the code loaded, whatever is on disk later."""
    digest = hashlib.sha256(f"{pelican.__version__} {platform.python_version()}".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        info = path.stat()
        digest.update(f"{path.relative_to(PACKAGE)} {info.st_size} {info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


class _Pickler(pickle.Pickler):
    def __init__(self, handle, own: Content, settings: dict, context: dict):
        super().__init__(handle, protocol=pickle.HIGHEST_PROTOCOL)
        self.own, self.settings, self.context = own, settings, context

    def persistent_id(self, obj):
        if obj is self.settings:
            return "settings"
        if obj is self.context:
            return "context"
        if isinstance(obj, Content) and obj is not self.own:
            raise pickle.PicklingError("refers to another content object")
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, handle, settings: dict, context: dict):
        super().__init__(handle)
        self.settings, self.context = settings, context

    def persistent_load(self, pid):
        if pid == "settings":
            return self.settings
        if pid == "context":
            return self.context
        raise pickle.UnpicklingError(f"unknown reference {pid!r}")


class ContentStore:
    """The rows of one instance's store, read once per process and written after each successful build."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.key: str | None = None
        self.rows: dict[str, tuple[str, bytes]] | None = None  # source path → (stamp, pickled object)
        self.loaded = 0

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path)
        conn.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("CREATE TABLE IF NOT EXISTS content (path TEXT PRIMARY KEY, stamp TEXT NOT NULL, "
                     "data BLOB NOT NULL)")
        return conn

    def begin(self, environment: str) -> None:
        """Use the rows written for this environment (read once per process), or none."""
        key = f"{environment} {code_digest()}"
        if self.rows is not None and key == self.key:
            return
        self.key, self.rows = key, {}
        try:
            with self._connect() as conn:
                saved = conn.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()
                if saved and saved[0] == key:
                    self.rows = {path: (stamp, data) for path, stamp, data in
                                 conn.execute("SELECT path, stamp, data FROM content")}
                else:  # written by other code or for another environment
                    conn.execute("DELETE FROM content")
                    conn.execute("INSERT OR REPLACE INTO meta VALUES ('key', ?)", (key,))
        except sqlite3.DatabaseError as exc:  # a damaged store is only a slower build
            log.warning("content store %s unreadable (%s); sources are parsed again", self.path, exc)

    def get(self, path: str, stamp: tuple, settings: dict, context: dict):
        """The object parsed from this file as it is now, or None."""
        row = self.rows.get(path) if self.rows else None
        if row is None or row[0] != repr(stamp):
            return None
        try:
            content = _Unpickler(io.BytesIO(row[1]), settings, context).load()
        except Exception as exc:  # noqa: BLE001 - any failure only means the file is parsed again
            log.warning("content store: %s unreadable (%s); parsed again", path, exc)
            return None
        self.loaded += 1
        return content

    def save(self, entries: dict[str, tuple[tuple, object]], fresh: set[str], seen: set[str], settings: dict,
             context: dict) -> None:
        """Write the objects parsed in this build; drop rows of files the build no longer read."""
        if self.rows is None:
            return
        written = {}
        for path in fresh:
            stamp, content = entries[path]
            handle = io.BytesIO()
            try:
                _Pickler(handle, content, settings, context).dump(content)
            except Exception as exc:  # noqa: BLE001 - not stored: parsed again by the next process
                log.debug("content store: %s not stored (%s)", path, exc)
                continue
            written[path] = (repr(stamp), handle.getvalue())
        gone = [path for path in self.rows if path not in seen]
        if not written and not gone:
            return
        try:
            with self._connect() as conn:
                conn.executemany("INSERT OR REPLACE INTO content VALUES (?, ?, ?)",
                                 [(path, stamp, data) for path, (stamp, data) in written.items()])
                conn.executemany("DELETE FROM content WHERE path = ?", [(path,) for path in gone])
        except sqlite3.DatabaseError as exc:
            log.warning("content store %s not written (%s)", self.path, exc)
            return
        self.rows.update(written)
        for path in gone:
            self.rows.pop(path, None)
