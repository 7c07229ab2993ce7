"""One process serves both: the deployed site at / (following var/current per request) and the editorial app
at /yonetim/; nginx proxies /yonetim/ to it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

from fastapi.testclient import TestClient

from municms.headers import SECURITY_HEADERS
from municms.nginx import prepare_prefix, standalone_conf
from municms.serve import site_and_editorial_app
from tests.conftest import REPO, require
from tests.servers import free_port, wait_for_port

from .conftest import BASE, csrf_of, page


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, data: bytes | None = None, headers: dict | None = None):
    """(status, headers, body) of one request; redirects are answers, not followed."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def release(folder, text: str):
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(f"<p>{text}</p>", encoding="utf-8")
    (folder / "haberler").mkdir()
    (folder / "haberler" / "index.html").write_text(f"<p>haberler {text}</p>", encoding="utf-8")
    (folder / "404.html").write_text(f"<p>yok {text}</p>", encoding="utf-8")
    return folder


def switch(current, target) -> None:
    """Atomically, as the local deploy does: a temp symlink renamed over var/current."""
    temp = current.with_name(".current.tmp")
    temp.symlink_to(target)
    os.replace(temp, current)


def test_the_site_follows_var_current_per_request(editorial, tmp_path):
    e = editorial()
    one, two = release(tmp_path / "r1", "bir"), release(tmp_path / "r2", "iki")
    current = tmp_path / "current"
    current.symlink_to(one)
    client = TestClient(site_and_editorial_app(current, e.app))
    assert client.get("/").content == (one / "index.html").read_bytes()
    assert client.get("/haberler/").text == "<p>haberler bir</p>"
    response = client.get("/haberler", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (301, "/haberler/")
    response = client.get("/olmayan/")
    assert (response.status_code, response.text) == (404, "<p>yok bir</p>")
    assert client.get("/../../etc/passwd").status_code == 404
    (one / "manifest.webmanifest").write_text('{"name": "Çorum Belediyesi"}\n', encoding="utf-8")
    (one / "favicon.ico").write_bytes(b"\0\0\1\0")
    response = client.get("/manifest.webmanifest")
    assert response.headers["content-type"] == "application/manifest+json"
    assert response.json() == {"name": "Çorum Belediyesi"}
    assert client.get("/favicon.ico").headers["content-type"] == "image/x-icon"
    switch(current, two)
    assert client.get("/").text == "<p>iki</p>"
    response = client.get("/olmayan/")
    assert (response.status_code, response.text) == (404, "<p>yok iki</p>")
    for path in ("/", "/olmayan/", f"{BASE}/giris", f"{BASE}/yok"):
        headers = client.get(path).headers
        assert {name: headers.get(name) for name in SECURITY_HEADERS} == SECURITY_HEADERS, path
    assert client.get(f"{BASE}/giris").headers["cache-control"] == "no-store"


def test_publish_py_serve_runs_the_site_and_the_app_in_one_process(municipality, tmp_path):
    m = municipality()
    site = release(tmp_path / "site", "site")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "publish.py"), "--instance", str(m.root), "serve", "--host", "127.0.0.1",
         "--port", str(port), "--dir", str(site)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        first = process.stdout.readline()
        assert first.startswith(f"Site yayında: http://127.0.0.1:{port}/") and f"{port}/yonetim/" in first
        status, _, body = fetch(f"http://127.0.0.1:{port}/")
        assert (status, body) == (200, (site / "index.html").read_bytes())
        status, headers, body = fetch(f"http://127.0.0.1:{port}/yonetim/giris")
        assert status == 200 and "<title>Giriş — Yönetim — Çorum Belediyesi</title>" in body.decode()
        assert headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]
        assert "Path=/yonetim/" in headers["Set-Cookie"]
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_nginx_proxies_the_app_and_a_login_works_through_it(live_editorial, tmp_path):
    require(shutil.which("nginx") is not None, "nginx")
    e, app_url = live_editorial()
    e.m.person("web1")
    site = release(tmp_path / "site", "nginx")
    prefix = tmp_path / "ng"
    prepare_prefix(prefix)
    port = free_port()
    (prefix / "nginx.conf").write_text(standalone_conf(prefix, site, port, upstream=app_url.removeprefix("http://")),
                                       encoding="utf-8")
    proc = subprocess.Popen(["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, proc, "nginx")
        base = f"http://127.0.0.1:{port}"
        assert fetch(base + "/")[2] == b"<p>nginx</p>"
        status, headers, _ = fetch(base + "/yonetim")
        assert (status, headers["Location"]) == (301, "/yonetim/")
        status, headers, body = fetch(base + "/yonetim/giris")
        assert status == 200
        login_cookie = headers["Set-Cookie"].split(";", 1)[0]
        token = csrf_of(body.decode())
        data = f"kullanici=web1&parola=dogru-parola-2026&csrf_token={token}".encode()
        status, headers, _ = fetch(base + "/yonetim/giris", data=data, headers={"Cookie": login_cookie})
        assert (status, headers["Location"]) == (303, "/yonetim/")
        session = [c for c in headers.get_all("Set-Cookie") if c.startswith("yonetim_oturum=")][0]
        assert "Path=/yonetim/" in session and "HttpOnly" in session
        status, _, body = fetch(base + "/yonetim/", headers={"Cookie": session.split(";", 1)[0]})
        assert status == 200
        assert page(body.decode()).h1.string == "Hoş geldiniz, web1"
    finally:
        proc.terminate()
        proc.wait(timeout=10)

