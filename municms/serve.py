"""A small local web server for the built site (pretty URLs, the site's own 404 page, the security headers)."""

from __future__ import annotations

import functools
import os
import http.server
from pathlib import Path

from .headers import SECURITY_HEADERS


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    def send_error(self, code, message=None, explain=None):  # noqa: D102
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
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
        super().end_headers()

    def log_message(self, fmt, *args):  # quieter than the default
        pass


def make_server(directory: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_SiteHandler, directory=os.path.abspath(directory))
    return http.server.ThreadingHTTPServer((host, port), handler)


def serve_directory(directory: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve directory until interrupted, printing the address."""
    server = make_server(directory, host, port)
    print(f"Site yayında: http://{host}:{port}/  (klasör: {directory})  — durdurmak için Ctrl+C", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
