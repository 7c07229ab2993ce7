"""Roll the public site back to an earlier release (under the deploy lock), then announce it."""

from __future__ import annotations

from ..deploy import Release, deploy_lock, get_target
from ..signals import release_rolled_back


def rollback(instance, paths, clock, actor: str, to: str | None = None) -> Release:
    """Switch the served site to release `to` (default: the one before the current); send release_rolled_back."""
    target = get_target(instance, paths, clock)
    with deploy_lock(paths):
        previous = target.current()
        release = target.rollback(to=to, by=actor, at=clock.now())
    release_rolled_back.send("rollback", release=release, previous=previous, actor=actor)
    return release
