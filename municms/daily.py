"""A daemon thread that does one thing every day at a set time (site time) inside `serve`: the nightly full build
(municms.incremental.nightly) and the daily backup (municms.backup.schedule). Subclasses give run_once(), and
may move the next attempt earlier (a retry after a failure) with next_attempt().

With the ledger in PostgreSQL (several hosts) a task runs only on the host whose scheduler leads
(municms.scheduler.Leadership, shared with the task): a standby host skips it, as its scheduler skips publishing
and the seminar upkeep; a host that takes over runs the next one."""

from __future__ import annotations

import datetime as dt
import logging
import threading

from .clock import Clock
from .paths import InstancePaths

log = logging.getLogger(__name__)


def next_run(now: dt.datetime, at: dt.time) -> dt.datetime:
    """The next moment at `at` (site time) after `now`."""
    today = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return today if today > now else today + dt.timedelta(days=1)


class DailyTask:
    """Sleep until the set time, run once, sleep again; stop() ends the wait at once."""

    thread_name = "municms-daily"

    def __init__(self, instance, paths: InstancePaths, clock: Clock, at: dt.time, leadership=None):
        self.instance, self.paths, self.clock, self.at = instance, paths, clock, at
        self.leadership = leadership  # None: always this host (SQLite: one host)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last = None

    def start(self):
        self._thread = threading.Thread(target=self._loop, name=self.thread_name, daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def next_attempt(self, now: dt.datetime) -> dt.datetime:
        return next_run(now, self.at)

    def run_once(self):
        raise NotImplementedError

    def _loop(self) -> None:
        while not self._stop.is_set():
            now = self.clock.now()
            if self._stop.wait(max((self.next_attempt(now) - now).total_seconds(), 0)):
                return
            if self.leadership is None or self.leadership.leading:
                self.run_once()
            else:
                log.info("%s: skipped, another host's scheduler leads", self.thread_name)
