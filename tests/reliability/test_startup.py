"""Start-up checks (`publish.py doctor`, all of them before serve, the ledger's before every other command): a
broken ledger stops with the newest backup named and nothing changed, a ledger being written is never called
broken; a missing or half-written release, leftover locks and claims are reported with what to do. Everything
through real subprocesses on real instances."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.servers import free_port
from tests.tinysite import REPO

def used_ledger(municipality, count: int = 12):
    """A bare instance with `count` registered submissions and its ledger closed (WAL checkpointed into the file)."""
    m = municipality("bare")
    numbers = [m.submit("duyuru", f"Su Kesintisi {i}", "Mahallede su kesintisi olacaktır.\n" * 20).number
               for i in range(count)]
    m.close()
    assert not m.paths.database.with_name("municms.sqlite3-wal").exists()
    return m, numbers


def place_backups(m) -> str:
    """A real archive taken by `publish.py backup`, and after it a file of the same naming whose name says it is
    older: the message must name the newest backup by the time in its name, not by when the file was written."""
    code, out, err = m.run("backup", "--system")
    assert code == 0, (out, err)
    (newest,) = (m.paths.var / "backups").glob("municms-yedek-*.tar.gz")
    (newest.parent / "municms-yedek-corum-20200101-030000.tar.gz").write_bytes(newest.read_bytes())
    return str(newest)


def corrupt_middle(path) -> None:
    """Overwrite 4 KiB in the middle of the real ledger file with garbage."""
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(size // 2 - 2048)
        handle.write(bytes(range(256)) * 16)


@pytest.mark.parametrize("damage", ["middle", "truncated", "not-sqlite", "empty", "missing"])
def test_a_broken_ledger_stops_every_command_and_names_the_newest_backup(municipality, damage):
    m, _ = used_ledger(municipality)
    db = m.paths.database
    newest = place_backups(m)
    if damage == "middle":
        corrupt_middle(db)
    elif damage == "truncated":
        os.truncate(db, db.stat().st_size // 2)
    elif damage == "not-sqlite":
        db.write_text("Bu bir veritabanı değil.\n" * 400, encoding="utf-8")
    elif damage == "empty":
        os.truncate(db, 0)
    else:
        db.unlink()
    before = db.read_bytes() if db.exists() else None
    (m.paths.inbox / "fen-isleri").mkdir(parents=True, exist_ok=True)
    (m.paths.inbox / "fen-isleri" / "yeni.md").write_text("---\ntur: duyuru\nbaslik: Yeni\n---\nMetin.\n",
                                                         encoding="utf-8")

    code, out, err = m.run("doctor")
    assert code == 1, (out, err)
    expected = "Kayıt veritabanı bozuk" if damage in ("middle", "truncated", "not-sqlite") else "Kayıt veritabanı "
    assert out.startswith(f"HATA: {expected}"), out
    assert f"publish.py restore {newest} --into YENİ_KLASÖR" in out
    if damage in ("empty", "missing"):
        assert "kayıt numaraları baştan başlar" in out

    for args in (("intake",), ("publish", "--system"), ("list",), ("users", "list"), ("backup", "--system")):
        # the CLI's own boundary, in this process; `list` and `users` would otherwise have made a fresh ledger
        code, _, err = m.run(*args)
        assert code == 1, (args, err)
        assert err.startswith("HATA: Kayıt veritabanı "), (args, err)
        assert newest in err
    if damage == "middle":  # serve, as a real process: exit code 1, the message, no traceback
        run = m.cli("serve", "--port", str(free_port()), "--no-scheduler", timeout=60)
        assert run.returncode == 1, run
        assert run.stderr.startswith("HATA: Kayıt veritabanı bozuk: "), run.stderr
        assert newest in run.stderr and "Traceback" not in run.stderr
    # nothing was overwritten, created or registered: the file is as damaged as it was, the submission waits
    assert (db.read_bytes() if db.exists() else None) == before
    assert (m.paths.inbox / "fen-isleri" / "yeni.md").exists()


def test_without_a_backup_the_message_says_to_keep_the_file_and_how_to_recover(municipality):
    m, _ = used_ledger(municipality)
    corrupt_middle(m.paths.database)
    code, out, _ = m.run("doctor", "--json")
    assert code == 1
    finding = json.loads(out)["findings"][0]
    assert finding["code"] == "db-corrupt" and finding["level"] == "hata"
    assert "Yedek bulunamadı" in finding["message_tr"] and ".recover" in finding["message_tr"]
    assert "Bozuk dosyayı silmeyin" in finding["message_tr"]


def test_a_fresh_instance_is_a_note_not_an_error(municipality):
    m = municipality("tiny")
    m.close()
    doctor = m.cli("doctor")  # a real process: exit code 0 on a fresh instance
    assert doctor.returncode == 0, doctor
    assert "NOT: Henüz yayın yapılmamış (yeni kurulum)" in doctor.stdout
    assert "HATA" not in doctor.stdout and "UYARI" not in doctor.stdout


@pytest.fixture(scope="module")
def published_template(tmp_path_factory):
    """A tiny instance published twice (real intake, approval, pipeline), made once for this module."""
    from tests.conftest import FIXED_NOW
    from tests.municipality import Municipality
    from tests.tinysite import copy_tiny

    m = Municipality(copy_tiny(tmp_path_factory.mktemp("yayin") / "tiny"), FIXED_NOW)
    first = m.publish().release_id
    m.approve(m.submit("haber", "Park Açıldı", "Yeni park açıldı.\n").number)
    second = m.publish().release_id
    m.close()
    return m.root, first, second


@pytest.fixture
def published_twice(published_template, tmp_path):
    from tests.conftest import FIXED_NOW
    from tests.municipality import Municipality

    root, first, second = published_template
    m = Municipality(Path(shutil.copytree(root, tmp_path / "tiny", symlinks=True)), FIXED_NOW)
    assert os.path.basename(os.readlink(m.paths.current)) == second
    yield m, first, second
    m.close()


def test_missing_current_names_the_newest_complete_release_and_its_command_works(published_twice):
    m, first, second = published_twice
    m.paths.current.unlink()
    code, out, _ = m.run("doctor")
    assert code == 0, out
    command = f"publish.py rollback --to {second} --system"
    assert f"UYARI: Yayındaki sürüm bağlantısı yok ({m.paths.current}), ama tamamlanmış yayınlar var; en yenisi " \
           f"{second}. Yapılacak: {command}" in out
    run = m.cli(*command.split()[1:])  # the command exactly as the message gives it
    assert run.returncode == 0, run
    assert os.path.basename(os.readlink(m.paths.current)) == second
    assert m.run("doctor")[1] == "Kurulum sağlıklı: bir sorun bulunmadı.\n"


def test_a_half_written_current_release_and_unfinished_folders_are_reported(published_twice):
    m, first, second = published_twice
    release = m.paths.releases / second
    shard_link = next(p for p in sorted(release.iterdir()) if p.is_symlink())
    target = os.path.realpath(shard_link)
    os.rename(target, target + ".gone")  # a shard lost under the served release
    os.mkdir(m.paths.releases / "20990101-000000-yarim")  # a release folder a killed deploy left, never served
    code, out, _ = m.run("doctor")
    doctor = subprocess.CompletedProcess([], code, out, "")
    assert doctor.returncode == 0, doctor
    assert (f"UYARI: Yayındaki sürüm {second} yarım: 1 parça (shard) eksik: {shard_link.name}. Site eksik "
            f"sunuluyor. Yapılacak: publish.py rollback --to {first} --system") in doctor.stdout
    assert "NOT: Kesilmiş bir yayından kalan 1 yarım klasör var (20990101-000000-yarim)" in doctor.stdout
    assert "Sonraki yayın bunları kendiliğinden siler" in doctor.stdout
    assert (m.paths.releases / "20990101-000000-yarim").is_dir()  # reported, not removed


HOLD_LOCK = """
import sys, time
from municms.deploy.lock import deploy_lock
from municms.paths import InstancePaths
from pathlib import Path
with deploy_lock(InstancePaths(Path(sys.argv[1]))):
    print("held", flush=True)
    time.sleep(60)
"""


def test_the_deploy_lock_names_its_live_holder_and_a_dead_one(municipality):
    m, _ = used_ledger(municipality, count=1)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(m.root)], env=env, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        doctor = subprocess.CompletedProcess([], *m.run("doctor"))
        assert f"NOT: Şu anda bir yayın ya da geri alma sürüyor (işlem {holder.pid} " in doctor.stdout
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    doctor = subprocess.CompletedProcess([], *m.run("doctor"))
    assert doctor.returncode == 0
    assert f"NOT: var/deploy.lock, sonlanmış bir işlemden kalmış (işlem {holder.pid} " in doctor.stdout
    assert "Kilidi çekirdek bıraktı" in doctor.stdout
    # the next deploy takes it at once, and a clean release leaves nothing recorded
    assert m.run("rollback", "--system")[0] == 1  # nothing to roll back to, but the lock was taken at once
    assert (m.paths.var / "deploy.lock").read_bytes() == b""


KILLED_INTAKE = """
import os, sys
from pathlib import Path
from municms.actions.intake_claims import Session
from municms.paths import InstancePaths
session = Session(InstancePaths(Path(sys.argv[1])))
session.claim(Path(sys.argv[2]))
os.kill(os.getpid(), 9)
"""


def test_a_claim_of_a_killed_intake_is_reported_and_the_next_intake_finishes_it(municipality):
    m, numbers = used_ledger(municipality, count=2)
    dropped = m.paths.inbox / "fen-isleri" / "yarim.md"
    dropped.parent.mkdir(parents=True, exist_ok=True)
    dropped.write_text("---\ntur: duyuru\nbaslik: Yol Çalışması\n---\nYol çalışması yapılacaktır.\n",
                       encoding="utf-8")
    killed = subprocess.run([sys.executable, "-c", KILLED_INTAKE, str(m.root), str(dropped)],
                            env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert killed.returncode == -signal.SIGKILL and not dropped.exists()
    doctor = subprocess.CompletedProcess([], *m.run("doctor"))
    assert "NOT: Sonlanmış bir alım işleminin yarım bıraktığı 1 gönderi var (submissions/processing/)" in doctor.stdout
    run = m.cli("intake", "--quiet", "0")
    assert run.returncode == 0, run
    assert "1 kaydedildi" in run.stdout
    assert "yarım bıraktığı" not in m.run("doctor")[1]


def test_serve_warns_and_starts_when_current_is_missing(published_twice):
    m, first, second = published_twice
    m.paths.current.unlink()
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    server = subprocess.Popen([sys.executable, str(REPO / "publish.py"), "--instance", str(m.root), "serve",
                               "--port", str(port), "--no-scheduler", "--workers", "1"], env=env,
                              stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        line = server.stderr.readline()
        assert line.startswith("UYARI: Yayındaki sürüm bağlantısı yok"), line
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_an_expired_edit_lock_is_a_note_that_blocks_nobody(municipality):
    import datetime as dt

    from municms.actions.edit_lock import take_edit_lock
    from municms.clock import FixedClock
    from tests.conftest import FIXED_NOW

    m = municipality("bare")
    number = m.submit("duyuru", "Su Kesintisi", "Mahallede su kesintisi olacaktır.\n").number
    m.assign(number, to="web1")
    m.review(number, by="web1")
    long_ago = FixedClock(FIXED_NOW - dt.timedelta(days=400))
    take_edit_lock(m.ledger, m.instance, number, m.actor("web1"), long_ago)
    code, out, _ = m.run("doctor")
    assert code == 0, out
    assert (f"NOT: Süresi dolmuş 1 düzenleme kilidi var ({number} web1); kimseyi engellemez, içeriği ilk "
            "düzenleyen devralır.") in out


def _write_for(database: str, seconds: float) -> None:
    """A writer of the kind serve is: WAL mode, short transactions, the last connection closing now and then (it
    checkpoints and removes the -wal and -shm files)."""
    import sqlite3

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        conn = sqlite3.connect(database, timeout=30)
        conn.execute("PRAGMA journal_mode = WAL")
        for _ in range(20):
            conn.execute("INSERT INTO pages VALUES (randomblob(3000))")
            conn.commit()
        conn.close()


def test_a_database_being_written_is_never_called_broken(tmp_path):
    """The check a command runs before it opens the ledger, while two other processes write to it: a checkpoint
    writes the new page count into the header before the pages, a closing writer removes the -shm file. One look
    (no second look after a pause) must already see a whole database every time."""
    import multiprocessing
    import sqlite3

    from municms.health.database import database_problem

    database = tmp_path / "municms.sqlite3"
    conn = sqlite3.connect(database)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE pages (data BLOB)")
    conn.commit()
    conn.close()
    writers = [multiprocessing.get_context("spawn").Process(target=_write_for, args=(str(database), 8))
               for _ in range(2)]
    for writer in writers:
        writer.start()
    looks, problems = 0, []
    try:
        while any(writer.is_alive() for writer in writers):
            problem = database_problem(database, full=False, waits=())
            looks += 1
            problems += [problem] if problem else []
    finally:
        for writer in writers:
            writer.join(timeout=30)
    assert [writer.exitcode for writer in writers] == [0, 0]
    assert looks > 20 and problems == [], (looks, problems[:5])
    # and the same file, cut in half once nobody writes, is found truncated
    os.truncate(database, database.stat().st_size // 2)
    assert database_problem(database, full=False, waits=()).startswith("truncated: ")


def test_the_check_keeps_the_locks_of_this_process_connections(tmp_path):
    """Checks run in processes that already hold the ledger open (serve's threads, the load driver). Opening and
    closing a descriptor of the file there would drop the POSIX locks of those connections, and the next process
    to close its connection would take itself for the last one and remove the write-ahead log under them."""
    import sqlite3

    from municms.health.database import database_problem

    database = tmp_path / "municms.sqlite3"
    held = sqlite3.connect(database, isolation_level=None)
    held.execute("PRAGMA journal_mode = WAL")
    held.execute("CREATE TABLE pages (data BLOB)")
    held.execute("INSERT INTO pages VALUES (randomblob(3000))")
    assert database_problem(database, full=False, waits=()) is None
    other = subprocess.run([sys.executable, "-c", (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
        "c.execute('PRAGMA journal_mode = WAL'); c.execute('INSERT INTO pages VALUES (randomblob(3000))'); "
        "c.close()"), str(database)], capture_output=True, text=True, timeout=60)
    assert other.returncode == 0, other.stderr
    assert database.with_name("municms.sqlite3-wal").exists()  # the other process knew it was not the last
    held.execute("INSERT INTO pages VALUES (randomblob(3000))")
    assert held.execute("SELECT count(*) FROM pages").fetchone() == (3,)
    held.close()
