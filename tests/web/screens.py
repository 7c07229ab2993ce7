"""Helpers of the screen tests: a logged-in browser without JavaScript that fills forms as a person would
(the CSRF token taken from the form it sends), and readers of what the screens show."""

from __future__ import annotations

from bs4 import BeautifulSoup

from .conftest import BASE, page


def form_token(html: BeautifulSoup, form_id: str | None = None) -> str:
    form = html.find("form", id=form_id) if form_id else html.find("form", attrs={"method": "post"})
    return form.find("input", attrs={"name": "csrf_token"})["value"]


class Browser:
    """One logged-in person of an Editorial app."""

    def __init__(self, editorial, login: str):
        self.e, self.login = editorial, login
        self.client, response = editorial.login(login)
        assert response.status_code == 200, response.text[:300]

    def get(self, path: str, **kwargs):
        return self.client.get(BASE + path, **kwargs)

    def submit(self, tur: str, fields: dict, body: str = "Metin.\n", files: list[tuple[str, bytes]] = (),
               path: str | None = None, action: str = "gonder"):
        """Open the form, then send it back with the values, the files and the form's own CSRF token."""
        path = path or f"/birim/yeni?tur={tur}"
        html = page(self.get(path))
        data = {"csrf_token": form_token(html, "gonderi-formu"), "tur": tur, "metin": body, "islem": action,
                **fields}
        uploads = [("ekler", (name, content, "application/octet-stream")) for name, content in files]
        return self.client.post(BASE + path, data=data, files=uploads or None)

    def act(self, number: str, action: str, reason: str | None = None):
        """Press an action button of the editor's item page (the form of that action, its token)."""
        html = page(self.get(f"/isler/kayit/{number}"))
        form = html.find("input", attrs={"name": "islem", "value": action})
        assert form is not None, f"{self.login} has no '{action}' form on {number}"
        token = form.find_parent("form").find("input", attrs={"name": "csrf_token"})["value"]
        data = {"csrf_token": token, "islem": action, **({"gerekce": reason} if reason is not None else {})}
        return self.client.post(f"{BASE}/isler/kayit/{number}", data=data)


def errors_of(response) -> list[tuple[str, str]]:
    """The error summary: (the field it links to, the sentence)."""
    summary = page(response).find(class_="error-summary")
    return [(a["href"], a.get_text()) for a in summary.find_all("a")] if summary else []


def numbers_listed(response) -> list[str]:
    table = page(response).find("table")
    return [row.find("td").get_text(strip=True) for row in table.tbody.find_all("tr")] if table else []
