"""Time of publishing one approved item on a generated corpus, phase by phase.

    .venv/bin/python bench/publish.py [--articles 2000]

Registers one item in a fresh ledger, approves it (two people), then runs publish() and prints the seconds of
the whole run and of its build and deploy. The first publish of the corpus (a full deploy) is timed too.
This is the baseline for re-rendering only what changed (target: ≤ 2 s on 20,000 items).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import REPO, make_instance  # noqa: E402
from municms.actions.approve import approve  # noqa: E402
from municms.actions.assign import assign  # noqa: E402
from municms.actions.publish import publish  # noqa: E402
from municms.actions.start_review import start_review  # noqa: E402
from municms.clock import FixedClock  # noqa: E402
from municms.config import load_instance  # noqa: E402
from municms.ledger import open_ledger  # noqa: E402
from municms.model import EDITOR, MUDUR, REGISTERED, Event, Item, Revision, User  # noqa: E402
from municms.paths import InstancePaths  # noqa: E402


def register_one(ledger, instance, clock) -> str:
    """One news item as intake would register it."""
    now = clock.now()
    with ledger.transaction() as tx:
        for login, role, unit in (("mudur", MUDUR, None), ("web1", EDITOR, "web"), ("web2", EDITOR, "web")):
            tx.insert_user(User(login, role, unit=unit, password_hash="x"))
        seq, number = tx.allocate_number(instance.registration.prefix, now.year)
        item_id = tx.insert_item(Item(number=number, year=now.year, seq=seq, tur="haber", department="fen-isleri",
                                      title="Ölçüm Haberi", state=REGISTERED, unit="web", author="birim",
                                      created_at=now, updated_at=now))
        tx.insert_revision(Revision(item_id=item_id, rev=1, front_matter={"tur": "haber", "baslik": "Ölçüm Haberi"},
                                    body="Ölçüm metni.", stored_dir=f"{now.year}/{number}", author="birim",
                                    created_at=now))
        tx.append_event(Event(item_id=item_id, at=now, actor="sistem", action="register", from_state="received",
                              to_state=REGISTERED))
    return number


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        root = make_instance(Path(tmp) / "inst", args.articles)
        # the corpus keeps the corporate pages, which link to the e-services: keep those too
        shutil.copytree(REPO / "content" / "e-hizmetler", root / "content" / "e-hizmetler", dirs_exist_ok=True)
        instance, paths = load_instance(root), InstancePaths(root)
        ledger = open_ledger(paths.database)
        clock = FixedClock(dt.datetime(2026, 11, 25, 12, tzinfo=ZoneInfo("Europe/Istanbul")))
        started = time.perf_counter()
        first = publish(ledger, instance, paths, clock)
        first_seconds = time.perf_counter() - started
        number = register_one(ledger, instance, clock)
        assign(ledger, instance, number, "mudur", clock, to="web1")
        start_review(ledger, instance, number, "web1", clock)
        approve(ledger, instance, number, "web2", clock)
        one = publish(ledger, instance, paths, clock)
    print(f"articles: {args.articles}")
    print(f"first publish (everything): {first_seconds:.2f} s, build {first.build.seconds:.2f} s, "
          f"{first.build.files} files")
    print(f"publish of one item: {one.seconds:.2f} s, build {one.build.seconds:.2f} s, "
          f"rest (materialise, checks outside the build, deploy, ledger) {one.seconds - one.build.seconds:.2f} s")


if __name__ == "__main__":
    main()
