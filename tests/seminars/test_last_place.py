"""Two processes ask for the last place of a seminar at the same moment: exactly one gets it, the other is
put on the waiting list; never two places, never a lost registration."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from municms.actions.seminar_registration import Person, register_citizen
from municms.clock import FixedClock
from municms.config import load_instance
from municms.ledger import open_ledger
from municms.model import CONFIRMED, WAITING
from municms.paths import InstancePaths
from tests.seminars.conftest import publish_seminar


def _race(root: str, item_id: int, name: str, now, barrier, results) -> None:
    instance, paths = load_instance(root), InstancePaths(Path(root))
    ledger = open_ledger(paths.database)
    barrier.wait()
    reg = register_citizen(ledger, instance, paths, FixedClock(now), item_id,
                           Person(name=name, email=f"{name.split()[0].lower()}@example.org"), consent=True)
    results.put((name, reg.registration.status))


def test_two_processes_racing_for_the_last_place_get_one_place_and_one_waiting_list_entry(municipality):
    m = municipality("tiny")
    seminars = [publish_seminar(m, f"Seminer {n}", kontenjan=2, baslangic=f"2026-12-1{n} 10:00",
                                bitis=f"2026-12-1{n} 12:00", kayit_son="2026-12-09") for n in range(3)]
    context = multiprocessing.get_context("spawn")
    for item in seminars:
        register_citizen(m.ledger, m.instance, m.paths, m.clock, item.id,
                         Person(name="İlk Kişi", email="ilk@example.org"), consent=True)
        barrier, results = context.Barrier(2), context.Queue()
        racers = [context.Process(target=_race, args=(str(m.root), item.id, name, m.clock.now(), barrier, results))
                  for name in ("Ayşe Yılmaz", "Işıl Çağlar")]
        for process in racers:
            process.start()
        for process in racers:
            process.join(60)
            assert process.exitcode == 0
        outcome = sorted(status for _, status in (results.get(timeout=5) for _ in racers))
        assert outcome == [CONFIRMED, WAITING]
        stored = sorted(r.status for r in m.ledger.registrations(item.id))
        assert stored == [CONFIRMED, CONFIRMED, WAITING]
