"""Reading a built site's JSON API in tests: its documents, and each one checked against the schema it names
(the schema file published with the site), with the formats the schemas use checked for real."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _moment(value) -> bool:
    """ISO 8601 with its offset: 2026-11-25T09:00:00+03:00 (a moment without one is wrong)."""
    return not isinstance(value, str) or dt.datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("date", raises=ValueError)
def _day(value) -> bool:
    return not isinstance(value, str) or (len(value) == 10 and dt.date.fromisoformat(value) is not None)


@FORMATS.checks("uri")
def _uri(value) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


def documents(site: Path) -> dict[str, dict]:
    """Every JSON document under /api/v1/ by its path in the site (schemas included)."""
    root = Path(site) / "api" / "v1"
    return {p.relative_to(site).as_posix(): json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(root.rglob("*.json"))}


def local(site: Path, url: str, base: str) -> Path:
    """The built file an absolute address of the site names."""
    assert url.startswith(base), url
    rel = url[len(base):]
    return Path(site) / (rel + "index.html" if rel.endswith("/") or rel == "" else rel)


def schema_errors(site: Path, document: dict, base: str) -> list[str]:
    """Where the document breaks the schema its `$schema` names (read from the site)."""
    schema = json.loads(local(site, document["$schema"], base).read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, format_checker=FORMATS)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(document)]
