"""Fixtures of the fault suite: a seeded random generator per test (the seed is in the failure message)."""

from __future__ import annotations

import random

import pytest

SEED = 20261130


@pytest.fixture
def rng(request) -> random.Random:
    """random.Random seeded from SEED and the test's name: each test its own, repeatable sequence."""
    return random.Random(f"{SEED}-{request.node.name}")
