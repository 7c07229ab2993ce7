"""The emergency banner as one fragment per release, included into every page by the web server.

The build writes `_acil.html` at the root of the site: the live banners (acil-duyuru), or nothing. Every page
carries, as the first thing inside <main>, the server-side include `BANNER_INCLUDE`. nginx resolves it (`ssi on`,
municms.nginx) and so do `publish.py serve`'s file servers and the editorial preview (`resolve_includes`), each
from the same release as the page. A banner that appears or ends therefore changes one small file, not every page
of the site (at 20,000 items re-rendering every page would take minutes).

Caching: a page answered with the banner included has no ETag and no Last-Modified (nginx drops them for SSI
responses; serve sends none either), so a browser revalidating a page (Cache-Control: no-cache) gets the whole
page again, never a 304 that would keep a banner after its end or hide a new one.
"""

from __future__ import annotations

import os
from pathlib import Path

BANNER_FILE = "_acil.html"
# exactly what base.html writes; nothing else is resolved (no other SSI command, no other file)
BANNER_INCLUDE = b'<!--#include virtual="/_acil.html" -->'


def banner_bytes(root: Path) -> bytes:
    """The banner fragment of the release at root (empty when the release has none)."""
    try:
        with open(os.path.join(root, BANNER_FILE), "rb") as handle:
            return handle.read()
    except (FileNotFoundError, NotADirectoryError):
        return b""


def resolve_includes(page: bytes, root: Path) -> bytes:
    """The page with the banner include replaced by the fragment of the release at root."""
    if BANNER_INCLUDE not in page:
        return page
    return page.replace(BANNER_INCLUDE, banner_bytes(root))
