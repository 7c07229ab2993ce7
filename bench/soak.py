"""Soak: hours of intake drops, JSON API review and approval, scheduled and manual publishes, deploys and
rollbacks on one instance, with SIGKILLs of every stage at random moments; after each kill (and after every
restart that finishes the work) the fault suite's checker (tests/reliability/invariants.py) runs.

    .venv/bin/python bench/soak.py --hours 2 [--seed 7]
    .venv/bin/python bench/soak.py --minutes 10
    .venv/bin/python bench/soak.py --quick          # about 30 s (plus the first publish)

The instance is a fresh copy of the tiny fixture site (fast builds) in a temporary folder (--keep DIR keeps
it). Each round picks a stage: intake (good and bad samples dropped, `publish.py intake` killed), api
(`publish.py serve --workers 2` with its scheduler; department submissions, havale, review, approval by a second
person and requests for changes through the JSON API while workers and the whole server are killed), publish
(`publish.py publish` killed mid-build or mid-deploy), deploy (`python -m municms.deploy` of a build, or
`publish.py rollback`, killed). Every few rounds everything settles: intake and publish run to the end and the
checker also requires an empty inbox and a clean `verify`. Commands start in a process forked from this one
(the same entry points, without an interpreter's start) and in a fresh interpreter every fourth time.

Prints what it did (rounds, runs and kills per stage, API actions, publishes) and what it found: every
invariant violation with its detail; exit status 1 if there was any.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.municipality import Municipality  # noqa: E402
from tests.reliability.faults import (ApiClient, Killer, Server, deploy_module, drop_files,  # noqa: E402
                                      kill_at_random, publish_py, run, timed)
from tests.reliability.invariants import Drops, check  # noqa: E402
from tests.tinysite import copy_tiny  # noqa: E402

STAGES = ("intake", "api", "publish", "deploy")


class Soak:
    def __init__(self, root: Path, rng: random.Random):
        from municms.clock import SystemClock

        self.m = Municipality(root, dt.datetime.now(dt.timezone.utc))
        self.m.clock = SystemClock(self.m.instance.tz)
        self.rng, self.root, self.paths = rng, root, self.m.paths
        self.drops = Drops()
        self.rounds, self.runs, self.kills = Counter(), Counter(), Counter()
        self.actions, self.violations = Counter(), []
        self.checks = self.settles = self.api_items = 0
        self.durations = {}
        self.tokens = {}
        self.deployed = 0

    # --- bookkeeping ----------------------------------------------------------------------------------------
    def check(self, where: str, settled: bool = False) -> None:
        self.checks += 1
        for violation in check(self.root, self.drops, settled=settled, site_expected=True):
            self.violations.append(f"[{where}] {violation}")
            print(f"  ! {where}: {violation}", flush=True)

    def fork(self) -> bool:
        return self.rng.random() >= 0.25

    def killed_run(self, stage: str, command: list[str], window: float, not_before: float) -> None:
        self.runs[stage] += 1
        started = time.monotonic()
        fork = self.fork()
        if fork and self.rng.random() < 0.15:  # now and then a run that is left to finish
            if kill_at_random(command, self.rng, window=3600, not_before=3600, fork=True):
                self.kills[stage] += 1
        elif kill_at_random(command, self.rng, window=window, not_before=not_before, fork=fork):
            self.kills[stage] += 1
        else:  # finished before the kill: the window was too long for this machine now
            self.durations[stage] = 0.8 * self.durations.get(stage, window) + 0.2 * (time.monotonic() - started)
        self.check(stage)

    # --- stages ---------------------------------------------------------------------------------------------
    def setup(self) -> None:
        for login in ("fen1", "mudur1", "web1", "web2"):
            code, out, err = self.m.run("users", "token", login, login=login)
            if code != 0:
                raise SystemExit(f"token of {login}: {err}")
            self.tokens[login] = out.strip()
        self.durations["publish"] = timed(publish_py(self.root, "publish", "--system"))
        self.durations["intake"] = timed(publish_py(self.root, "intake"))
        build = self._build()
        self.durations["deploy"] = timed(deploy_module(self.root, *build))
        self.durations["rollback"] = timed(self._rollback())  # shorter than a deploy: the link and a record
        self.check("setup", settled=True)

    def intake(self) -> None:
        drop_files(self.paths, self.drops, self.rng, self.rng.randint(5, 40), tag="s",
                   departments=tuple(self.m.instance.departments))
        d = self.durations["intake"]
        self.killed_run("intake", publish_py(self.root, "intake"), window=d * 2, not_before=d * 0.5)

    def api(self) -> None:
        server = Server(self.root, workers=2)
        server.start()
        killer = Killer(server, self.rng, self.rng.randint(2, 6), low=0.2, high=2.0, whole_every=2,
                        on_killed=lambda: self.check("api, server killed"))
        client = ApiClient(server.base, self.tokens, patience=180)
        killer.start()
        try:
            for _ in range(self.rng.randint(2, 4)):
                self.api_items += 1
                number = client.submit("fen1", "duyuru", f"Soak API Duyurusu {self.api_items:05d}",
                                       f"Metin {self.api_items}.")
                self.actions["submit"] += 1
                for action, login, body in (("assign", "mudur1", {"to": "web1"}), ("review", "web1", {})):
                    self.actions[f"{action}: {client.act(number, action, login, **body)}"] += 1
                if self.rng.random() < 0.75:
                    self.actions[f"approve: {client.act(number, 'approve', 'web2')}"] += 1
                else:
                    outcome = client.act(number, "request-changes", "web2", reason="Tarih eksik.")
                    self.actions[f"request-changes: {outcome}"] += 1
        finally:
            killer.stopping.set()
            killer.join(timeout=300)
            client.close()
            server.stop()
        if killer.error is not None:
            self.violations.append(f"[api] the server could not be started again: {killer.error}")
        self.runs["api"] += server.starts
        self.kills["api (worker)"] += killer.kills["worker"]
        self.kills["api (server)"] += killer.kills["server"]
        self.actions["client retries"] += client.retries
        self.check("api, server stopped")

    def publish(self) -> None:
        d = self.durations["publish"]
        self.killed_run("publish", publish_py(self.root, "publish", "--system"), window=d, not_before=d * 0.1)

    def deploy(self) -> None:
        d = self.durations["deploy"]
        if self.rng.random() < 0.5:
            self.killed_run("deploy", deploy_module(self.root, *self._build()), window=d * 1.2,
                            not_before=d * 0.2)
        else:
            d = self.durations["rollback"]
            self.killed_run("rollback", self._rollback(), window=d, not_before=d * 0.1)

    def _rollback(self) -> list[str]:
        return publish_py(self.root, "rollback", "--system", "--reason", "Soak")

    def settle(self) -> None:
        """Intake and publish run to the end: nothing may wait anywhere, and verify must pass."""
        self.settles += 1
        run(publish_py(self.root, "intake"))
        run(publish_py(self.root, "publish", "--system"))
        self.check("settled", settled=True)

    def _build(self) -> tuple[Path, str]:
        """A build made elsewhere: the served release's files, with one line of the home page changed."""
        self.deployed += 1
        rid = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + f"-{self.deployed:06x}"
        folder = self.root.parent / "builds" / rid
        shutil.rmtree(folder.parent, ignore_errors=True)
        shutil.copytree(os.path.realpath(self.paths.current), folder, symlinks=False,
                        ignore=shutil.ignore_patterns("surum.json", "yayin-kaydi"))
        page = folder / "index.html"
        page.write_bytes(page.read_bytes().replace(b"</main>", f"<p>Soak {rid}</p></main>".encode(), 1))
        return folder, rid

    def report(self, seconds: float) -> None:
        items = self.m.ledger.items()
        records = self.m.ledger.register_records()
        kinds = Counter(json.loads(r["record"])["kind"] for r in records)
        print(f"\nsoak: {seconds / 60:.1f} min, {sum(self.rounds.values())} rounds "
              f"({', '.join(f'{k} {v}' for k, v in sorted(self.rounds.items()))}), {self.settles} settles, "
              f"{self.checks} invariant checks")
        print(f"runs: {dict(sorted(self.runs.items()))}")
        print(f"kills: {sum(self.kills.values())} — {dict(sorted(self.kills.items()))}")
        print(f"dropped: {len(self.drops.entries)} files ({sum(1 for e in self.drops.entries if e[2] is None)} "
              f"bad); register: {len(items)} items, states {dict(Counter(i.state for i in items))}")
        print(f"API actions: {dict(sorted(self.actions.items()))}")
        print(f"publication register: {len(records)} records {dict(kinds)}")
        print(f"violations: {len(self.violations)}")
        for violation in self.violations:
            print(f"  {violation}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hours", type=float)
    parser.add_argument("--minutes", type=float)
    parser.add_argument("--quick", action="store_true", help="about 30 s")
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--keep", metavar="DIR", help="build the instance in DIR and keep it")
    args = parser.parse_args(argv)
    seconds = 30 if args.quick else 3600 * (args.hours or 0) + 60 * (args.minutes or 0) or 600
    rng = random.Random(args.seed)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="municms-soak-"))
    soak = Soak(copy_tiny(work / "instance"), rng)
    print(f"soak: seed {args.seed}, {seconds / 60:.1f} min, instance {work / 'instance'}", flush=True)
    started = time.monotonic()
    try:
        soak.setup()
        n = 0
        while time.monotonic() - started < seconds:
            n += 1
            stage = rng.choices(STAGES, weights=(4, 2, 2, 3))[0]
            soak.rounds[stage] += 1
            getattr(soak, stage)()
            print(f"round {n}: {stage}; kills so far {sum(soak.kills.values())}, "
                  f"violations {len(soak.violations)}", flush=True)
            if n % 8 == 0:
                soak.settle()
        soak.settle()
        soak.report(time.monotonic() - started)
    finally:
        soak.m.close()
        if not args.keep and not soak.violations:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if soak.violations else 0


if __name__ == "__main__":
    sys.exit(main())
