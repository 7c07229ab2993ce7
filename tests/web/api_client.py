"""The JSON API as a department system or a person's script sees it: real HTTP (httpx through the ASGI app of
`serve`: the site at /, the editorial app at /yonetim/) with real personal tokens from `users token`."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.testclient import TestClient

from municms.serve import site_and_editorial_app
from municms.web import create_app
from tests.municipality import Municipality

API = "/yonetim/api/v1"


class Api:
    """HTTP client of one municipality's API; `as_(login)` gives that person's real token as the bearer."""

    def __init__(self, m: Municipality):
        self.m = m
        site = m.root / "site"
        site.mkdir(exist_ok=True)
        self.app = site_and_editorial_app(site, create_app(m.instance, clock=m.clock, ledger=m.ledger))
        self.client = TestClient(self.app)
        self._tokens: dict[str, str] = {}

    def token(self, login: str) -> str:
        """A personal token printed by `publish.py users token LOGIN`, run by that person."""
        if login not in self._tokens:
            code, out, err = self.m.run("users", "token", login, login=login)
            assert code == 0, err
            self._tokens[login] = out.strip()
        return self._tokens[login]

    def headers(self, login: str | None, **extra) -> dict:
        return {**({"Authorization": f"Bearer {self.token(login)}"} if login else {}), **extra}

    def get(self, path: str, login: str | None = None, **kw):
        return self.client.get(API + path, headers=self.headers(login, **kw.pop("headers", {})), **kw)

    def post(self, path: str, login: str | None = None, **kw):
        return self.client.post(API + path, headers=self.headers(login, **kw.pop("headers", {})), **kw)

    def put(self, path: str, login: str | None = None, **kw):
        return self.client.put(API + path, headers=self.headers(login, **kw.pop("headers", {})), **kw)

    def item(self, number: str, login: str):
        return self.get(f"/items/{quote(number)}", login)

    def act(self, number: str, action: str, login: str, etag: str | None = "current", **body):
        """A workflow action with If-Match: the item's current ETag as `login` reads it (or the given one)."""
        if etag == "current":
            etag = self.item(number, login).headers["ETag"]
        headers = {"If-Match": etag} if etag else {}
        return self.post(f"/items/{quote(number)}/actions/{action}", login, headers=headers, json=body)

    def submit(self, login: str, **fields):
        return self.post("/items", login, json=fields)


def error(response) -> dict:
    """The error object of a response (and proof that it has the one shape)."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message", "message_en", "problems"} <= set(body["error"]), body
    return body["error"]
