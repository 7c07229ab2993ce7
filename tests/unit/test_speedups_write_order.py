"""The speedups plugin writes every file as Pelican does, whichever of its two writing processes runs ahead.

A page whose save_as is a tag page's (Pelican's sample site has one: tag/oh.html) overrides that tag page
because Pelican writes it later. When the two writes of one file were made by different processes, the file
held whichever write came last in time: a busy machine that slowed one process left the tag page in place
of the page. Pages that override feeds (the parent's alone) must win too. Here one process is slowed on
purpose and the output must equal stock Pelican's.

Each build runs in a fresh process: a fork happens only in a process with one thread (not in a pytest-xdist
worker), and the test checks that the child did write.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

BUILD = """
import json, os, sys, time
from pelican import Pelican, writers
from pelican.settings import read_settings

slow, parent = {slow!r}, os.getpid()
if slow:
    open_w = writers.Writer._open_w

    def slowed_open_w(self, *args, **kwargs):
        # every file the slowed process writes lands after the other process's files
        if (os.getpid() == parent) == (slow == "parent"):
            time.sleep(0.15)
        return open_w(self, *args, **kwargs)

    writers.Writer._open_w = slowed_open_w
settings = read_settings(None, override={{
    "PATH": {content!r}, "OUTPUT_PATH": {out!r}, "CACHE_PATH": {cache!r}, "TIMEZONE": "UTC", "SITEURL": "",
    "PLUGIN_PATHS": [{plugins!r}], "PLUGINS": {plugins_named!r}, "SPEEDUPS_PARALLEL_MIN": 0,
}})
Pelican(settings=settings).run()
options = sys.modules.get("speedups.options")
print(json.dumps(options.acted if options else {{}}))
"""

TAGS = ["oh", "bar", "baz", "qux", "quux", "corge"]
FEEDS = ["all.atom.xml", "c0.atom.xml", "c1.atom.xml"]


def _site(root: Path) -> Path:
    content = root / "content"
    (content / "pages").mkdir(parents=True)
    for i in range(8):
        tags = ", ".join(TAGS[j] for j in range(len(TAGS)) if (i + j) % 3)
        (content / f"article-{i}.md").write_text(
            f"Title: Article {i}\nDate: 2026-11-{10 + i:02d} 10:00\nCategory: c{i % 2}\nTags: {tags}\n\n"
            f"Body of article {i}.\n", encoding="utf-8")
    # every tag page is overridden by a page, so some tag page and its page fall to different processes
    for tag in TAGS:
        (content / "pages" / f"override-{tag}.md").write_text(
            f"Title: Override {tag}\nDate: 2026-11-01\nURL: tag/{tag}.html\nSave_as: tag/{tag}.html\n\n"
            f"This page overrides the *{tag}* tag page.\n", encoding="utf-8")
    # and pages override feeds, which the parent alone writes, before any page
    for feed in FEEDS:
        (content / "pages" / f"override-{feed}.md").write_text(
            f"Title: Override {feed}\nDate: 2026-11-01\nURL: feeds/{feed}\nSave_as: feeds/{feed}\n\n"
            f"This page overrides the {feed} feed.\n", encoding="utf-8")
    return content


def _build(root: Path, out: Path, *, speedups: bool, slow: str = "") -> dict:
    script = BUILD.format(slow=slow, content=str(root / "content"), out=str(out), cache=str(root / "cache"),
                          plugins=str(REPO / "plugins"), plugins_named=["speedups"] if speedups else [])
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                          cwd=root, env={"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"})
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("slow", ["parent", "child"])
def test_overriding_page_wins_whichever_process_is_slow(tmp_path, slow):
    _site(tmp_path)
    _build(tmp_path, tmp_path / "stock", speedups=False)
    acted = _build(tmp_path, tmp_path / "out", speedups=True, slow=slow)
    assert acted["output_child"] == 1
    expected, actual = _files(tmp_path / "stock"), _files(tmp_path / "out")
    assert b"This page overrides the <em>oh</em> tag page." in expected["tag/oh.html"]
    assert b"This page overrides the all.atom.xml feed." in expected["feeds/all.atom.xml"]
    assert sorted(actual) == sorted(expected)
    assert [name for name in expected if actual[name] != expected[name]] == []
