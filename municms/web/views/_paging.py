"""Keyset pages of item lists: `?sonra=<year>-<seq>` continues after that register key (no OFFSET, so a page
costs the same at 20,000 items as at 20)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlencode

from fastapi import Request

from ...model import Item

PAGE_SIZE = 25
_AFTER = re.compile(r"^(\d{4})-(\d{1,9})$")


@dataclass(frozen=True)
class Page:
    items: list[Item]
    next_url: str | None     # "Sonraki sayfa" (same filters, after the last item shown)
    first_url: str | None    # back to the first page, when this is not it


def after_key(request: Request) -> tuple[int, int] | None:
    match = _AFTER.match(request.query_params.get("sonra", ""))
    return (int(match[1]), int(match[2])) if match else None


def page_of(request: Request, fetch: Callable[..., list[Item]], size: int = PAGE_SIZE) -> Page:
    """One page from `fetch(after=…, limit=…)`; one item more is read to know whether a next page exists."""
    after = after_key(request)
    items = fetch(after=after, limit=size + 1)
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "sonra"]
    base = request.url.path  # the whole path, mount point included
    next_url = None
    if len(items) > size:
        items = items[:size]
        last = items[-1]
        next_url = base + "?" + urlencode(kept + [("sonra", f"{last.year}-{last.seq}")])
    first_url = (base + ("?" + urlencode(kept) if kept else "")) if after else None
    return Page(items, next_url, first_url)
