"""The scan tests use the editorial app of the web tests (the same fixtures, not copies)."""

from tests.web.conftest import editorial, live_editorial  # noqa: F401  (fixtures: pytest finds them by name)
