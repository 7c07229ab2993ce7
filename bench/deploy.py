"""Deploy timings of the local target: a first release, then a second one after one changed item.

    .venv/bin/python bench/deploy.py [--items 5000] [--demo]

A generated site of N items (item pages in haberler/<year>/, year listings, tag pages per year, feeds, theme
assets) is deployed once; then one item is edited: its page, its year listing, the section index, the home
page and the feed are replaced by new files in a hard-link copy of the tree (what an incremental build hands
over), and that tree is deployed as the second release, with the per-file hashes (as publish passes the build
manifest) and without them. Each line: seconds, files written (hard links or copies made), shards stored and
reused, MiB copied. --demo also builds the repository's own instance twice and deploys both builds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from municms.deploy.local import LocalTarget  # noqa: E402
from municms.paths import InstancePaths  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
YEARS = range(2020, 2027)
TAGS = [f"konu-{n:02d}" for n in range(20)]
PARAGRAPH = ("Çorum Belediyesi Fen İşleri Müdürlüğü ekipleri, ilçe genelinde sürdürdüğü yol bakım ve onarım "
             "çalışmaları kapsamında Işıklı Çarşısı'nda kaldırım düzenlemesini tamamladı. ")


def html(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="tr"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><main><h1>{title}</h1>{body}</main></body></html>\n")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def item_page(n: int, edited: bool = False) -> str:
    return html(f"Haber {n}", f"<p>{PARAGRAPH * 4}</p>\n" * 12 + ("<p>Güncellendi.</p>" if edited else ""))


def listing(title: str, numbers: list[int], edited: int | None = None) -> str:
    links = "".join(f'<li><a href="/haberler/{2020 + n % 7}/haber-{n:05d}/">Haber {n}'
                    f'{" (güncellendi)" if n == edited else ""}</a></li>' for n in numbers)
    return html(title, f"<ul>{links}</ul>")


def generate(dest: Path, items: int) -> None:
    """The first build: item pages, per-year listings of the section and of each tag, feeds, theme assets."""
    by_year: dict[int, list[int]] = {year: [] for year in YEARS}
    for n in range(items):
        year = 2020 + n % 7
        by_year[year].append(n)
        write(dest / "haberler" / str(year) / f"haber-{n:05d}" / "index.html", item_page(n))
    for year, numbers in by_year.items():
        write(dest / "haberler" / str(year) / "index.html", listing(f"Haberler {year}", numbers[-50:]))
        for i, tag in enumerate(TAGS):
            write(dest / "etiket" / tag / str(year) / "index.html", listing(tag, numbers[i::len(TAGS)][-50:]))
    for tag in TAGS:
        write(dest / "etiket" / tag / "index.html", listing(tag, list(range(items))[-20:]))
    write(dest / "haberler" / "index.html", listing("Haberler", list(range(items))[-20:]))
    write(dest / "index.html", listing("Anasayfa", list(range(items))[-10:]))
    write(dest / "atom.xml", listing("Atom", list(range(items))[-20:]))
    shutil.copytree(REPO / "themes" / "belediye" / "static", dest / "theme")


def edit_one_item(build: Path, dest: Path, items: int) -> list[str]:
    """A hard-link copy of build in which one item of this year was edited (new files replace five)."""
    shutil.copytree(build, dest, copy_function=os.link)
    n = max(k for k in range(items) if k % 7 == 6)  # the newest item of 2026
    changed = {f"haberler/2026/haber-{n:05d}/index.html": item_page(n, edited=True),
               "haberler/2026/index.html": listing("Haberler 2026", [k for k in range(items) if k % 7 == 6][-50:], n),
               "haberler/index.html": listing("Haberler", list(range(items))[-20:], n),
               "index.html": listing("Anasayfa", list(range(items))[-10:], n),
               "atom.xml": listing("Atom", list(range(items))[-20:], n)}
    for rel, text in changed.items():
        temp = dest / (rel + ".new")
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, dest / rel)  # a new file, never one rewritten in place: the first release shares it
    return sorted(changed)


def hashes_of(tree: Path) -> dict[str, str]:
    out = {}
    for folder, _, names in os.walk(tree):
        for name in names:
            path = os.path.join(folder, name)
            out[os.path.relpath(path, tree)] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return out


def timed_deploy(target: LocalTarget, build: Path, rid: str, hashes: dict | None = None) -> str:
    started = time.perf_counter()
    stats = target.deploy(build, rid, {}, hashes=hashes).meta["stats"]
    seconds = time.perf_counter() - started
    return (f"{seconds:6.2f} s  files {stats['files']}, written {stats['files_written']} "
            f"(linked {stats['linked']}, copied {stats['copied']}, {stats['bytes_copied'] / 1_048_576:.1f} MiB), "
            f"shards {stats['shards_new']} stored, {stats['shards_reused']} reused")


def bench_generated(work: Path, items: int) -> None:
    first, second = work / "b1", work / "b2"
    generate(first, items)
    changed = edit_one_item(first, second, items)
    hashes = hashes_of(second)
    print(f"generated site, {items} items, {len(hashes)} files; the edit replaces {len(changed)} files:")
    for with_hashes in (True, False):
        target = LocalTarget(InstancePaths(work / f"inst-{with_hashes}"), keep_releases=5)
        how = "with the build's hashes" if with_hashes else "hashing every file"
        print("  first deploy                 ", timed_deploy(target, first, "20261125T120000Z-bench1"))
        line = timed_deploy(target, second, "20261125T120100Z-bench2", hashes if with_hashes else None)
        print(f"  second, one item edited, {how}:\n                               ", line)
    started = time.perf_counter()
    shutil.copytree(second, work / "plain-copy")
    print(f"  (plain shutil.copytree of the same tree: {time.perf_counter() - started:.2f} s)")


def bench_demo(work: Path) -> None:
    from municms.build import build_site
    from municms.config import load_instance
    from municms.deploy import manifest_hashes

    logging.getLogger("pelican").setLevel(logging.ERROR)
    instance = load_instance(REPO)
    now = dt.datetime(2026, 11, 25, 12, tzinfo=dt.timezone.utc)
    first = build_site(instance, work / "demo1", now=now, build_id="20261125T120000Z-demo01", check=False)
    second = build_site(instance, work / "demo2", now=now, build_id="20261125T120100Z-demo02", check=False)
    target = LocalTarget(InstancePaths(work / "demo-inst"), keep_releases=5)
    hashes = manifest_hashes(InstancePaths(REPO), second.build_id)
    print(f"demo instance build ({first.files} files):")
    print("  first deploy                 ", timed_deploy(target, first.output, first.build_id))
    print("  second (rebuilt, unchanged)  ", timed_deploy(target, second.output, second.build_id, hashes))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--demo", action="store_true", help="also build and deploy the repository's instance")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        bench_generated(Path(tmp), args.items)
        if args.demo:
            bench_demo(Path(tmp))


if __name__ == "__main__":
    main()
