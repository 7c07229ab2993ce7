"""Full build of a generated Turkish corpus: municms vs stock Pelican, same files, same run.

    .venv/bin/python bench/build.py [--articles 2000]

Prints seconds for each and the ratio. Stock Pelican uses its default theme and settings with pretty URLs,
so both write comparable pages; municms also writes its stable listings, department and tag archives, the
sitemap parts, the seminar calendar and the Pagefind search index, and runs its post-build checks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pelican import Pelican  # noqa: E402
from pelican.settings import read_settings  # noqa: E402

from bench.corpus import make_instance  # noqa: E402
from municms.build import build_site  # noqa: E402
from municms.config import load_instance  # noqa: E402


def stock_pelican(content: Path, output: Path) -> float:
    settings = read_settings(override={
        "PATH": str(content), "OUTPUT_PATH": str(output), "SITENAME": "Stock", "TIMEZONE": "Europe/Istanbul",
        "DEFAULT_LANG": "tr", "ARTICLE_PATHS": ["haberler", "duyurular", "mukellef-duyurulari"],
        "PAGE_PATHS": ["sayfalar"], "ARTICLE_URL": "{category}/{date:%Y}/{slug}/",
        "ARTICLE_SAVE_AS": "{category}/{date:%Y}/{slug}/index.html", "DEFAULT_PAGINATION": 10,
        "FEED_ALL_ATOM": "feeds/all.atom.xml", "CATEGORY_FEED_ATOM": "feeds/{slug}.atom.xml",
        "LOAD_CONTENT_CACHE": False, "CACHE_CONTENT": False,
        # the org chart page needs municms' orgchart template, which the stock theme does not have
        "IGNORE_FILES": [".#*", "organizasyon-semasi.md"]})
    started = time.perf_counter()
    Pelican(settings).run()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("pelican").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        root = make_instance(Path(tmp) / "inst", args.articles)
        # stock first: Pelican's signals are process-wide, and municms connects its plugins to them
        stock = stock_pelican(root / "content", Path(tmp) / "stock-out")
        started = time.perf_counter()
        result = build_site(load_instance(root), Path(tmp) / "municms-out",
                            now=dt.datetime(2026, 11, 25, 12, tzinfo=dt.timezone.utc))
        ours = time.perf_counter() - started
    print(f"articles: {args.articles}")
    print(f"municms full build: {ours:.2f} s ({result.files} files)")
    print("  phases: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.phases.items()))
    print(f"stock Pelican full build: {stock:.2f} s")
    print(f"ratio municms / stock: {ours / stock:.2f}")
    print(f"ratio of the Pelican phase alone (same work as stock): {result.phases['pelican'] / stock:.2f}")


if __name__ == "__main__":
    main()
