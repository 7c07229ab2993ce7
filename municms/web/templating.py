"""Jinja2 for the editorial app: autoescape on, Turkish filters, and the helpers every template may use."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi import Request
from fastapi.routing import iter_route_contexts
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse
from starlette.routing import NoMatchFound

from ..actions.users import acting_user
from ..model import ROLE_LABELS_TR, state_label
from ..turkish import format_moment

TEMPLATES = Path(__file__).parent / "templates"
CSRF_FIELD = "csrf_token"


def _moment(value: dt.datetime | None) -> str:
    return format_moment(value, "d MMMM y HH:mm") if value else ""


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    env = templates.env
    env.autoescape = True   # every value is text; only municms.sanitize.trusted_html may mark body HTML safe
    env.auto_reload = False  # templates ship with the code: compiled once per process, no stat() per render
    env.filters["state_label"] = state_label
    env.filters["moment"] = _moment
    env.filters["role_label"] = lambda role: ROLE_LABELS_TR.get(role, role)
    return templates


class RouteIndex:
    """The app's routes by name. FastAPI's url_path_for walks every route of the app per call, and a page of
    the queue asks for a link per row; here the walk is done once per set of routes."""

    def __init__(self, app):
        self.size = len(app.routes)
        self._by_name: dict[str, list] = {}
        for route in iter_route_contexts(app.routes):
            if route.name:
                self._by_name.setdefault(route.name, []).append(route)

    def has(self, name: str) -> bool:
        return name in self._by_name

    def path(self, name: str, **params) -> str:
        for route in self._by_name.get(name, ()):
            try:
                return str(route.url_path_for(name, **params))
            except NoMatchFound:
                continue
        raise NoMatchFound(name, params)


def routes(app) -> RouteIndex:
    """The app's RouteIndex, built again if routes were added since (a screen another module adds later)."""
    index = getattr(app.state, "route_index", None)
    if index is None or index.size != len(app.routes):
        index = app.state.route_index = RouteIndex(app)
    return index


def url(request: Request, name: str, **params) -> str:
    """The path of a named route of the app, below wherever the app is mounted (/yonetim)."""
    return request.scope.get("root_path", "") + routes(request.app).path(name, **params)


def has_route(request: Request, name: str) -> bool:
    """Whether the app has a route of that name (a screen another module may add later)."""
    return routes(request.app).has(name)


def csrf_field(request: Request) -> Markup:
    """The hidden CSRF input of a form: the session's token, or the pre-login token of the login form."""
    token = getattr(request.state, "csrf_token", "") or ""
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(token)}">')


def render(request: Request, template: str, context: dict | None = None, *, actor=None,
           status_code: int = 200) -> HTMLResponse:
    """A page of the app. `actor` (the logged-in user) shows the navigation and the logout button; a draft
    kept for this screen after an expired session is in `draft_fields` (a form fills its fields from it)."""
    app = request.app
    user = acting_user(app.state.ledger, actor) if actor is not None else None
    draft = None
    if actor is not None and request.method == "GET":
        from ..actions.drafts import draft_for
        draft = draft_for(app.state.ledger, actor, draft_key(request))
    values = {
        "request": request, "user": user, "municipality": app.state.instance.municipality,
        "draft_fields": (draft or {}).get("fields", {}), "draft": draft,
        "url": lambda name, **params: url(request, name, **params),
        "has_route": lambda name: has_route(request, name),
        "csrf_field": lambda: csrf_field(request),
        **(context or {}),
    }
    return app.state.templates.TemplateResponse(request, template, values, status_code=status_code)


def draft_key(request: Request) -> str:
    """The screen a draft belongs to: its path below the mount, with the query string."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")
