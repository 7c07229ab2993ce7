"""Pelican plugin: record, for every output file, the content sources it was made from.

build.py adds the hashes and stores the manifest outside the public tree (var/manifests/<build id>.json), so a
later publish can tell which outputs one changed source affects.
"""

from __future__ import annotations

import os

from pelican import signals
from pelican.contents import Content

ALL = "*"  # made from the whole corpus (sitemaps, robots.txt)


# one build's answers by object: a listing's items, passed to each of its pages, and each content object's source
# path (worked out from the settings on every read) are looked at once per build, not once per page
_MEMO: dict = {"manifest": None, "by_id": {}}


def _sources_in(value) -> frozenset[str]:
    kind = type(value)
    if kind in (str, int, float, bool, type(None), dict):
        return frozenset()
    known = _MEMO["by_id"].get(id(value))
    if known is not None and known[0] is value:
        return known[1]
    if isinstance(value, Content):
        found = frozenset({value.relative_source_path})
    elif isinstance(value, (list, tuple, set)):
        found = frozenset().union(*(_sources_in(element) for element in value))
    else:
        items = getattr(value, "items", None)  # a Listing: its page depends on every item (years nav)
        found = _sources_in(items) if isinstance(items, list) else frozenset()
    if not isinstance(value, set):
        _MEMO["by_id"][id(value)] = (value, found)  # the value is kept: its id is not reused in this build
    return found


def _forget(*_args) -> None:
    """After a build: the objects it kept for its answers are let go."""
    _MEMO["manifest"], _MEMO["by_id"] = None, {}


def _record(path: str, context: dict, sources: set[str]) -> None:
    manifest = context.get("MUNICMS_MANIFEST")
    if manifest is None:
        return
    rel = os.path.relpath(path, context["OUTPUT_PATH"]).replace(os.sep, "/")
    manifest.setdefault(rel, set()).update(sources)


def _content_written(path, context=None) -> None:
    if not context or "MUNICMS_MANIFEST" not in context:
        return
    if _MEMO["manifest"] is not context["MUNICMS_MANIFEST"]:  # another build
        _MEMO["manifest"], _MEMO["by_id"] = context["MUNICMS_MANIFEST"], {}
    sources: set[str] = set()
    for key, value in context.items():
        if key in ("articles", "pages", "dates", "drafts", "hidden_pages", "draft_pages", "hidden_articles",
                   "staticfiles", "all_articles", "tags", "categories", "authors"):
            continue  # Pelican's global lists are in every context; they are not what the page shows
        sources |= _sources_in(value)
    _record(path, context, sources)


def _feed_written(path, context=None, feed=None) -> None:
    if not context or "MUNICMS_MANIFEST" not in context:
        return
    by_url = {a.url: a.relative_source_path for a in context.get("articles", [])}
    site = context.get("SITEURL", "").rstrip("/") + "/"
    links = [item["link"] for item in getattr(feed, "items", [])]
    _record(path, context, {by_url[link[len(site):]] for link in links if link[len(site):] in by_url})


def _static_done(generator) -> None:
    manifest = generator.context.get("MUNICMS_MANIFEST")
    if manifest is None:
        return
    for static in generator.staticfiles:
        manifest.setdefault(static.save_as, set()).add(static.relative_source_path)


def register() -> None:
    signals.content_written.connect(_content_written)
    signals.feed_written.connect(_feed_written)
    signals.static_generator_finalized.connect(_static_done)
    signals.finalized.connect(_forget)
