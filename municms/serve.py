"""`publish.py serve`'s web front: the deployed site at / and the editorial app at /yonetim/, with the security
headers of municms.headers on every response (municms.serve_workers runs it in one or N uvicorn processes).

The site is read from `var/current` (a symlink switched atomically per deploy), resolved once per request, so
a request is answered entirely from one release. `make_server` is the plain file server of the site alone
(tests serve a built folder with it)."""

from __future__ import annotations

import functools
import http.server
import io
import os
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount

from .fragments import resolve_includes
from .headers import API_HEADERS, API_PREFIX, SECURITY_HEADERS, DefaultHeaders

EDITORIAL_PREFIX = "/yonetim"
# types the site's files need whatever the machine's mime tables say (nginx.py sends the same)
SITE_TYPES = {".webmanifest": "application/manifest+json", ".ico": "image/x-icon", ".webp": "image/webp",
              ".json": "application/json; charset=utf-8"}


class SiteFiles:
    """ASGI app serving a built site: index.html for folders, the site's own 404.html, GET and HEAD only."""

    def __init__(self, directory: Path | Callable[[], Path]):
        self._directory = directory if callable(directory) else (lambda: Path(directory))

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return
        response = self.response(scope["method"], scope["path"], scope.get("query_string", b""))
        await response(scope, receive, send)

    def response(self, method: str, path: str, query: bytes) -> Response:
        if method not in ("GET", "HEAD"):
            return PlainTextResponse("Method Not Allowed", status_code=405, headers={"Allow": "GET, HEAD"})
        root = Path(os.path.realpath(self._directory()))   # one release for the whole request
        parts = [part for part in path.split("/") if part not in ("", ".")]
        target = root.joinpath(*parts) if ".." not in parts else None
        if target is not None and target.is_dir():
            if not path.endswith("/"):  # relative Location, like nginx with absolute_redirect off
                location = quote(path) + "/" + (f"?{query.decode('latin-1')}" if query else "")
                return RedirectResponse(location, status_code=301)
            target = target / "index.html"
        if target is not None and target.is_file() and _inside(target, root):
            if target.suffix == ".html":
                return _page(target, root, 200)
            return FileResponse(target, media_type=SITE_TYPES.get(target.suffix.lower()),
                                headers=API_HEADERS if path.startswith(API_PREFIX) else None)
        page = root / "404.html"
        if page.is_file():
            return _page(page, root, 404)
        return PlainTextResponse("Not Found", status_code=404)


def _page(path: Path, root: Path, status: int) -> Response:
    """An HTML page with the banner of its own release included, as nginx's `ssi` gives it: no ETag or
    Last-Modified, since the answer is made of two files (municms/fragments.py)."""
    return Response(resolve_includes(path.read_bytes(), root), status_code=status,
                    media_type="text/html; charset=utf-8")


def _inside(path: Path, root: Path) -> bool:
    """Is path a file of the release at root: inside it, or inside one of its shards (a symlink of the release
    to a folder of <var>/shards/, as municms.deploy.shards composes releases)?"""
    real = os.path.realpath(path)
    if _within(real, str(root)):
        return True
    shards, folder = os.path.join(os.path.dirname(os.path.dirname(root)), "shards"), str(root)
    for part in path.relative_to(root).parts:
        folder = os.path.join(folder, part)
        if os.path.islink(folder):  # the first symlink on the way must be a shard, and the file inside it
            shard = os.path.realpath(folder)
            return os.path.dirname(shard) == shards and _within(real, shard)
    return False


def _within(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


class SecurityHeaders(DefaultHeaders):
    """The headers the generated nginx config sends, on every response (spelled as nginx spells them)."""

    def __init__(self, app):
        super().__init__(app, SECURITY_HEADERS)


def site_and_editorial_app(site_dir: Path | Callable[[], Path], editorial) -> SecurityHeaders:
    """The whole web front of `serve`: the editorial app at /yonetim/, the seminar registration form's
    endpoint at /kayit/ (on the editorial app's instance, ledger and clock), the site everywhere else."""
    from .web.registration import PREFIX, registration_app

    state = editorial.state
    registration = registration_app(state.instance, state.ledger, state.clock)
    routes = [Mount(EDITORIAL_PREFIX, app=editorial), Mount(PREFIX, app=registration),
              Mount("", app=SiteFiles(site_dir))]
    return SecurityHeaders(Starlette(routes=routes))


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **SITE_TYPES}

    def send_head(self):  # noqa: D102 - HTML pages get the banner included (municms/fragments.py)
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if not path.endswith(".html") or not os.path.isfile(path):
            return super().send_head()
        body = resolve_includes(Path(path).read_bytes(), Path(self.directory))
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def send_error(self, code, message=None, explain=None):  # noqa: D102
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = resolve_includes(page.read_bytes(), Path(self.directory))
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def end_headers(self):  # noqa: D102
        for name, value in SECURITY_HEADERS.items():  # the same set the nginx config sends
            self.send_header(name, value)
        if self.path.startswith(API_PREFIX):
            for name, value in API_HEADERS.items():
                self.send_header(name, value)
        super().end_headers()

    def log_message(self, fmt, *args):  # quieter than the default
        pass


def make_server(directory: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_SiteHandler, directory=os.path.abspath(directory))
    return http.server.ThreadingHTTPServer((host, port), handler)
