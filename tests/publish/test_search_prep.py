"""Year search bundles prepared in the background: a publish never waits for a year's bundle, the recent
bundle then holds only today's items, and prepared bundles that no longer match the site are not used.

Through the front door: items come from intake and are approved by people who log in; serve's scheduler makes
the preparation (`prepare_soon`) and the real pipeline publishes."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from municms.incremental import search_prep
from municms.incremental.registry import state_for
from municms.search import read_parts_file
from municms.scheduler import Scheduler
from tests.municipality import submission_text

from .test_incremental import assert_same_as_full_build, assert_search_holds_exactly_the_searchable_pages, \
    searched_pages


def live_parts(site) -> dict:
    return read_parts_file(Path(os.path.realpath(site.paths.current)))


def publish_one(site, title: str):
    item = site.submit("haber", title, f"{title} metni.\n")
    site.approve(item.number)
    return item, site.publish()


@pytest.mark.slow
def test_a_publish_does_not_wait_for_the_year_bundles_and_the_next_one_puts_them_in_place(site, monkeypatch):
    site.publish()
    assert live_parts(site)["yeni_baslangic"] == "2026-11-01"  # a full index: this month's items are recent
    recent_before = searched_pages(site.paths.current)["yeni"]
    assert len(recent_before) == 3

    indexing, go_on = threading.Event(), threading.Event()
    run_pagefind = search_prep.run_pagefind

    def held_up(chosen, output):  # the year's Pagefind run takes as long as the test wants
        indexing.set()
        assert go_on.wait(120)
        return run_pagefind(chosen, output)

    monkeypatch.setattr(search_prep, "run_pagefind", held_up)
    thread = search_prep.prepare_soon(state_for(site.paths), site.clock.now())
    assert indexing.wait(60)
    first, result = publish_one(site, "Gülabibey Parkı Açıldı")  # while the year is being indexed
    assert result.items == [first.number]
    assert live_parts(site)["yeni_baslangic"] == "2026-11-01"
    assert "/haberler/2026/gulabibey-parki-acildi/" in searched_pages(site.paths.current)["yeni"]
    go_on.set()
    thread.join(120)

    second, result = publish_one(site, "Su Kesintisi Sona Erdi")
    assert live_parts(site)["yeni_baslangic"] == "2026-11-25"
    searched = searched_pages(site.paths.current)
    assert searched["yeni"] == ["/haberler/2026/gulabibey-parki-acildi/", "/haberler/2026/su-kesintisi-sona-erdi/"]
    assert set(recent_before) <= set(searched["2026"])  # the items of 1–24 November went to their year
    assert "pagefind/2026/pagefind-entry.json" in result.build.written
    assert_search_holds_exactly_the_searchable_pages(site)
    assert_same_as_full_build(site, site.root.parent / "tam")
    assert not list(site.paths.var.glob("work/.hazir-*"))  # the prepared folders were put in place or dropped


@pytest.mark.slow
def test_prepared_bundles_are_not_used_when_a_page_of_their_year_changed_since(site):
    site.publish()
    item, _ = publish_one(site, "Gülabibey Parkı Açıldı")
    site.clock.advance(dt.timedelta(days=1))  # the item of yesterday would leave the recent bundle
    search_prep.prepare_soon(state_for(site.paths), site.clock.now()).join()
    prepared = state_for(site.paths).prepared
    assert "haberler/2026/gulabibey-parki-acildi/index.html" in prepared.pages["2026"]
    site.edit(item.number, submission_text("haber", "Gülabibey Parkı Açıldı", "Park yeniden açıldı.\n"),
              by="web1")
    site.approve(item.number, by="web3", reviewer="web1")
    site.publish()
    assert live_parts(site)["yeni_baslangic"] == "2026-11-01"  # kept: the prepared year was out of date
    assert state_for(site.paths).prepared is None
    assert_search_holds_exactly_the_searchable_pages(site)
    assert not list(site.paths.var.glob("work/.hazir-*"))


@pytest.mark.slow
def test_the_scheduler_prepares_after_its_pass_and_not_twice_for_one_day(site):
    site.publish()
    scheduler = Scheduler(site.ledger, site.instance, site.paths, site.clock)
    scheduler.run_once()
    state = state_for(site.paths)
    state.preparing.join(120)
    prepared = state.prepared
    assert prepared is not None and prepared.start == "2026-11-25"
    assert sorted(prepared.pages) == ["2026"]
    scheduler.run_once()
    assert state.prepared is prepared  # ready for today: not prepared again
    site.clock.advance(dt.timedelta(days=1))
    scheduler.run_once()
    state.preparing.join(120)
    assert state.prepared is not prepared and state.prepared.start == "2026-11-26"
    assert not prepared.folder.exists()  # the one for yesterday was dropped


@pytest.mark.slow
def test_a_build_removes_the_search_folders_of_killed_builds_and_gone_processes_only(site):
    site.publish()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()  # a process that has ended
    work = site.paths.var / "work"
    killed_build, gone_prep, live_prep = work / ".arama-2026-x1", work / f".hazir-{gone}-x2", \
        work / f".hazir-{os.getpid()}-x3"
    for folder in (killed_build, gone_prep, live_prep):
        (folder / "bundle").mkdir(parents=True)
    publish_one(site, "Gülabibey Parkı Açıldı")
    assert not killed_build.exists() and not gone_prep.exists()
    assert live_prep.exists()  # a preparation of a running serve


@pytest.mark.slow
def test_a_preparation_removes_those_of_a_stopped_serve(site):
    site.publish()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()
    stopped = site.paths.var / "work" / f".hazir-{gone}-x1"
    (stopped / "2026" / "bundle").mkdir(parents=True)
    search_prep.prepare_soon(state_for(site.paths), site.clock.now() + dt.timedelta(days=1)).join()
    assert not stopped.exists()
    assert [p.name.split("-")[1] for p in (site.paths.var / "work").glob(".hazir-*")] == [str(os.getpid())]
