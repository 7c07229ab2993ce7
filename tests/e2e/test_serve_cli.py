"""`publish.py serve` in a real subprocess serves the built site on loopback, with the site's own 404 page."""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from municms.fragments import resolve_includes

from ..conftest import REPO
from ..servers import free_port


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


@pytest.fixture
def serve_process(demo_instance, built_demo):
    """`publish.py serve --dir <built demo>` running on a free port; yields its base URL and first output line."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "publish.py"), "--instance", str(demo_instance()), "serve",
         "--host", "127.0.0.1", "--port", str(port), "--dir", str(built_demo)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first_line = process.stdout.readline()
        yield f"http://127.0.0.1:{port}", first_line
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_prints_its_address_and_serves_the_home_page(serve_process, built_demo):
    url, first_line = serve_process
    assert f"{url}/" in first_line
    status, body = fetch(url + "/")
    assert status == 200
    assert body == resolve_includes((built_demo / "index.html").read_bytes(), built_demo).decode("utf-8")
    status, body = fetch(url + "/haberler/")
    assert (status, body) == (200, resolve_includes((built_demo / "haberler" / "index.html").read_bytes(),
                                                    built_demo).decode("utf-8"))


def test_serve_answers_an_unknown_path_with_404_and_the_sites_page(serve_process, built_demo):
    url, _ = serve_process
    status, body = fetch(url + "/boyle-bir-sayfa-yok/")
    assert status == 404
    assert body == resolve_includes((built_demo / "404.html").read_bytes(), built_demo).decode("utf-8")
