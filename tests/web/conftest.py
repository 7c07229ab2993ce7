"""The editorial app under test: a municipality (real intake, real passwords), the app on its ledger and fixed
clock, mounted at /yonetim/ exactly as `publish.py serve` mounts it, and browsers that log in through the form."""

from __future__ import annotations

import threading
import time
import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from municms.serve import site_and_editorial_app
from municms.web import create_app
from tests.conftest import LEDGER_BACKENDS
from tests.municipality import PASSWORD, Municipality
from tests.servers import free_port

BASE = "/yonetim"
# The JSON API's modules run on both ledger backends (ETags and concurrent changes, four eyes, cursor pages,
# intake, edits, seminars, tokens and throttling); the screens run on SQLite, the same actions underneath.
BOTH_BACKENDS = ("test_api_workflow", "test_api_editing", "test_api_submit", "test_api_access",
                 "test_api_seminars")


def pytest_generate_tests(metafunc):
    if metafunc.module.__name__.rpartition(".")[2] in BOTH_BACKENDS and "ledger_backend" in metafunc.fixturenames:
        metafunc.parametrize("ledger_backend", LEDGER_BACKENDS)


def page(response) -> BeautifulSoup:
    """The HTML of a response (or an HTML text), parsed."""
    return BeautifulSoup(response if isinstance(response, str) else response.text, "html.parser")


def csrf_of(response) -> str:
    """The CSRF token of the first form of a page (what the browser would send back)."""
    field = page(response).find("input", attrs={"name": "csrf_token"})
    assert field is not None, response.text[:500]
    return field["value"]


class Editorial:
    """The app of one municipality; `client()` is a browser without JavaScript, `login()` one that logged in."""

    def __init__(self, municipality: Municipality):
        self.m = municipality
        self.app = create_app(municipality.instance, clock=municipality.clock, ledger=municipality.ledger)
        self.asgi = site_and_editorial_app(lambda: municipality.paths.current, self.app)
        self._clients: list[TestClient] = []

    def client(self, https: bool = False) -> TestClient:
        client = TestClient(self.asgi, base_url="https://testserver" if https else "http://testserver")
        self._clients.append(client)
        return client

    def login(self, login: str, password: str = PASSWORD, client: TestClient | None = None,
              follow: bool = True):
        """Open the login page, send the form with its token; returns (client, response)."""
        self.m.person(login)
        client = client or self.client()
        form = client.get(f"{BASE}/giris")
        response = client.post(f"{BASE}/giris", data={"kullanici": login, "parola": password,
                                                      "csrf_token": csrf_of(form)}, follow_redirects=follow)
        return client, response

    def close(self) -> None:
        for client in self._clients:
            client.close()


@pytest.fixture
def editorial(municipality):
    """Factory: editorial(site="bare") → Editorial of a fresh municipality."""
    made = []

    def make(site: str = "bare") -> Editorial:
        made.append(Editorial(municipality(site)))
        return made[-1]

    yield make
    for e in made:
        e.close()


@pytest.fixture
def live_editorial(editorial):
    """Factory: the same app and site served by uvicorn on a free loopback port (real HTTP for Chromium);
    returns (Editorial, base URL)."""
    import uvicorn

    servers = []

    def start(site: str = "bare") -> tuple[Editorial, str]:
        e = editorial(site)
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(e.asgi, host="127.0.0.1", port=port, log_level="warning",
                                               lifespan="off"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.started, "uvicorn did not start"
        servers.append((server, thread))
        return e, f"http://127.0.0.1:{port}"

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)


BROKEN_PAGE = '<!DOCTYPE html><html lang="tr"><title>x</title><p><div></p>'


def vnu_errors(vnu_command: list[str], folder, pages: dict[str, str]) -> str:
    """The Nu Html Checker's errors on the given pages, one line each ('' when there are none); a broken page is
    checked with them, so a checker that reports nothing fails here."""
    import json
    import subprocess

    for name, html in {**pages, "bozuk": BROKEN_PAGE}.items():
        (folder / f"{name}.html").write_text(html, encoding="utf-8")
    result = subprocess.run([*vnu_command, *sorted(map(str, folder.glob("*.html")))], capture_output=True,
                            text=True, timeout=300)
    output = (result.stderr or result.stdout).strip()
    errors = [msg for msg in json.loads(output)["messages"] if msg["type"] == "error"] if output else []
    assert {msg["url"].rsplit("/", 1)[-1] for msg in errors if msg["url"].endswith("bozuk.html")} == {"bozuk.html"}
    return "\n".join(f"{msg['url'].rsplit('/', 1)[-1]}:{msg.get('lastLine')}: {msg['message']}"
                     for msg in errors if not msg["url"].endswith("bozuk.html"))
