"""JSON schemas of the schema.org types the site publishes as JSON-LD (what search engines require of each,
https://schema.org and Google's structured-data rules), and a checker for the JSON-LD blocks of a page."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup
from jsonschema import Draft202012Validator

URL = {"type": "string", "format": "uri", "pattern": r"^https?://[^\s<>\"]+$"}
TEXT = {"type": "string", "minLength": 1, "pattern": r"\S"}
MOMENT = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)$"}  # with zone
DAY_OR_MOMENT = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z))?$"}
CONTEXT = {"const": "https://schema.org"}


def _thing(kind: str, required: list[str], properties: dict, top: bool = True) -> dict:
    props = {"@type": {"const": kind}, **properties}
    if top:
        props["@context"] = CONTEXT
        required = ["@context", *required]
    return {"type": "object", "required": ["@type", *required], "properties": props, "additionalProperties": False}


ADDRESS = _thing("PostalAddress", ["streetAddress", "addressCountry"],
                 {"streetAddress": TEXT, "addressLocality": TEXT, "addressCountry": {"const": "TR"}}, top=False)
PUBLISHER = _thing("GovernmentOrganization", ["name", "url", "logo"],
                   {"name": TEXT, "url": URL,
                    "logo": _thing("ImageObject", ["url"], {"url": URL}, top=False)}, top=False)
STATUSES = [f"https://schema.org/{s}" for s in ("EventScheduled", "EventCancelled", "EventRescheduled",
                                                 "EventPostponed", "EventMovedOnline")]

SCHEMAS = {
    "GovernmentOrganization": _thing(
        "GovernmentOrganization", ["name", "url", "logo", "address", "telephone", "email"],
        {"name": TEXT, "url": URL, "logo": URL, "address": ADDRESS, "telephone": {"type": "string",
                                                                                  "pattern": r"^[0-9 +()-]{7,}$"},
         "email": {"type": "string", "format": "email", "pattern": r"^[^@\s]+@[^@\s]+\.[a-z]+$"}}),
    "NewsArticle": _thing(
        "NewsArticle", ["headline", "description", "url", "mainEntityOfPage", "datePublished", "dateModified",
                        "image", "publisher"],
        {"headline": {**TEXT, "maxLength": 110}, "description": {**TEXT, "maxLength": 160}, "url": URL,
         "mainEntityOfPage": URL, "datePublished": MOMENT, "dateModified": MOMENT,
         "image": {"type": "array", "minItems": 1, "items": URL}, "inLanguage": {"const": "tr-TR"},
         "publisher": PUBLISHER}),
    "Event": {**_thing(
        "Event", ["name", "description", "url", "startDate", "endDate", "eventStatus", "eventAttendanceMode",
                  "location", "organizer"],
        {"name": TEXT, "description": {**TEXT, "maxLength": 160}, "url": URL, "startDate": MOMENT,
         "endDate": MOMENT, "previousStartDate": MOMENT, "eventStatus": {"enum": STATUSES},
         "eventAttendanceMode": {"const": "https://schema.org/OfflineEventAttendanceMode"},
         "location": _thing("Place", ["name", "address"], {"name": TEXT, "address": ADDRESS}, top=False),
         "organizer": PUBLISHER, "isAccessibleForFree": {"type": "boolean"}, "inLanguage": {"const": "tr-TR"},
         "performer": _thing("Person", ["name"], {"name": TEXT}, top=False),
         "maximumAttendeeCapacity": {"type": "integer", "minimum": 1},
         "offers": _thing("Offer", ["price", "priceCurrency", "availability", "url"],
                          {"price": {"const": "0"}, "priceCurrency": {"const": "TRY"}, "url": URL,
                           "availability": {"enum": ["https://schema.org/InStock", "https://schema.org/SoldOut"]},
                           "validThrough": DAY_OR_MOMENT}, top=False)}),
        # a rescheduled event names its earlier start
        "if": {"properties": {"eventStatus": {"const": "https://schema.org/EventRescheduled"}}},
        "then": {"required": ["previousStartDate"]}},
    "GovernmentService": _thing(
        "GovernmentService", ["name", "description", "url", "provider"],
        {"name": TEXT, "description": TEXT, "url": URL, "provider": PUBLISHER, "areaServed": TEXT,
         "serviceType": TEXT}),
    "BreadcrumbList": _thing(
        "BreadcrumbList", ["itemListElement"],
        {"itemListElement": {"type": "array", "minItems": 2, "items": _thing(
            "ListItem", ["position", "name", "item"],
            {"position": {"type": "integer", "minimum": 1}, "name": TEXT, "item": URL}, top=False)}}),
}
VALIDATORS = {kind: Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
              for kind, schema in SCHEMAS.items()}
for _schema in SCHEMAS.values():
    Draft202012Validator.check_schema(_schema)


def jsonld_blocks(html: str) -> list[dict]:
    """The JSON-LD blocks of a page, each checked against the schema of its type (AssertionError otherwise)."""
    soup = BeautifulSoup(html, "html.parser")
    blocks = []
    for script in soup.find_all("script"):
        if script.has_attr("src"):
            continue  # the site's own script files (search): not inline
        assert script.get("type") == "application/ld+json", f"an inline script that is not JSON-LD: {script}"
        data = json.loads(script.string)
        kind = data.get("@type")
        assert kind in VALIDATORS, f"unexpected type {kind!r}"
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATORS[kind].iter_errors(data)]
        assert not errors, (kind, errors)
        if kind == "BreadcrumbList":
            positions = [step["position"] for step in data["itemListElement"]]
            assert positions == list(range(1, len(positions) + 1))
        blocks.append(data)
    return blocks
