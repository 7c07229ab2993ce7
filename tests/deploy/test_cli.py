"""CLI: releases (text and --json), rollback [--to ID], exit codes; who runs them must prove it."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest

from municms.clock import FixedClock
from municms.deploy import get_target
from municms.ledger import open_ledger

from .conftest import PASSWORD, REPO, release_id, staff, tree

NOW = dt.datetime(2026, 11, 25, 9, 5, tzinfo=ZoneInfo("Europe/Istanbul"))


def cli(paths, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "MUNICMS_TOKEN"}
    return subprocess.run([sys.executable, "publish.py", "--instance", str(paths.root), *args], cwd=REPO,
                          capture_output=True, text=True, input=stdin, env=env)


def as_director(paths, *args: str) -> subprocess.CompletedProcess:
    """The command run by mehmet.mudur, with the password as the first line of standard input."""
    return cli(paths, *args, "--as", "mehmet.mudur", "--password-stdin", stdin=PASSWORD + "\n")


@pytest.mark.slow
def test_releases_and_rollback_from_the_command_line(make_instance, variants):
    instance, paths = make_instance()
    staff(paths, FixedClock(NOW))
    target = get_target(instance, paths, FixedClock(NOW))
    target.deploy(variants(1), release_id(1), {"items": ["BİM-2026-000001"], "published_by": "ayse.editor"})
    target.deploy(variants(2), release_id(2), {"items": [f"BİM-2026-{n:06d}" for n in range(2, 9)],
                                                "published_by": "sistem"})

    done = as_director(paths, "releases")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1:] == [
        f"* {release_id(2)}  2026-11-25T09:05:00+03:00  sistem        7 içerik: BİM-2026-000002, BİM-2026-000003, "
        "BİM-2026-000004, BİM-2026-000005, BİM-2026-000006 (+2)",
        f"  {release_id(1)}  2026-11-25T09:05:00+03:00  ayse.editor   1 içerik: BİM-2026-000001",
        "(* yayında olan)"]

    listing = json.loads(cli(paths, "releases", "--json", "--system").stdout)
    assert listing["ok"] is True
    assert [(r["id"], r["current"], r["published_by"], len(r["items"])) for r in listing["releases"]] == [
        (release_id(2), True, "sistem", 7), (release_id(1), False, "ayse.editor", 1)]
    assert listing["releases"][1]["created_at"] == "2026-11-25T09:05:00+03:00"

    done = as_director(paths, "rollback", "--reason", "Yanlış sürüm")
    assert (done.returncode, done.stdout) == (0, f"Site geri alındı; yayındaki sürüm: {release_id(1)}\n")
    assert tree(paths.current) == tree(variants(1))
    done = cli(paths, "--json", "rollback", "--to", release_id(2), "--system")  # the owner's automation
    assert done.returncode == 0 and json.loads(done.stdout)["current"]["id"] == release_id(2)
    assert tree(paths.current) == tree(variants(2))
    two, one = json.loads(cli(paths, "releases", "--json", "--system").stdout)["releases"]
    assert (two["rolled_back_by"], two["rolled_back_to"], two["restored_by"]) == \
        ("mehmet.mudur", release_id(1), "sistem")
    assert (one["rolled_back_by"], one["rolled_back_to"], one["restored_by"]) == \
        ("sistem", release_id(2), "mehmet.mudur")
    events = [(e.actor, e.action, e.reason, e.data) for e in open_ledger(paths.database).events() if e.action == "rollback"]
    owner = events[1][3].pop("via")  # a --system run names the OS user it ran as
    assert owner.startswith("--system (işletim sistemi kullanıcısı ")
    assert events == [("mehmet.mudur", "rollback", "Yanlış sürüm", {"from": release_id(2), "to": release_id(1)}),
                      ("sistem", "rollback", None, {"from": release_id(1), "to": release_id(2)})]
    done = cli(paths, "rollback", "--as", "yok.boyle", "--password-stdin", stdin=PASSWORD + "\n")
    assert (done.returncode, done.stderr.strip()) == (1, "HATA: Kullanıcı adı ya da parola hatalı.")
    for anonymous in (cli(paths, "rollback"), cli(paths, "releases")):
        assert anonymous.returncode == 1 and "kimlik doğrulaması ister" in anonymous.stderr
    editor = cli(paths, "rollback", "--as", "ayse.editor", "--password-stdin", stdin=PASSWORD + "\n")
    assert (editor.returncode, editor.stderr.strip()) == \
        (1, "HATA: Siteyi geri almayı yalnız müdür ya da yönetici yapabilir.")
    assert tree(paths.current) == tree(variants(2))


@pytest.mark.slow
def test_cli_exit_codes(make_instance, variants):
    instance, paths = make_instance()
    done = cli(paths, "releases", "--system")
    assert (done.returncode, done.stdout) == (0, "Henüz yayın yok.\n")
    done = cli(paths, "rollback", "--system")
    assert done.returncode == 1
    assert "HATA: Henüz yayında bir sürüm yok; geri alınacak bir şey yok." in done.stderr
    get_target(instance, paths).deploy(variants(1), release_id(1), {})
    done = cli(paths, "--json", "rollback", "--to", "20200101T000000Z-000000", "--system")
    assert done.returncode == 1
    assert json.loads(done.stdout) == {"ok": False, "error": "NotFound", "message": "'20200101T000000Z-000000' "
                                       "kimlikli bir yayın yok.", "message_en": "no release '20200101T000000Z-000000'"}
    done = cli(paths, "rollback", "--bilinmeyen", "--system")
    assert done.returncode == 2 and "kullanım hatası" in done.stderr
    assert get_target(instance, paths).current().id == release_id(1)
