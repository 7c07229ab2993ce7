"""Deploy a build made elsewhere as a release: only a mudur, a yonetici or the instance owner; one event."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..auth import Actor
from ..clock import Clock
from ..config import Instance
from ..deploy import Release, check_deploy_input, deploy_lock, get_target
from ..ledger import Ledger
from ..model import Event
from ..paths import InstancePaths
from ..register import deploys as register
from ..register.stamp import commit as commit_record
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
        check_deploy_input(Path(build_dir), release_id)
        staging = paths.var / "register-staging" / release_id
        shutil.rmtree(staging.parent, ignore_errors=True)  # a killed deploy's copy
        # under the lock and the ledger's write lock: the register lists switches in their order, and the record
        # of the release is written in the transaction that follows its switch
        try:
            with ledger.transaction() as tx:
                stamp = register.deploy_stamp(tx, instance, paths, Path(build_dir), staging, release_id, clock.now(),
                                              user.login)
                release = target.deploy(staging, release_id, {"published_by": user.login, "build_id": release_id},
                                        hashes=stamp.hashes, exact=True)
                commit_record(tx, stamp)
                tx.append_event(Event(item_id=None, at=clock.now(), actor=user.login, action="deploy",
                                      data=event_data(actor, {"release": release.id, "build_dir": str(build_dir)})))
        except OSError as exc:  # the staged copy or the release did not fit: nothing switched, nothing recorded
            from ..health import disk_full, is_disk_full
            if is_disk_full(exc):
                raise disk_full(exc, "yayına alma") from exc
            raise
        finally:
            shutil.rmtree(staging.parent, ignore_errors=True)
        if on_unlocking is not None:
            on_unlocking()
    release_deployed.send("deploy", release=release, actor=user.login)
    return release
