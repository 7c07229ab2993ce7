"""Deploy a build made elsewhere as a release: only a mudur, a yonetici or the instance owner; one event."""

from __future__ import annotations

from pathlib import Path

from ..auth import Actor
from ..clock import Clock
from ..config import Instance
from ..deploy import Release, deploy_lock, get_target
from ..ledger import Ledger
from ..model import Event
from ..paths import InstancePaths
from ..signals import release_deployed
from ._transition import event_data, load_site_switcher

def deploy_build(ledger: Ledger, instance: Instance, paths: InstancePaths, clock: Clock, actor: Actor,
                 build_dir: Path, release_id: str, on_locked=None, on_unlocking=None) -> Release:
    """Make `build_dir` the release `release_id` and switch the public site to it; recorded in the register.

    `on_locked` and `on_unlocking` are called just after the deploy lock is taken and just before it is let go
    (the command line reports when it held the lock)."""
    user = load_site_switcher(ledger, actor, "Derlenmiş bir siteyi yayına almayı")
    target = get_target(instance, paths, clock)
    with deploy_lock(paths):
        if on_locked is not None:
            on_locked()
        release = target.deploy(Path(build_dir), release_id, {"published_by": user.login, "build_id": release_id})
        with ledger.transaction() as tx:  # under the lock: the register lists switches in their order
            tx.append_event(Event(item_id=None, at=clock.now(), actor=user.login, action="deploy",
                                  data=event_data(actor, {"release": release.id, "build_dir": str(build_dir)})))
        if on_unlocking is not None:
            on_unlocking()
    release_deployed.send("deploy", release=release, actor=user.login)
    return release
