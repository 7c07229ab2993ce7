"""A missing browser or checker fails the run in CI and is skipped, with its reason, elsewhere."""

from __future__ import annotations

import pytest

from ..conftest import require


def test_missing_tool_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="Chromium .* is missing; `make test` installs it"):
        require(False, "Chromium (/usr/bin/chromium)")


def test_missing_tool_is_skipped_with_its_reason_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Java .* is missing"):
        require(False, "Java (default-jre-headless)")


def test_present_tool_neither_fails_nor_skips(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert require(True, "Chromium") is None
