"""A forked child converts a share of the Markdown files while Pelican's reading loop works on the rest."""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading

from pelican.utils import pelican_open

from .options import acted, parallel_min, processes

# Pelican does more per file than Markdown's conversion (metadata, Content, signals), all in the parent:
# the child converts most of the files so that both processes finish together.
CHILD_SHARE = 0.7


class MarkdownPrefetch:
    """Results of the child by absolute source path; a file it could not convert is converted by the parent."""

    def __init__(self, reader, paths: list[str]):
        self.reader = reader
        self.paths = [p for i, p in enumerate(paths) if int((i + 1) * CHILD_SHARE) > int(i * CHILD_SHARE)]
        self.pending = set(self.paths)
        self.ready: dict[str, tuple] = {}
        self.pid = 0
        self.stream = None

    def start(self) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            self._convert_all(os.fdopen(write_end, "wb"))  # never returns
        os.close(write_end)
        self.pid, self.stream = pid, os.fdopen(read_end, "rb")

    def _convert_all(self, stream) -> None:
        status = 1
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            body = self.reader._markdown("_body")
            for path in self.paths:
                try:
                    body.reset()
                    with pelican_open(path) as text:
                        result = (body.convert(text), body.Meta if hasattr(body, "Meta") else None)
                except Exception:
                    result = None  # the parent reads this file itself and reports what goes wrong
                pickle.dump((path, result), stream, protocol=pickle.HIGHEST_PROTOCOL)
            stream.flush()
            status = 0
        finally:
            os._exit(status)

    def take(self, path: str):
        """(html, raw metadata) of a file the child converted, or None: the caller converts it."""
        if path not in self.pending:
            return None
        self.pending.discard(path)
        while path not in self.ready and self.stream is not None:
            try:
                done, result = pickle.load(self.stream)
            except (EOFError, OSError, pickle.UnpicklingError):
                self.close()
                break
            self.ready[done] = result
        return self.ready.pop(path, None)

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0


@contextlib.contextmanager
def prefetching(generator, relative_paths: list[str]):
    """While the block runs, the generator's shared Markdown reader takes the child's conversions."""
    from .readers import MarkdownReader

    settings = generator.settings
    if (processes(settings) < 2 or settings.get("LOAD_CONTENT_CACHE") or not hasattr(os, "fork")
            or threading.active_count() > 1):
        yield  # (checked before the paths are sorted by reader: a publisher asks with 20,000 paths)
        return
    readers = generator.readers
    by_reader: dict[int, tuple] = {}
    for rel in relative_paths:
        reader = readers.readers.get(os.path.splitext(rel)[1][1:])
        if isinstance(reader, MarkdownReader):
            by_reader.setdefault(id(reader), (reader, []))[1].append(
                os.path.abspath(os.path.join(generator.path, rel)))
    reader, paths = max(by_reader.values(), key=lambda entry: len(entry[1]), default=(None, []))
    if reader is None or len(paths) < parallel_min(settings):
        yield
        return
    prefetch = MarkdownPrefetch(reader, paths)
    prefetch.start()
    acted["prefetch_child"] += 1
    reader.prefetch = prefetch
    try:
        yield
    finally:
        reader.prefetch = None
        prefetch.close()
