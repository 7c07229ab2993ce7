"""What most commands start from: the instance, its paths, the ledger and the clock."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from ..clock import SystemClock
from ..config import Instance, load_instance
from ..db import ledger_target
from ..ledger import Ledger, open_ledger
from ..paths import InstancePaths


@dataclass
class Context:
    instance: Instance
    paths: InstancePaths
    ledger: Ledger
    clock: SystemClock

    def __enter__(self) -> "Context":
        return self

    def __exit__(self, *exc) -> None:
        self.ledger.close()


def open_context(args: argparse.Namespace) -> Context:
    """Load the instance of --instance (or the environment), make sure its ledger is whole (municms.health: a
    corrupt, emptied or lost ledger stops every command before open_ledger could start a fresh one and the
    registration numbers again from 1), open it; a `with` block closes it."""
    from ..health import guard

    instance = load_instance(args.instance)
    paths = InstancePaths(instance.root)
    guard(instance, paths)
    return Context(instance, paths, open_ledger(ledger_target(instance, paths)), SystemClock(instance.tz))
