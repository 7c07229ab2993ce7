"""The ledger: SQLite (WAL) holding items, revisions, append-only events, approvals and users; or, for large
installations, a PostgreSQL database with the same SQL (PgLedger; the dialect lives in municms.db.postgres).

This module and its seminar part (municms.seminar_store) are the only ones that contain SQL. `with
ledger.transaction() as tx:` runs BEGIN IMMEDIATE (PostgreSQL: BEGIN and the writers' advisory lock) and
commits or rolls back; writes happen only on `tx`. Read methods exist on both `tx` and the ledger (the
latter each in its own read transaction).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import threading
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Iterator

from .errors import ConflictError, MunicmsError, NotFound
from .kvkk.findings import Finding
from .model import ITEM_FIELDS, SYSTEM, Comment, EditLock, Event, Item, Revision, User
from .turkish import fold
from .private import create_private_file, tighten
from .db.migrations import MIGRATE, OPENED, SCHEMA_VERSION, Record, migrate_sqlite
from .seminar_store import SEMINAR_SCHEMA, SeminarLedger, SeminarReads, SeminarWrites


SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (
    prefix TEXT NOT NULL, year INTEGER NOT NULL, last INTEGER NOT NULL,
    PRIMARY KEY (prefix, year));
CREATE TABLE IF NOT EXISTS users (
    login TEXT PRIMARY KEY, role TEXT NOT NULL, unit TEXT, department TEXT,
    password_hash TEXT NOT NULL DEFAULT '', active INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE, year INTEGER NOT NULL, seq INTEGER NOT NULL,
    tur TEXT NOT NULL, department TEXT NOT NULL, title TEXT NOT NULL, state TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '', assignee TEXT, author TEXT NOT NULL DEFAULT '', slug TEXT NOT NULL DEFAULT '',
    publish_at TEXT, expire_at TEXT, current_rev INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, closed_at TEXT, public_reason TEXT, reviewer TEXT,
    live_rev INTEGER,
    UNIQUE (year, seq));
CREATE INDEX IF NOT EXISTS items_state ON items (state);
CREATE INDEX IF NOT EXISTS items_unit ON items (unit, year, seq);
CREATE INDEX IF NOT EXISTS items_department ON items (department, year, seq);
CREATE INDEX IF NOT EXISTS items_assignee ON items (assignee, year, seq);
CREATE TABLE IF NOT EXISTS revisions (
    item_id INTEGER NOT NULL REFERENCES items (id), rev INTEGER NOT NULL,
    front_matter TEXT NOT NULL, body TEXT NOT NULL, source_name TEXT NOT NULL DEFAULT '',
    source_sha256 TEXT NOT NULL DEFAULT '', stored_dir TEXT NOT NULL DEFAULT '',
    attachments TEXT NOT NULL DEFAULT '[]', warnings TEXT NOT NULL DEFAULT '[]',
    author TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL,
    PRIMARY KEY (item_id, rev));
CREATE INDEX IF NOT EXISTS revisions_sha ON revisions (source_sha256);
CREATE TABLE IF NOT EXISTS approvals (
    item_id INTEGER NOT NULL REFERENCES items (id), rev INTEGER NOT NULL, login TEXT NOT NULL,
    at TEXT NOT NULL, PRIMARY KEY (item_id, rev, login));
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, item_id INTEGER REFERENCES items (id), at TEXT NOT NULL,
    actor TEXT NOT NULL, action TEXT NOT NULL, from_state TEXT, to_state TEXT, reason TEXT,
    data TEXT NOT NULL DEFAULT '{}');
CREATE INDEX IF NOT EXISTS events_item ON events (item_id);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE INDEX IF NOT EXISTS events_actor_action ON events (actor, action, at);
CREATE TABLE IF NOT EXISTS tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT, login TEXT NOT NULL REFERENCES users (login),
    token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, created_by TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY, login TEXT NOT NULL REFERENCES users (login), created_at TEXT NOT NULL,
    last_seen TEXT NOT NULL, csrf_token TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_login ON sessions (login);
CREATE TABLE IF NOT EXISTS drafts (
    login TEXT NOT NULL REFERENCES users (login), path TEXT NOT NULL, fields TEXT NOT NULL,
    saved_at TEXT NOT NULL, PRIMARY KEY (login, path));
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT, item_id INTEGER NOT NULL REFERENCES items (id), at TEXT NOT NULL,
    author TEXT NOT NULL, rev INTEGER NOT NULL, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS comments_item ON comments (item_id, id);
CREATE TRIGGER IF NOT EXISTS comments_no_update BEFORE UPDATE ON comments
BEGIN SELECT RAISE(ABORT, 'comments are append-only'); END;
CREATE TRIGGER IF NOT EXISTS comments_no_delete BEFORE DELETE ON comments
BEGIN SELECT RAISE(ABORT, 'comments are append-only'); END;
CREATE TABLE IF NOT EXISTS edit_locks (
    item_id INTEGER PRIMARY KEY REFERENCES items (id), login TEXT NOT NULL, taken_at TEXT NOT NULL,
    expires_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS kvkk_findings (
    item_id INTEGER NOT NULL REFERENCES items (id), rev INTEGER NOT NULL, seq INTEGER NOT NULL,
    kind TEXT NOT NULL, masked TEXT NOT NULL, place TEXT NOT NULL, message TEXT NOT NULL,
    PRIMARY KEY (item_id, rev, seq));
CREATE TRIGGER IF NOT EXISTS kvkk_findings_no_update BEFORE UPDATE ON kvkk_findings
BEGIN SELECT RAISE(ABORT, 'findings belong to their revision'); END;
CREATE TRIGGER IF NOT EXISTS kvkk_findings_no_delete BEFORE DELETE ON kvkk_findings
BEGIN SELECT RAISE(ABORT, 'findings belong to their revision'); END;
CREATE TABLE IF NOT EXISTS register (
    seq INTEGER PRIMARY KEY, release TEXT NOT NULL, at TEXT NOT NULL, record TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE);
CREATE INDEX IF NOT EXISTS register_release ON register (release);
CREATE TRIGGER IF NOT EXISTS register_no_update BEFORE UPDATE ON register
BEGIN SELECT RAISE(ABORT, 'the publication register is append-only'); END;
CREATE TRIGGER IF NOT EXISTS register_no_delete BEFORE DELETE ON register
BEGIN SELECT RAISE(ABORT, 'the publication register is append-only'); END;
""" + SEMINAR_SCHEMA

_NUMBER = re.compile(r"^(?P<prefix>.+)-(?P<year>\d{4})-(?P<seq>\d+)$")
_DATETIME_FIELDS = ("publish_at", "expire_at", "created_at", "updated_at", "closed_at")


def format_number(prefix: str, year: int, seq: int) -> str:
    """Registration number as printed on receipts: BİM-2026-000123."""
    return f"{prefix}-{year}-{seq:06d}"


def _to_text(value):
    return value.isoformat() if isinstance(value, (dt.datetime, dt.date)) else value


def _to_dt(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _item(row: sqlite3.Row) -> Item:
    values = {name: row[name] for name in ITEM_FIELDS}
    for name in _DATETIME_FIELDS:
        values[name] = _to_dt(values[name])
    return Item(**values)


def _revision(row: sqlite3.Row) -> Revision:
    return Revision(item_id=row["item_id"], rev=row["rev"], front_matter=json.loads(row["front_matter"]),
                    body=row["body"], source_name=row["source_name"], source_sha256=row["source_sha256"],
                    stored_dir=row["stored_dir"], attachments=json.loads(row["attachments"]),
                    warnings=json.loads(row["warnings"]), author=row["author"],
                    created_at=_to_dt(row["created_at"]))


def _event(row: sqlite3.Row) -> Event:
    return Event(id=row["id"], item_id=row["item_id"], at=_to_dt(row["at"]), actor=row["actor"],
                 action=row["action"], from_state=row["from_state"], to_state=row["to_state"],
                 reason=row["reason"], data=json.loads(row["data"]))


def _user(row: sqlite3.Row) -> User:
    return User(login=row["login"], role=row["role"], unit=row["unit"], department=row["department"],
                password_hash=row["password_hash"], active=bool(row["active"]))


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=_to_text, sort_keys=True)


class _Reader(SeminarReads):
    """Queries shared by the ledger and its transactions."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def item(self, ref: int | str) -> Item:
        """An item by id or registration number (prefix compared loosely: BIM = BİM)."""
        row = None
        if isinstance(ref, int) or str(ref).strip().isdigit():
            row = self.conn.execute("SELECT * FROM items WHERE id = ?", (int(ref),)).fetchone()
        else:
            ref = str(ref).strip()
            row = self.conn.execute("SELECT * FROM items WHERE number = ?", (ref,)).fetchone()
            match = _NUMBER.match(ref)
            if row is None and match:
                row = self.conn.execute("SELECT * FROM items WHERE year = ? AND seq = ?",
                                        (int(match["year"]), int(match["seq"]))).fetchone()
                if row is not None and not _same_prefix(row["number"], match["prefix"]):
                    row = None
        if row is None:
            raise NotFound(f"'{ref}' numaralı kayıt bulunamadı.", f"item '{ref}' not found")
        return _item(row)

    def items(self, state: str | None = None, unit: str | None = None,
              department: str | None = None) -> list[Item]:
        """Items in register order, optionally filtered."""
        where, args = [], []
        for column, value in (("state", state), ("unit", unit), ("department", department)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        sql = "SELECT * FROM items" + (" WHERE " + " AND ".join(where) if where else "")
        return [_item(r) for r in self.conn.execute(sql + " ORDER BY year, seq", args)]

    def find_items(self, *, unit: str | None = None, department: str | None = None, assignee: str | None = None,
                   states: tuple[str, ...] = (), tur: str | None = None, since: dt.date | None = None,
                   until: dt.date | None = None, text: str | None = None, newest_first: bool = False,
                   after: tuple[int, int] | None = None, limit: int = 50) -> list[Item]:
        """One page of items in register order (or newest first) after the (year, seq) key `after`; `text`
        matches the title (Turkish-folded: 'zabita' finds 'ZABITA') or the number. Indexed, so a page costs
        the same at 20,000 items as at 20."""
        where, args = [], []
        for column, value in (("unit", unit), ("department", department), ("assignee", assignee), ("tur", tur)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        if states:
            where.append(f"state IN ({', '.join('?' for _ in states)})")
            args += list(states)
        if since is not None:
            where.append("substr(created_at, 1, 10) >= ?")
            args.append(since.isoformat())
        if until is not None:
            where.append("substr(created_at, 1, 10) <= ?")
            args.append(until.isoformat())
        if text:
            where.append("(instr(tr_fold(title), ?) > 0 OR instr(tr_fold(number), ?) > 0)")
            args += [fold(text), fold(text)]
        if after is not None:
            where.append("(year, seq) < (?, ?)" if newest_first else "(year, seq) > (?, ?)")
            args += list(after)
        order = "DESC" if newest_first else "ASC"
        sql = ("SELECT * FROM items" + (" WHERE " + " AND ".join(where) if where else "")
               + f" ORDER BY year {order}, seq {order} LIMIT ?")
        return [_item(r) for r in self.conn.execute(sql, [*args, int(limit)])]

    def items_public_or_live(self, states: frozenset[str]) -> list[Item]:
        """Items in one of `states` or with a published revision, in register order (what materialise reads)."""
        marks = ", ".join("?" for _ in states)
        rows = self.conn.execute(f"SELECT * FROM items WHERE state IN ({marks}) OR live_rev IS NOT NULL "
                                 "ORDER BY year, seq", sorted(states))
        return [_item(r) for r in rows]

    def revisions_at(self, wanted: list[tuple[int, int]]) -> dict[tuple[int, int], Revision]:
        """The revisions (item id, revision number) named, in a few queries whatever their number."""
        found = {}
        for start in range(0, len(wanted), 400):
            chunk = wanted[start:start + 400]
            values = ", ".join("(?, ?)" for _ in chunk)
            rows = self.conn.execute(f"WITH wanted (item_id, rev) AS (VALUES {values}) SELECT revisions.* FROM "
                                     "revisions JOIN wanted USING (item_id, rev)", [v for pair in chunk for v in pair])
            found.update({(r["item_id"], r["rev"]): _revision(r) for r in rows})
        return found

    def state_events(self, to_states: tuple[str, ...]) -> list[Event]:
        """Every event that led an item into one of `to_states`, in order (approval and publication times)."""
        marks = ", ".join("?" for _ in to_states)
        rows = self.conn.execute(f"SELECT * FROM events WHERE to_state IN ({marks}) AND item_id IS NOT NULL "
                                 "ORDER BY id", list(to_states))
        return [_event(r) for r in rows]

    def revisions(self, item_id: int) -> list[Revision]:
        rows = self.conn.execute("SELECT * FROM revisions WHERE item_id = ? ORDER BY rev", (item_id,))
        return [_revision(r) for r in rows]

    def next_rev(self, item_id: int) -> int:
        """The number of the item's next revision (above every stored one, also one turned down)."""
        return self.conn.execute("SELECT coalesce(max(rev), 0) + 1 FROM revisions WHERE item_id = ?",
                                 (item_id,)).fetchone()[0]

    def revision(self, item_id: int, rev: int) -> Revision | None:
        row = self.conn.execute("SELECT * FROM revisions WHERE item_id = ? AND rev = ?",
                                (item_id, rev)).fetchone()
        return _revision(row) if row else None

    def find_revision_by_sha(self, source_sha256: str, department: str) -> Revision | None:
        """The first revision with these bytes among one department's items (another's are none of its business)."""
        row = self.conn.execute(
            "SELECT revisions.* FROM revisions JOIN items ON items.id = revisions.item_id "
            "WHERE revisions.source_sha256 = ? AND items.department = ? ORDER BY item_id, rev LIMIT 1",
            (source_sha256, department)).fetchone()
        return _revision(row) if row else None

    def events(self, item_id: int | None = None) -> list[Event]:
        """Events in the order they happened; all of them when item_id is None."""
        if item_id is None:
            rows = self.conn.execute("SELECT * FROM events ORDER BY id")
        else:
            rows = self.conn.execute("SELECT * FROM events WHERE item_id = ? ORDER BY id", (item_id,))
        return [_event(r) for r in rows]

    def last_event_ids(self, item_ids: list[int]) -> dict[int, int]:
        """The id of each item's latest event (one indexed query for a whole page); items with none are left out."""
        ids = list(dict.fromkeys(item_ids))
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = self.conn.execute(f"SELECT item_id, max(id) FROM events WHERE item_id IN ({marks}) GROUP BY item_id",
                                 ids)
        return {item_id: last for item_id, last in rows}

    def approvals(self, item_id: int, rev: int) -> list[str]:
        """Logins that approved this revision, in order."""
        rows = self.conn.execute("SELECT login FROM approvals WHERE item_id = ? AND rev = ? ORDER BY at, login",
                                 (item_id, rev))
        return [r["login"] for r in rows]

    def stored_dirs(self) -> set[str]:
        """The registered folder (year/number[.rN]) of every revision."""
        return {row[0] for row in self.conn.execute("SELECT stored_dir FROM revisions WHERE stored_dir != ''")}

    def kvkk_findings(self, item_id: int, rev: int) -> list[Finding]:
        """The personal data the scan found in one revision, masked, in the order found."""
        rows = self.conn.execute("SELECT * FROM kvkk_findings WHERE item_id = ? AND rev = ? ORDER BY seq",
                                 (item_id, rev))
        return [Finding(r["kind"], r["masked"], r["place"], r["message"]) for r in rows]

    def user(self, login: str) -> User:
        row = self.conn.execute("SELECT * FROM users WHERE login = ?", (login,)).fetchone()
        if row is None:
            raise NotFound(f"'{login}' adlı kullanıcı bulunamadı.", f"user '{login}' not found")
        return _user(row)

    def users(self) -> list[User]:
        return [_user(r) for r in self.conn.execute("SELECT * FROM users ORDER BY login")]

    def has_users(self) -> bool:
        return self.conn.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None

    def count_events(self, actor: str, action: str, since: dt.datetime) -> int:
        """How many `action` events `actor` has since the given moment (failed logins for throttling)."""
        return self.conn.execute("SELECT count(*) FROM events WHERE actor = ? AND action = ? AND at > ?",
                                 (actor, action, _to_text(since))).fetchone()[0]

    def token(self, token_hash: str) -> dict | None:
        """The stored personal token with this hash (login, created_at, revoked_at), if any."""
        row = self.conn.execute("SELECT * FROM tokens WHERE token_hash = ?", (token_hash,)).fetchone()
        return dict(row) if row else None

    def session(self, id_hash: str) -> dict | None:
        """The editorial session with this hashed id (login, created_at, last_seen, csrf_token), if any."""
        row = self.conn.execute("SELECT * FROM sessions WHERE id_hash = ?", (id_hash,)).fetchone()
        if row is None:
            return None
        return {**dict(row), "created_at": _to_dt(row["created_at"]), "last_seen": _to_dt(row["last_seen"])}

    def latest_draft(self, login: str) -> dict | None:
        """The form `login` was sending when their session expired most recently (path, fields, saved_at)."""
        row = self.conn.execute("SELECT * FROM drafts WHERE login = ? ORDER BY saved_at DESC LIMIT 1",
                                (login,)).fetchone()
        return _draft(row) if row else None

    def draft(self, login: str, path: str) -> dict | None:
        row = self.conn.execute("SELECT * FROM drafts WHERE login = ? AND path = ?", (login, path)).fetchone()
        return _draft(row) if row else None

    def comments(self, item_id: int) -> list[Comment]:
        """The item's comments, oldest first."""
        rows = self.conn.execute("SELECT * FROM comments WHERE item_id = ? ORDER BY id", (item_id,))
        return [Comment(id=r["id"], item_id=r["item_id"], at=_to_dt(r["at"]), author=r["author"], rev=r["rev"],
                        text=r["text"]) for r in rows]

    def edit_lock(self, item_id: int) -> EditLock | None:
        """The item's edit lock as stored (possibly expired: compare expires_at with now)."""
        row = self.conn.execute("SELECT * FROM edit_locks WHERE item_id = ?", (item_id,)).fetchone()
        return EditLock(row["item_id"], row["login"], _to_dt(row["taken_at"]), _to_dt(row["expires_at"])) if row else None

    def register_rows(self, date_from: dt.date, date_to: dt.date) -> list[Item]:
        """Items registered between the two days (inclusive, local dates), in register order."""
        rows = self.conn.execute(
            "SELECT * FROM items WHERE substr(created_at, 1, 10) BETWEEN ? AND ? ORDER BY year, seq",
            (date_from.isoformat(), date_to.isoformat()))
        return [_item(r) for r in rows]

    def register_records(self, since: int = 0) -> list[dict]:
        """Rows of the publication register after `since` (seq, release, at, record text, hash), in order."""
        rows = self.conn.execute("SELECT * FROM register WHERE seq > ? ORDER BY seq", (since,))
        return [dict(r) for r in rows]

    def register_head(self) -> dict | None:
        """The newest row of the publication register, if any."""
        row = self.conn.execute("SELECT * FROM register ORDER BY seq DESC LIMIT 1").fetchone()
        return dict(row) if row else None

    def dump(self) -> list[tuple]:
        """Every row of every table, for comparing the whole ledger before and after an action."""
        if not isinstance(self.conn, sqlite3.Connection):
            from .db.postgres import dump
            return dump(self.conn)
        tables = [r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return [(t, tuple(tuple(row) for row in self.conn.execute(f"SELECT * FROM {t} ORDER BY rowid")))
                for t in tables]


def _draft(row: sqlite3.Row) -> dict:
    return {"login": row["login"], "path": row["path"], "fields": json.loads(row["fields"]),
            "saved_at": _to_dt(row["saved_at"])}


@contextmanager
def _unique(conn, message_tr: str, message_en: str) -> Iterator[None]:
    """A uniqueness (or other constraint) violation in the block becomes a ConflictError; on PostgreSQL the
    block runs in a savepoint, so the transaction goes on after it as it does on SQLite."""
    guard = conn.savepoint() if hasattr(conn, "savepoint") else nullcontext()
    try:
        with guard:
            yield
    except conn.IntegrityError:
        raise ConflictError(message_tr, message_en) from None


def _same_prefix(number: str, prefix: str) -> bool:
    from .turkish import slugify
    return slugify(number.rsplit("-", 2)[0]) == slugify(prefix)


class Transaction(SeminarWrites, _Reader):
    """Writes, valid only inside `with ledger.transaction() as tx:`."""

    def allocate_number(self, prefix: str, year: int) -> tuple[int, str]:
        """Next number of the year's register; rolled back with the transaction, so never skipped."""
        row = self.conn.execute(
            "INSERT INTO counters (prefix, year, last) VALUES (?, ?, 1) "
            "ON CONFLICT (prefix, year) DO UPDATE SET last = counters.last + 1 RETURNING last",
            (prefix, year)).fetchone()
        seq = row[0]
        return seq, format_number(prefix, year, seq)

    def insert_item(self, item: Item) -> int:
        values = {name: _to_text(getattr(item, name)) for name in ITEM_FIELDS if name != "id"}  # no deep copy
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        with _unique(self.conn, f"{item.number} numarası zaten kullanılmış.", "insert item: duplicate number"):
            cur = self.conn.execute(f"INSERT INTO items ({columns}) VALUES ({marks})", list(values.values()))
        return cur.lastrowid

    def update_item(self, item_id: int, **fields) -> None:
        unknown = set(fields) - set(ITEM_FIELDS) | ({"id"} & set(fields))
        if unknown:
            raise ValueError(f"unknown item fields: {sorted(unknown)}")
        if not fields:
            return
        assignments = ", ".join(f"{name} = ?" for name in fields)
        args = [_to_text(v) for v in fields.values()] + [item_id]
        cur = self.conn.execute(f"UPDATE items SET {assignments} WHERE id = ?", args)
        if cur.rowcount != 1:
            raise NotFound(f"{item_id} numaralı kayıt bulunamadı.", f"item id {item_id} not found")

    def insert_revision(self, rev: Revision) -> None:
        self.conn.execute(
            "INSERT INTO revisions (item_id, rev, front_matter, body, source_name, source_sha256, stored_dir, "
            "attachments, warnings, author, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rev.item_id, rev.rev, _json(rev.front_matter), rev.body, rev.source_name, rev.source_sha256,
             rev.stored_dir, _json(list(rev.attachments)), _json(list(rev.warnings)), rev.author,
             _to_text(rev.created_at)))

    def insert_kvkk_findings(self, item_id: int, rev: int, findings: list[Finding]) -> None:
        self.conn.executemany(
            "INSERT INTO kvkk_findings (item_id, rev, seq, kind, masked, place, message) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(item_id, rev, seq, f.kind, f.masked, f.place, f.message_tr) for seq, f in enumerate(findings, 1)])

    def append_event(self, event: Event) -> int:
        cur = self.conn.execute(
            "INSERT INTO events (item_id, at, actor, action, from_state, to_state, reason, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (event.item_id, _to_text(event.at), event.actor, event.action, event.from_state, event.to_state,
             event.reason, _json(event.data)))
        return cur.lastrowid

    def add_approval(self, item_id: int, rev: int, login: str, at: dt.datetime) -> None:
        with _unique(self.conn, f"{login} bu sürümü zaten onayladı.", "duplicate approval"):
            self.conn.execute("INSERT INTO approvals (item_id, rev, login, at) VALUES (?, ?, ?, ?)",
                              (item_id, rev, login, _to_text(at)))

    def insert_comment(self, comment: Comment) -> int:
        return self.conn.execute("INSERT INTO comments (item_id, at, author, rev, text) VALUES (?, ?, ?, ?, ?)",
                                 (comment.item_id, _to_text(comment.at), comment.author, comment.rev,
                                  comment.text)).lastrowid

    def put_edit_lock(self, lock: EditLock) -> None:
        self.conn.execute("INSERT INTO edit_locks (item_id, login, taken_at, expires_at) VALUES (?, ?, ?, ?) "
                          "ON CONFLICT (item_id) DO UPDATE SET login = excluded.login, taken_at = excluded.taken_at, "
                          "expires_at = excluded.expires_at",
                          (lock.item_id, lock.login, _to_text(lock.taken_at), _to_text(lock.expires_at)))

    def delete_edit_lock(self, item_id: int) -> int:
        return self.conn.execute("DELETE FROM edit_locks WHERE item_id = ?", (item_id,)).rowcount

    def insert_token(self, login: str, token_hash: str, at: dt.datetime, created_by: str) -> int:
        cur = self.conn.execute("INSERT INTO tokens (login, token_hash, created_at, created_by) VALUES (?, ?, ?, ?)",
                                (login, token_hash, _to_text(at), created_by))
        return cur.lastrowid

    def revoke_tokens(self, login: str, at: dt.datetime) -> int:
        cur = self.conn.execute("UPDATE tokens SET revoked_at = ? WHERE login = ? AND revoked_at IS NULL",
                                (_to_text(at), login))
        return cur.rowcount

    def update_user(self, login: str, **fields) -> None:
        unknown = set(fields) - {"password_hash", "active", "role", "unit", "department"}
        if unknown:
            raise ValueError(f"unknown user fields: {sorted(unknown)}")
        assignments = ", ".join(f"{name} = ?" for name in fields)
        args = [int(v) if isinstance(v, bool) else v for v in fields.values()] + [login]
        if self.conn.execute(f"UPDATE users SET {assignments} WHERE login = ?", args).rowcount != 1:
            raise NotFound(f"'{login}' adlı kullanıcı bulunamadı.", f"user '{login}' not found")

    def insert_session(self, id_hash: str, login: str, csrf_token: str, at: dt.datetime) -> None:
        self.conn.execute("INSERT INTO sessions (id_hash, login, created_at, last_seen, csrf_token) "
                          "VALUES (?, ?, ?, ?, ?)", (id_hash, login, _to_text(at), _to_text(at), csrf_token))

    def touch_session(self, id_hash: str, at: dt.datetime) -> None:
        self.conn.execute("UPDATE sessions SET last_seen = ? WHERE id_hash = ?", (_to_text(at), id_hash))

    def delete_session(self, id_hash: str) -> int:
        return self.conn.execute("DELETE FROM sessions WHERE id_hash = ?", (id_hash,)).rowcount

    def delete_sessions(self, login: str | None = None, idle_before: dt.datetime | None = None) -> int:
        """End every session of `login`, or every session last seen before `idle_before`."""
        if login is not None:
            return self.conn.execute("DELETE FROM sessions WHERE login = ?", (login,)).rowcount
        return self.conn.execute("DELETE FROM sessions WHERE last_seen < ?", (_to_text(idle_before),)).rowcount

    def save_draft(self, login: str, path: str, fields: dict, at: dt.datetime) -> None:
        self.conn.execute("INSERT INTO drafts (login, path, fields, saved_at) VALUES (?, ?, ?, ?) "
                          "ON CONFLICT (login, path) DO UPDATE SET fields = excluded.fields, "
                          "saved_at = excluded.saved_at", (login, path, _json(fields), _to_text(at)))

    def delete_draft(self, login: str, path: str) -> int:
        return self.conn.execute("DELETE FROM drafts WHERE login = ? AND path = ?", (login, path)).rowcount

    def append_register_record(self, seq: int, release: str, at: str, record: str, record_hash: str) -> None:
        """Append one record to the publication register (its seq follows the newest, checked by the caller)."""
        with _unique(self.conn, "Yayın kaydına aynı sırada iki kayıt yazılamaz.", f"register seq {seq} taken"):
            self.conn.execute("INSERT INTO register (seq, release, at, record, hash) VALUES (?, ?, ?, ?, ?)",
                              (seq, release, at, record, record_hash))

    def insert_user(self, user: User) -> None:
        with _unique(self.conn, f"'{user.login}' adlı kullanıcı zaten var.", "duplicate user"):
            self.conn.execute(
                "INSERT INTO users (login, role, unit, department, password_hash, active) VALUES (?, ?, ?, ?, ?, ?)",
                (user.login, user.role, user.unit, user.department, user.password_hash, int(user.active)))


class Ledger(SeminarLedger):
    """One SQLite file; one connection per thread."""

    def __init__(self, path: Path, busy_timeout: float = 30.0):
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._local = threading.local()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None,
                                   check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.create_function("tr_fold", 1, lambda text: fold(text or ""), deterministic=True)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            # FULL: a commit is on disk before intake removes the inbox file, so even a power cut loses nothing
            conn.execute("PRAGMA synchronous = FULL")
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK if the block raises."""
        conn = self._conn()
        if conn.in_transaction:
            raise RuntimeError("nested ledger transaction")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:  # still locked after busy_timeout
            raise ConflictError("Kayıt veritabanı şu anda meşgul; birkaç saniye sonra yeniden deneyin.",
                                f"cannot begin write transaction: {exc}") from None
        try:
            yield Transaction(conn)
            conn.execute("COMMIT")
        except BaseException:
            # SQLite may already have rolled back by itself (SQLITE_FULL, I/O errors): only roll back what is open,
            # so that the first error, not "no transaction is active", reaches the user
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @contextmanager
    def _read(self) -> Iterator[_Reader]:
        """One read transaction (one snapshot), or this thread's open write transaction when inside one."""
        conn = self._conn()
        if conn.in_transaction:  # called from inside a write transaction of this thread
            yield _Reader(conn)
            return
        self._begin_read(conn)
        try:
            yield _Reader(conn)
        finally:
            self._end_read(conn)

    def _begin_read(self, conn) -> None:
        conn.execute("BEGIN")

    def _end_read(self, conn) -> None:
        conn.execute("COMMIT")

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # Reads, each in its own read transaction (or inside this thread's open write transaction).
    def item(self, ref: int | str) -> Item:
        with self._read() as r:
            return r.item(ref)

    def items(self, state: str | None = None, unit: str | None = None,
              department: str | None = None) -> list[Item]:
        with self._read() as r:
            return r.items(state, unit, department)

    def find_items(self, **filters) -> list[Item]:
        with self._read() as r:
            return r.find_items(**filters)

    def items_public_or_live(self, states: frozenset[str]) -> list[Item]:
        with self._read() as r:
            return r.items_public_or_live(states)

    def revisions_at(self, wanted: list[tuple[int, int]]) -> dict[tuple[int, int], Revision]:
        with self._read() as r:
            return r.revisions_at(wanted)

    def state_events(self, to_states: tuple[str, ...]) -> list[Event]:
        with self._read() as r:
            return r.state_events(to_states)

    def revisions(self, item_id: int) -> list[Revision]:
        with self._read() as r:
            return r.revisions(item_id)

    def revision(self, item_id: int, rev: int) -> Revision | None:
        with self._read() as r:
            return r.revision(item_id, rev)

    def find_revision_by_sha(self, source_sha256: str, department: str) -> Revision | None:
        with self._read() as r:
            return r.find_revision_by_sha(source_sha256, department)

    def events(self, item_id: int | None = None) -> list[Event]:
        with self._read() as r:
            return r.events(item_id)

    def last_event_ids(self, item_ids: list[int]) -> dict[int, int]:
        with self._read() as r:
            return r.last_event_ids(item_ids)

    def approvals(self, item_id: int, rev: int) -> list[str]:
        with self._read() as r:
            return r.approvals(item_id, rev)

    def stored_dirs(self) -> set[str]:
        with self._read() as r:
            return r.stored_dirs()

    def kvkk_findings(self, item_id: int, rev: int) -> list[Finding]:
        with self._read() as r:
            return r.kvkk_findings(item_id, rev)

    def user(self, login: str) -> User:
        with self._read() as r:
            return r.user(login)

    def users(self) -> list[User]:
        with self._read() as r:
            return r.users()

    def has_users(self) -> bool:
        with self._read() as r:
            return r.has_users()

    def token(self, token_hash: str) -> dict | None:
        with self._read() as r:
            return r.token(token_hash)

    def count_events(self, actor: str, action: str, since: dt.datetime) -> int:
        with self._read() as r:
            return r.count_events(actor, action, since)

    def session(self, id_hash: str) -> dict | None:
        with self._read() as r:
            return r.session(id_hash)

    def latest_draft(self, login: str) -> dict | None:
        with self._read() as r:
            return r.latest_draft(login)

    def draft(self, login: str, path: str) -> dict | None:
        with self._read() as r:
            return r.draft(login, path)

    def comments(self, item_id: int) -> list[Comment]:
        with self._read() as r:
            return r.comments(item_id)

    def edit_lock(self, item_id: int) -> EditLock | None:
        with self._read() as r:
            return r.edit_lock(item_id)

    def register_rows(self, date_from: dt.date, date_to: dt.date) -> list[Item]:
        with self._read() as r:
            return r.register_rows(date_from, date_to)

    def register_records(self, since: int = 0) -> list[dict]:
        with self._read() as r:
            return r.register_records(since)

    def register_head(self) -> dict | None:
        with self._read() as r:
            return r.register_head()

    def dump(self) -> list[tuple]:
        with self._read() as r:
            return r.dump()


class PgLedger(Ledger):
    """The ledger in a PostgreSQL database (municms.db.postgres): the same SQL, the same isolation; one
    connection per thread. `path` is the database URL (open_ledger(ledger.path) opens it again)."""

    def __init__(self, url: str, busy_timeout: float = 30.0):
        from .db.postgres import ThreadConnections

        self.path = url
        self.busy_timeout = busy_timeout
        self._connections = ThreadConnections(url, busy_timeout)

    def _conn(self):
        return self._connections.get()

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """BEGIN, the writers' advisory lock … COMMIT, or ROLLBACK if the block raises."""
        conn = self._conn()
        if conn.in_transaction:
            raise RuntimeError("nested ledger transaction")
        conn.begin_write()
        try:
            yield Transaction(conn)
            conn.commit()
        except BaseException:
            if not conn.raw.closed and conn.in_transaction:
                conn.rollback()
            raise

    def _begin_read(self, conn) -> None:
        conn.begin_read()  # REPEATABLE READ READ ONLY: one snapshot, as a SQLite read transaction

    def _end_read(self, conn) -> None:
        if not conn.raw.closed:  # the server dropped the connection: let the read's own error through
            conn.commit()

    def close(self) -> None:
        self._connections.close()


def _opening_record(report) -> Event | None:
    """A SQLite ledger is upgraded by whichever command opens it, before anyone has logged in: the upgrade is
    recorded as the system's, in its own transaction. A new file (nothing in it yet) records nothing here; `migrate`
    records its creation (municms.actions.database)."""
    if report.before == 0:
        return None
    return Event(item_id=None, at=dt.datetime.now(dt.timezone.utc), actor=SYSTEM, action=MIGRATE,
                 data={**report.as_dict(), "via": OPENED})


def open_ledger(path: str | Path, busy_timeout: float = 30.0) -> Ledger:
    """Open the ledger: a SQLite file (created or upgraded here), or a PostgreSQL database given by its URL
    (postgresql://…), whose schema `publish.py migrate` creates and upgrades; writers wait busy_timeout seconds."""
    from .db import is_url

    if is_url(path):
        return _open_postgres(str(path), busy_timeout)
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Password hashes and confidential correspondence: owner-only before SQLite writes a byte. SQLite gives
        # its -wal and -shm files the database's mode; ones left wider by earlier versions are tightened here.
        create_private_file(path)
        for suffix in ("-wal", "-shm", "-journal"):
            tighten(path.with_name(path.name + suffix))
        ledger = Ledger(path, busy_timeout)
        ledger.last_migration = migrate_sqlite(ledger._conn(), SCHEMA, _opening_record)
    except (OSError, sqlite3.Error) as exc:
        from .health.diskfull import disk_full, is_disk_full
        if is_disk_full(exc):
            raise disk_full(exc, "kayıt veritabanını açma") from None
        raise MunicmsError(f"Kayıt veritabanı açılamadı: {path}. Dosyanın ve klasörün izinlerini denetleyin.",
                           f"cannot open ledger {path}: {exc}") from None
    return ledger


def _open_postgres(url: str, busy_timeout: float) -> PgLedger:
    """A PostgreSQL ledger whose schema is exactly this version's: an older one waits for `publish.py migrate`
    (several hosts share it: one host's upgrade must not change the schema under the others unasked)."""
    import psycopg

    from .db import redact
    from .db.migrations import postgres_version

    ledger = PgLedger(url, busy_timeout)
    try:
        version = postgres_version(ledger._conn())
    except psycopg.Error as exc:
        raise MunicmsError(f"PostgreSQL kayıt veritabanına bağlanılamadı: {redact(url)}. Adresi, sunucuyu ve "
                           "yetkileri denetleyin.", f"cannot open ledger {redact(url)}: {exc}") from None
    if version != SCHEMA_VERSION:
        ledger.close()
        if version > SCHEMA_VERSION:
            raise MunicmsError(f"PostgreSQL kayıt veritabanının şeması (sürüm {version}) bu municms sürümünden "
                               f"yeni (sürüm {SCHEMA_VERSION}); municms'i güncelleyin.",
                               f"ledger schema {version} is newer than {SCHEMA_VERSION}")
        state = "yok" if version == 0 else f"eski (sürüm {version})"
        raise MunicmsError(f"PostgreSQL kayıt veritabanının şeması {state}: önce 'python publish.py migrate' "
                           "çalıştırın.",
                           f"ledger schema {version}, expected {SCHEMA_VERSION}: run migrate")
    return ledger


def open_for_migration(target: str | Path) -> Ledger | None:
    """The ledger at target as it is, to prove who migrates it: a SQLite file opened (and so brought up to date)
    as always, a PostgreSQL database with whatever schema version it has; None when PostgreSQL has no schema."""
    from .db import is_url

    if not is_url(target):
        return open_ledger(target)
    import psycopg

    from .db import redact
    from .db.migrations import postgres_version

    ledger = PgLedger(str(target))
    try:
        version = postgres_version(ledger._conn())
    except psycopg.Error as exc:
        ledger.close()
        raise MunicmsError(f"PostgreSQL kayıt veritabanına bağlanılamadı: {redact(str(target))}. Adresi, sunucuyu "
                           "ve yetkileri denetleyin.", f"cannot open ledger {redact(str(target))}: {exc}") from None
    if version == 0:
        ledger.close()
        return None
    return ledger


def migrate(target: str | Path, record: Record | None = None):
    """Create or upgrade the schema at target (SQLite file or PostgreSQL URL): a municms.db.migrations.Report.
    A change appends record(report) to PostgreSQL in the migration's transaction; a SQLite file records its own
    change when it is opened (`_opening_record`)."""
    from .db import is_url

    if not is_url(target):
        ledger = open_ledger(target)  # open_ledger migrates a SQLite file itself
        try:
            return ledger.last_migration
        finally:
            ledger.close()
    import psycopg

    from .db import redact
    from .db.migrations import migrate_postgres

    try:
        ledger = PgLedger(str(target))
        return migrate_postgres(ledger._conn(), SCHEMA, record)
    except psycopg.Error as exc:
        raise MunicmsError(f"PostgreSQL kayıt veritabanının şeması kurulamadı: {redact(str(target))} ({exc}).",
                           f"migrate {redact(str(target))}: {exc}") from None
    finally:
        ledger.close()
