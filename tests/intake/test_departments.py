"""Duplicate detection stays inside a department: the same bytes from another department are a new item, and no
receipt ever names another department's item."""

from __future__ import annotations

from municms.actions.intake import Session, intake_all, recover

from .conftest import drop, submission_text
from .test_flow import _dead_session_claim

SHARED = submission_text(baslik="Ortak Duyuru: Bayram Tatili", body="Hizmet binaları bayramda kapalıdır.\n")


def _receipt(paths, department: str, name: str) -> str:
    return (paths.receipts / department / f"{name}.alindi.txt").read_text(encoding="utf-8")


def test_same_bytes_from_another_department_are_its_own_item(ledger, instance, paths, clock):
    drop(paths, "zabita", "bayram.md", SHARED)
    [first] = intake_all(ledger, instance, paths, clock)
    drop(paths, "fen-isleri", "bayram.md", SHARED)
    drop(paths, "zabita", "bayram-yine.md", SHARED)  # the same department again: a duplicate, as before
    second, again = intake_all(ledger, instance, paths, clock)
    assert (first.status, first.department, first.number) == ("registered", "zabita", "BİM-2026-000001")
    assert (second.status, second.department, second.number) == ("registered", "fen-isleri", "BİM-2026-000002")
    assert (again.status, again.number) == ("duplicate", "BİM-2026-000001")
    assert [(i.number, i.department) for i in ledger.items()] == [("BİM-2026-000001", "zabita"),
                                                                  ("BİM-2026-000002", "fen-isleri")]
    receipt = _receipt(paths, "fen-isleri", "bayram.md")
    assert "Kayıt numarası : BİM-2026-000002" in receipt
    assert "BİM-2026-000001" not in receipt and instance.department_name("zabita") not in receipt
    assert sorted(p.name for p in (paths.receipts / "fen-isleri").iterdir()) == ["bayram.md.alindi.txt"]


def test_same_bytes_from_two_departments_in_one_pass(ledger, instance, paths, clock):
    drop(paths, "zabita", "bayram.md", SHARED)
    drop(paths, "fen-isleri", "bayram.md", SHARED)
    results = intake_all(ledger, instance, paths, clock)
    assert [(r.department, r.status, r.number) for r in results] == [
        ("fen-isleri", "registered", "BİM-2026-000001"), ("zabita", "registered", "BİM-2026-000002")]
    assert "BİM-2026-000002" not in _receipt(paths, "fen-isleri", "bayram.md")
    assert "BİM-2026-000001" not in _receipt(paths, "zabita", "bayram.md")


def test_recovered_claim_is_not_given_another_departments_receipt(ledger, instance, paths, clock):
    drop(paths, "zabita", "bayram.md", SHARED)
    intake_all(ledger, instance, paths, clock)
    claimed = _dead_session_claim(paths, "fen-isleri", "bayram.md", SHARED)  # a killed pass of fen-isleri
    with Session(paths) as session:
        assert recover(ledger, instance, paths, clock, session)["returned"] == 1
    assert not claimed.exists() and not (paths.receipts / "fen-isleri").exists()
    [result] = intake_all(ledger, instance, paths, clock)
    assert (result.department, result.status, result.number) == ("fen-isleri", "registered", "BİM-2026-000002")
    assert "BİM-2026-000001" not in _receipt(paths, "fen-isleri", "bayram.md")
