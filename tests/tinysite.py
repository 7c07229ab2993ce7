"""Build helpers for tests: a fresh copy of the tiny fixed instance, built with a fixed clock."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

from municms.build import build_site
from municms.config import load_instance

REPO = Path(__file__).resolve().parents[1]
TINY = REPO / "tests" / "fixtures" / "tiny"
FIXED_NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Europe/Istanbul"))


def copy_tiny(target: Path) -> Path:
    """The tiny instance plus the repository's pelicanconf.py, plugins and theme, in target."""
    shutil.copytree(TINY, target)
    shutil.copy2(REPO / "pelicanconf.py", target / "pelicanconf.py")
    shutil.copytree(REPO / "plugins", target / "plugins", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "themes", target / "themes")
    return target


def build(root: Path, output: Path, build_id: str = "test-build", now: dt.datetime = FIXED_NOW):
    return build_site(load_instance(root), output, now=now, build_id=build_id)
