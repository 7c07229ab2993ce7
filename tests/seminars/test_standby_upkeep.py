"""With the ledger in PostgreSQL, only the leading scheduler does the upkeep: two hosts' schedulers on one
database send every seminar letter and reminder exactly once, and the standby host's daily tasks (the backup,
the nightly full build) do not run while the other host leads."""

from __future__ import annotations

import datetime as dt
import shutil
import tarfile
import time

import pytest

from municms.backup import backups_in
from municms.backup.schedule import DailyBackup
from municms.clock import FixedClock
from municms.config import load_instance
from municms.incremental.nightly import NightlyFullBuild
from municms.ledger import open_ledger
from municms.paths import InstancePaths
from municms.scheduler import Scheduler
from tests.seminars.test_mail import register, smtp_server, with_smtp  # noqa: F401 - smtp_server: a fixture


@pytest.fixture
def ledger_backend() -> str:
    return "postgresql"


def test_two_schedulers_on_one_database_send_each_letter_once_and_only_the_leader_does_upkeep(
        seminar_town, smtp_server, tmp_path):  # noqa: F811
    inbox, controller = smtp_server
    m, item = seminar_town()
    with_smtp(m, controller.port)
    second = tmp_path / "ikinci-sunucu"
    shutil.copytree(m.root, second, ignore=shutil.ignore_patterns("var", "submissions"))
    hosts = []
    for root in (m.root, second):
        instance = load_instance(root)
        hosts.append(Scheduler(open_ledger(m.ledger.path), instance, InstancePaths(root), m.clock, interval=0.2))
    leader, standby = hosts
    tasks = []
    try:
        register(m, item, "Ayşe Yılmaz", "ayse@example.org")
        register(m, item, "Işıl Çağlar", "isil@example.org")
        register(m, item, "Ömer Şahin", "omer@example.org")
        for _ in range(2):
            leader.run_once()
            standby.run_once()
        assert (leader.leadership.leading, standby.leadership.leading) == (True, False)
        assert sorted(msg["To"] for msg in inbox.messages) == ["ayse@example.org", "isil@example.org",
                                                               "omer@example.org"]
        m.clock.set(dt.datetime(2026, 12, 9, 8, 0, tzinfo=m.instance.tz))  # the day before: reminders
        for _ in range(2):
            standby.run_once()
            leader.run_once()
        assert sorted((msg["To"], msg["Subject"]) for msg in inbox.messages[3:]) == [
            ("ayse@example.org", "Yarın: Temel Bilgisayar Semineri"),
            ("isil@example.org", "Yarın: Temel Bilgisayar Semineri")]

        # the daily tasks of `serve`, due half a second from now on both hosts
        clock = FixedClock(dt.datetime(2026, 12, 9, 2, 29, 59, 500000, tzinfo=m.instance.tz))
        at = dt.time(2, 30)
        for scheduler in hosts:
            tasks.append(DailyBackup(scheduler.instance, scheduler.paths, clock, at, scheduler.leadership).start())
        tasks.append(NightlyFullBuild(standby.instance, standby.paths, clock, at, standby.leadership).start())
        deadline = time.monotonic() + 30
        while tasks[0].last is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert tasks[0].last is not None  # the leader's ran: one archive, with the ledger's pg_dump
        time.sleep(1.5)  # three more chances for the standby's
        assert (tasks[1].last, tasks[2].last) == (None, None)
        taken = backups_in(leader.instance.backup.folder(m.root))
        assert len(taken) == 1 and backups_in(standby.instance.backup.folder(second)) == []
        assert "var/municms.pgdump" in tarfile.open(taken[0]).getnames()
        assert not (second / "var" / "logs" / "builds").exists()
    finally:
        for task in tasks:
            task.stop()
        for scheduler in hosts:
            scheduler.leadership.release()
            scheduler.ledger.close()
