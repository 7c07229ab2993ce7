"""kill -9 during deploys (a real subprocess): the site is always one complete release; a rerun finishes."""

from __future__ import annotations

import json
import os
import random
import signal
import time

import pytest

from municms.deploy import get_target

from .conftest import release_id, run_deploy, tree

MAX_ATTEMPTS = 30
KILLS = 10


def started(proc) -> None:
    """Wait for the subprocess to announce that the deploy itself begins."""
    line = proc.stdout.readline()
    assert json.loads(line)["event"] == "start", line


def finished(proc) -> dict:
    out, err = proc.communicate(timeout=120)
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert lines and "ok" in lines[-1], err
    return lines[-1]


def assert_consistent(paths, trees: dict[str, dict], all_releases: bool = False) -> str:
    """var/current points at a complete release; every non-temporary release dir is complete."""
    current = os.readlink(paths.current)
    rid = current.removeprefix("releases/")
    assert rid in trees, current
    assert tree(paths.current) == trees[rid]
    for entry in paths.releases.iterdir() if all_releases else ():
        if entry.is_dir() and not entry.name.endswith(".tmp"):
            assert tree(entry) == trees[entry.name], entry.name
    return rid


@pytest.mark.slow
def test_kill_during_deploy_leaves_one_complete_release(make_instance, variants, bulk_files):
    instance, paths = make_instance("deploy: {keep_releases: 3}")
    rng = random.Random(20261125)
    builds, trees = {}, {}

    def prepare(n: int) -> str:
        rid = release_id(n)
        builds[rid] = variants(n, changed=n % 2 == 1, bulk=bulk_files)
        trees[rid] = tree(builds[rid])
        return rid

    assert finished(run_deploy(paths, builds[prepare(0)], release_id(0)))["ok"] is True
    second = finished(run_deploy(paths, builds[prepare(1)], release_id(1)))
    duration = second["stats"]["seconds"]  # a deploy that hard-links almost everything, like the ones below

    mid_deploy_kills, n = 0, 1
    while mid_deploy_kills < KILLS:  # kills that land before the deploy's last write
        n += 1
        assert n < MAX_ATTEMPTS, f"only {mid_deploy_kills} kills landed during a deploy"
        rid = prepare(n)
        proc = run_deploy(paths, builds[rid], rid)
        started(proc)
        time.sleep(rng.uniform(0, 0.7 * duration))
        killed = proc.poll() is None
        if killed:
            os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
        assert_consistent(paths, trees, all_releases=True)

        already_done = (paths.releases / f"{rid}.json").exists()
        result = finished(run_deploy(paths, builds[rid], rid))
        if already_done:  # killed after the last write (or not at all): complete, a second deploy is refused
            assert result == {"ok": False, "error": "ConflictError",
                              "message": f"'{rid}' kimlikli yayın zaten yapılmış."}
        else:
            assert result["ok"] is True
            mid_deploy_kills += killed
        assert assert_consistent(paths, trees) == rid
        assert not [p.name for p in paths.releases.iterdir() if p.name.endswith(".tmp")]
        assert not os.path.lexists(paths.var / ".current.tmp")
    assert [r.id for r in get_target(instance, paths).releases()] == [release_id(k) for k in (n, n - 1, n - 2)]
