"""What most commands start from: the instance, its paths, the ledger and the clock."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from ..clock import SystemClock
from ..config import Instance, load_instance
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


def open_context(args: argparse.Namespace, check: bool = False) -> Context:
    """Load the instance of --instance (or the environment), open its ledger; a `with` block closes it.

    check: first make sure the ledger is whole (municms.health; a corrupt or lost one stops the command)."""
    instance = load_instance(args.instance)
    paths = InstancePaths(instance.root)
    if check:
        from ..health import guard
        guard(instance, paths)
    return Context(instance, paths, open_ledger(paths.database), SystemClock(instance.tz))
