"""kill -9 during deploys (a real subprocess): the site is always one complete release, every stored shard is
complete; a rerun finishes and leaves no leftover nor unreferenced shard."""

from __future__ import annotations

import json
import os
import random
import signal
import time

import pytest

from municms.deploy import get_target
from municms.deploy.shards import file_sha256, shard_digest

from .conftest import release_id, run_deploy, shard_links, tree

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
    """var/current points at a complete release; every non-temporary release dir and every stored shard
    (not `.tmp`) is complete: its files are exactly those its name's digest stands for."""
    current = os.readlink(paths.current)
    rid = current.removeprefix("releases/")
    assert rid in trees, current
    assert tree(paths.current) == trees[rid]
    for entry in paths.releases.iterdir() if all_releases else ():
        if entry.is_dir() and not entry.name.endswith(".tmp"):
            assert tree(entry) == trees[entry.name], entry.name
    for shard in (paths.var / "shards").iterdir() if all_releases else ():
        if not shard.name.endswith(".tmp"):
            files = {str(p.relative_to(shard)): file_sha256(str(p)) for p in shard.rglob("*") if p.is_file()}
            dirs = [str(p.relative_to(shard)) for p in shard.rglob("*") if p.is_dir()]
            assert shard.name.endswith("-" + shard_digest(files, dirs)), shard.name
    return rid


def assert_clean(paths) -> None:
    """No leftover of a killed deploy, and every stored shard is linked from a release."""
    assert not [p.name for p in paths.releases.iterdir() if p.name.endswith(".tmp")]
    assert not os.path.lexists(paths.var / ".current.tmp")
    used = set()
    for release in paths.releases.iterdir():
        if release.is_dir():
            used |= set(shard_links(release).values())
    assert set(os.listdir(paths.var / "shards")) == used


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
    # a deploy that hard-links almost everything, like the ones below; when later deploys run faster than this
    # one (a machine that got less busy), kills that come too late make the window shorter
    window = 0.7 * second["stats"]["seconds"]

    mid_deploy_kills, n = 0, 1
    while mid_deploy_kills < KILLS:  # kills that land before the deploy's last write
        n += 1
        assert n < MAX_ATTEMPTS, f"only {mid_deploy_kills} kills landed during a deploy"
        rid = prepare(n)
        proc = run_deploy(paths, builds[rid], rid)
        started(proc)
        time.sleep(rng.uniform(0, window))
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
        if already_done or not killed:
            window *= 0.75
        assert assert_consistent(paths, trees) == rid
        assert_clean(paths)
    assert [r.id for r in get_target(instance, paths).releases()] == [release_id(k) for k in (n, n - 1, n - 2)]
