"""`create_app`: the editorial app's factory. Mounted at /yonetim/ by `publish.py serve` (municms.serve)."""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import pkgutil
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response
from starlette.types import Scope

from ..attachments import size_tr
from ..clock import Clock, SystemClock
from ..config import Instance, load_instance
from ..errors import NotFound, PermissionDenied, TooLarge
from ..headers import DefaultHeaders
from ..db import ledger_target
from ..ledger import Ledger, open_ledger
from ..paths import InstancePaths
from . import views
from .body_limit import BodyLimit, upload_limit
from .session import SESSION_COOKIE, CsrfFailed, LoginRequired, delete_cookie, login_url, verify_csrf
from .templating import make_templates, render

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
API_PACKAGE = Path(__file__).parent / "api" / "__init__.py"


def create_app(instance: Instance | str | Path, *, clock: Clock | None = None,
               ledger: Ledger | None = None) -> FastAPI:
    """The editorial app of `instance` (an Instance or its folder); routes are relative to its mount point."""
    if not isinstance(instance, Instance):
        instance = load_instance(instance)
    app = FastAPI(title=f"{instance.municipality.name} — Yönetim", openapi_url="/api/openapi.json",
                  docs_url=None, redoc_url=None)   # the stock docs pages load third-party scripts
    app.state.instance = instance
    app.state.paths = InstancePaths(instance.root)
    app.state.ledger = ledger or open_ledger(ledger_target(instance, app.state.paths))
    app.state.clock = clock or SystemClock(instance.tz)
    app.state.idle_timeout = dt.timedelta(minutes=instance.editorial.idle_minutes)
    app.state.templates = make_templates()

    app.add_middleware(NoStore)
    _add_error_pages(app)
    limit = upload_limit(instance)
    app.add_middleware(BodyLimit, limit=limit, refusal=lambda scope: _too_large(scope, limit))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in view_modules():
        include_view(app, module.router)
    app.state.api_errors = None
    if API_PACKAGE.is_file():
        from . import api
        app.include_router(api.router)
        # The API answers its own errors as JSON objects: `error_response(request, exc)` if it defines one.
        app.state.api_errors = getattr(api, "error_response", None)
    return app


class NoStore(DefaultHeaders):
    """`Cache-Control: no-store` on every answer that does not set its own (pages of one user are never cached);
    plain ASGI: an @app.middleware("http") function costs a task and a stream per request."""

    def __init__(self, app):
        super().__init__(app, {"cache-control": "no-store"})


def view_modules() -> list:
    """Every module of municms.web.views, in name order; each exposes `router`."""
    names = sorted(info.name for info in pkgutil.iter_modules(views.__path__) if not info.name.startswith("_"))
    return [importlib.import_module(f"{views.__name__}.{name}") for name in names]


def include_view(app: FastAPI, router: APIRouter) -> None:
    """A screen router: HTML only (not in the API schema), every POST's CSRF token verified first."""
    app.include_router(router, dependencies=[Depends(verify_csrf)], include_in_schema=False)


def _error_page(request: Request, status: int, title: str, message: str, exc: Exception | None = None):
    api_errors = request.app.state.api_errors
    if api_errors is not None and exc is not None and _is_api(request):
        return api_errors(request, exc)
    actor = getattr(request.state, "actor", None)
    return render(request, "error.html", {"title": title, "message": message, "status": status},
                  actor=actor, status_code=status)


def _too_large(scope: Scope, limit: int) -> Response:
    """The 413 page (or the API's error object) of a request body above the upload limit."""
    message = (f"Gönderdiğiniz veri çok büyük: bir istekte en çok {size_tr(limit)} gönderilebilir (ekler ve "
               "form birlikte). Hiçbir şey kaydedilmedi; büyük ekleri küçültüp ya da ayrı gönderilerle yeniden "
               "deneyin.")
    response = _error_page(Request(scope), 413, "Gönderi çok büyük", message,
                           TooLarge(message, f"request body above {limit} bytes"))
    # The rest of the body is never read: the connection cannot carry another request after this answer.
    response.headers.update({"Cache-Control": "no-store", "Connection": "close"})
    return response


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(request.scope.get("root_path", "") + "/api/")


def _add_error_pages(app: FastAPI) -> None:
    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, exc: CsrfFailed):
        log.warning("CSRF token missing or wrong: %s %s", request.method, request.url.path)
        return _error_page(request, 403, "Güvenlik denetimi başarısız",
                           "Form, güvenlik anahtarı eksik ya da geçersiz olduğu için işlenmedi; hiçbir şey "
                           "değiştirilmedi. Sayfayı yeniden açıp formu tekrar gönderin.")

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired):
        response = RedirectResponse(login_url(request, exc.next_path, exc.reason), status_code=303)
        if SESSION_COOKIE in request.cookies:
            delete_cookie(response, request, SESSION_COOKIE)
        return response

    @app.exception_handler(PermissionDenied)
    async def permission_denied(request: Request, exc: PermissionDenied):
        return _error_page(request, 403, "Erişim izniniz yok", exc.message_tr, exc)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return _error_page(request, 404, "Bulunamadı", exc.message_tr, exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return _error_page(request, 404, "Sayfa bulunamadı", "Aradığınız yönetim sayfası yok.", exc)
        if exc.status_code == 405:
            return _error_page(request, 405, "İzin verilmeyen istek", "Bu adres bu istek türünü kabul etmiyor.",
                               exc)
        return _error_page(request, exc.status_code, "İstek işlenemedi", "İstek işlenemedi.", exc)
