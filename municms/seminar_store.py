"""The seminar part of the ledger's SQL: registrations, cancellations and postponements, the e-mail outbox,
form rate limits and staff calendar tokens. Mixed into municms.ledger's reader, transaction and ledger.

Personal data (name, e-mail, phone) lives only in `seminar_registrations` and `outbox`, never in events:
events are append-only, and KVKK wants personal data gone after the retention period (`anonymise`).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from .model import Registration, SeminarNotice, OutboxMessage

SEMINAR_SCHEMA = """
CREATE TABLE IF NOT EXISTS seminar_registrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT, item_id INTEGER NOT NULL REFERENCES items (id),
    status TEXT NOT NULL, audience TEXT NOT NULL, name TEXT, email TEXT, phone TEXT, department TEXT,
    created_at TEXT NOT NULL, changed_at TEXT NOT NULL, registered_by TEXT NOT NULL, consent_at TEXT,
    attended INTEGER, reminded_at TEXT, anonymised_at TEXT);
CREATE INDEX IF NOT EXISTS seminar_registrations_item ON seminar_registrations (item_id, status, id);
CREATE TABLE IF NOT EXISTS seminar_notices (
    item_id INTEGER PRIMARY KEY REFERENCES items (id), cancelled_at TEXT, cancel_reason TEXT,
    postponed_from TEXT NOT NULL DEFAULT '[]', dates TEXT);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, kind TEXT NOT NULL,
    recipient TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, registration_id INTEGER,
    sent_at TEXT, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT);
CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox (sent_at, id);
CREATE TABLE IF NOT EXISTS form_attempts (key TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS form_attempts_key ON form_attempts (key, at);
CREATE TABLE IF NOT EXISTS calendar_tokens (
    login TEXT PRIMARY KEY REFERENCES users (login), token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)
"""

REG_COLUMNS = ("id", "item_id", "status", "audience", "name", "email", "phone", "department", "created_at",
               "changed_at", "registered_by", "consent_at", "attended", "reminded_at",
               "anonymised_at")
_REG_TIMES = ("created_at", "changed_at", "consent_at", "reminded_at", "anonymised_at")


def _text(value):
    return value.isoformat() if isinstance(value, (dt.datetime, dt.date)) else value


def _time(value):
    return dt.datetime.fromisoformat(value) if value else None


def _registration(row: sqlite3.Row) -> Registration:
    values = {name: row[name] for name in REG_COLUMNS}
    for name in _REG_TIMES:
        values[name] = _time(values[name])
    values["attended"] = None if row["attended"] is None else bool(row["attended"])
    return Registration(**values)


def _notice(row: sqlite3.Row | None, item_id: int) -> SeminarNotice:
    if row is None:
        return SeminarNotice(item_id=item_id)
    return SeminarNotice(item_id=item_id, cancelled_at=_time(row["cancelled_at"]), cancel_reason=row["cancel_reason"],
                         postponed_from=tuple(tuple(pair) for pair in json.loads(row["postponed_from"])),
                         dates=tuple(json.loads(row["dates"])) if row["dates"] else None)


def _message(row: sqlite3.Row) -> OutboxMessage:
    return OutboxMessage(id=row["id"], created_at=_time(row["created_at"]), kind=row["kind"],
                         recipient=row["recipient"], subject=row["subject"], body=row["body"],
                         registration_id=row["registration_id"], sent_at=_time(row["sent_at"]),
                         attempts=row["attempts"], last_error=row["last_error"])


class SeminarReads:
    """Seminar queries shared by the ledger and its transactions (self.conn is an open connection)."""

    conn: sqlite3.Connection

    def registrations(self, item_id: int | None = None, *, statuses: tuple[str, ...] = ()) -> list[Registration]:
        """Registrations of one seminar (or all), oldest first; only the given statuses if any."""
        sql, args = "SELECT * FROM seminar_registrations WHERE 1 = 1", []
        if item_id is not None:
            sql, args = sql + " AND item_id = ?", args + [item_id]
        if statuses:
            sql += f" AND status IN ({', '.join('?' for _ in statuses)})"
            args += list(statuses)
        return [_registration(r) for r in self.conn.execute(sql + " ORDER BY id", args)]

    def registration(self, reg_id: int) -> Registration | None:
        row = self.conn.execute("SELECT * FROM seminar_registrations WHERE id = ?", (reg_id,)).fetchone()
        return _registration(row) if row else None

    def registration_counts(self, item_id: int | None = None) -> dict[int, dict[str, int]]:
        """item id → {status: count} for every seminar that has registrations (or for the one given)."""
        counts: dict[int, dict[str, int]] = {}
        where, args = ("WHERE item_id = ?", (item_id,)) if item_id is not None else ("", ())
        for row in self.conn.execute(
                f"SELECT item_id, status, COUNT(*) FROM seminar_registrations {where} GROUP BY item_id, status",
                args):
            counts.setdefault(row[0], {})[row[1]] = row[2]
        return counts

    def seminar_notice(self, item_id: int) -> SeminarNotice:
        row = self.conn.execute("SELECT * FROM seminar_notices WHERE item_id = ?", (item_id,)).fetchone()
        return _notice(row, item_id)

    def seminar_notices(self) -> dict[int, SeminarNotice]:
        return {r["item_id"]: _notice(r, r["item_id"]) for r in self.conn.execute("SELECT * FROM seminar_notices")}

    def seminar_fingerprint(self) -> tuple:
        """Changes whenever a registration or a notice changes (in any process)."""
        reg = self.conn.execute("SELECT COUNT(*), MAX(changed_at) FROM seminar_registrations").fetchone()
        notices = self.conn.execute("SELECT COUNT(*), MAX(cancelled_at), MAX(dates) FROM seminar_notices").fetchone()
        return tuple(reg) + tuple(notices)

    def unsent_messages(self, limit: int = 100, max_attempts: int = 10) -> list[OutboxMessage]:
        return [_message(r) for r in self.conn.execute(
            "SELECT * FROM outbox WHERE sent_at IS NULL AND attempts < ? ORDER BY id LIMIT ?", (max_attempts, limit))]

    def messages(self) -> list[OutboxMessage]:
        return [_message(r) for r in self.conn.execute("SELECT * FROM outbox ORDER BY id")]

    def seminar_messages(self, item_id: int) -> list[OutboxMessage]:
        """The e-mails to the registrants of one seminar, oldest first."""
        return [_message(r) for r in self.conn.execute(
            "SELECT outbox.* FROM outbox JOIN seminar_registrations r ON r.id = outbox.registration_id "
            "WHERE r.item_id = ? ORDER BY outbox.id", (item_id,))]

    def count_attempts(self, key: str, since: dt.datetime) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM form_attempts WHERE key = ? AND at >= ?",
                                 (key, _text(since))).fetchone()[0]

    def calendar_login(self, token_hash: str) -> str | None:
        row = self.conn.execute("SELECT login FROM calendar_tokens WHERE token_hash = ?", (token_hash,)).fetchone()
        return row[0] if row else None

    def has_calendar_token(self, login: str) -> bool:
        return self.conn.execute("SELECT 1 FROM calendar_tokens WHERE login = ?", (login,)).fetchone() is not None


class SeminarWrites:
    """Seminar writes, valid only inside a ledger transaction."""

    conn: sqlite3.Connection

    def insert_registration(self, reg: Registration) -> int:
        values = {name: _text(getattr(reg, name)) for name in REG_COLUMNS if name != "id"}
        if reg.attended is not None:
            values["attended"] = int(reg.attended)
        cur = self.conn.execute(
            f"INSERT INTO seminar_registrations ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
            list(values.values()))
        return cur.lastrowid

    def update_registration(self, reg_id: int, **fields) -> None:
        unknown = set(fields) - set(REG_COLUMNS) | ({"id", "item_id"} & set(fields))
        if unknown:
            raise ValueError(f"unknown registration fields: {sorted(unknown)}")
        values = [int(v) if isinstance(v, bool) else _text(v) for v in fields.values()]
        self.conn.execute(f"UPDATE seminar_registrations SET {', '.join(f'{n} = ?' for n in fields)} WHERE id = ?",
                          values + [reg_id])

    def put_seminar_notice(self, notice: SeminarNotice) -> None:
        self.conn.execute(
            "INSERT INTO seminar_notices (item_id, cancelled_at, cancel_reason, postponed_from, dates) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (item_id) DO UPDATE SET cancelled_at = excluded.cancelled_at, "
            "cancel_reason = excluded.cancel_reason, postponed_from = excluded.postponed_from, "
            "dates = excluded.dates",
            (notice.item_id, _text(notice.cancelled_at), notice.cancel_reason,
             json.dumps([list(p) for p in notice.postponed_from]),
             json.dumps(list(notice.dates)) if notice.dates else None))

    def queue_message(self, msg: OutboxMessage) -> int:
        cur = self.conn.execute(
            "INSERT INTO outbox (created_at, kind, recipient, subject, body, registration_id) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (_text(msg.created_at), msg.kind, msg.recipient, msg.subject, msg.body, msg.registration_id))
        return cur.lastrowid

    def mark_message(self, msg_id: int, *, sent_at: dt.datetime | None = None, error: str | None = None) -> None:
        self.conn.execute("UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = ? WHERE id = ?",
                          (_text(sent_at), error, msg_id))

    def forget_messages(self, registration_ids: list[int]) -> int:
        """Personal data in the outbox of these registrations: recipient and text blanked (counts stay); one
        still unsent is given up (never tried again)."""
        cur = self.conn.executemany(
            "UPDATE outbox SET recipient = '', subject = '', body = '', "
            "last_error = CASE WHEN sent_at IS NULL THEN 'kişisel veriler silindi (KVKK)' ELSE last_error END, "
            "attempts = CASE WHEN sent_at IS NULL THEN 1000 ELSE attempts END WHERE registration_id = ?",
            [(i,) for i in registration_ids])
        return cur.rowcount

    def record_attempt(self, key: str, at: dt.datetime, keep_after: dt.datetime) -> None:
        self.conn.execute("DELETE FROM form_attempts WHERE at < ?", (_text(keep_after),))
        self.conn.execute("INSERT INTO form_attempts (key, at) VALUES (?, ?)", (key, _text(at)))

    def put_calendar_token(self, login: str, token_hash: str, at: dt.datetime) -> None:
        self.conn.execute("INSERT INTO calendar_tokens (login, token_hash, created_at) VALUES (?, ?, ?) "
                          "ON CONFLICT (login) DO UPDATE SET token_hash = excluded.token_hash, "
                          "created_at = excluded.created_at", (login, token_hash, _text(at)))

    def delete_calendar_token(self, login: str) -> int:
        return self.conn.execute("DELETE FROM calendar_tokens WHERE login = ?", (login,)).rowcount


class SeminarLedger:
    """The seminar reads on the ledger itself, each in its own read transaction."""

    def _reading(self, name: str, *args, **kwargs):
        with self._read() as r:
            return getattr(r, name)(*args, **kwargs)

    def registrations(self, item_id: int | None = None, *, statuses: tuple[str, ...] = ()) -> list[Registration]:
        return self._reading("registrations", item_id, statuses=statuses)

    def registration(self, reg_id: int) -> Registration | None:
        return self._reading("registration", reg_id)

    def registration_counts(self, item_id: int | None = None) -> dict[int, dict[str, int]]:
        return self._reading("registration_counts", item_id)

    def seminar_notice(self, item_id: int) -> SeminarNotice:
        return self._reading("seminar_notice", item_id)

    def seminar_notices(self) -> dict[int, SeminarNotice]:
        return self._reading("seminar_notices")

    def seminar_fingerprint(self) -> tuple:
        return self._reading("seminar_fingerprint")

    def unsent_messages(self, limit: int = 100, max_attempts: int = 10) -> list[OutboxMessage]:
        return self._reading("unsent_messages", limit, max_attempts)

    def messages(self) -> list[OutboxMessage]:
        return self._reading("messages")

    def seminar_messages(self, item_id: int) -> list[OutboxMessage]:
        return self._reading("seminar_messages", item_id)

    def count_attempts(self, key: str, since: dt.datetime) -> int:
        return self._reading("count_attempts", key, since)

    def calendar_login(self, token_hash: str) -> str | None:
        return self._reading("calendar_login", token_hash)

    def has_calendar_token(self, login: str) -> bool:
        return self._reading("has_calendar_token", login)
