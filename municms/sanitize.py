"""The one HTML policy (nh3) for every fragment that came from a submission, and the web addresses a page may use.

`trusted_html` is the only place where HTML is marked safe for a template; every other value is text and is
escaped by the templates' autoescaping.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

import nh3
from markupsafe import Markup, escape
from selectolax.lexbor import LexborHTMLParser

BODY_ID_PREFIX = "b-"  # body ids never collide with the theme's own (icerik, q, ekler-baslik …)
# A regulation's article anchors (#madde-14, #gecici-madde-1, #ek-madde-2; municms/regulations.py) are addresses
# people cite and link to from elsewhere: they keep their name. The theme has no id of this form.
_ARTICLE_IDS = re.compile(r'(\sid="|\shref="#)' + BODY_ID_PREFIX + r'((?:gecici-|ek-)?madde-\d{1,4}[a-z]?(?:-\d+)?)"')
# Attributes that make the browser fetch something into the page (as opposed to a link the reader follows).
EMBED_ATTRIBUTES = ("src", "srcset", "poster", "data")

_TAGS = set(nh3.ALLOWED_TAGS) - {"center", "strike", "tt", "acronym", "map", "area"} | {"tfoot"}
_ATTRIBUTES = {tag: set(attrs) - {"align", "char", "charoff", "width", "size", "summary"}
               for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
for _heading in ("h2", "h3", "h4", "h5", "h6"):
    _ATTRIBUTES.setdefault(_heading, set()).add("id")  # table-of-contents anchors
_ATTRIBUTES["a"] = {"href", "hreflang", "title"}
_ATTRIBUTES["abbr"] = {"title"}
_ATTRIBUTES["time"] = {"datetime"}

# What a browser ignores or rewrites in a URL before reading it (WHATWG URL): tabs and newlines anywhere,
# C0 controls and spaces at either end, and a backslash counts as a slash.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_URL_UNSAFE = re.compile(r"[\x00-\x20\x7f\"'<>\\`{}|^]")
_HOST = re.compile(r"(?:[^\W_](?:[\w-]*[^\W_])?\.)*[^\W_](?:[\w-]*[^\W_])?\.?|[0-9a-f:.]*:[0-9a-f:.]*")


def is_site_path(url: str) -> bool:
    """A path on this site: relative (the item's own attachments) or starting with one '/'; no scheme, no host."""
    url = _URL_IGNORED.sub("", url).strip(_C0_AND_SPACE).replace("\\", "/")
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith("//")


def is_web_url(text) -> bool:
    """An absolute http(s) address with a host name and nothing a browser would read differently from the text."""
    if not isinstance(text, str) or _URL_UNSAFE.search(text):
        return False
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or "@" in parts.netloc:  # user@host hides the real host
        return False
    try:
        host, _ = parts.hostname, parts.port  # a port that is not a number raises ValueError
    except ValueError:
        return False
    return bool(host and _HOST.fullmatch(host))


def body_anchor(name: str) -> str:
    """The id a body's heading (or the target of an in-body '#name' link) has on the page."""
    return name if name.startswith(BODY_ID_PREFIX) else BODY_ID_PREFIX + name


def _embedded_urls(attribute: str, value: str) -> list[str]:
    """The addresses of an embedding attribute (srcset lists several: 'a.jpg 1x, b.jpg 2x')."""
    if attribute == "srcset":
        return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
    return [value]


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Embedded resources only from this site; in-body references follow the prefixed ids."""
    if attribute in EMBED_ATTRIBUTES:
        urls = _embedded_urls(attribute, value)
        return value if urls and all(is_site_path(url) for url in urls) else None
    if attribute == "href" and value.startswith("#") and len(value) > 1:
        return "#" + body_anchor(value[1:])
    if attribute == "headers":  # a table cell names the ids of its header cells
        return " ".join(body_anchor(name) for name in value.split())
    return value


def sanitise_html(fragment: str) -> str:
    """Keep structural, accessible markup; drop scripts, styles, event handlers, frames and foreign embeds."""
    # No rel= is added: `target` is not allowed, so no link can open a window that needs noopener, and an
    # <a> whose javascript: href was removed must stay valid HTML (rel without href is an error).
    clean = nh3.clean(fragment, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto", "tel"},
                      link_rel=None, id_prefix=BODY_ID_PREFIX, attribute_filter=_filter_attribute)
    if "madde-" in clean:
        clean = _ARTICLE_IDS.sub(r'\1\2"', clean)
    return _without_empty_images(clean) if "<img" in clean else clean


def _without_empty_images(html: str) -> str:
    """An image whose address was refused leaves its text alternative, not an <img> without src (invalid)."""
    tree = LexborHTMLParser(f"<body>{html}</body>")
    empty = tree.css("img:not([src])")
    if not empty:
        return html
    for node in empty:
        node.replace_with(node.attributes.get("alt") or "")
    return tree.body.inner_html


def trusted_html(fragment) -> Markup:
    """The one way HTML reaches a page unescaped: through the nh3 policy, then marked safe (template filter)."""
    clean = sanitise_html(str(fragment or ""))
    return Markup(scrollable_tables(clean) if "<table" in clean else clean)


_TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.S)
_HEADER_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
_TAG = re.compile(r"<[^>]+>")


def scrollable_tables(html: str) -> str:
    """Each table of sanitised HTML inside a focusable region named after its column headers, which scrolls
    sideways on a narrow screen while the page itself reflows (WCAG 1.4.10); nested tables are left as they are."""

    def wrap(match: re.Match) -> str:
        table = match.group(0)
        if table.count("<table") > 1:
            return table
        first_row = table.split("</tr>", 1)[0]
        headers = [" ".join(unescape(_TAG.sub("", cell)).split()) for cell in _HEADER_CELL.findall(first_row)]
        label = "Tablo: " + ", ".join(h for h in headers if h) if any(headers) else "Tablo"
        return (f'<div class="table-scroll" role="region" tabindex="0" aria-label="{escape(label)}">'
                f"{table}</div>")

    return _TABLE.sub(wrap, html)


def foreign_embeds(html: str) -> list[str]:
    """Addresses on other sites that HTML would embed (images, video …), in order, once each. Given a Markdown
    body it finds those of its raw HTML (Markdown images are item_checks' rule `embeds`)."""
    tree = LexborHTMLParser(html)
    found: list[str] = []
    for attribute in EMBED_ATTRIBUTES:
        for node in tree.css(f"[{attribute}]"):
            urls = _embedded_urls(attribute, node.attributes.get(attribute) or "")
            found += [url for url in urls if not is_site_path(url) and url not in found]
    return found
