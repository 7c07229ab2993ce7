"""CLI: releases (text and --json), rollback [--to ID], exit codes."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest

from municms.actions.users import add_user
from municms.clock import FixedClock
from municms.deploy import get_target
from municms.ledger import open_ledger

from .conftest import REPO, release_id, tree

NOW = dt.datetime(2026, 11, 25, 9, 5, tzinfo=ZoneInfo("Europe/Istanbul"))


def cli(paths, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "publish.py", "--instance", str(paths.root), *args], cwd=REPO,
                          capture_output=True, text=True)


@pytest.mark.slow
def test_releases_and_rollback_from_the_command_line(make_instance, variants):
    instance, paths = make_instance()
    add_user(open_ledger(paths.database), instance, "mehmet.mudur", "mudur", "gizli-parola-123", "sistem",
             FixedClock(NOW))
    target = get_target(instance, paths, FixedClock(NOW))
    target.deploy(variants(1), release_id(1), {"items": ["BİM-2026-000001"], "published_by": "ayse.editor"})
    target.deploy(variants(2), release_id(2), {"items": [f"BİM-2026-{n:06d}" for n in range(2, 9)],
                                                "published_by": "sistem"})

    done = cli(paths, "releases")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1:] == [
        f"* {release_id(2)}  2026-11-25T09:05:00+03:00  sistem        7 içerik: BİM-2026-000002, BİM-2026-000003, "
        "BİM-2026-000004, BİM-2026-000005, BİM-2026-000006 (+2)",
        f"  {release_id(1)}  2026-11-25T09:05:00+03:00  ayse.editor   1 içerik: BİM-2026-000001",
        "(* yayında olan)"]

    listing = json.loads(cli(paths, "releases", "--json").stdout)
    assert listing["ok"] is True
    assert [(r["id"], r["current"], r["published_by"], len(r["items"])) for r in listing["releases"]] == [
        (release_id(2), True, "sistem", 7), (release_id(1), False, "ayse.editor", 1)]
    assert listing["releases"][1]["created_at"] == "2026-11-25T09:05:00+03:00"

    done = cli(paths, "rollback", "--as", "mehmet.mudur", "--reason", "Yanlış sürüm")
    assert (done.returncode, done.stdout) == (0, f"Site geri alındı; yayındaki sürüm: {release_id(1)}\n")
    assert tree(paths.current) == tree(variants(1))
    done = cli(paths, "--json", "rollback", "--to", release_id(2))
    assert done.returncode == 0 and json.loads(done.stdout)["current"]["id"] == release_id(2)
    assert tree(paths.current) == tree(variants(2))
    two, one = json.loads(cli(paths, "releases", "--json").stdout)["releases"]
    assert (two["rolled_back_by"], two["rolled_back_to"], two["restored_by"]) == \
        ("mehmet.mudur", release_id(1), "sistem")
    assert (one["rolled_back_by"], one["rolled_back_to"], one["restored_by"]) == \
        ("sistem", release_id(2), "mehmet.mudur")
    events = [(e.actor, e.action, e.reason, e.data) for e in open_ledger(paths.database).events() if e.action == "rollback"]
    assert events == [("mehmet.mudur", "rollback", "Yanlış sürüm", {"from": release_id(2), "to": release_id(1)}),
                      ("sistem", "rollback", None, {"from": release_id(1), "to": release_id(2)})]
    done = cli(paths, "rollback", "--as", "yok.boyle")
    assert done.returncode == 1 and "yok.boyle" in done.stderr

@pytest.mark.slow
def test_cli_exit_codes(make_instance, variants):
    instance, paths = make_instance()
    done = cli(paths, "releases")
    assert (done.returncode, done.stdout) == (0, "Henüz yayın yok.\n")
    done = cli(paths, "rollback")
    assert done.returncode == 1
    assert "HATA: Henüz yayında bir sürüm yok; geri alınacak bir şey yok." in done.stderr
    get_target(instance, paths).deploy(variants(1), release_id(1), {})
    done = cli(paths, "--json", "rollback", "--to", "20200101T000000Z-000000")
    assert done.returncode == 1
    assert json.loads(done.stdout) == {"ok": False, "error": "NotFound", "message": "'20200101T000000Z-000000' "
                                       "kimlikli bir yayın yok.", "message_en": "no release '20200101T000000Z-000000'"}
    done = cli(paths, "rollback", "--bilinmeyen")
    assert done.returncode == 2 and "kullanım hatası" in done.stderr
    assert get_target(instance, paths).current().id == release_id(1)
