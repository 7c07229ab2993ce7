"""One-shot `intake` leaves entries that are still being written (changed within the quiet period) for the next
pass, as the watcher does; the quiet period comes from instance.yaml."""

from __future__ import annotations

import json
import os
import time

import pytest

from municms.config import load_instance
from municms.errors import ConfigError

from .conftest import drop, number, run_cli, submission_text


def _set_quiet(root, seconds) -> None:
    """instance.yaml's quiet period, or none at all (seconds=None)."""
    config = root / "instance.yaml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("intake:\n") if "intake:\n" in lines else len(lines)
    lines[start:start + 2] = [] if seconds is None else ["intake:\n", f"  quiet_seconds: {seconds}\n"]
    config.write_text("".join(lines), encoding="utf-8")


def _age(path, seconds: float) -> None:
    """As if the last write to path (and everything in it) was `seconds` ago."""
    moment = time.time() - seconds
    for folder, dirs, files in os.walk(path):
        for name in dirs + files:
            os.utime(os.path.join(folder, name), (moment, moment))
    os.utime(path, (moment, moment))


def test_fresh_entries_wait_for_the_next_pass(root, paths):
    _set_quiet(root, 30)
    _age(drop(paths, "zabita", "eski.md", submission_text(baslik="Eski")), 60)
    fresh = drop(paths, "zabita", "yeni.md", submission_text(baslik="Yeni"))
    _age(fresh, 0)
    bundle = paths.inbox / "fen-isleri" / "paket"
    bundle.mkdir(parents=True)
    (bundle / "index.md").write_text(submission_text(baslik="Paket"), encoding="utf-8")
    _age(bundle, 120)
    (bundle / "ek.txt").write_text("kopyalanıyor", encoding="utf-8")  # one file in it is still being copied
    done = run_cli(root, "intake")
    assert done.returncode == 0, done.stderr
    assert f"zabita/eski.md: kaydedildi — {number(1)}" in done.stdout
    assert "zabita/yeni.md: atlandı, henüz yazılıyor (sonraki geçişte alınacak)" in done.stdout
    assert "fen-isleri/paket: atlandı, henüz yazılıyor (sonraki geçişte alınacak)" in done.stdout
    assert "1 gönderi işlendi: 1 kaydedildi" in done.stdout
    assert "2 gönderi henüz yazıldığı için atlandı; bir sonraki geçişte alınacak." in done.stdout
    assert fresh.is_file() and (bundle / "ek.txt").is_file()
    _age(fresh, 31)
    _age(bundle, 31)
    later = json.loads(run_cli(root, "intake", "--json").stdout)
    assert [(r["name"], r["status"], r["number"]) for r in later["results"]] == [
        ("paket", "registered", number(2)), ("yeni.md", "registered", number(3))]


def test_json_names_the_waiting_entries(root, paths):
    _set_quiet(root, 30)
    _age(drop(paths, "zabita", "yeni.md", submission_text()), 0)
    done = json.loads(run_cli(root, "intake", "--json").stdout)
    assert done["ok"] is True and done["counts"]["still_writing"] == 1
    assert [(r["department"], r["name"], r["status"]) for r in done["results"]] == [
        ("zabita", "yeni.md", "still_writing")]


def test_quiet_period_defaults_to_the_watchers_and_must_not_be_negative(root):
    _set_quiet(root, None)
    assert load_instance(root).intake.quiet_seconds == 0.5
    _set_quiet(root, -1)
    with pytest.raises(ConfigError) as caught:
        load_instance(root)
    assert [p.field for p in caught.value.problems] == ["intake.quiet_seconds"]
