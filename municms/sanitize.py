"""The one HTML sanitising policy (nh3) for every fragment that came from a submission."""

from __future__ import annotations

import nh3

_TAGS = set(nh3.ALLOWED_TAGS) - {"center", "strike", "tt", "acronym", "map", "area"} | {"tfoot"}
_ATTRIBUTES = {tag: set(attrs) - {"align", "char", "charoff", "width", "size", "summary"}
               for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
for _heading in ("h2", "h3", "h4", "h5", "h6"):
    _ATTRIBUTES.setdefault(_heading, set()).add("id")  # table-of-contents anchors
_ATTRIBUTES["a"] = {"href", "hreflang", "title"}
_ATTRIBUTES["abbr"] = {"title"}
_ATTRIBUTES["time"] = {"datetime"}


def sanitise_html(fragment: str) -> str:
    """Keep structural, accessible markup; drop scripts, styles, event handlers and foreign frames."""
    # No rel= is added: `target` is not allowed, so no link can open a window that needs noopener, and an
    # <a> whose javascript: href was removed must stay valid HTML (rel without href is an error).
    return nh3.clean(fragment, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto", "tel"},
                     link_rel=None)
