"""Real nginx serving var/current: generated config, headers, 404 page, and atomic switches under load."""

from __future__ import annotations

import hashlib
import http.client
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from municms.deploy import get_target
from municms.deploy.shards import plan_tree
from municms.fragments import resolve_includes
from municms.nginx import CSP
from tests.servers import assert_valid_in_http_block

from .conftest import CHANGED_PAGE, REPO, free_port, release_id, tree

PAGES = ["/", "/haberler/", "/haberler/2026/", f"/{CHANGED_PAGE}", "/kvkk/", "/duyurular/", "/theme/css/site.css"]


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_cli_config_is_accepted_by_nginx(make_instance, tmp_path):
    instance, paths = make_instance()
    prefix, out = tmp_path / "ng", tmp_path / "ng" / "nginx.conf"
    cli = [sys.executable, "publish.py", "--instance", str(paths.root), "nginx-config"]
    done = subprocess.run(cli + ["--standalone", str(prefix), "--port", str(free_port()), "--output", str(out)],
                          cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    check = subprocess.run(["nginx", "-t", "-p", str(prefix), "-c", str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert "test is successful" in check.stderr

    block = subprocess.run(cli + ["--port", "8080", "--server-name", "www.deneme.bel.tr"], cwd=REPO,
                           capture_output=True, text=True, check=True).stdout
    assert block.startswith("server {\n    listen 8080;\n    server_name www.deneme.bel.tr;\n")
    assert f"    root {paths.current};\n" in block
    for line in ("try_files $uri $uri/ =404;", "error_page 404 /404.html;", "charset utf-8;", "gzip on;",
                 "disable_symlinks off;", f'add_header Content-Security-Policy "{CSP}" always;'):
        assert line in block, line
    assert "'unsafe-inline'" not in block
    assert "    location /yonetim/ {\n        proxy_pass http://127.0.0.1:8000;\n" in block  # publish.py serve
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in block
    # the seminar registration form's endpoint: the client's address set (never a list it began), a small body
    kayit = block[block.index("    location ^~ /kayit/ {"):]
    kayit = kayit[:kayit.index("    }\n") + 6]
    assert kayit == ("    location ^~ /kayit/ {\n        proxy_pass http://127.0.0.1:8000;\n"
                     "        proxy_set_header Host $http_host;\n        proxy_set_header X-Real-IP $remote_addr;\n"
                     "        proxy_set_header X-Forwarded-For $remote_addr;\n"
                     "        proxy_set_header X-Forwarded-Proto $scheme;\n        proxy_redirect off;\n"
                     "        client_max_body_size 32k;\n    }\n")
    elsewhere = subprocess.run(cli + ["--upstream", "10.0.0.5:8100"], cwd=REPO, capture_output=True, text=True,
                               check=True).stdout
    assert "    location /yonetim/ {\n        proxy_pass http://10.0.0.5:8100;\n" in elsewhere
    assert "    location ^~ /kayit/ {\n        proxy_pass http://10.0.0.5:8100;\n" in elsewhere
    assert_valid_in_http_block(block, tmp_path / "wrap")  # the bare server block, inside any http {} block


def test_headers_caching_gzip_and_404(make_instance, variants, nginx):
    instance, paths = make_instance()
    build_dir = variants(1)
    get_target(instance, paths).deploy(build_dir, release_id(1), {})
    base = nginx(paths.current)

    status, headers, body = fetch(base + "/")
    assert status == 200 and body == resolve_includes((build_dir / "index.html").read_bytes(), build_dir)
    assert b'<!--#include' in (build_dir / "index.html").read_bytes() and b'<!--#include' not in body
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Permissions-Policy"] == "geolocation=(), camera=(), microphone=()"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cache-Control"] == "no-cache"
    # a page is answered with the banner fragment included: no validator, so no 304 can keep an old banner
    assert "ETag" not in headers and "Last-Modified" not in headers
    status, _, _ = fetch(base + "/", {"If-Modified-Since": "Sun, 01 Jan 2090 00:00:00 GMT"})
    assert status == 200
    status, headers, _ = fetch(base + "/theme/css/site.css")
    status, _, _ = fetch(base + "/theme/css/site.css", {"If-None-Match": headers["ETag"]})
    assert status == 304

    assert fetch(base + "/atom.xml")[1]["Cache-Control"] == "no-cache"
    assert fetch(base + "/seminerler.ics")[1]["Content-Type"] == "text/calendar; charset=utf-8"
    status, headers, body = fetch(base + "/manifest.webmanifest")
    assert (status, headers["Content-Type"]) == (200, "application/manifest+json; charset=utf-8")
    assert json.loads(body)["name"] == "Deneme Belediyesi" and headers["X-Content-Type-Options"] == "nosniff"
    assert fetch(base + "/favicon.ico")[1]["Content-Type"] == "image/x-icon"
    assert fetch(base + "/apple-touch-icon.png")[1]["Content-Type"] == "image/png"
    status, headers, _ = fetch(base + "/theme/css/site.css", {"Accept-Encoding": "gzip"})
    assert (status, headers["Cache-Control"], headers["Content-Encoding"]) == (200, "public, max-age=300", "gzip")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert fetch(base + "/pagefind/pagefind.js")[1]["Cache-Control"] == "public, max-age=300"
    fragment = sorted((build_dir / "pagefind" / "fragment").iterdir())[0].name
    status, headers, _ = fetch(f"{base}/pagefind/fragment/{fragment}")
    assert (status, headers["Cache-Control"]) == (200, "public, max-age=31536000, immutable")

    status, headers, body = fetch(base + "/olmayan-sayfa/")
    assert status == 404 and body == resolve_includes((build_dir / "404.html").read_bytes(), build_dir)
    assert headers["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'")
    assert fetch(base + "/theme/olmayan.css")[0] == 404
    connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=10)
    connection.request("GET", "/haberler")
    response = connection.getresponse()
    assert (response.status, response.getheader("Location")) == (301, "/haberler/")  # relative: proxy-safe
    connection.close()


class Client(threading.Thread):
    """Fetches `pages` (PAGES and surum.json) in a loop with `get` (this module's fetch); records each answer with
    the moments before and after it."""

    def __init__(self, base: str, stop: threading.Event, pages: list[str] | None = None, get=None):
        super().__init__(daemon=True)
        self.base, self.stop = base, stop
        self.pages, self.get = pages or PAGES + ["/surum.json"], get or fetch
        self.answers, self.failures = [], []

    def run(self) -> None:
        while not self.stop.is_set():
            for page in self.pages:
                started = time.monotonic()
                try:
                    status, _, body = self.get(self.base + page)
                except Exception as exc:  # a reset connection is a failure too
                    self.failures.append((page, repr(exc)))
                    continue
                self.answers.append((page, status, body, started, time.monotonic()))


class Timeline:
    """When each release may have become current: (before, after) the deploy or rollback that switched to it."""

    def __init__(self):
        self.switches: list[tuple[float, float, str]] = []

    def switch(self, action, rid: str) -> None:
        before = time.monotonic()
        action()
        self.switches.append((before, time.monotonic(), rid))

    def current_during(self, start: float, end: float) -> set[str]:
        """Releases that may have been current at some moment between start and end."""
        found = set()
        for i, (before, _, rid) in enumerate(self.switches):
            replaced_by = self.switches[i + 1][1] if i + 1 < len(self.switches) else float("inf")
            if before <= end and replaced_by >= start:
                found.add(rid)
        return found


def served(root: Path) -> dict[str, str]:
    """tree() as nginx answers it: every HTML page with the banner fragment of its release included."""
    out = tree(root)
    for rel in out:
        if rel.endswith(".html"):
            out[rel] = hashlib.sha256(resolve_includes((Path(root) / rel).read_bytes(), Path(root))).hexdigest()
    return out


def rel_path(page: str) -> str:
    return page.lstrip("/") + ("index.html" if page.endswith("/") else "")


@pytest.mark.slow
def test_switches_are_atomic_under_load(make_instance, variants, nginx):
    """Releases share most files (shards), so no page names its release: every file fetched while releases are
    switched must equal, hash for hash, that file of a release that was current during the request, and
    surum.json must name such a release with its file list's hash."""
    instance, paths = make_instance("deploy: {keep_releases: 3}")
    target = get_target(instance, paths)
    builds = {release_id(n): variants(n, changed=n % 2 == 1) for n in range(21)}  # odd ones change one article
    manifests = {rid: served(build) for rid, build in builds.items()}
    digests = {rid: plan_tree(build).tree_digest() for rid, build in builds.items()}
    timeline = Timeline()
    timeline.switch(lambda: target.deploy(builds[release_id(0)], release_id(0), {}), release_id(0))
    stop = threading.Event()
    base = nginx(paths.current)
    clients = [Client(base, stop) for _ in range(2)]
    for client in clients:
        client.start()
    try:
        for n in range(1, 21):
            timeline.switch(lambda: target.deploy(builds[release_id(n)], release_id(n), {}), release_id(n))
            if n % 4 == 0:
                timeline.switch(target.rollback, release_id(n - 1))
            if n % 5 == 0:
                to = release_id(n - 1) if n % 4 else release_id(n)
                timeline.switch(lambda: target.rollback(to=to), to)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=30)

    failures = [f for client in clients for f in client.failures]
    seen, changed_versions = set(), set()
    for page, status, body, start, end in (a for client in clients for a in client.answers):
        candidates = timeline.current_during(start, end)
        if status != 200:
            failures.append((page, status))
        elif page == "/surum.json":
            said = json.loads(body)
            if said["release"] not in candidates or said["sha256"] != digests[said["release"]]:
                failures.append((page, said, sorted(candidates)))
            seen.add(said["release"])
        else:
            digest = hashlib.sha256(body).hexdigest()
            if not any(manifests[rid][rel_path(page)] == digest for rid in candidates):
                failures.append((page, "not the file of a release current during the request", sorted(candidates)))
            if page == f"/{CHANGED_PAGE}":
                changed_versions.add(digest)
    assert failures == []
    assert sum(len(client.answers) for client in clients) > 200
    assert len(seen) >= 5 and len(changed_versions) >= 3
    assert target.current().id == release_id(20)
