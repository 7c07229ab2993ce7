"""The workflow suite runs on both ledger backends: the SQLite file and PostgreSQL."""

import pytest

from tests.conftest import LEDGER_BACKENDS


@pytest.fixture(params=LEDGER_BACKENDS)
def ledger_backend(request) -> str:
    return request.param
