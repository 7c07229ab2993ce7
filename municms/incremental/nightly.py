"""The nightly guard inside `serve`: once a day at `serve.full_rebuild_at` (site time, instance.yaml), a full
build compared with the publisher's tree (compare.compare_with_full_build); the report goes to the log and to
var/logs/builds/tam-derleme-<date>.log."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading

from ..clock import Clock
from ..paths import InstancePaths
from .compare import Comparison, compare_with_full_build

log = logging.getLogger(__name__)


def next_run(now: dt.datetime, at: dt.time) -> dt.datetime:
    """The next moment at `at` (site time) after `now`."""
    today = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return today if today > now else today + dt.timedelta(days=1)


def write_report(paths: InstancePaths, day: dt.date, result: Comparison) -> None:
    folder = paths.logs / "builds"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"tam-derleme-{day.isoformat()}.log").write_text(
        json.dumps(result.as_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


class NightlyFullBuild:
    """A daemon thread that sleeps until the set time, compares, and sleeps again."""

    def __init__(self, instance, paths: InstancePaths, clock: Clock, at: dt.time):
        self.instance, self.paths, self.clock, self.at = instance, paths, clock, at
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last: Comparison | None = None

    def start(self) -> "NightlyFullBuild":
        self._thread = threading.Thread(target=self._loop, name="municms-nightly", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run_once(self) -> Comparison | None:
        try:
            self.last = compare_with_full_build(self.instance, self.paths)
            write_report(self.paths, self.clock.now().date(), self.last)
        except Exception:  # the guard must not stop serve; the next night tries again
            log.exception("nightly full build failed")
        return self.last

    def _loop(self) -> None:
        while not self._stop.is_set():
            now = self.clock.now()
            if self._stop.wait((next_run(now, self.at) - now).total_seconds()):
                return
            self.run_once()
