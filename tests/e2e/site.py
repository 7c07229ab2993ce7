"""Finding pages of a built site by reading its own listings, so the tests follow the content, not fixed slugs."""

from __future__ import annotations

from pathlib import Path

from selectolax.lexbor import LexborHTMLParser as HTMLParser


def html_of(site: Path, url_path: str) -> HTMLParser:
    """Parsed HTML of the page at url_path ("/haberler/") in the built site."""
    path = site / url_path.strip("/") / "index.html" if url_path.strip("/") else site / "index.html"
    return HTMLParser(path.read_text(encoding="utf-8"))


def first_link(site: Path, listing: str, selector: str = "main .item-list .card-title a") -> str:
    """The address of the first link matching selector on the listing page (e.g. the newest item)."""
    node = html_of(site, listing).css_first(selector)
    assert node is not None, f"{listing} has no link matching {selector!r}"
    return node.attributes["href"]


def html_pages(site: Path) -> list[Path]:
    """Every HTML file of the built site."""
    return sorted(site.rglob("*.html"))
