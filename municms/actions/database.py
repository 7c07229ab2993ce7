"""The ledger itself: create or upgrade its schema (`migrate`), copy a SQLite ledger into PostgreSQL (`db copy`).
Each checks the role (a yonetici or the system), does it, records who did it in the ledger that changed (one
event, no item) and announces it."""

from __future__ import annotations

from pathlib import Path

from ..auth import Actor
from ..clock import Clock
from ..db.copy import CopyReport, copy_to_postgres
from ..db.migrations import MIGRATE, SCHEMA_VERSION, Report
from ..errors import PermissionDenied
from ..ledger import Ledger, migrate, open_ledger
from ..model import YONETICI, Event, User
from ..signals import ledger_copied, ledger_migrated
from ._transition import event_data, load_actor

COPY = "db_copy"


def _check(actor: Actor, user: User, message_tr: str, what: str) -> None:
    if not actor.is_system and user.role != YONETICI:
        raise PermissionDenied(message_tr, f"'{user.login}' ({user.role}) may not {what}")


def migrate_ledger(target: str | Path, clock: Clock, actor: Actor, users: Ledger | None = None) -> Report:
    """Create or upgrade the schema at target (SQLite file or PostgreSQL URL); `users`: the ledger the actor was
    proven in (None for the system). A change of PostgreSQL's schema records who made it in the migration's own
    transaction; a run that finds nothing to do records nothing. A SQLite file is brought up to date whenever a
    command opens it, before anyone logs in (`users.last_migration` says what that did): an upgrade is recorded
    there, as the system's, in its transaction; the creation of a new file is recorded here, right after."""
    user = load_actor(users, actor)
    _check(actor, user, "Kayıt veritabanının şemasını yalnız yönetici kurup yükseltebilir.",
           "migrate the ledger")

    def event(report: Report) -> Event:
        return Event(item_id=None, at=clock.now(), actor=user.login, action=MIGRATE,
                     data=event_data(actor, report.as_dict()))

    report = getattr(users, "last_migration", None) or migrate(target, record=event)
    if report.backend == "sqlite" and report.before == 0 and report.changed:
        ledger = open_ledger(target)
        try:
            with ledger.transaction() as tx:
                tx.append_event(event(report))
        finally:
            ledger.close()
    ledger_migrated.send(MIGRATE, report=report, actor=user.login)
    return report


def copy_ledger(ledger: Ledger, database: Path, clock: Clock, actor: Actor, url: str) -> CopyReport:
    """Copy the SQLite ledger at `database` (open as `ledger`, where the actor is proven) into the empty
    PostgreSQL database `url`; the copy's event is written in the copy's own transaction, after its check."""
    user = load_actor(ledger, actor)
    _check(actor, user, "Kayıt veritabanını yalnız yönetici kopyalayabilir.", "copy the ledger")

    def event(report: CopyReport) -> Event:
        return Event(item_id=None, at=clock.now(), actor=user.login, action=COPY,
                     data=event_data(actor, {"from": "sqlite", "to": report.target, "schema": SCHEMA_VERSION,
                                             "counts": dict(report.counts), "chain_records": report.chain_records}))

    report = copy_to_postgres(database, url, record=event)
    ledger_copied.send(COPY, report=report, actor=user.login)
    return report
