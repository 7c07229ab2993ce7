"""A kill at any point of a publish leaves the ledger's chain and the live site consistent: the chain in the
ledger is always whole, and a release served without its record (killed between the switch and the commit) is
recorded by the next run, from the export it carries or, for a rollback, from its files."""

from __future__ import annotations

import json
import random
import sys

import pytest

import municms.actions.publish
import municms.register.deploys
from municms.actions.rollback import rollback
from municms.register.chain import check_chain
from municms.register.stamp import live_release, served_chain
from tests.reliability.faults import KillWindow
from tests.publish.test_crash import served_release
from tests.register.independent import live_files, recompute
from tests.tinysite import REPO


def assert_consistent_or_recoverable(site) -> None:
    """The ledger's chain is whole; the served release is its newest record's, or the served export's newest
    record is the one the ledger lacks and follows its newest (what the next run records)."""
    rows = site.ledger.register_records()
    assert [p.message_tr for p in check_chain(rows)] == []
    release = served_release(site)
    if release is None or (rows and rows[-1]["release"] == release):
        return
    newest = served_chain(site.paths.current)[-1]
    assert (newest["release"], newest["seq"]) == (release, len(rows) + 1)
    assert newest["previous"] == (rows[-1]["hash"] if rows else "0" * 64)


def assert_verified(site) -> None:
    code, out, _ = site.run("--json", "verify")
    assert (code, json.loads(out)["findings"]) == (0, [])
    head, files = recompute(site.paths.current)
    assert head == site.ledger.register_head()["hash"] and files == live_files(site.paths.current)


@pytest.mark.slow
def test_killed_publishes_keep_the_chain_whole_and_a_rerun_records_what_was_served(site):
    rng = random.Random(20261129)
    command = [sys.executable, str(REPO / "publish.py"), "--instance", str(site.paths.root), "publish", "--system"]
    kills, round_no = 0, 0

    def new_item() -> None:
        nonlocal round_no
        round_no += 1
        item = site.submit("haber", f"Kayıt Haberi {round_no}", f"Tur {round_no} metni.\n")
        site.approve(item.number)

    new_item()
    window = KillWindow(command, rng, 0.3, 0.95, fork=False)
    window.run_to_end()
    while kills < 5 and round_no < 30:
        new_item()
        kills += window.kill_once()
        assert_consistent_or_recoverable(site)
    assert kills >= 5, f"only {kills} kills landed during a publish"
    result = site.publish()
    assert site.ledger.register_head()["release"] == result.release_id
    assert_verified(site)


def test_a_release_served_without_its_record_is_recorded_from_its_export(site, monkeypatch):
    """The moment a kill can leave: switched to the new release, the ledger transaction not committed."""
    first = site.submit("haber", "Birinci Haber", "Birinci.\n")
    site.approve(first.number)
    site.publish()
    second = site.submit("haber", "İkinci Haber", "İkinci.\n")
    site.approve(second.number)

    def killed(*args, **kwargs):
        raise SystemExit("killed after the switch")
    monkeypatch.setattr(municms.actions.publish, "mark_published", killed)
    with pytest.raises(SystemExit):
        site.publish()
    monkeypatch.undo()
    served = live_release(site.paths.current)
    assert [r["release"] for r in site.ledger.register_records()][-1] != served
    assert_consistent_or_recoverable(site)
    code, out, _ = site.run("--json", "verify")
    assert code == 1 and ("release", served) in [(f["kind"], f["name"]) for f in json.loads(out)["findings"]]

    result = site.publish()  # the rerun records the served release first, then its own
    records = [json.loads(row["record"]) for row in site.ledger.register_records()]
    assert [(r["release"], [e["change"] for e in r["items"]]) for r in records[1:]] == [
        (served, ["ilk yayın"]), (result.release_id, [])]
    assert records[1]["items"][0]["number"] == second.number
    assert_verified(site)


def test_a_rollback_killed_before_its_record_is_recorded_from_the_served_files(site, monkeypatch):
    for title in ("Birinci Haber", "İkinci Haber"):
        item = site.submit("haber", title, "Metin.\n")
        site.approve(item.number)
        site.publish()
    before = site.ledger.register_records()

    def killed(*args, **kwargs):
        raise SystemExit("killed after the switch")
    monkeypatch.setattr(municms.register.deploys, "rollback_record", killed)
    with pytest.raises(SystemExit):
        rollback(site.ledger, site.instance, site.paths, site.clock, site.actor("mudur1"))
    monkeypatch.undo()
    restored = live_release(site.paths.current)
    assert restored == before[0]["release"] and site.ledger.register_records() == before

    third = site.submit("haber", "Üçüncü Haber", "Metin.\n")
    site.approve(third.number)
    result = site.publish()
    records = [json.loads(row["record"]) for row in site.ledger.register_records()]
    assert [(r["kind"], r["release"]) for r in records] == [
        ("publish", before[0]["release"]), ("publish", before[1]["release"]), ("recovered", restored),
        ("publish", result.release_id)]
    assert records[2]["files"]["tree"] == json.loads(before[0]["record"])["files"]["tree"]
    assert_verified(site)
