"""Emergency banners (data/acil.yaml, written by the publish pipeline) and ended items (Durum metadata)."""

from __future__ import annotations

from pathlib import Path

import markdown

from municms.files import safe_yaml

ENDED = ("suresi-doldu", "geri-cekildi")


def is_ended(article) -> bool:
    """Expired (suresi-doldu) or withdrawn (geri-cekildi): the page stays, listings and feeds drop it."""
    return article.metadata.get("durum") in ENDED


def load_banners(path: Path) -> list[dict]:
    """The live banners, newest first, each with its text rendered to HTML (the template's `sanitised` filter
    puts it through the nh3 policy; `baslik` is text)."""
    if not path.is_file():
        return []
    rows = safe_yaml(path.read_text(encoding="utf-8")) or []
    return [dict(row, html=markdown.markdown(str(row.get("metin", "")))) for row in rows]
