"""`serve` with several workers on a PostgreSQL ledger keeps its connections: one per thread that has served a
request (municms.db.postgres.ThreadConnections), reused by every later request of that thread, never one per
request. Measured for the README: 1,600 API requests from 16 clients to two workers opened 24 sessions."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from tests.municipality import REPO, bare_instance
from tests.servers import free_port, wait_for_answer

PASSWORD = "dogru-parola-2026"


def _cli(root, env, *args, stdin=""):
    done = subprocess.run([sys.executable, str(REPO / "publish.py"), "--instance", str(root), *args], input=stdin,
                          capture_output=True, text=True, cwd=REPO, env=env, timeout=180)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.slow
def test_api_requests_reuse_the_connections_of_the_workers(pg_server, tmp_path):
    url = pg_server.create_database()
    database = url.rsplit("/", 1)[1]
    root = bare_instance(tmp_path / "kurulum")
    env = {"MUNICMS_DATABASE_URL": url, "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    _cli(root, env, "migrate", "--system")
    _cli(root, env, "users", "init", "yonetici1", "--password-stdin", stdin=PASSWORD + "\n")
    token = _cli(root, env, "users", "token", "yonetici1", "--as", "yonetici1", "--password-stdin",
                 stdin=PASSWORD + "\n").strip().splitlines()[-1]
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>Site</p>", encoding="utf-8")
    port = free_port()
    serve = subprocess.Popen([sys.executable, str(REPO / "publish.py"), "--instance", str(root), "serve", "--dir",
                              str(site), "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
                             cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    request = urllib.request.Request(base + "/yonetim/api/v1/items", headers={"Authorization": f"Bearer {token}"})
    statuses = []

    def client() -> None:
        for _ in range(40):
            with urllib.request.urlopen(request, timeout=60) as answer:
                answer.read()
                statuses.append(answer.status)

    def sessions() -> int:
        time.sleep(1.5)  # the server publishes its statistics about once a second
        return pg_server.sql(f"SELECT sessions FROM pg_stat_database WHERE datname = '{database}'")[0][0]

    try:
        wait_for_answer(base, serve, "serve")
        client()  # every worker's first threads connect
        before = sessions()
        clients = [threading.Thread(target=client) for _ in range(4)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join()
        opened = sessions() - before
    finally:
        serve.terminate()
        serve.wait(timeout=30)
    assert statuses == [200] * 200
    assert opened <= 20, opened  # at most the new threads of the two workers' pools, not one per request (160)
