"""Fixtures of the publication register tests: `site`, a municipality on the tiny fixed instance."""

from __future__ import annotations

import pytest


@pytest.fixture
def site(municipality):
    return municipality(site="tiny")
