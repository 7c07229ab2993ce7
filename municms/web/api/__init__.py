"""The JSON API of the editorial app: /yonetim/api/v1/… (token auth, the same actions and permissions as the
command line) and a Turkish reference page at /yonetim/api/; the app serves the OpenAPI document of these
routes at /yonetim/api/openapi.json.

`router` is what create_app includes; every route answers errors with the one error object (errors.ApiRoute),
and `error_response` answers the app's own errors below /api/ (an unknown address) the same way.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException

from ...errors import MunicmsError, NotFound
from . import docs, editing, items, releases, seminars, submit, workflow
from .errors import ApiRoute, BadRequest
from .errors import error_response as _error_response

v1 = APIRouter(prefix="/api/v1", route_class=ApiRoute)
for part in (items, submit, workflow, editing, releases, seminars):
    v1.include_router(part.router)

router = APIRouter(route_class=ApiRoute)
router.include_router(v1)
router.include_router(docs.make_router())


def error_response(request: Request, exc: Exception):
    """The error object for an error the app raised outside an API route (no such address, wrong method)."""
    if isinstance(exc, MunicmsError):
        return _error_response(exc)
    status = getattr(exc, "status_code", 500) if isinstance(exc, HTTPException) else 500
    if status == 404:
        return _error_response(NotFound("Bu adreste bir API uç noktası yok.", f"no endpoint at {request.url.path}"))
    error = BadRequest("Bu adres bu istek türünü kabul etmiyor." if status == 405 else "İstek işlenemedi.",
                       f"HTTP {status}")
    response = _error_response(error)
    response.status_code = status if 400 <= status < 500 else 400
    return response
