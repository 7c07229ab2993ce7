"""The scheduler: one pass at a time by the clock, publishes that queue (failures: test_hold_back.py)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from municms.deploy import get_target
from municms.model import PUBLISHED, SCHEDULED
from municms.scheduler import run_due

from tests.publish.test_pipeline import files_mentioning


def test_a_pass_with_nothing_to_do_builds_nothing(site):
    first = run_due(site.ledger, site.instance, site.paths, site.clock)
    assert first.published is not None  # nothing was deployed yet
    idle = run_due(site.ledger, site.instance, site.paths, site.clock)
    assert idle.idle
    assert len(get_target(site.instance, site.paths).releases()) == 1


@pytest.mark.slow
def test_waiting_item_with_the_title_of_a_public_one_does_not_block_publishing(site):
    """The tiny site already has "Meclis Toplantısı Gündemi" pages; next month's agenda waits for its day."""
    tomorrow = site.clock.now() + dt.timedelta(days=1)
    item = site.submit("duyuru", "Meclis Toplantısı Gündemi", "Aralık gündemi.", yayin=tomorrow)
    site.approve(item.number)
    run_due(site.ledger, site.instance, site.paths, site.clock)
    assert site.ledger.item(item.number).state == SCHEDULED
    assert files_mentioning(site.paths.current, item.number) == []
    assert files_mentioning(site.paths.current, "Aralık gündemi.") == []
    site.clock.set(tomorrow)
    assert run_due(site.ledger, site.instance, site.paths, site.clock).published.items == [item.number]
    page = (site.paths.current / "duyurular/2026/meclis-toplantisi-gundemi-3/index.html").read_text(encoding="utf-8")
    assert "Aralık gündemi." in page


@pytest.mark.slow
def test_concurrent_publishes_queue_and_each_item_is_published_once(site):
    numbers = []
    for title in ("Eşzamanlı Bir", "Eşzamanlı İki"):
        item = site.submit("haber", title, "Metin.")
        site.approve(item.number)
        numbers.append(item.number)
    results, errors = [], []

    def worker():
        try:
            results.append(site.publish())
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert sorted(n for r in results for n in r.items) == numbers  # the second publish found nothing left
    assert all(site.ledger.item(n).state == PUBLISHED for n in numbers)
    assert sum(1 for e in site.ledger.events() if e.action == "publish") == 2
    releases = get_target(site.instance, site.paths).releases()
    assert sorted(r.id for r in releases) == sorted(r.release_id for r in results)
