"""nginx configuration for the deployed site: a server block, or a standalone nginx.conf for tests.

nginx resolves `root` (through the `var/current` symlink) on every request, so switching the symlink is
atomic for new requests; a request already being answered keeps the file it opened.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .headers import API_HEADERS, API_PREFIX, CSP, SECURITY_HEADERS  # noqa: F401 - CSP is part of the interface

# Only files whose names carry a content hash (Pagefind's fragments and indexes, hashed theme assets)
# may be cached for a year; everything else is revalidated.
HASHED_ASSET = r'"^/(theme|pagefind)/.*[._-][0-9a-f]{7,}(\.[A-Za-z0-9_]+)+$"'
CACHE_HASHED = "public, max-age=31536000, immutable"
CACHE_ASSET = "public, max-age=300"
CACHE_PAGE = "no-cache"

# besides text/html, which nginx's charset module always includes
CHARSET_TYPES = ("text/css application/javascript application/json application/atom+xml text/xml application/xml "
                 "text/calendar text/plain application/manifest+json")
GZIP_TYPES = ("text/css application/javascript text/javascript application/json application/atom+xml "
              "application/rss+xml application/xml text/xml image/svg+xml text/calendar text/plain "
              "application/manifest+json image/x-icon")


# Pages include the emergency banner of their release (municms/fragments.py): server-side includes only where the
# site's own pages are answered (never for the app behind /yonetim/ or /kayit/), only in text/html (ssi_types'
# default). nginx drops ETag and Last-Modified of an answer it runs SSI on, so a revalidated page is sent whole,
# never a 304 that would keep an ended banner or hide a new one. A missing fragment (a release built before it)
# includes nothing.
_SSI = "{i2}ssi on;\n{i2}ssi_silent_errors on;\n"


_HASHED_RE = re.compile(HASHED_ASSET.strip('"'), re.IGNORECASE)


def cache_control(rel: str) -> str:
    """The Cache-Control the generated config sends for the site file at rel (a path inside the release): the
    locations of server_block, in nginx's order (^~ prefix, then the regular expressions, then the longest
    prefix)."""
    uri = "/" + rel.lstrip("/")
    if uri.startswith(API_PREFIX):
        return CACHE_PAGE
    if _HASHED_RE.search(uri):
        return CACHE_HASHED
    if uri.lower().endswith((".ics", ".webmanifest")):
        return CACHE_PAGE
    if uri.startswith(("/theme/", "/pagefind/")):
        return CACHE_ASSET
    return CACHE_PAGE


def _headers(cache: str, indent: str, extra: dict[str, str] | None = None) -> str:
    lines = [f'add_header Cache-Control "{cache}" always;']
    headers = {**SECURITY_HEADERS, **(extra or {})}
    lines += [f'add_header {name} "{value}" always;' for name, value in headers.items()]
    return "".join(f"{indent}{line}\n" for line in lines)


DEFAULT_UPSTREAM = "127.0.0.1:8000"   # `publish.py serve`, which runs the editorial app
EDITORIAL_MAX_BODY = "64m"            # submissions with attachments are uploaded through the app
REGISTRATION_MAX_BODY = "32k"         # the registration form's few fields; serve answers 16-32 KB in Turkish


def _editorial(upstream: str, i1: str, i2: str, lead: tuple[str, ...] = ()) -> str:
    """/yonetim/ goes to `serve` (it sends its own security headers and no-store); `lead`: lines each of these
    locations starts with."""
    first = "".join(f"{i2}{line}\n" for line in lead)
    lines = [*lead, f"proxy_pass http://{upstream};", "proxy_set_header Host $host;",
             "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
             "proxy_set_header X-Forwarded-Proto $scheme;", "proxy_redirect off;",
             f"client_max_body_size {EDITORIAL_MAX_BODY};"]
    return (f"{i1}location = /yonetim {{\n{first}{i2}return 301 /yonetim/;\n{i1}}}\n\n"
            f"{i1}location /yonetim/ {{\n" + "".join(f"{i2}{line}\n" for line in lines) + f"{i1}}}\n\n")


def _registration(upstream: str, i1: str, i2: str, lead: tuple[str, ...] = ()) -> str:
    """/kayit/ (the public seminar registration form's endpoint) goes to `serve` too, matched before any regular
    expression location. The client's address is *set* (X-Real-IP and X-Forwarded-For both $remote_addr, never a
    list the client began): serve counts the form's rate limit by it when the request comes from this machine,
    and uvicorn, trusting a loopback peer's X-Forwarded-For, would otherwise take a client-written entry. Host
    keeps the port, for serve's Origin check."""
    lines = [*lead, f"proxy_pass http://{upstream};", "proxy_set_header Host $http_host;",
             "proxy_set_header X-Real-IP $remote_addr;", "proxy_set_header X-Forwarded-For $remote_addr;",
             "proxy_set_header X-Forwarded-Proto $scheme;", "proxy_redirect off;",
             f"client_max_body_size {REGISTRATION_MAX_BODY};"]
    return f"{i1}location ^~ /kayit/ {{\n" + "".join(f"{i2}{line}\n" for line in lines) + f"{i1}}}\n\n"


def server_block(root: Path | str, port: int = 80, listen: str = "", server_name: str = "_",
                 upstream: str = DEFAULT_UPSTREAM) -> str:
    """A `server { … }` block serving root (normally <instance>/var/current) and proxying /yonetim/ and
    /kayit/ to `publish.py serve` at upstream (host:port)."""
    address = f"{listen}:{port}" if listen else str(port)
    i1, i2 = "    ", "        "
    return (
        "server {\n"
        f"{i1}listen {address};\n"
        f"{i1}server_name {server_name};\n"
        f"{i1}root {Path(root)};\n"
        f"{i1}index index.html;\n"
        f"{i1}disable_symlinks off;  # var/current is a symlink switched atomically per deploy\n"
        f"{i1}server_tokens off;\n"
        f"{i1}charset utf-8;\n"
        f"{i1}charset_types {CHARSET_TYPES};\n"
        f"{i1}etag on;\n"
        f"{i1}gzip on;\n"
        f"{i1}gzip_vary on;\n"
        f"{i1}gzip_min_length 256;\n"
        f"{i1}gzip_types {GZIP_TYPES};\n"
        f"{i1}absolute_redirect off;\n"
        f"{i1}error_page 404 /404.html;\n\n"
        f"{_editorial(upstream, i1, i2)}"
        f"{_registration(upstream, i1, i2)}"
        f"{i1}location / {{\n{i2}try_files $uri $uri/ =404;\n{_SSI.format(i2=i2)}{_headers(CACHE_PAGE, i2)}{i1}}}\n\n"
        f"{i1}location ~* {HASHED_ASSET} {{\n{i2}try_files $uri =404;\n{_headers(CACHE_HASHED, i2)}{i1}}}\n\n"
        f"{i1}location ~* \\.ics$ {{\n{i2}types {{ }}\n{i2}default_type text/calendar;\n"
        f"{i2}try_files $uri =404;\n{_headers(CACHE_PAGE, i2)}{i1}}}\n\n"
        f"{i1}location ~* \\.webmanifest$ {{\n{i2}types {{ }}\n{i2}default_type application/manifest+json;\n"
        f"{i2}try_files $uri =404;\n{_headers(CACHE_PAGE, i2)}{i1}}}\n\n"
        # the open data (.json as application/json; charset=utf-8 from mime.types and charset_types), readable
        # from any origin; ^~: before the regular expressions above
        f"{i1}location ^~ {API_PREFIX} {{\n{i2}try_files $uri =404;\n{_headers(CACHE_PAGE, i2, API_HEADERS)}{i1}}}\n\n"
        f"{i1}location /theme/ {{\n{i2}try_files $uri =404;\n{_headers(CACHE_ASSET, i2)}{i1}}}\n\n"
        f"{i1}location /pagefind/ {{\n{i2}try_files $uri =404;\n{_headers(CACHE_ASSET, i2)}{i1}}}\n\n"
        f"{i1}location = /404.html {{\n{_SSI.format(i2=i2)}{_headers(CACHE_PAGE, i2)}{i1}}}\n"
        "}\n"
    )


def standalone_conf(prefix: Path, root: Path | str, port: int, listen: str = "127.0.0.1",
                    upstream: str = DEFAULT_UPSTREAM, store=None) -> str:
    """A complete nginx.conf runnable as `nginx -p PREFIX -c PREFIX/nginx.conf` without privileges; serving root,
    or with `store` (municms.nginx_s3.Store) the live release of an s3 target's bucket."""
    prefix = Path(prefix)
    temp = "".join(f"    {kind}_temp_path {prefix / 'tmp' / kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read files private to the caller
    if store is not None:
        from .nginx_s3 import s3_server_block
        block = s3_server_block(store, port, listen, upstream=upstream)
    else:
        block = server_block(root, port, listen, upstream=upstream)
    block = block.replace("\n", "\n    ").replace("\n    \n", "\n\n").rstrip() + "\n"
    return (
        f"{user}worker_processes 1;\n"
        "daemon off;\n"
        f"pid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        "    default_type application/octet-stream;\n"
        f"    access_log {prefix / 'access.log'};\n"
        f"{temp}"
        "    sendfile on;\n"
        f"    {block}"
        "}\n"
    )


def prepare_prefix(prefix: Path) -> None:
    """Create the folders a standalone nginx writes to."""
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (Path(prefix) / "tmp" / kind).mkdir(parents=True, exist_ok=True)
