"""When the speed-ups act, and how many processes write."""

from __future__ import annotations

import os

ENV = "PELICAN_SPEEDUPS"
# How often each speed-up acted in this process (a test of Pelican's suite checks that they all did).
acted = {"articles_generator": 0, "shared_markdown": 0, "prefetch_child": 0, "output_child": 0}


def enabled(settings) -> bool:
    """The site names the plugin in PLUGINS, or the environment turns it on for every site."""
    if os.environ.get(ENV) == "all":
        return True
    return any(getattr(p, "__name__", p) in ("speedups", __package__) for p in settings.get("PLUGINS") or ())


def processes(settings) -> int:
    return max(1, int(settings.get("SPEEDUPS_PROCESSES", 2)))


def parallel_min(settings) -> int:
    """Fewer content objects than this are written in one process: a fork costs more than it saves."""
    default = 0 if os.environ.get(ENV) == "all" else 300
    return int(settings.get("SPEEDUPS_PARALLEL_MIN", default))
