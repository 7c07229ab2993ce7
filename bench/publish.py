"""Time of publishing one approved item on a generated corpus, phase by phase.

    .venv/bin/python bench/publish.py [--articles 2000]

Registers one item through intake in a fresh ledger, has it reviewed and approved by two people who log in,
then runs publish() as the scheduler does and prints the seconds of the whole run and of its build and
deploy; then `--repeat` more items one by one, as a running `serve` publishes them, and an emergency banner
(acil duyuru) the same way. The first publish of the corpus (a full deploy) is timed too.
This is the baseline for re-rendering only what changed (target: ≤ 2 s on 20,000 items).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import REPO, make_instance  # noqa: E402
from municms import auth  # noqa: E402
from municms.actions.approve import approve  # noqa: E402
from municms.actions.assign import assign  # noqa: E402
from municms.actions.intake import intake_file  # noqa: E402
from municms.actions.publish import publish  # noqa: E402
from municms.actions.start_review import start_review  # noqa: E402
from municms.actions.users import add_user, init_first_user  # noqa: E402
from municms.clock import FixedClock  # noqa: E402
from municms.config import load_instance  # noqa: E402
from municms.incremental.registry import state_for  # noqa: E402
from municms.incremental.search_prep import prepare_soon  # noqa: E402
from municms.ledger import open_ledger  # noqa: E402
from municms.model import EDITOR, MUDUR  # noqa: E402
from municms.paths import InstancePaths  # noqa: E402

PASSWORD = "olcum-parolasi-2026"


def people(ledger, instance, clock) -> dict[str, auth.Actor]:
    """The director and three editors, added by the first yonetici and logged in with their passwords."""
    init_first_user(ledger, instance, "yonetici", PASSWORD, clock)
    admin = auth.login_with_password(ledger, "yonetici", PASSWORD, clock)
    logins = (("mudur", MUDUR, None), ("web1", EDITOR, "web"), ("web2", EDITOR, "web"), ("web3", EDITOR, "web"))
    for login, role, unit in logins:
        add_user(ledger, instance, login, role, PASSWORD, admin, clock, unit=unit)
    return {login: auth.login_with_password(ledger, login, PASSWORD, clock) for login, _, _ in logins}


def register_one(ledger, instance, paths, clock, n: int = 0) -> str:
    """One news item (an announcement every other time) dropped into a department's inbox and registered."""
    inbox = paths.inbox / "fen-isleri"
    inbox.mkdir(parents=True, exist_ok=True)
    dropped = inbox / f"olcum-{n}.md"
    tur = "haber" if n % 2 == 0 else "duyuru"
    dropped.write_text(f"---\ntur: {tur}\nbaslik: \"Ölçüm {n + 1}\"\n---\nÖlçüm metni.\n", encoding="utf-8")
    result = intake_file(ledger, instance, paths, dropped, clock)
    if result.status != "registered":
        raise SystemExit(f"intake did not register the item: {result.status} {result.problems}")
    return result.number


def register_banner(ledger, instance, paths, clock) -> str:
    """An emergency banner from Zabıta's inbox, registered (it ends tomorrow)."""
    inbox = paths.inbox / "zabita"
    inbox.mkdir(parents=True, exist_ok=True)
    dropped = inbox / "olcum-acil.md"
    ends = (clock.now() + dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    dropped.write_text(f"---\ntur: acil-duyuru\nbaslik: \"Acil: Ölçüm Su Kesintisi\"\nbitis: {ends}\n---\n"
                       "Merkez ilçede su kesintisi. Bilgi için ALO 153.\n", encoding="utf-8")
    result = intake_file(ledger, instance, paths, dropped, clock)
    if result.status != "registered":
        raise SystemExit(f"intake did not register the banner: {result.status} {result.problems}")
    return result.number


def approved_and_published(ledger, instance, paths, clock, staff, scheduler, number, approvers=("web2",)):
    assign(ledger, instance, number, staff["mudur"], clock, to="web1")
    start_review(ledger, instance, number, staff["web1"], clock)
    for login in approvers:  # others than the reviewer; a banner needs two
        approve(ledger, instance, number, staff[login], clock)
    result = publish(ledger, instance, paths, clock, scheduler)
    if result.items != [number]:
        raise SystemExit(f"{number} was not published: {result.held or result.items}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="one-item publishes after the first (default 3)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        root = make_instance(Path(tmp) / "inst", args.articles)
        # the corpus keeps the corporate pages, which link to the e-services: keep those too
        shutil.copytree(REPO / "content" / "e-hizmetler", root / "content" / "e-hizmetler", dirs_exist_ok=True)
        instance, paths = load_instance(root), InstancePaths(root)
        ledger = open_ledger(paths.database)
        clock = FixedClock(dt.datetime(2026, 11, 25, 12, tzinfo=ZoneInfo("Europe/Istanbul")))
        scheduler = auth.system_actor("zamanlayıcı")  # the pipeline runs as inside `serve`
        started = time.perf_counter()
        first = publish(ledger, instance, paths, clock, scheduler)
        first_seconds = time.perf_counter() - started
        # what serve's scheduler does after its pass: the year bundles for a recent bundle starting today are
        # indexed in the background (no publish waits for them); the next publish puts them in place
        started = time.perf_counter()
        preparing = prepare_soon(state_for(paths), clock.now())
        if preparing is not None:
            preparing.join()
        prepare_seconds = time.perf_counter() - started
        staff = people(ledger, instance, clock)
        runs = []
        for n in range(1 + args.repeat):
            number = register_one(ledger, instance, paths, clock, n)
            runs.append(approved_and_published(ledger, instance, paths, clock, staff, scheduler, number))
        banner = approved_and_published(ledger, instance, paths, clock, staff, scheduler,
                                        register_banner(ledger, instance, paths, clock), ("web2", "web3"))
        one = runs[0]
    print(f"articles: {args.articles}")
    print(f"first publish (everything): {first_seconds:.2f} s, build {first.build.seconds:.2f} s, "
          f"{first.build.files} files")
    print(f"year search bundles prepared in the background (as serve does after a pass): {prepare_seconds:.2f} s")
    print(f"publish of one item: {one.seconds:.2f} s, build {one.build.seconds:.2f} s, "
          f"rest (materialise, checks outside the build, deploy, ledger) {one.seconds - one.build.seconds:.2f} s")
    if one.build.rendered is not None:
        print(f"  incremental: {one.build.read} source(s) read, {one.build.rendered} page(s) rendered, "
              f"{len(one.build.written)} file(s) written, {len(one.build.removed)} removed; phases "
              + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in one.build.phases.items()))
    if len(runs) > 1:
        later = [run.seconds for run in runs[1:]]
        print(f"later one-item publishes (the publisher kept its state): "
              + ", ".join(f"{seconds:.2f}" for seconds in later) + f" s; median {statistics.median(later):.2f} s")
    print(f"emergency banner: {banner.seconds:.2f} s, build {banner.build.seconds:.2f} s, "
          f"{banner.build.rendered} page(s) rendered, {len(banner.build.written)} file(s) written")


if __name__ == "__main__":
    main()
