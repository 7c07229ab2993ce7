"""pytest plugin for Pelican's own test suite: the speedups plugin acts on every Pelican site it builds.

Loaded with `-p tests.pelican_suite.with_speedups`; the environment variable makes the plugin act without being
named in each test's settings, and with no minimum size, so even the suite's small sites are written by two
processes and read with a prefetching child.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ["PELICAN_SPEEDUPS"] = "all"
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "plugins"))

import speedups  # noqa: E402
from speedups.options import acted  # noqa: E402

speedups.register()


def pytest_sessionfinish(session, exitstatus) -> None:
    """Write how often each speed-up acted, for the test that runs this suite."""
    target = os.environ.get("PELICAN_SPEEDUPS_ACTED")
    if target:
        Path(target).write_text(json.dumps(acted), encoding="utf-8")
