"""The API is served as JSON in UTF-8 and readable from any origin, by the generated nginx config, by
`publish.py serve` and by the test server alike; the pages are not opened to other origins."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request

import pytest

from ..conftest import REPO
from ..servers import free_port, wait_for_answer

API = "/api/v1/index.json"
PAGE = "/haberler/"


def answer(url: str) -> tuple[dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return {k.lower(): v for k, v in response.headers.items()}, response.read()


def assert_served_as_open_data(base: str) -> None:
    headers, body = answer(base + API)
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert headers["access-control-allow-origin"] == "*"
    assert headers["x-content-type-options"] == "nosniff"   # the security headers stay
    assert json.loads(body)["yayinci"]["ad"] == "Çorum Belediyesi"
    schema_headers, _ = answer(base + "/api/v1/semalar/oge.json")
    assert schema_headers["access-control-allow-origin"] == "*"
    page_headers, _ = answer(base + PAGE)
    assert "access-control-allow-origin" not in page_headers
    assert page_headers["content-type"] == "text/html; charset=utf-8"


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


def test_real_nginx_serves_the_api_as_open_data(nginx, built_demo):
    assert_served_as_open_data(nginx(built_demo))


def test_publish_serve_serves_the_api_as_open_data(served, built_demo):
    assert_served_as_open_data(served)


def test_the_test_server_serves_the_api_as_open_data(demo_url, built_demo):
    assert_served_as_open_data(demo_url)
