"""Where the ledger lives (a SQLite file, or a PostgreSQL database for large installations) and what differs
between the two: municms.db.postgres (the dialect), municms.db.migrations (the versioned schema of both),
municms.db.copy (SQLite → PostgreSQL). The ledger's own SQL stays in municms.ledger and municms.seminar_store."""

from __future__ import annotations

import functools
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


def url_for_root(root: Path) -> str | None:
    """database_url for an instance folder without loading the whole instance (the deploy lock knows only the
    folder): $MUNICMS_DATABASE_URL, else the database_url of its instance.yaml."""
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        return url
    path = Path(root) / "instance.yaml"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None
    return _yaml_url(str(path), stamp)


@functools.lru_cache(maxsize=64)
def _yaml_url(path: str, _stamp: int) -> str | None:
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    url = data.get("database_url") if isinstance(data, dict) else None
    return url if is_url(url) else None


def ledger_target(instance, paths) -> str | Path:
    """What open_ledger opens for this instance: the PostgreSQL URL, or the SQLite file."""
    return database_url(instance) or paths.database


def database_errors() -> tuple[type[BaseException], ...]:
    """The errors of the ledger's drivers: sqlite3's, and psycopg's once it is loaded (a SQLite instance never
    imports it)."""
    import sqlite3
    import sys

    psycopg = sys.modules.get("psycopg")
    return (sqlite3.Error, psycopg.Error) if psycopg is not None else (sqlite3.Error,)


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))
