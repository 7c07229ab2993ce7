"""The scan tests use the editorial app of the web tests (the same fixture, not a copy)."""

from tests.web.conftest import editorial  # noqa: F401  (a fixture: pytest finds it by name)
