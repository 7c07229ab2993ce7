"""Deploy timings of the local target: first and second deploy, and what hard-linking saves.

    .venv/bin/python bench/deploy.py [--pages 5000] [--demo]

A generated tree of N article-sized pages (plus theme assets) is deployed three times: first (everything
copied), second with every page carrying a new release id (as real builds do: nothing but assets can be
linked), third with only ten pages changed (what a release id outside the pages would allow).
--demo also builds the repository's own instance and deploys that build twice.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from municms.deploy.local import LocalTarget  # noqa: E402
from municms.paths import InstancePaths  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PARAGRAPH = ("Çorum Belediyesi Fen İşleri Müdürlüğü ekipleri, ilçe genelinde sürdürdüğü yol bakım ve onarım "
             "çalışmaları kapsamında Işıklı Çarşısı'nda kaldırım düzenlemesini tamamladı. ")


def page(n: int, release: str, edited: bool = False) -> str:
    body = f"<p>{PARAGRAPH * 4}</p>\n" * 12
    note = "<p>Güncellendi.</p>" if edited else ""
    return (f'<!doctype html><html lang="tr"><head><meta charset="utf-8">'
            f'<meta name="municms-release" content="{release}"><title>Haber {n}</title></head>'
            f"<body><main><h1>Haber {n}</h1>{body}{note}</main></body></html>\n")


def generate(dest: Path, pages: int, release: str, edited: set[int] = frozenset(), assets: Path | None = None):
    for n in range(pages):
        folder = dest / "haberler" / str(2020 + n % 7) / f"haber-{n:05d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(page(n, release, n in edited), encoding="utf-8")
    if assets:
        shutil.copytree(assets / "theme", dest / "theme")


def timed_deploy(target: LocalTarget, build: Path, rid: str) -> str:
    started = time.perf_counter()
    stats = target.deploy(build, rid, {}).meta["stats"]
    seconds = time.perf_counter() - started
    mib = lambda b: b / 1_048_576  # noqa: E731
    return (f"{seconds:6.2f} s  files {stats['files']}, copied {stats['copied']} ({mib(stats['bytes_copied']):.1f} MiB), "
            f"hard-linked {stats['linked']} ({mib(stats['bytes_linked']):.1f} MiB)")


def bench_generated(work: Path, pages: int) -> None:
    theme = REPO / "themes" / "belediye" / "static"
    assets = work / "assets"
    shutil.copytree(theme, assets / "theme")
    ids = [f"20261125T1200{n:02d}Z-bench{n}" for n in range(3)]
    builds = [work / f"b{n}" for n in range(3)]
    generate(builds[0], pages, ids[0], assets=assets)
    generate(builds[1], pages, ids[1], assets=assets)
    shutil.copytree(builds[1], builds[2])
    for n in range(10):  # the third build differs from the second in ten pages only
        (builds[2] / "haberler" / str(2020 + n % 7) / f"haber-{n:05d}" / "index.html").write_text(
            page(n, ids[1], edited=True), encoding="utf-8")
    target = LocalTarget(InstancePaths(work / "inst"), keep_releases=5)
    print(f"generated tree, {pages} pages:")
    print("  first deploy                          ", timed_deploy(target, builds[0], ids[0]))
    print("  second, new release id in every page  ", timed_deploy(target, builds[1], ids[1]))
    print("  third, ten pages changed              ", timed_deploy(target, builds[2], ids[2]))
    started = time.perf_counter()
    shutil.copytree(builds[2], work / "plain-copy")
    print(f"  (plain shutil.copytree of the same tree: {time.perf_counter() - started:.2f} s)")


def bench_demo(work: Path) -> None:
    from municms.build import build_site
    from municms.config import load_instance

    logging.getLogger("pelican").setLevel(logging.ERROR)
    instance = load_instance(REPO)
    now = dt.datetime(2026, 11, 25, 12, tzinfo=dt.timezone.utc)
    first = build_site(instance, work / "demo1", now=now, build_id="20261125T120000Z-demo01", check=False)
    second = build_site(instance, work / "demo2", now=now, build_id="20261125T120100Z-demo02", check=False)
    target = LocalTarget(InstancePaths(work / "demo-inst"), keep_releases=5)
    print(f"demo instance build ({first.files} files):")
    print("  first deploy                          ", timed_deploy(target, first.output, first.build_id))
    print("  second (rebuilt, new release id)      ", timed_deploy(target, second.output, second.build_id))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--demo", action="store_true", help="also build and deploy the repository's instance")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        bench_generated(Path(tmp), args.pages)
        if args.demo:
            bench_demo(Path(tmp))


if __name__ == "__main__":
    main()
