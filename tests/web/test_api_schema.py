"""The OpenAPI document is the API's contract: schemathesis sends generated requests with a valid token and
every answer must be no 5xx, a status the document lists, and a body matching its schema. Plus the document
and the Turkish reference page themselves."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from tests.web.api_client import Api

ENDPOINTS = {("get", "/api/v1/items"), ("post", "/api/v1/items"), ("get", "/api/v1/items/{number}"),
             ("get", "/api/v1/items/{number}/revisions"), ("get", "/api/v1/items/{number}/events"),
             ("post", "/api/v1/items/{number}/actions/{action}"), ("get", "/api/v1/releases"),
             ("put", "/api/v1/items/{number}/content"), ("get", "/api/v1/items/{number}/comments"),
             ("post", "/api/v1/items/{number}/comments"), ("get", "/api/v1/seminars"),
             ("get", "/api/v1/seminars/{number}"), ("post", "/api/v1/seminars/{number}/registrations"),
             ("post", "/api/v1/seminars/{number}/registrations/{registration_id}/cancel"),
             ("post", "/api/v1/seminars/{number}/cancel"), ("put", "/api/v1/seminars/{number}/attendance")}


@pytest.fixture
def town(municipality):
    """A municipality with a few items in several states, and a director's token (sees everything)."""
    m = municipality()
    for n in range(3):
        m.submit("duyuru", f"Duyuru {n}")
    m.approve(m.submit("haber", "Haber").number)
    m.assign(m.submit("duyuru", "Mali", department="mali-hizmetler").number)
    m.submit("seminer", "Şema Semineri", department="bilgi-islem", egitmen="Mehmet Kaya",
             yer="Belediye Konferans Salonu", baslangic="2026-12-10 10:00", bitis="2026-12-10 12:00",
             kontenjan=20, hedef_kitle=["vatandaş"], kayit_son="2026-12-08")
    api = Api(m)
    return api, api.token("mudur1")


def test_every_answer_matches_the_document(town):
    """Each operation in turn (schemathesis' pytest plugin does not run on this pytest), a few cases each;
    half of the cases name a real item, and some submissions are valid, so the 2xx answers are checked too."""
    api, token = town
    numbers = [item.number for item in api.m.ledger.items()]
    schema = schemathesis.openapi.from_asgi("/yonetim/api/openapi.json", api.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {(op.method.lower(), op.path) for op in operations} == ENDPOINTS
    statuses = set()
    for operation in operations:

        @given(case=operation.as_strategy(), number=st.sampled_from([None, *numbers]), valid=st.booleans())
        @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def call(case, number, valid):
            if number and "number" in (case.path_parameters or {}):
                case.path_parameters["number"] = number
            if valid and operation.path == "/api/v1/items" and operation.method.lower() == "post":
                case.body, case.media_type = VALID_SUBMISSION, "application/json"
            response = case.call_and_validate(
                headers={"Authorization": f"Bearer {token}"},
                checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                        response_schema_conformance])
            statuses.add((operation.method.lower(), operation.path, response.status_code))

        call()
    assert {("get", "/api/v1/items/{number}", 200), ("post", "/api/v1/items", 201),
            ("post", "/api/v1/items", 422), ("get", "/api/v1/items/{number}/events", 200),
            ("get", "/api/v1/seminars", 200), ("get", "/api/v1/seminars/{number}", 200)} <= statuses, statuses


VALID_SUBMISSION = {"tur": "duyuru", "baslik": "Şemadan gelen duyuru", "body": "Metin.\n",
                    "department": "fen-isleri"}


def test_the_document_lists_every_endpoint_with_its_error_object(municipality):
    api = Api(municipality())
    doc = api.client.get("/yonetim/api/openapi.json").json()
    assert doc["servers"] == [{"url": "/yonetim"}]
    found = {(method, path) for path, methods in doc["paths"].items() for method in methods}
    assert found == ENDPOINTS  # the editorial screens are not part of it
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            for status in ("401", "422"):
                schema_ref = op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                assert schema_ref == "#/components/schemas/ErrorBody", (method, path, status)
    action = doc["paths"]["/api/v1/items/{number}/actions/{action}"]["post"]
    assert {"412", "428", "409", "403", "404"} <= set(action["responses"])
    assert {p["name"] for p in action["parameters"]} >= {"If-Match", "number", "action"}
    assert set(doc["paths"]["/api/v1/items"]["post"]["requestBody"]["content"]) == \
        {"application/json", "multipart/form-data"}
    assert doc["components"]["securitySchemes"]["anahtar"] == {
        "type": "http", "scheme": "bearer", "description": doc["components"]["securitySchemes"]["anahtar"]["description"]}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.sources, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.sources += [value for name, value in attrs if name in ("src", "href") and value]

    def handle_data(self, data):
        self.text.append(data)


def test_the_reference_page_is_turkish_server_rendered_and_loads_nothing_from_elsewhere(municipality):
    api = Api(municipality())
    response = api.client.get("/yonetim/api/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = _Page()
    page.feed(response.text)
    assert "script" not in page.tags and "link" not in page.tags and "iframe" not in page.tags
    assert all(src.startswith("/yonetim/") for src in page.sources), page.sources
    text = " ".join(page.text)
    assert '<html lang="tr">' in response.text and "JSON API başvuru belgesi" in text
    for method, path in ENDPOINTS:
        assert f"{method.upper()} /yonetim{path}" in text
    assert "If-Match" in text and "next_cursor" in text and "Bearer" in text
    for stock in ("/yonetim/docs", "/yonetim/redoc"):  # the CDN-loading stock pages are off
        assert api.client.get(stock).status_code == 404
