"""Roll the public site back to an earlier release: check the role, switch under the deploy lock, record, announce."""

from __future__ import annotations

from ..auth import Actor
from ..clock import Clock
from ..config import Instance
from ..deploy import Release, deploy_lock, get_target
from ..ledger import Ledger
from ..model import Event
from ..paths import InstancePaths
from ..register import deploys as register
from ..register.records import append
from ..register.stamp import recover
from ..signals import release_rolled_back
from ._transition import event_data, load_site_switcher


def rollback(ledger: Ledger, instance: Instance, paths: InstancePaths, clock: Clock, actor: Actor,
             to: str | None = None, reason: str | None = None) -> Release:
    """Switch the served site to release `to` (default: the one before the current); one event and one record of
    the publication register (the files and items as that release had them); release_rolled_back."""
    user = load_site_switcher(ledger, actor, "Siteyi geri almayı")
    target = get_target(instance, paths, clock)
    with deploy_lock(paths):
        previous = target.current()
        with ledger.transaction() as tx:  # a switch killed before its record is recorded first
            recover(tx, paths.current, clock.now().isoformat())
        release = target.rollback(to=to, by=user.login, at=clock.now())
        # The switch is done and cannot be part of the SQL transaction; the event follows it under the same lock,
        # so the register names every switch of the public site in the order they happened.
        with ledger.transaction() as tx:
            append(tx, register.rollback_record(tx, paths, previous.id if previous else None, release.id, clock.now(),
                                                user.login))
            tx.append_event(Event(item_id=None, at=clock.now(), actor=user.login, action="rollback",
                                  from_state=None, to_state=None, reason=reason,
                                  data=event_data(actor, {"from": previous.id if previous else None,
                                                         "to": release.id})))
    release_rolled_back.send("rollback", release=release, previous=previous, actor=user.login)
    return release
