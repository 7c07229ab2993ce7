"""What every API request needs: the instance's services, the token's actor, and item versions (ETag)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ...auth import Actor, AuthenticationFailed, login_with_token
from ...clock import Clock
from ...ledger import Ledger, _Reader
from ...model import Item, state_label
from ...paths import InstancePaths
from .errors import PreconditionFailed, PreconditionRequired


@dataclass(frozen=True)
class Services:
    """The instance the API serves: its configuration, folders, ledger and clock."""

    instance: object
    paths: InstancePaths
    ledger: Ledger
    clock: Clock


def services(request: Request) -> Services:
    """The services of the app the API is part of (create_app keeps them on app.state)."""
    state = request.app.state
    return Services(state.instance, state.paths, state.ledger, state.clock)


bearer = HTTPBearer(auto_error=False, scheme_name="anahtar",
                    description="Kişisel anahtar: `Authorization: Bearer mct1.<kullanıcı>.<gizli>` "
                                "(`publish.py users token KULLANICI` ile alınır).")


def current_actor(credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
                  svc: Services = Depends(services)) -> Actor:
    """The actor a bearer token proves (auth.login_with_token: hashed, revocable, throttled, recorded)."""
    if credentials is None or not credentials.credentials:
        raise AuthenticationFailed("Kimlik doğrulaması gerekli: 'Authorization: Bearer <anahtar>' başlığını "
                                   "gönderin.", "missing bearer token")
    return login_with_token(svc.ledger, credentials.credentials, svc.clock)


def item_etag(reader: _Reader, item: Item) -> str:
    """A strong ETag of the item's current version: anything an action changes changes it (state, revision,
    assignee, time, and the last event, which an acil-duyuru's first approval adds without a new state)."""
    return item_etags(reader, [item])[0]


def item_etags(reader: _Reader, items: list[Item]) -> list[str]:
    """The ETags of a page of items, with one query for their last events."""
    last = reader.last_event_ids([item.id for item in items])
    return [_etag(item, last.get(item.id, 0)) for item in items]


def _etag(item: Item, last_event_id: int) -> str:
    parts = [item.id, item.current_rev, item.state, item.assignee, item.unit, item.reviewer,
             item.updated_at.isoformat() if item.updated_at else "", last_event_id]
    return '"' + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32] + '"'


def require_version(if_match: str | None):
    """An `expect` for the action (checked under the ledger's write lock): the item is still at `if_match`."""
    tags = [tag.strip() for tag in (if_match or "").split(",") if tag.strip()]
    if not tags or tags == ["*"]:
        raise PreconditionRequired(
            "Bu değişiklik için 'If-Match' başlığında kaydın ETag değeri gereklidir (önce kaydı okuyun); "
            "böylece başkasının arada yaptığı değişikliğin üzerine yazılmaz.",
            "If-Match with the item's ETag is required (read the item first)")

    def expect(reader: _Reader, item: Item) -> None:
        current = item_etag(reader, item)
        if current not in tags:  # strong comparison: a weak tag never matches (RFC 9110)
            raise PreconditionFailed(
                f"{item.number} siz okuduktan sonra değişti (şu anki durumu: {state_label(item.state)}); hiçbir şey "
                "değiştirilmedi. Kaydı yeniden okuyup işlemi yeni ETag ile tekrarlayın.",
                f"{item.number} changed since it was read (ETag {current}); nothing was changed")
    return expect
