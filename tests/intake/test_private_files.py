"""Only the owner can read the ledger (password hashes) and the registered copies, whatever the umask."""

from __future__ import annotations

import os
import shutil
import stat
from contextlib import contextmanager

import pytest

from municms.actions.intake import intake_all
from municms.ledger import open_ledger

from .conftest import SAMPLES, THIS_YEAR, drop, run_cli, submission_text


@pytest.fixture
def ledger_backend() -> str:
    """The modes of the SQLite file and its -wal and -shm: this module is about the file."""
    return "sqlite"


def mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@contextmanager
def open_umask():
    """Run with umask 000, so every mode comes from the code, not from the environment."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _drop_bundle(paths) -> None:
    bundle = SAMPLES / "good" / "strateji-gelistirme" / "2025-faaliyet-raporu"
    shutil.copytree(bundle, paths.inbox / "strateji-gelistirme" / bundle.name)


def _register_modes(register, year: str) -> dict[str, int]:
    found = {".": mode(register), year: mode(register / year)}
    for path in sorted((register / year).rglob("*")):
        found[path.relative_to(register).as_posix()] = mode(path)
    return found


def test_ledger_database_and_its_wal_files_are_owner_only(paths, instance, clock):
    with open_umask():
        ledger = open_ledger(paths.database)
        try:
            drop(paths, "zabita", "duyuru.md", submission_text())
            [result] = intake_all(ledger, instance, paths, clock)
            assert result.status == "registered"
            wal, shm = (paths.database.with_name(paths.database.name + suffix) for suffix in ("-wal", "-shm"))
            assert wal.exists() and shm.exists()  # the connection is open: WAL mode keeps both
            assert {p.name: mode(p) for p in (paths.database, wal, shm)} == {
                "municms.sqlite3": 0o600, "municms.sqlite3-wal": 0o600, "municms.sqlite3-shm": 0o600}
        finally:
            ledger.close()


def test_wider_ledger_files_are_tightened_when_opened(paths):
    open_ledger(paths.database).close()
    wal = paths.database.with_name(paths.database.name + "-wal")
    wal.write_bytes(b"")  # as a crashed process leaves it
    for path in (paths.database, wal):
        os.chmod(path, 0o644)
    with open_umask():
        ledger = open_ledger(paths.database)
    try:
        assert (mode(paths.database), mode(wal)) == (0o600, 0o600)
    finally:
        ledger.close()


def test_registered_copies_are_owner_only_and_read_only(paths, instance, ledger, clock):
    with open_umask():
        _drop_bundle(paths)
        drop(paths, "zabita", "duyuru.md", submission_text())
        results = intake_all(ledger, instance, paths, clock)
    assert [r.status for r in results] == ["registered", "registered"]
    modes = _register_modes(paths.registered, "2026")
    assert (modes["."], modes["2026"]) == (0o700, 0o700)
    folders = {name: m for name, m in modes.items() if (paths.registered / name).is_dir() and "/" in name}
    files = {name: m for name, m in modes.items() if (paths.registered / name).is_file()}
    assert "2026/BİM-2026-000001/ekler" in folders and "2026/BİM-2026-000002/original.md" in files
    assert set(folders.values()) == {0o500} and set(files.values()) == {0o400}


def test_wider_register_is_tightened_on_the_next_pass(paths, instance, ledger, clock):
    _drop_bundle(paths)
    intake_all(ledger, instance, paths, clock)
    for folder, _dirs, names in os.walk(paths.registered):  # as earlier versions left it
        os.chmod(folder, 0o755 if folder.count(os.sep) <= str(paths.registered).count(os.sep) + 1 else 0o555)
        for name in names:
            os.chmod(os.path.join(folder, name), 0o444)
    assert intake_all(ledger, instance, paths, clock) == []
    modes = _register_modes(paths.registered, "2026")
    assert (modes["."], modes["2026"]) == (0o700, 0o700)
    assert {m for name, m in modes.items() if (paths.registered / name).is_file()} == {0o400}
    assert {m for name, m in modes.items() if "/" in name and (paths.registered / name).is_dir()} == {0o500}


def test_cli_intake_with_an_open_umask(root, paths):
    drop(paths, "zabita", "duyuru.md", submission_text())
    with open_umask():  # the subprocess inherits it
        done = run_cli(root, "intake")
    assert done.returncode == 0, done.stderr
    assert mode(paths.database) == 0o600
    assert (mode(paths.registered), mode(paths.registered / THIS_YEAR)) == (0o700, 0o700)
    stored = paths.registered / THIS_YEAR / f"BİM-{THIS_YEAR}-000001"
    assert (mode(stored), mode(stored / "original.md"), mode(stored / "index.md")) == (0o500, 0o400, 0o400)
