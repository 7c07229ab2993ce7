"""One publisher state per instance in this process (serve keeps it warm), saved after every successful build
to var/work/state.json so another process (the command line) starts from the same digests.

Several processes may publish one instance (serve's scheduler, a director on the command line); they take
turns under the deploy lock. The saved `generation` tells a process that another one built since: its own
digests are then replaced by the saved ones (its cached content objects stay valid, they are keyed by the
source files' stamps).
"""

from __future__ import annotations

import threading
from pathlib import Path

import orjson

from ..files import write_atomic
from ..paths import InstancePaths
from .state import SiteState

_STATES: dict[Path, SiteState] = {}
_GUARD = threading.Lock()
STATE_FILE = "state.json"


def work_dir(paths: InstancePaths) -> Path:
    return paths.var / "work"


def state_for(paths: InstancePaths) -> SiteState:
    """This process's state of the instance, brought up to date with what another process saved."""
    root = Path(paths.root).resolve()
    with _GUARD:
        state = _STATES.get(root)
        if state is None:
            state = _STATES[root] = SiteState(work_dir(paths) / "site")
    load_saved(state, work_dir(paths) / STATE_FILE)
    return state


def forget(paths: InstancePaths) -> None:
    """Drop this process's state (tests; a restore)."""
    with _GUARD:
        _STATES.pop(Path(paths.root).resolve(), None)


def load_saved(state: SiteState, file: Path) -> None:
    try:
        saved = orjson.loads(file.read_bytes())
    except (OSError, ValueError):
        if state.generation:  # the saved state is gone (var/work deleted): start again from nothing
            state.reset()
        return
    if saved.get("generation") == state.generation:
        return
    state.fingerprints = dict(saved.get("fingerprints", {}))
    state.hashes = dict(saved.get("hashes", {}))
    state.outputs = set(saved.get("outputs", []))
    state.bundles = saved.get("bundles")
    state.environment = saved.get("environment", "")
    state.built_at = saved.get("built_at")
    state.embargoed = ()
    state.links, state.anchors = {}, {}  # not saved (large): this process checks what it cannot rule out
    state.groups = {}  # another process built: this one's groups of pages may name other outputs
    state.generation = saved.get("generation", 0)
    state.dirty = False  # the saved outputs and hashes are those of the tree (saved after each success)


def save(state: SiteState, paths: InstancePaths) -> None:
    state.generation += 1
    data = {"generation": state.generation, "environment": state.environment, "built_at": state.built_at,
            "fingerprints": state.fingerprints, "hashes": state.hashes, "outputs": sorted(state.outputs),
            "bundles": state.bundles}
    folder = work_dir(paths)
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / STATE_FILE, orjson.dumps(data))  # ~20,000 hashes: orjson is ~10× json here
