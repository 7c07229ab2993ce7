"""Sizes and times of a backup, its check and a restore, for the demo and for a generated instance of N items.

    .venv/bin/python bench/backup.py [--items 5000] [--no-demo] [--no-build]

The demo is a copy of the repository's instance; the generated one has N content items (bench/corpus.py) and N
registrations taken by real intake into its ledger (each with its stored submission file). For each: the archive
size, the time of `backup` (take_backup as `serve` runs it), of `backup --verify` (read_archive), of `restore`
(restore_archive into a new folder), and of a cold full build of the restored instance; the restored ledger's
dump is compared with the original's. `--items 50 --no-demo --no-build` is the short run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import REPO, make_instance  # noqa: E402
from bench.publish import register_one  # noqa: E402
from municms.actions.backup import take_backup  # noqa: E402
from municms.auth import system_actor  # noqa: E402
from municms.backup import read_archive, restore_archive  # noqa: E402
from municms.build import build_site  # noqa: E402
from municms.clock import FixedClock  # noqa: E402
from municms.config import load_instance  # noqa: E402
from municms.ledger import open_ledger  # noqa: E402
from municms.ledger_file import dump  # noqa: E402
from municms.paths import InstancePaths  # noqa: E402

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Europe/Istanbul"))
PARTS = ("instance.yaml", "pelicanconf.py", "content", "data", "plugins", "themes")


def demo_instance(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in PARTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, target / name)
    return target


def measure(label: str, root: Path, registrations: int, work: Path, build: bool) -> dict:
    instance, paths, clock = load_instance(root), InstancePaths(root), FixedClock(NOW)
    ledger = open_ledger(paths.database)
    started = time.perf_counter()
    for n in range(registrations):
        register_one(ledger, instance, paths, clock, n)
    intake = time.perf_counter() - started
    before = dump(paths.database)
    result = take_backup(ledger, instance, paths, clock, system_actor("ölçüm"), work / f"{label}-yedek")
    ledger.close()
    started = time.perf_counter()
    manifest = read_archive(result.path)
    verify = time.perf_counter() - started
    target = work / f"{label}-geri"
    started = time.perf_counter()
    restore_archive(result.path, target)
    restore = time.perf_counter() - started
    same = dump(target / "var" / "municms.sqlite3") == before
    rebuild = None
    if build:
        started = time.perf_counter()
        build_site(load_instance(target), work / f"{label}-site", now=NOW, build_id="olcum")
        rebuild = time.perf_counter() - started
    return {"label": label, "files": len(manifest.files), "items": manifest.items,
            "input_mb": manifest.total_bytes / 1e6,
            "archive_mb": result.size / 1e6, "backup_s": result.seconds, "verify_s": verify, "restore_s": restore,
            "rebuild_s": rebuild, "same_dump": same, "intake_s": intake}


def row(r: dict) -> str:
    rebuild = f"{r['rebuild_s']:.1f}" if r["rebuild_s"] is not None else "-"
    return (f"| {r['label']} | {r['items']:,} | {r['files']:,} | {r['input_mb']:.1f} | {r['archive_mb']:.1f} | "
            f"{r['backup_s']:.2f} | {r['verify_s']:.2f} | {r['restore_s']:.2f} | {rebuild} | "
            f"{'evet' if r['same_dump'] else 'HAYIR'} |")


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000, help="generated items (content and registrations)")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo instance")
    parser.add_argument("--no-build", action="store_true", help="skip the full build of each restored instance")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    results = []
    with tempfile.TemporaryDirectory(prefix="municms-bench-backup-") as tmp:
        work = Path(tmp)
        if not args.no_demo:
            results.append(measure("demo", demo_instance(work / "demo"), 20, work, not args.no_build))
        if args.items:
            root = make_instance(work / "uretilen", args.items)
            results.append(measure(f"{args.items:,} öğe", root, args.items, work, not args.no_build))
    print("| instance | ledger items | files | input MB | archive MB | backup s | verify s | restore s | "
          "rebuild s | same ledger dump |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(row(r))
    for r in results:
        print(f"({r['label']}: {r['items']:,} registrations through intake took {r['intake_s']:.1f} s)")
    if not all(r["same_dump"] for r in results):
        raise SystemExit("restored ledger differs from the original")
    return results


if __name__ == "__main__":
    main()
