"""Fixtures of the publish tests: a fresh tiny instance in a temp directory."""

from __future__ import annotations

import pytest

from municms.config import load_instance
from municms.paths import InstancePaths
from tests.tinysite import copy_tiny


@pytest.fixture
def tiny(tmp_path) -> tuple:
    """(instance, paths) of a fresh copy of the tiny fixed instance."""
    root = copy_tiny(tmp_path / "instance")
    instance = load_instance(root)
    return instance, InstancePaths(root)
