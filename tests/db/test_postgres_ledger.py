"""The ledger on a real PostgreSQL server: `publish.py migrate`, append-only events enforced by the database, and
gapless registration numbers from four intake processes on four "hosts" (instance folders) sharing it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import psycopg
import pytest

from municms.ledger import open_ledger
from tests.municipality import REPO, submission_text


@pytest.fixture
def ledger_backend() -> str:
    return "postgresql"


def _cli(root, *args, env=None, stdin="", timeout=180):
    return subprocess.run([sys.executable, str(REPO / "publish.py"), "--instance", str(root), *args],
                          input=stdin, capture_output=True, text=True, timeout=timeout, cwd=str(root),
                          env={**(env or {}), "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def test_migrate_creates_then_finds_nothing_to_do_and_a_ledger_waits_for_it(tmp_path, pg_server):
    from tests.municipality import bare_instance

    url = pg_server.create_database()
    root = bare_instance(tmp_path / "kurulum")
    env = {"MUNICMS_DATABASE_URL": url}
    refused = _cli(root, "list", env=env)
    assert refused.returncode != 0
    assert "önce 'python publish.py migrate' çalıştırın" in refused.stderr
    first = _cli(root, "migrate", "--system", env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[0] == "PostgreSQL kayıt veritabanının şeması oluşturuldu (sürüm 7)."
    again = _cli(root, "migrate", "--system", env=env)
    assert again.stdout.strip() == "PostgreSQL kayıt veritabanı güncel (şema sürümü 7); yapılacak bir şey yok."
    made = _cli(root, "users", "init", "yonetici1", "--password-stdin", env=env, stdin="dogru-parola-2026\n")
    assert made.returncode == 0, made.stderr
    assert open_ledger(url).user("yonetici1").role == "yonetici"
    assert not (root / "var" / "municms.sqlite3").exists()  # nothing went to a SQLite file


def test_concurrent_migrations_queue_and_apply_once(pg_server):
    url = pg_server.create_database()
    code = "import sys; from municms.ledger import migrate; print(migrate(sys.argv[1]).before)"
    runs = [subprocess.Popen([sys.executable, "-c", code, url], cwd=REPO, stdout=subprocess.PIPE, text=True)
            for _ in range(3)]
    befores = sorted(int(run.communicate(timeout=120)[0]) for run in runs)
    assert befores == [0, 7, 7]
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT version FROM schema_migrations").fetchall() == [(7,)]


def test_events_are_append_only_in_the_database_itself(municipality):
    m = municipality()
    m.submit("duyuru", "Su Kesintisi")
    with psycopg.connect(m.ledger.path, autocommit=True) as conn:
        for statement in ("UPDATE events SET actor = 'biri'", "DELETE FROM events", "TRUNCATE events CASCADE",
                          "TRUNCATE register", "TRUNCATE kvkk_findings"):
            with pytest.raises(psycopg.errors.RestrictViolation, match="append-only|belong to their revision"):
                conn.execute(statement)
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == len(m.ledger.events())


def test_turkish_folded_search_matches_sqlite(municipality):
    m = municipality()
    made = m.submit("duyuru", "IŞIKLI Çarşı İhalesi")
    for text in ("isikli", "ÇARŞI", "ihalesi", "Işıklı  çarşı"):
        assert [i.number for i in m.ledger.find_items(text=text)] == [made.number], text
    assert m.ledger.find_items(text="zabita") == []


def test_registration_from_four_hosts_at_once_is_gapless_and_unique(municipality, tmp_path):
    """Four instance folders (four hosts) share one PostgreSQL ledger; each runs the real `publish.py intake` on
    its own inbox of 12 submissions, all four at the same time."""
    m = municipality()
    m.person("fen1")  # the department's user exists (intake names the author)
    hosts = []
    for n in range(4):
        root = tmp_path / f"sunucu-{n}"
        root.mkdir()
        shutil.copy2(m.root / "instance.yaml", root / "instance.yaml")
        inbox = root / "submissions" / "inbox" / "fen-isleri"
        inbox.mkdir(parents=True)
        for k in range(12):
            (inbox / f"gonderi-{n}-{k}.md").write_text(submission_text("duyuru", f"Duyuru {n}-{k}"), encoding="utf-8")
        hosts.append(root)
    env = {"HOME": str(tmp_path)}
    runs = [subprocess.Popen([sys.executable, str(REPO / "publish.py"), "--instance", str(root), "intake",
                              "--quiet", "0", "--json"], cwd=str(root), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env={**env, "PYTHONPATH": str(REPO)})
            for root in hosts]
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    items = open_ledger(m.ledger.path).items()
    assert len(items) == 48
    numbers = sorted(int(re.fullmatch(r".+-\d{4}-(\d{6})", i.number)[1]) for i in items)
    assert numbers == list(range(1, 49))
    assert sorted(i.title for i in items) == sorted(f"Duyuru {n}-{k}" for n in range(4) for k in range(12))
