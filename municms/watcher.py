"""The inbox watcher: watchdog events mark entries as pending; an entry is taken once it has been quiet.

Quiet means the size and modification time of the file (or of every file in a bundle folder) stayed the
same for `quiet` seconds and no editor lock or partial-download file is inside. Files already present at
start are taken too, and a periodic rescan catches anything an event missed.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path
from typing import Callable

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from .actions.intake import IntakeResult, Session, inbox_entries, intake_file, recover
from .actions.intake_files import is_ignored
from .clock import Clock
from .ledger import Ledger
from .paths import InstancePaths

log = logging.getLogger("municms.watcher")


def entry_signature(path: Path) -> tuple | None:
    """Size and mtime of a file, or of every file in a folder; None if it is gone or still being written."""
    try:
        if not path.is_dir():
            info = path.stat()
            return (info.st_size, info.st_mtime_ns)
        parts = []
        for folder, dirs, files in os.walk(path):
            for name in files + dirs:
                if is_ignored(name):
                    return None  # an editor or a copy is still busy inside the bundle
                info = os.stat(os.path.join(folder, name))
                parts.append((os.path.relpath(os.path.join(folder, name), path), info.st_size, info.st_mtime_ns))
        return tuple(sorted(parts))
    except FileNotFoundError:
        return None


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: "InboxWatcher"):
        self.watcher = watcher

    def on_any_event(self, event) -> None:
        for attr in ("src_path", "dest_path"):
            path = getattr(event, attr, None)
            if path:
                self.watcher.touch(Path(os.fsdecode(path)))


class InboxWatcher:
    """Watch submissions/inbox/** and call intake for every entry that has become quiet."""

    def __init__(self, ledger: Ledger, instance, paths: InstancePaths, clock: Clock, *, quiet: float = 0.5,
                 poll: float = 0.1, rescan: float = 5.0,
                 on_result: Callable[[IntakeResult], None] | None = None):
        self.ledger, self.instance, self.paths, self.clock = ledger, instance, paths, clock
        self.quiet, self.poll, self.rescan = quiet, poll, rescan
        self.on_result = on_result or (lambda result: None)
        self._lock = threading.Lock()
        self._pending: dict[Path, tuple[tuple | None, float]] = {}
        self._failed: dict[Path, tuple | None] = {}  # entries whose intake raised, as they were then

    def touch(self, path: Path) -> None:
        """Note that something changed at path: its top-level inbox entry becomes pending again."""
        try:
            relative = path.relative_to(self.paths.inbox)
        except ValueError:
            return
        if len(relative.parts) < 2 or is_ignored(relative.parts[0]) or is_ignored(relative.parts[1]):
            return
        entry = self.paths.inbox / relative.parts[0] / relative.parts[1]
        with self._lock:
            self._pending[entry] = (None, time.monotonic())

    def _scan(self) -> None:
        for entry in inbox_entries(self.paths):
            with self._lock:
                self._pending.setdefault(entry, (None, time.monotonic()))

    def _ready(self) -> list[Path]:
        """Entries whose signature has not changed for the quiet period, in register order."""
        now, ready = time.monotonic(), []
        with self._lock:
            for entry, (last, since) in list(self._pending.items()):
                if not os.path.lexists(entry):
                    del self._pending[entry]
                    continue
                current = entry_signature(entry)
                if entry in self._failed and self._failed[entry] == current:
                    del self._pending[entry]  # unchanged since it failed: wait for a change, do not loop
                elif current is None or current != last:
                    self._pending[entry] = (current, now)
                elif now - since >= self.quiet:
                    ready.append(entry)
                    del self._pending[entry]
        return sorted(ready, key=lambda p: (p.parent.name, p.name))

    def run(self, stop: threading.Event) -> None:
        """Until stop is set: recover, take what is there, then follow the file system."""
        for department in self.instance.departments:
            (self.paths.inbox / department).mkdir(parents=True, exist_ok=True)
        observer = Observer()
        observer.schedule(_Handler(self), str(self.paths.inbox), recursive=True)
        observer.start()
        try:
            with Session(self.paths) as session:
                recover(self.ledger, self.instance, self.paths, self.clock, session)
                self._scan()
                last_scan = time.monotonic()
                log.info("watching %s", self.paths.inbox)
                while not stop.wait(self.poll):
                    if time.monotonic() - last_scan >= self.rescan:
                        self._scan()
                        last_scan = time.monotonic()
                    for entry in self._ready():
                        if stop.is_set():
                            break
                        self._take(entry, session)
        finally:
            observer.stop()
            observer.join(timeout=5)

    def _take(self, entry: Path, session: Session) -> None:
        signature = entry_signature(entry)
        try:
            result = intake_file(self.ledger, self.instance, self.paths, entry, self.clock, session=session)
        except Exception:  # one broken entry must not stop the watcher; it stays for the next pass
            log.exception("intake of %s failed", entry)
            self._failed[entry] = signature
            return
        self._failed.pop(entry, None)
        if result.status != "skipped":
            self.on_result(result)
