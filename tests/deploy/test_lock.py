"""The deploy lock: concurrent deploys in two processes queue; the lock is re-entrant within one process."""

from __future__ import annotations

import json
import threading

import pytest

from municms.deploy import deploy_lock, get_target

from .conftest import release_id, run_deploy, tree


@pytest.mark.slow
def test_two_processes_deploy_one_after_the_other(make_instance, variants, bulk_files):
    instance, paths = make_instance()
    first, second = variants(1, bulk=bulk_files), variants(2, changed=True, bulk=bulk_files)
    procs = [run_deploy(paths, first, release_id(1)), run_deploy(paths, second, release_id(2))]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out.splitlines()[-1]))
    assert all(r["ok"] for r in results)
    spans = sorted((r["locked_at"], r["released_at"]) for r in results)
    assert spans[0][1] <= spans[1][0], spans  # no overlap: the second waited for the first
    releases = get_target(instance, paths).releases()
    assert sorted(r.id for r in releases) == [release_id(1), release_id(2)]
    current = get_target(instance, paths).current()
    assert tree(paths.current) == tree(first if current.id == release_id(1) else second)


def test_lock_is_reentrant_and_queues_threads(make_instance):
    _, paths = make_instance()
    order = []

    def take() -> None:
        with deploy_lock(paths):
            order.append("thread")

    with deploy_lock(paths):
        with deploy_lock(paths):  # publish() holding the lock around Target.deploy()
            order.append("inner")
        waiter = threading.Thread(target=take)
        waiter.start()
        waiter.join(timeout=0.5)
        assert waiter.is_alive()  # still waiting: the outer block holds the lock
        order.append("outer-end")
    waiter.join(timeout=5)
    assert order == ["inner", "outer-end", "thread"]
