"""`publish.py serve` sends the same security headers as the generated nginx config, on pages, assets and the
404 page; the README tells the owner of an rsync target's web server exactly the same values."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from municms.headers import SECURITY_HEADERS
from municms.nginx import server_block

from ..conftest import REPO
from ..servers import free_port, wait_for_answer

NAMES = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy",
         "X-Frame-Options")
PATHS = ("/", "/haberler/", "/theme/css/site.css", "/atom.xml", "/boyle-bir-sayfa-yok/")


def headers_of(url: str) -> dict[str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return dict(response.headers)
    except urllib.error.HTTPError as error:
        return dict(error.headers)


def nginx_config_headers() -> dict[str, str]:
    """The add_header values of the generated server block; every location must send the same set."""
    block = server_block("/srv/municms/current")
    found: dict[str, set[str]] = {}
    for name, value in re.findall(r'add_header ([\w-]+) "([^"]*)" always;', block):
        found.setdefault(name, set()).add(value)
    assert all(len(values) == 1 for name, values in found.items() if name != "Cache-Control"), found
    return {name: values.pop() for name, values in found.items() if name in NAMES}


@pytest.fixture
def served(demo_instance, built_demo):
    """`publish.py serve --dir <built demo>` in a real subprocess; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "publish.py"), "--instance", str(demo_instance()), "serve",
         "--host", "127.0.0.1", "--port", str(port), "--dir", str(built_demo)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_answer(f"http://127.0.0.1:{port}", process, "publish.py serve")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_sends_the_security_headers_of_the_nginx_config(served):
    expected = nginx_config_headers()
    assert sorted(expected) == sorted(NAMES)
    for path in PATHS:
        sent = headers_of(served + path)
        assert {name: sent.get(name) for name in NAMES} == expected, path
    assert "'unsafe-inline'" not in expected["Content-Security-Policy"]


def test_real_nginx_and_serve_send_identical_security_headers(served, nginx, built_demo):
    base = nginx(built_demo)
    for path in PATHS:
        from_nginx, from_serve = headers_of(base + path), headers_of(served + path)
        assert {n: from_nginx.get(n) for n in NAMES} == {n: from_serve.get(n) for n in NAMES}, path


def test_readme_gives_the_far_web_server_the_same_headers():
    """The Apache lines in README (for an rsync target) are the headers serve and nginx send, word for word."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r'^Header always set ([\w-]+) "([^"]*)"$', readme, re.MULTILINE))
    assert documented == SECURITY_HEADERS
