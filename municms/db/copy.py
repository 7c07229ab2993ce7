"""`publish.py db copy --to URL`: an existing SQLite ledger into an empty PostgreSQL database, verified.

One read snapshot of the SQLite file; one transaction on PostgreSQL (under the writers' advisory lock): every
table in id order, the identity sequences set past the highest id, then the copy is checked before COMMIT: row
count and a digest of every table's rows equal the source's, and the publication register's hash chain
(municms.register.chain.check_chain) holds on the copy. Any difference rolls everything back.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import ConflictError, MunicmsError
from . import redact

# Parents first (foreign keys are checked at once); the rest in name order.
FIRST = ("counters", "users", "items")


@dataclass
class CopyReport:
    target: str
    counts: dict[str, int] = field(default_factory=dict)
    chain_records: int | None = None   # None: no publication register in the source

    def text(self) -> str:
        lines = [f"Kayıt veritabanı PostgreSQL'e kopyalandı ve doğrulandı: {self.target}"]
        lines += [f"  {table}: {count} satır (kaynakla aynı)" for table, count in self.counts.items()]
        if self.chain_records is not None:
            lines.append(f"  Yayın kaydının zinciri kopyada sağlam ({self.chain_records} kayıt).")
        lines.append("Kullanmak için instance.yaml'a database_url yazın ya da MUNICMS_DATABASE_URL verin.")
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {"target": self.target, "counts": self.counts, "chain_records": self.chain_records}


def _tables(source: sqlite3.Connection) -> list[str]:
    names = [r[0] for r in source.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return [t for t in FIRST if t in names] + [t for t in names if t not in FIRST]


def _columns(source: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in source.execute(f"PRAGMA table_info({table})")]


def _digest(rows) -> str:
    h = hashlib.sha256()
    for row in rows:
        h.update(repr(tuple(row)).encode("utf-8"))
    return h.hexdigest()


def copy_to_postgres(database: Path, url: str, record: Callable[[CopyReport], object] | None = None) -> CopyReport:
    """Copy the SQLite ledger `database` into the empty PostgreSQL database `url` (schema created if missing);
    `record(report)` gives the event (municms.model.Event) that the copy's transaction appends after the check."""
    from ..ledger import PgLedger, Transaction, migrate, open_ledger
    from ..register.chain import check_chain
    from .postgres import IDENTITY_TABLES

    if not Path(database).is_file():
        raise MunicmsError(f"Kopyalanacak SQLite kayıt veritabanı yok: {database}",
                           f"no SQLite ledger at {database}")
    open_ledger(database).close()  # brings an older SQLite ledger up to this version first
    migrate(url)
    source = sqlite3.connect(f"{Path(database).resolve().as_uri()}?mode=ro", uri=True, timeout=60)
    target = PgLedger(url)
    conn = target._conn()
    report = CopyReport(redact(url))
    try:
        source.execute("BEGIN")  # one snapshot of the whole file
        tables = _tables(source)
        columns_of = {table: _columns(source, table) for table in tables}
        conn.begin_write()
        try:
            filled = [t for t in tables if conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() is not None]
            if filled:
                raise ConflictError(f"Hedef PostgreSQL veritabanı boş değil ({', '.join(filled)} tablosunda satır "
                                    "var); kopya yalnız boş bir veritabanına yapılır.",
                                    f"target not empty: {filled}")
            for table in tables:
                names = ", ".join(columns_of[table])
                with conn.raw.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in source.execute(f"SELECT {names} FROM {table} ORDER BY rowid"):
                        copy.write_row(row)
                if table in IDENTITY_TABLES:
                    conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"coalesce(max(id), 0) + 1, false) FROM {table}")
            for table in tables:
                columns = ", ".join(columns_of[table])
                order = ", ".join(str(i) for i in range(1, len(columns_of[table]) + 1))
                want = list(source.execute(f"SELECT {columns} FROM {table} ORDER BY {order}"))
                have = list(conn.execute(f"SELECT {columns} FROM {table} ORDER BY {order}"))
                if len(want) != len(have) or _digest(want) != _digest(have):
                    raise MunicmsError(f"Kopya doğrulanamadı: {table} tablosunda kaynakta {len(want)}, kopyada "
                                       f"{len(have)} satır ya da farklı içerik. Hiçbir şey yazılmadı.",
                                       f"copy check failed on {table}: {len(want)} vs {len(have)} rows")
                report.counts[table] = len(have)
            if "register" in tables:
                rows = [dict(r) for r in conn.execute("SELECT * FROM register ORDER BY seq")]
                problems = check_chain(rows)
                if problems:
                    raise MunicmsError("Kopyada yayın kaydının zinciri tutmuyor: "
                                       + " ".join(p.message_tr for p in problems[:3]) + " Hiçbir şey yazılmadı.",
                                       f"register chain broken on the copy: {len(problems)} problems")
                report.chain_records = len(rows)
            if record is not None:
                Transaction(conn).append_event(record(report))
            conn.commit()
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise
    finally:
        source.close()
        target.close()
    return report

