"""Pelican's own test suite (pelican/tests of the installed package) passes with the speedups plugin acting.

The suite runs as Pelican runs it from its source tree: the installed package is linked into a folder next to
`samples/` (the sample site its functional tests build, which the wheel does not ship; copied here from the
pelican 4.12.0 source distribution). pytest's warnings plugin is off because the suite sets its own filter
(Pelican's warnings are errors, pelican/tests/__init__.py), which that plugin would reset for every test.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pelican
import pytest

from tests.conftest import REPO

SAMPLES = Path(__file__).resolve().parent / "samples"
PELICAN_VERSION = "4.12.0"  # of the samples

# Tests that fail with stock Pelican in this environment, deselected only while the reason holds.
# typogrify is an optional dependency of Pelican that municms does not install (TYPOGRIFY = False);
# these two tests of the suite use it without the suite's skip guard.
WITHOUT_TYPOGRIFY = [
    "pelican/tests/test_readers.py::RstReaderTest::test_typogrify_dashes_config",
    "pelican/tests/test_readers.py::MdReaderTest::test_typogrify_dashes_config",
]


def _typogrify_missing() -> bool:
    return importlib.util.find_spec("typogrify") is None or importlib.util.find_spec("smartypants") is None


def _suite_folder(tmp_path: Path) -> Path:
    assert pelican.__version__ == PELICAN_VERSION, \
        f"samples/ are those of Pelican {PELICAN_VERSION}; copy the samples of {pelican.__version__}"
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "pelican").symlink_to(Path(pelican.__file__).parent, target_is_directory=True)
    (tmp_path / "samples").symlink_to(SAMPLES, target_is_directory=True)
    return tmp_path


def _pytest(folder: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:warnings",
               "-c", os.devnull, "--rootdir", str(folder), *args]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})})


@pytest.mark.slow
def test_pelican_suite_passes_with_speedups(tmp_path: Path):
    folder = _suite_folder(tmp_path / "suite")
    acted = tmp_path / "acted.json"
    deselect = [f"--deselect={test}" for test in WITHOUT_TYPOGRIFY] if _typogrify_missing() else []
    done = _pytest(folder, "-x", "-p", "tests.pelican_suite.with_speedups", "pelican/tests", *deselect,
                   env={"PELICAN_SPEEDUPS_ACTED": str(acted)})
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert " failed" not in done.stdout and " passed" in done.stdout
    # every speed-up acted on the suite's sites, so the suite tested them
    assert all(count > 0 for count in json.loads(acted.read_text()).values()), acted.read_text()


@pytest.mark.slow
@pytest.mark.skipif(not _typogrify_missing(), reason="typogrify is installed: nothing is deselected")
def test_deselected_tests_fail_on_stock_pelican_too(tmp_path: Path):
    done = _pytest(_suite_folder(tmp_path), *WITHOUT_TYPOGRIFY)
    assert "2 failed" in done.stdout, done.stdout[-3000:]
    assert "No module named 'smartypants'" in done.stdout or "No module named 'typogrify'" in done.stdout
