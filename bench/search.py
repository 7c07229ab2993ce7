"""Search indexing of a generated Turkish corpus: one Pagefind run over the whole site (before the split) against
the split index (all bundles, two processes at a time) and a publish-time index (the recent bundle, alone and
with the current year's).

    .venv/bin/python bench/search.py [--articles 2000]

Prints seconds and peak resident memory (the sum over the Pagefind processes running at the same moment,
sampled every 20 ms), and whether two indexings of the same pages are byte-identical.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pagefind_bin_extended import get_executable  # noqa: E402

from bench.corpus import make_instance  # noqa: E402
from municms.build import build_site  # noqa: E402
from municms.config import load_instance  # noqa: E402
from municms.search import SEARCH_DIR, index_site  # noqa: E402

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.timezone(dt.timedelta(hours=3)))


class PeakChildrenRSS:
    """Samples the summed peak resident memory (VmHWM) of the live children of this process (the Pagefind runs)."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = str(os.getpid())
        while not self._stop.is_set():
            total = 0
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
                if fields.get("PPid", "").strip() == me and "VmHWM" in fields:
                    total += int(fields["VmHWM"].split()[0])  # its peak so far
            self.peak_kb = max(self.peak_kb, total)
            self._stop.wait(0.02)

    def __enter__(self) -> "PeakChildrenRSS":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def mb(self) -> float:
        return round(self.peak_kb / 1024, 1)


def digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def one_run_over_the_site(site: Path) -> tuple[float, float, float]:
    """The index as it was before the split: one Pagefind process over every page."""
    shutil.rmtree(site / SEARCH_DIR, ignore_errors=True)
    started = time.perf_counter()
    process = subprocess.Popen([str(get_executable()), "--site", str(site), "--quiet"])
    with PeakChildrenRSS() as peak:
        _, status, usage = os.wait4(process.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    seconds = time.perf_counter() - started
    shutil.rmtree(site / SEARCH_DIR)
    return seconds, usage.ru_utime + usage.ru_stime, peak.mb


def timed_index(site: Path, parts: set[str] | None):
    with PeakChildrenRSS() as peak:
        result = index_site(site, parts, now=NOW)
    return result, peak.mb


def report(label: str, result, peak_mb: float) -> None:
    bundles = ", ".join(f"{b.part} {b.pages} p {b.seconds:.2f} s" for b in sorted(result.built.values(),
                                                                              key=lambda b: b.part))
    cpu = sum(b.cpu_seconds for b in result.built.values())
    print(f"{label}: {result.seconds:.2f} s (CPU {cpu:.2f} s), peak RSS {peak_mb:.0f} MB  [{bundles}]")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("pelican").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        root = make_instance(Path(tmp) / "inst", args.articles)
        site = Path(tmp) / "site"
        build_site(load_instance(root), site, now=NOW, search=False, check=False)
        pages = sum(1 for _ in site.rglob("*.html"))
        print(f"articles: {args.articles} ({pages} HTML files)")
        seconds, cpu, rss = one_run_over_the_site(site)
        print(f"before, one Pagefind run over the site: {seconds:.2f} s (CPU {cpu:.2f} s), peak RSS {rss:.0f} MB")
        full, peak = timed_index(site, None)
        report("split, full index (all bundles, 2 processes)", full, peak)
        first = digests(site / SEARCH_DIR)
        again, peak = timed_index(site, None)
        print("byte-identical on a second full index:", digests(site / SEARCH_DIR) == first)
        recent, peak = timed_index(site, {"yeni"})
        report("split, publish-time index (yeni)", recent, peak)
        year = str(NOW.year)
        both, peak = timed_index(site, {"yeni", year})
        report(f"split, publish-time index (yeni + {year})", both, peak)
        old, peak = timed_index(site, {"2018"})
        report("split, one past year (2018)", old, peak)
        print("byte-identical after the partial indexes:", digests(site / SEARCH_DIR) == first)


if __name__ == "__main__":
    main()
