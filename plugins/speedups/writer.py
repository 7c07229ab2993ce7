"""Two processes write the pages: the parent and one forked child, each rendering its share of the files.

Both processes run the shared generators' output in the same order over the same inherited model, so both see
the same sequence of written files. Each output file belongs to one process: the first shared write of a file
decides which, and every later write of that file is made by the same process, so the writes of one file keep
Pelican's order (a page whose save_as overrides a tag page is written after that tag page, whichever process
runs ahead). The other process still books the file name (Pelican's overwrite checks see every file) and the
parent still sends `content_written` for every file, so plugins that record outputs see the whole site. Feeds
and everything outside the shared generators (static files, plugins' own outputs) are written by the parent
alone; before the parent writes a file of the child's, it waits for the child, and a file the parent wrote
itself stays the parent's, so the last write of a file is the last one in Pelican's order.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import signal
import tempfile
import threading
import traceback
from dataclasses import dataclass

from pelican import signals
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from .options import acted, enabled, parallel_min, processes


# Shares of the written files: the parent also copies static files, sends content_written for every page
# and runs the plugins' own outputs (measured: about a quarter of the rendering), so the child renders more.
CHILD_SHARE = 0.62
# Signals whose receivers record or write something: in the child they would act a second time.
PARENT_ONLY_SIGNALS = (signals.content_written, signals.feed_written, signals.feed_generated,
                       signals.article_writer_finalized, signals.page_writer_finalized, signals.finalized)


class _OwnShare:
    """The template of a shared write: renders only the files of this process, books the others."""

    def __init__(self, writer: PartWriter, template) -> None:
        self.writer, self.template = writer, template

    def render(self, context) -> str:
        # Writer.write_file renders every file (each page of a paginated call) with its name in output_file,
        # then opens sanitised_join(output_path, name)
        path = sanitised_join(self.writer.output_path, context["output_file"])
        if self.writer._renders(path):
            return self.template.render(context)
        self.writer._booking = path
        return ""


class PartWriter(Writer):
    """Pelican's Writer that renders only its own share of the files written while a generator shares output."""

    part = 0  # 0: the parent, 1: the child

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self._sharing = False
        self._files = 0  # distinct files of the shared writes so far
        self._owners: dict[str, int] = {}  # file -> the part that writes it; the same in both processes
        self._parent_wrote: set[str] = set()  # parent: files it wrote that the child may write too
        self._booking: str | None = None  # the file whose next _open_w only books the name

    @contextlib.contextmanager
    def share(self):
        self._sharing = True
        try:
            yield
        except BaseException:
            if self.part == 0:
                stop_output_child()  # the build fails; the child's pages are not wanted
            raise
        finally:
            self._sharing = False
        if self.part == 0 and _child is not None:
            _child.shared_left -= 1
            if _child.shared_left == 0:
                # every page is on disk before the other generators and the finalized receivers run, and
                # no child outlives a failure of theirs
                join_output_child(None)

    def _owner(self, path: str) -> int:
        """The part that writes `path`: fixed by the file's first shared write, from the order of first writes
        alone, which both processes see alike (not by which process gets there first)."""
        owner = self._owners.get(path)
        if owner is None:
            i = self._files
            self._files += 1
            owner = self._owners[path] = int(int((i + 1) * CHILD_SHARE) > int(i * CHILD_SHARE))
        return owner

    def _renders(self, path: str) -> bool:
        owner = self._owner(path)
        if self.part == 1:
            return owner == 1
        # a file of the child's that the parent wrote outside the shared writes (a feed, a non-shared
        # generator's page): the parent writes it again, after the child (_open_w), as Pelican would
        return owner == 0 or path in self._parent_wrote

    def write_file(self, name, template, context, *args, **kwargs):
        if not self._sharing or not name:
            return super().write_file(name, template, context, *args, **kwargs)
        try:
            return super().write_file(name, _OwnShare(self, template), context, *args, **kwargs)
        finally:
            self._booking = None

    def write_feed(self, *args, **kwargs):
        if self.part == 1:
            return None  # feeds are the parent's
        return super().write_feed(*args, **kwargs)

    def _open_w(self, filename, encoding, override=False):
        booking, self._booking = self._booking, None
        if booking is None:
            if self.part == 0:
                owner = self._owners.get(filename)
                if owner == 1 and _child is not None:
                    join_output_child(None)  # the child's writes of this file come first, as in Pelican's order
                if owner != 0:
                    self._parent_wrote.add(filename)
            return super()._open_w(filename, encoding, override)
        if booking != filename:
            raise RuntimeError(f'Rendered "{booking}" for the other process but asked to write "{filename}"')
        # Writer._open_w's checks and bookkeeping, without opening the file that the other process writes
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time '
                                               "(was previously overwritten)")
            filename = os.devnull
        elif filename in self._written_files and not override:
            raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" as Pelican has already '
                                           "written to it previously (set `override=True` if intended)")
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return open(os.devnull, "w", encoding=encoding)


class ChildWriter(PartWriter):
    part = 1


@dataclass
class _Child:
    pid: int
    result_path: str
    shared_left: int  # shared generators the parent has still to run


_generators: list = []  # of the site being built, kept from all_generators_finalized for get_writer
_child: _Child | None = None


def keep_generators(generators) -> None:
    _generators[:] = generators if generators and enabled(generators[0].settings) else []


def start_output_child(pelican):
    """get_writer receiver: fork the child that renders its share, and give Pelican the parent's writer."""
    generators, _generators[:] = list(_generators), []
    stop_output_child()  # a child left by a build that failed before its end
    settings = pelican.settings
    if not generators or not enabled(settings) or processes(settings) < 2 or not hasattr(os, "fork"):
        return None
    shared = [g for g in generators if getattr(g, "shares_output", False)]
    if not shared or len(generators[0].context.get("generated_content", ())) < parallel_min(settings):
        return None
    if threading.active_count() > 1:
        # a fork copies only this thread; a lock another thread holds (Babel's, a logging handler's) would
        # stay locked in the child forever, so a build inside a server writes in one process
        return None
    _attach_before_fork(generators[0].context)
    global _child
    fd, result_path = tempfile.mkstemp(prefix="pelican-output-", suffix=".pickle")
    os.close(fd)
    gc.collect()
    gc.freeze()  # the model stays in pages shared with the child instead of being copied by the collector
    try:
        pid = os.fork()
        if pid == 0:
            _run_child(pelican, shared, result_path)  # never returns
    finally:
        gc.unfreeze()
    _child = _Child(pid, result_path, len(shared))
    acted["output_child"] += 1
    return PartWriter


def _attach_before_fork(context) -> None:
    """Rendering a body with an {attach} link moves the static file; that must happen in the parent,
    which copies the static files."""
    for content in list(context.get("generated_content", {}).values()):
        raw = getattr(content, "_content", None)
        if isinstance(raw, str) and "attach" in raw:
            content.content  # noqa: B018 - the property resolves the links


def _run_child(pelican, shared, result_path: str) -> None:
    status, outcome = 1, {"records": [], "error": None}
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        capture = _Capture(outcome["records"])
        root = logging.getLogger()
        for handler in list(root.handlers):
            root.removeHandler(handler)
        root.addHandler(capture)
        for sig in PARENT_ONLY_SIGNALS:
            sig.is_muted = True  # blinker's own switch: send() calls no receiver
        writer = ChildWriter(pelican.output_path, settings=pelican.settings)
        for generator in shared:
            generator.generate_output(writer)
        status = 0
    except BaseException:
        outcome["error"] = traceback.format_exc()
    finally:
        try:
            with open(result_path, "wb") as f:
                pickle.dump(outcome, f)
        finally:
            os._exit(status)


class _Capture(logging.Handler):
    """Keeps the child's warnings and errors so that the parent logs them again."""

    def __init__(self, records: list) -> None:
        super().__init__(logging.WARNING)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def join_output_child(pelican) -> None:
    """Wait for the child, log what it logged, fail if it failed (after the last shared generator; the
    finalized receiver is a safety net)."""
    global _child
    child, _child = _child, None
    if child is None:
        return
    _, status = os.waitpid(child.pid, 0)
    try:
        with open(child.result_path, "rb") as f:
            outcome = pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError):
        outcome = {"records": [], "error": None}
    finally:
        with contextlib.suppress(OSError):
            os.unlink(child.result_path)
    for name, level, message in outcome["records"]:
        logging.getLogger(name).log(level, "%s", message)
    if outcome["error"] or status != 0:
        raise RuntimeError("The process writing half of the pages failed "
                           f"(exit status {status}):\n{outcome['error'] or ''}")


def stop_output_child() -> None:
    global _child
    child, _child = _child, None
    if child is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(child.pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(child.pid, 0)
    with contextlib.suppress(OSError):
        os.unlink(child.result_path)
