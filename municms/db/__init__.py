"""Where the ledger lives (a SQLite file, or a PostgreSQL database for large installations) and what differs
between the two: municms.db.postgres (the dialect), municms.db.migrations (the versioned schema of both),
municms.db.copy (SQLite → PostgreSQL). The ledger's own SQL stays in municms.ledger and municms.seminar_store."""

from __future__ import annotations

import os
from pathlib import Path

ENV_URL = "MUNICMS_DATABASE_URL"
URL_PREFIXES = ("postgresql://", "postgres://")


def is_url(target) -> bool:
    return isinstance(target, str) and target.startswith(URL_PREFIXES)


def database_url(instance) -> str | None:
    """The PostgreSQL URL of the instance's ledger: $MUNICMS_DATABASE_URL, else instance.yaml's database_url;
    None means the SQLite file var/municms.sqlite3."""
    url = os.environ.get(ENV_URL, "").strip()
    return url or getattr(instance, "database_url", None) or None


def ledger_target(instance, paths) -> str | Path:
    """What open_ledger opens for this instance: the PostgreSQL URL, or the SQLite file."""
    return database_url(instance) or paths.database


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))
