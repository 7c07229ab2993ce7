"""Golden output: the tiny fixed instance is built and compared file by file with tests/golden/tiny/.

Regenerate after an intended change (and review the diff):
    MUNICMS_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/golden
"""

import os
import shutil
from pathlib import Path

from tests.tinysite import build, copy_tiny

EXPECTED = Path(__file__).parent / "tiny"


def _files(root: Path) -> dict[str, bytes]:
    # pagefind/ is the search tool's own output (its UI bundle and binary index); tests/unit/test_search.py
    # checks what it must contain.
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith("pagefind/")}


def test_tiny_site_matches_golden_output(tmp_path):
    root = copy_tiny(tmp_path / "tiny")
    out = tmp_path / "out"
    build(root, out, build_id="golden")
    actual = _files(out)
    if os.environ.get("MUNICMS_REGENERATE_GOLDEN"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(out, EXPECTED)
    expected = _files(EXPECTED)
    assert sorted(actual) == sorted(expected), "the set of built files changed"
    changed = [name for name in expected if actual[name] != expected[name]]
    assert changed == [], f"files differ from tests/golden/tiny: {changed}"
