"""The speedups plugin: the tiny site written by two processes equals the golden output, and an error logged
while the child renders a page fails the build with the child's message.

Each build runs in a fresh process: a fork happens only in a process with one thread (not in a pytest-xdist
worker), and the test checks that the child did write.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from tests.golden.test_golden import EXPECTED, _files
from tests.tinysite import copy_tiny

BUILD = """
import json, sys
from pathlib import Path
sys.path.insert(0, {repo!r})
from municms.errors import BuildError
from tests.tinysite import build
try:
    build(Path({root!r}), Path({out!r}), build_id="golden")
    failure = None
except BuildError as error:
    failure = error.message_tr
import speedups
print(json.dumps({{"acted": speedups.acted, "failure": failure}}))
"""


def _build_in_own_process(root: Path, out: Path, settings: str) -> dict:
    with (root / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nSPEEDUPS_PARALLEL_MIN = 0\n" + settings)
    done = subprocess.run([sys.executable, "-c", BUILD.format(repo=str(REPO), root=str(root), out=str(out))],
                          capture_output=True, text=True, timeout=300, cwd=root)
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_two_processes_write_the_golden_site(tmp_path):
    root = copy_tiny(tmp_path / "tiny")
    result = _build_in_own_process(root, tmp_path / "out", "")
    assert result["failure"] is None
    assert result["acted"]["output_child"] == 1 and result["acted"]["prefetch_child"] == 1
    actual, expected = _files(tmp_path / "out"), _files(EXPECTED)
    assert sorted(actual) == sorted(expected)
    assert [name for name in expected if actual[name] != expected[name]] == []


def test_error_logged_in_the_child_fails_the_build(tmp_path):
    root = copy_tiny(tmp_path / "tiny")
    template = root / "themes" / "belediye" / "templates" / "article.html"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "{% block content %}", "{% block content %}{{ article.title|broken_page }}", 1), encoding="utf-8")
    result = _build_in_own_process(root, tmp_path / "out", (
        "import logging\n"
        "def _broken_page(title):\n"
        "    logging.getLogger('test').error('bozuk sayfa: %s', title)\n"
        "    return ''\n"
        "JINJA_FILTERS = {'broken_page': _broken_page}\n"))
    assert result["acted"]["output_child"] == 1
    # every article page but the regulations, which have their own template
    articles = sorted(p for p in (root / "content").rglob("*.md") if not {"sayfalar", "mevzuat"} & set(p.parts))
    assert len(articles) > 2
    # one message per article page, whichever process rendered it
    assert result["failure"].count("bozuk sayfa: ") == len(articles)
    assert not (tmp_path / "out").exists()
