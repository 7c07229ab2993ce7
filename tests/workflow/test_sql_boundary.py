"""Only ledger.py (with its seminar part, seminar_store.py, and ledger_file.py: the ledger as a file, for backups
and start-up checks) speaks SQL to the register, and nothing in it updates or deletes events. The one other
SQLite file is the publisher's cache of parsed content (var/work/content.sqlite), whose module names only its
own tables."""

from __future__ import annotations

import re
from pathlib import Path

import municms

PACKAGE = Path(municms.__file__).parent
SQL = re.compile(r"\b(SELECT\s+\S+.*\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|TRIGGER)"
                 r"|BEGIN\s+IMMEDIATE|PRAGMA\s+\w+)\b")


LEDGER_MODULES = ("ledger.py", "seminar_store.py", "ledger_file.py")
# The ledger on PostgreSQL: the dialect (translation, schema, advisory locks), the versioned schema of both
# backends, and the copy from SQLite; they speak only to the ledger's own tables.
DIALECT_MODULES = ("db/postgres.py", "db/migrations.py", "db/copy.py", "db/dump.py")
# module → the tables of its own database file (not the register's)
OWN_DATABASE = {"incremental/store.py": {"meta", "content"}}


def test_no_module_other_than_ledger_contains_sql():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if (path.name in LEDGER_MODULES and path.parent == PACKAGE or relative in OWN_DATABASE
                or relative in DIALECT_MODULES):
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.relative_to(PACKAGE)}: {m.group(0)}" for m in SQL.finditer(text)]
    assert offenders == []


def test_the_content_cache_speaks_only_of_its_own_tables():
    for module, tables in OWN_DATABASE.items():
        text = (PACKAGE / module).read_text(encoding="utf-8")
        named = set(re.findall(r"(?:FROM|INTO|TABLE(?: IF NOT EXISTS)?|UPDATE)\s+(\w+)", text))
        assert named == tables, module


def test_ledger_has_sql_but_never_updates_or_deletes_events():
    text = "".join((PACKAGE / name).read_text(encoding="utf-8") for name in LEDGER_MODULES + DIALECT_MODULES)
    assert SQL.search(text)  # the pattern does find SQL where there is some
    assert re.findall(r"UPDATE\s+events\b|DELETE\s+FROM\s+events\b|REPLACE\s+INTO\s+events\b", text, re.I) == []
    assert "BEFORE UPDATE ON events" in text and "BEFORE DELETE ON events" in text


def test_a_whole_review_cycle_only_ever_inserts_events(municipality):
    from municms.model import APPROVED

    m = municipality()
    made = m.submit("duyuru", "Işıklı Çarşı İhalesi")
    for login in ("mudur1", "web1", "web2"):
        m.actor(login)  # logged in before the trace starts
    statements: list[str] = []
    m.ledger._conn().set_trace_callback(statements.append)
    m.assign(made.number, to="web1", by="mudur1")
    m.review(made.number, by="web1")
    assert m.approve(made.number, by="web2").state == APPROVED
    m.ledger._conn().set_trace_callback(None)
    touching = [s.split()[0].upper() for s in statements if re.search(r"\bevents\b", s)]
    assert touching.count("INSERT") == 3 and set(touching) <= {"INSERT", "SELECT"}
