"""Fixtures of the publish tests: the tiny fixed instance, and `site`, a municipality on it."""

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


@pytest.fixture
def site(municipality):
    """municipality(site="tiny") (tests/municipality.py): items come from real intake — submit(tur, title, body,
    department=, attachments=, yayin=, bitis=, …) —, people log in to act — approve(ref, by=…),
    withdraw(ref, by=…) —, and publish() is the real pipeline as the scheduler runs it."""
    return municipality(site="tiny")
