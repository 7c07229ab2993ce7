"""Fixtures of the JSON API tests: `site`, a municipality on the tiny fixed instance (tests/municipality.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def site(municipality):
    return municipality(site="tiny")
