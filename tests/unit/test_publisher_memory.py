"""The publisher's garbage collection: what a build leaves alive is frozen, and what later builds drop is
freed by the periodic full collection."""

from __future__ import annotations

import gc
import weakref

from municms.incremental import memory


class Node:
    def __init__(self):
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_dropped_objects_are_freed_by_the_periodic_collection_not_before(monkeypatch):
    monkeypatch.setattr(memory, "_builds", 0)
    node = Node()
    alive = weakref.ref(node)
    memory.settle()  # a build kept it alive: frozen
    del node
    gc.collect()
    assert alive() is not None and gc.get_freeze_count() > 0  # frozen objects are not collected
    for _ in range(memory.COLLECT_EVERY - 2):
        memory.settle()
    assert alive() is not None
    memory.settle()  # the COLLECT_EVERY-th build
    assert alive() is None
    gc.unfreeze()


def test_a_publish_collects_the_youngest_generation_less_often_and_restores_the_thresholds():
    before = gc.get_threshold()
    try:
        raise_inside = RuntimeError("derleme hatası")
        try:
            with memory.building():
                assert gc.get_threshold() == (memory.BUILD_THRESHOLD, *before[1:])
                raise raise_inside
        except RuntimeError as exc:
            assert exc is raise_inside
        assert gc.get_threshold() == before
    finally:
        gc.set_threshold(*before)


def test_a_publish_on_a_kept_site_runs_without_automatic_collection_and_its_cycles_are_freed_when_it_settles(
        monkeypatch):
    monkeypatch.setattr(memory, "_builds", 1)
    gc.collect()
    gc.freeze()  # an earlier build settled: the site is kept
    try:
        with memory.building():
            assert not gc.isenabled()
            garbage = Node()  # a cycle the build leaves
            dropped = weakref.ref(garbage)
            del garbage
            memory.settle()  # the build ends: its cycles go before the survivors are frozen
            assert dropped() is None
        assert gc.isenabled()
    finally:
        gc.unfreeze()


def test_the_first_build_of_a_process_keeps_automatic_collection(monkeypatch):
    monkeypatch.setattr(memory, "_builds", 0)
    with memory.building():
        assert gc.isenabled()
    assert gc.isenabled()
