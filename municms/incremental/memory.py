"""Garbage collection for a publisher that keeps the parsed site between builds.

Python's collector walks every container object in its oldest generation on each full collection; with the
kept site (content objects of 20,000 items and what hangs off them) that is half a second or more, and a build
allocates enough to trigger two or three of them. After each build the objects alive are moved out of the
collector's sight (`gc.freeze`), so later full collections walk only what later builds made. What earlier builds
dropped (content objects replaced by a new revision) is freed by a full collection every COLLECT_EVERY builds.
"""

from __future__ import annotations

import gc
import threading

COLLECT_EVERY = 50
_lock = threading.Lock()
_builds = 0


def settle() -> None:
    """Call after a successful build."""
    global _builds
    with _lock:
        _builds += 1
        if _builds % COLLECT_EVERY == 0:
            gc.unfreeze()
            gc.collect()
        gc.freeze()
