"""Intake as a whole: duplicates, resubmission, recovery of every crash state, concurrent processes, the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from municms.actions.intake import Session, intake_all, intake_file, processing_dir, recover
from municms.signals import item_quarantined, item_registered

from .conftest import REPO, THIS_YEAR, drop, number, run_cli, submission_text


def test_registration_sends_signal_after_commit(ledger, instance, paths, clock):
    seen = []

    def on_registered(sender, item, event, revision):
        seen.append((item.number, event.action, ledger.item(item.number).state))  # already committed

    item_registered.connect(on_registered)
    item_quarantined.connect(lambda sender, **kw: seen.append(("quarantined", kw["name"])), weak=False)
    try:
        drop(paths, "zabita", "a.md", submission_text())
        drop(paths, "zabita", "b.md", "")
        intake_all(ledger, instance, paths, clock)
    finally:
        item_registered.disconnect(on_registered)
    assert seen[:2] == [("BİM-2026-000001", "register", "registered"), ("quarantined", "b.md")]


def test_same_bytes_twice_register_once(ledger, instance, paths, clock):
    drop(paths, "zabita", "duyuru.md", submission_text())
    [first] = intake_all(ledger, instance, paths, clock)
    drop(paths, "zabita", "duyuru.md", submission_text())
    [second] = intake_all(ledger, instance, paths, clock)
    assert (first.status, second.status, second.number) == ("registered", "duplicate", "BİM-2026-000001")
    assert len(ledger.items()) == 1 and not (paths.inbox / "zabita" / "duyuru.md").exists()


def test_same_name_new_content_gets_its_own_receipt(ledger, instance, paths, clock):
    drop(paths, "zabita", "duyuru.md", submission_text(baslik="Bir"))
    intake_all(ledger, instance, paths, clock)
    drop(paths, "zabita", "duyuru.md", submission_text(baslik="İki"))
    intake_all(ledger, instance, paths, clock)
    receipts = sorted(p.name for p in (paths.receipts / "zabita").iterdir())
    assert receipts == ["duyuru.md.BİM-2026-000002.alindi.txt", "duyuru.md.alindi.txt"]


def test_quarantine_never_overwrites(ledger, instance, paths, clock):
    for _ in range(2):
        drop(paths, "zabita", "bos.md", "")
        intake_all(ledger, instance, paths, clock)
    assert sorted(p.name for p in (paths.quarantine / "zabita").iterdir()) == [
        "bos-2.md", "bos-2.md.hata.txt", "bos.md", "bos.md.hata.txt"]


def test_resubmission_after_change_request_is_revision_2(municipality):
    m = municipality()
    ledger, instance, paths, clock = m.ledger, m.instance, m.paths, m.clock
    drop(paths, "fen-isleri", "ihale.md", submission_text(baslik="İhale"))
    [result] = intake_all(ledger, instance, paths, clock)
    # too early: the item is only registered
    drop(paths, "fen-isleri", "ihale-2.md", submission_text(baslik="İhale (düzeltilmiş)", kayit_no=result.number))
    [early] = intake_all(ledger, instance, paths, clock)
    assert early.status == "quarantined" and early.problems[0].field == "kayit_no"
    assert "kaydedildi' durumunda" in early.problems[0].message_tr
    m.assign(result.number, to="web1", by="mudur1")
    m.review(result.number, by="web1")
    m.request_changes(result.number, by="web1", reason="Tarih eksik.")
    drop(paths, "zabita", "baskasi.md", submission_text(baslik="Başkası", kayit_no=result.number))
    drop(paths, "fen-isleri", "ihale-3.md", submission_text(baslik="İhale (düzeltilmiş)", kayit_no=result.number))
    outcome = {r.name: r for r in intake_all(ledger, instance, paths, clock)}
    assert outcome["baskasi.md"].status == "quarantined"
    assert outcome["baskasi.md"].problems[0].message_tr == (
        f"'{result.number}' numaralı kayıt müdürlüğünüzün kayıtları arasında bulunamadı; kayit_no yalnız kendi "
        "müdürlüğünüzün bir kaydını gösterebilir.")
    # a number that does not exist gets the same words: another department's items are not revealed
    missing = result.number[:-6] + "999999"
    drop(paths, "zabita", "yok.md", submission_text(baslik="Yok", kayit_no=missing))
    [unknown] = intake_all(ledger, instance, paths, clock)
    assert unknown.problems[0].message_tr == outcome["baskasi.md"].problems[0].message_tr.replace(
        result.number, missing)
    resubmitted = outcome["ihale-3.md"]
    assert (resubmitted.status, resubmitted.number, resubmitted.rev) == ("resubmitted", result.number, 2)
    item = ledger.item(result.number)
    assert (item.state, item.current_rev, item.title) == ("in_review", 2, "İhale (düzeltilmiş)")
    assert [r.stored_dir for r in ledger.revisions(item.id)] == [f"2026/{item.number}", f"2026/{item.number}.r2"]
    assert (paths.registered / "2026" / f"{item.number}.r2" / "original.md").is_file()
    assert [e.action for e in ledger.events(item.id)][-1] == "resubmit"
    assert len(ledger.items()) == 1


# --- recovery of each crash state ------------------------------------------------------------------------
def _dead_session_claim(paths, department: str, name: str, content: str) -> os.PathLike:
    folder = processing_dir(paths) / department
    folder.mkdir(parents=True, exist_ok=True)
    claimed = folder / f"99999-deadbeef--{name}"
    claimed.write_text(content, encoding="utf-8")
    return claimed


def test_recover_returns_unregistered_claims_to_the_inbox(ledger, instance, paths, clock):
    claimed = _dead_session_claim(paths, "zabita", "yarim.md", submission_text())
    with Session(paths) as session:
        assert recover(ledger, instance, paths, clock, session) == {"receipts": 0, "returned": 1, "orphans": 0}
    assert not claimed.exists() and (paths.inbox / "zabita" / "yarim.md").is_file()
    assert [r.number for r in intake_all(ledger, instance, paths, clock)] == ["BİM-2026-000001"]


def test_recover_finishes_registered_claims(ledger, instance, paths, clock):
    drop(paths, "zabita", "tamam.md", submission_text())
    intake_all(ledger, instance, paths, clock)
    (paths.receipts / "zabita" / "tamam.md.alindi.txt").unlink()  # killed after commit, before the receipt
    claimed = _dead_session_claim(paths, "zabita", "tamam.md", submission_text())
    with Session(paths) as session:
        assert recover(ledger, instance, paths, clock, session)["receipts"] == 1
    assert not claimed.exists() and not (paths.inbox / "zabita" / "tamam.md").exists()
    assert "BİM-2026-000001" in (paths.receipts / "zabita" / "tamam.md.alindi.txt").read_text(encoding="utf-8")


def test_recover_removes_orphan_folders_and_keeps_live_claims(ledger, instance, paths, clock):
    orphan = paths.registered / "2026" / "BİM-2026-000001"
    orphan.mkdir(parents=True)
    (orphan / "index.md").write_text("yarım", encoding="utf-8")
    staging = paths.registered / "2026" / ".staging-99999-deadbeef-1"
    staging.mkdir()
    with Session(paths) as live:
        live_claim = processing_dir(paths) / "zabita" / f"{live.id}--canli.md"
        live_claim.parent.mkdir(parents=True)
        live_claim.write_text(submission_text(), encoding="utf-8")
        live_staging = paths.registered / "2026" / live.staging_name()
        live_staging.mkdir()
        with Session(paths) as other:
            assert recover(ledger, instance, paths, clock, other)["orphans"] == 2
        assert live_claim.exists() and live_staging.exists()
    assert not orphan.exists() and not staging.exists()
    drop(paths, "zabita", "yeni.md", submission_text(baslik="Yeni"))
    # the live session has ended by now, so its claim went back to the inbox and is registered too
    assert [(r.name, r.number) for r in intake_all(ledger, instance, paths, clock)] == [
        ("canli.md", "BİM-2026-000001"), ("yeni.md", "BİM-2026-000002")]
    assert (paths.registered / "2026" / "BİM-2026-000001" / "original.md").is_file()


def test_claim_is_exclusive(paths, instance, ledger, clock):
    path = drop(paths, "zabita", "a.md", submission_text())
    with Session(paths) as first, Session(paths) as second:
        assert first.claim(path) is not None
        assert second.claim(path) is None
        assert intake_file(ledger, instance, paths, path, clock, session=second).status == "skipped"


def _two_processes_over(root) -> list[dict]:
    """Start two `intake --json` processes at once over root's inboxes; their JSON outputs."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, str(REPO / "publish.py"), "--instance", str(root), "intake", "--json"]
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
             for _ in range(2)]
    outputs = [json.loads(p.communicate(timeout=120)[0]) for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    return outputs


def test_concurrent_intake_processes_register_each_file_once(tmp_path):
    from municms.ledger import open_ledger
    from municms.paths import InstancePaths

    overlapped = False
    for attempt in range(3):  # on a busy machine one process may finish before the other has started
        root = tmp_path / f"deneme-{attempt}"
        root.mkdir()
        (root / "instance.yaml").write_bytes((REPO / "instance.yaml").read_bytes())
        paths = InstancePaths(root)
        for n in range(100):
            drop(paths, ["zabita", "fen-isleri", "mali-hizmetler"][n % 3], f"g{n:03d}.md",
                 submission_text(baslik=f"Gönderi {n}"))
        outputs = _two_processes_over(root)
        taken = [r for out in outputs for r in out["results"] if r["status"] == "registered"]
        assert len(taken) == 100
        ledger = open_ledger(paths.database)
        items = ledger.items()
        ledger.close()
        assert sorted(i.seq for i in items) == list(range(1, 101))
        assert sorted(i.title for i in items) == sorted(f"Gönderi {n}" for n in range(100))
        assert len(list((paths.registered / THIS_YEAR).iterdir())) == 100
        if all(out["counts"]["registered"] > 0 for out in outputs):
            overlapped = True
            break
    assert overlapped, "the two processes never ran at the same time"


# --- CLI ---------------------------------------------------------------------------------------------------
def test_cli_intake_summary_and_exit_codes(root, paths):
    drop(paths, "zabita", "iyi.md", submission_text(baslik="İyi"))
    drop(paths, "zabita", "bos.md", "")
    done = run_cli(root, "intake")
    assert done.returncode == 0, done.stderr
    assert f"zabita/iyi.md: kaydedildi — {number(1)}" in done.stdout
    assert "zabita/bos.md: KARANTİNAYA ALINDI" in done.stdout
    assert "2 gönderi işlendi: 1 kaydedildi, 0 yeni sürüm, 0 zaten kayıtlı, 1 karantinaya alındı." in done.stdout
    as_json = json.loads(run_cli(root, "intake", "--json").stdout)
    assert as_json == {"ok": True, "counts": {"registered": 0, "resubmitted": 0, "duplicate": 0,
                                              "quarantined": 0, "skipped": 0, "still_writing": 0,
                                              "failed": 0}, "results": []}
    (root / "instance.yaml").write_text("registration: {}\n", encoding="utf-8")
    broken = run_cli(root, "intake")
    assert broken.returncode == 1 and "HATA:" in broken.stderr


@pytest.mark.parametrize("ledger_backend", ["sqlite"])  # a broken SQLite file
def test_cli_database_error_is_exit_1(root, paths):
    paths.var.mkdir()
    paths.database.write_bytes(b"bu bir veritabani degil" * 100)
    done = run_cli(root, "intake")
    assert done.returncode == 1 and done.stderr.startswith("HATA: ") and "veritabanı" in done.stderr.lower()
    assert "Traceback" not in done.stderr


def test_recover_deletes_finished_claims_of_dead_passes(ledger, instance, paths, clock):
    done = processing_dir(paths) / ".done"
    done.mkdir(parents=True)
    (done / "99999-deadbeef--0a1b2c3d").write_text("kaydedildi", encoding="utf-8")
    with Session(paths) as live:
        mine = done / f"{live.id}--11112222"
        mine.write_text("siliniyor", encoding="utf-8")
        with Session(paths) as other:
            recover(ledger, instance, paths, clock, other)
        assert sorted(p.name for p in done.iterdir()) == [mine.name]


def test_cli_unexpected_failure_leaves_the_file_and_exits_1(root, paths):
    drop(paths, "zabita", "a.md", submission_text(baslik="A"))
    paths.registered.parent.mkdir(parents=True, exist_ok=True)
    paths.registered.write_text("klasör değil", encoding="utf-8")
    done = run_cli(root, "intake")
    assert done.returncode == 1
    assert "zabita/a.md: HATA (gelen kutusunda bırakıldı)" in done.stdout
    assert (paths.inbox / "zabita" / "a.md").is_file()
    paths.registered.unlink()
    again = run_cli(root, "intake")
    assert again.returncode == 0 and f"zabita/a.md: kaydedildi — {number(1)}" in again.stdout


def test_orphan_above_committed_numbers_is_removed_committed_ones_kept(ledger, instance, paths, clock):
    for name in ("a.md", "b.md"):
        drop(paths, "zabita", name, submission_text(baslik=name))
    intake_all(ledger, instance, paths, clock)
    orphan = paths.registered / "2026" / "BİM-2026-000003"
    orphan.mkdir()
    (paths.registered / "2026" / "BİM-2026-000001.r2").mkdir()  # a revision that never committed
    with Session(paths) as session:
        assert recover(ledger, instance, paths, clock, session)["orphans"] == 2
    assert sorted(p.name for p in (paths.registered / "2026").iterdir()) == ["BİM-2026-000001", "BİM-2026-000002"]
