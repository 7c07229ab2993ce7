"""The nightly guard inside `serve`: once a day at `serve.full_rebuild_at` (site time, instance.yaml), a full
build compared with the publisher's tree (compare.compare_with_full_build); the report goes to the log and to
var/logs/builds/tam-derleme-<date>.log."""

from __future__ import annotations

import datetime as dt
import json
import logging

from ..daily import DailyTask
from ..paths import InstancePaths
from .compare import Comparison, compare_with_full_build

log = logging.getLogger(__name__)


def write_report(paths: InstancePaths, day: dt.date, result: Comparison) -> None:
    folder = paths.logs / "builds"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"tam-derleme-{day.isoformat()}.log").write_text(
        json.dumps(result.as_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


class NightlyFullBuild(DailyTask):
    """Every night: a full build compared with the publisher's tree."""

    thread_name = "municms-nightly"
    last: Comparison | None

    def run_once(self) -> Comparison | None:
        try:
            self.last = compare_with_full_build(self.instance, self.paths)
            write_report(self.paths, self.clock.now().date(), self.last)
        except Exception:  # the guard must not stop serve; the next night tries again
            log.exception("nightly full build failed")
        return self.last
