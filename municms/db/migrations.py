"""The ledger's schema, versioned, for both backends: one list of steps, each with its SQLite and its PostgreSQL
statements, applied in one transaction by `migrate` (and by open_ledger on SQLite, as before).

SQLite keeps its version in PRAGMA user_version (an instance at version 7 opens unchanged). PostgreSQL keeps it
in the table schema_migrations, one row per step applied; a new PostgreSQL database starts at BASELINE with the
whole schema (municms.ledger.SCHEMA, translated by municms.db.postgres), since no PostgreSQL ledger existed
before it. A later step gives its statements for both backends. Concurrent migrations of one PostgreSQL database
(two hosts upgraded at once) queue on an advisory lock; the second finds nothing left to do.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from typing import Callable

MIGRATE = "migrate"   # the event a schema change records, in its own transaction
OPENED = "kayıt veritabanı açılırken"   # `via` of a SQLite ledger brought up to date by the command opening it


@dataclass(frozen=True)
class Step:
    version: int
    what: str                                  # Turkish, for `publish.py migrate`'s report
    sqlite: tuple[str, ...] = ()               # run before SCHEMA (CREATE … IF NOT EXISTS) on an older ledger
    postgres: tuple[str, ...] | None = None    # None: part of the PostgreSQL baseline


BASELINE = 7  # the first version a PostgreSQL ledger can have

STEPS: tuple[Step, ...] = (
    Step(2, "gözden geçiren (reviewer) sütunu", ("ALTER TABLE items ADD COLUMN reviewer TEXT",)),
    Step(3, "yayın masası oturumları ve taslaklar"),  # new tables only, which SCHEMA creates
    Step(4, "yayındaki sürüm (live_rev), yorumlar, düzenleme kilitleri",
         ("ALTER TABLE items ADD COLUMN live_rev INTEGER",
          "UPDATE items SET live_rev = current_rev WHERE state IN ('published', 'expired')")),
    Step(5, "seminer kayıtları, duyurular, e-posta kuyruğu, form denemeleri, takvim anahtarları"),
    Step(6, "sürümlerde bulunan kişisel veriler (kvkk_findings)"),
    Step(7, "yayın kaydı (register)"),
)
SCHEMA_VERSION = max(step.version for step in STEPS)


@dataclass
class Report:
    backend: str                 # "sqlite" | "postgresql"
    before: int                  # 0: no schema yet
    after: int
    applied: list[Step] = field(default_factory=list)

    def text(self) -> str:
        name = "PostgreSQL" if self.backend == "postgresql" else "SQLite"
        if not self.applied and self.before == self.after:
            return f"{name} kayıt veritabanı güncel (şema sürümü {self.after}); yapılacak bir şey yok."
        if self.before == 0:
            head = f"{name} kayıt veritabanının şeması oluşturuldu (sürüm {self.after})."
        else:
            head = f"{name} kayıt veritabanının şeması {self.before} → {self.after} sürümüne yükseltildi."
        return "\n".join([head] + [f"  - {s.version}: {s.what}" for s in self.applied])

    def as_dict(self) -> dict:
        """What `migrate --json` prints and the `migrate` event records."""
        return {"backend": self.backend, "from": self.before, "to": self.after,
                "applied": [step.version for step in self.applied]}

    @property
    def changed(self) -> bool:
        return bool(self.applied) or self.before != self.after


Record = Callable[[Report], object]   # the event (municms.model.Event or None) a change appends before commit


def _append(conn, record: Record | None, report: Report) -> None:
    """Append record(report) through the ledger's own insert, inside the migration's open transaction."""
    event = record(report) if record is not None and report.changed else None
    if event is not None:
        from ..ledger import Transaction
        Transaction(conn).append_event(event)


# --- SQLite -------------------------------------------------------------------------------------------------

def sqlite_version(conn: sqlite3.Connection) -> int:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == 0 and conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'items'").fetchone() is None:
        return 0
    return max(version, 1)


def migrate_sqlite(conn: sqlite3.Connection, schema: str, record: Record | None = None) -> Report:
    """Create or upgrade the schema of an open SQLite ledger (autocommit connection) in one transaction, which
    also appends record(report) when anything changed."""
    if conn.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        return Report("sqlite", version, version)  # up to date: no write lock needed
    conn.execute("BEGIN IMMEDIATE")
    try:
        before = sqlite_version(conn)
        applied = []
        if before < SCHEMA_VERSION:
            fresh = before == 0
            for step in STEPS:
                if before < step.version:
                    applied.append(step)
                    if not fresh:
                        for statement in step.sqlite:
                            conn.execute(statement)
            for statement in schema.split(";\n"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        report = Report("sqlite", before, max(before, SCHEMA_VERSION), applied)
        _append(conn, record, report)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return report


# --- PostgreSQL ---------------------------------------------------------------------------------------------

_VERSIONS = ("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
             "what TEXT NOT NULL, applied_at TEXT NOT NULL)")


def postgres_version(conn) -> int:
    """The schema version of a PostgreSQL ledger (0: none yet); conn is a municms.db.postgres.Connection."""
    exists = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()[0]
    if not exists:
        return 0
    return conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]


def migrate_postgres(conn, schema: str, record: Record | None = None) -> Report:
    """Create or upgrade the schema of a PostgreSQL ledger in one transaction, under the migration lock; the
    transaction also appends record(report) when anything changed."""
    from .postgres import MIGRATE_LOCK, translate_ddl

    raw = conn.raw
    raw.execute("BEGIN")
    try:
        raw.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
        before = postgres_version(conn)
        applied: list[Step] = []
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        if before == 0:
            for statement in translate_ddl(schema):
                raw.execute(statement)
            raw.execute(_VERSIONS)
            applied = [step for step in STEPS if step.version <= BASELINE]
            raw.execute("INSERT INTO schema_migrations (version, what, applied_at) VALUES (%s, %s, %s)",
                        (BASELINE, "temel şema", now))
        for step in STEPS:
            if step.version > max(before, BASELINE):
                for statement in step.postgres or ():
                    raw.execute(statement)
                raw.execute("INSERT INTO schema_migrations (version, what, applied_at) VALUES (%s, %s, %s)",
                            (step.version, step.what, now))
                applied.append(step)
        report = Report("postgresql", before, max(before, SCHEMA_VERSION), applied)
        _append(conn, record, report)
        raw.execute("COMMIT")
    except BaseException:
        raw.execute("ROLLBACK")
        raise
    return report
