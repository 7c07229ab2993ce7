"""Releases of the public site (who published what, which one is live); for any authenticated user."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from ...actions._transition import load_actor
from ...auth import Actor
from ...deploy import get_target
from .deps import Services, current_actor, services
from .errors import ApiRoute, errors
from .schemas import ReleaseOut, release_out

router = APIRouter(route_class=ApiRoute, tags=["yayınlar"])


@router.get("/releases", response_model=list[ReleaseOut], responses=errors(),
            summary="Sitenin yayınları (sürümleri), en yenisi başta; yayında olanda current=true")
def list_releases(actor: Actor = Depends(current_actor), svc: Services = Depends(services)) -> list[ReleaseOut]:
    load_actor(svc.ledger, actor)  # an active user, as for every other read
    return [release_out(release) for release in get_target(svc.instance, svc.paths).releases()]
