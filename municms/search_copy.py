"""The copy of a built page that Pagefind indexes: the page's searchable text folded as people type it
(turkish.search_fold: 'ZABITA', 'zabita' and 'Zabıta' are one word), word for word, so Pagefind's Turkish
stemmer and its lookups see one spelling; the original title, section, date, summary and words ride along as
metadata, so results show correct Turkish (arama.js puts the original words in place of the folded ones).

A copy is a pure function of the page's bytes: a publish that re-indexes a few bundles writes the same copies as
a full build. Layout of a copy (inside data-pagefind-body, so only these blocks are indexed):
  <h1>        the folded title (Pagefind weighs headings above text)
  <p>         the folded text of the page's content: its body, facts, notices and attachments, then the header's
              section, date and unit lines; a space between blocks, so no two words run together
  <span>s     metadata from attributes: title, bolum (section), tarih (shown date), ozet (summary),
              metin (the original words, one for each folded word of the heading and the text, in order)
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from html import escape

from selectolax.lexbor import LexborHTMLParser

from .turkish import search_fold

BODY_SELECTOR = "[data-pagefind-body]"
# Elements whose end separates words (Pagefind would run "Pazartesi" and "Birim" together otherwise).
BLOCKS = frozenset("address article aside blockquote br dd details div dl dt figcaption figure footer h1 h2 h3 h4 "
                   "h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul "
                   "caption".split())
# Not text for readers: scripts, forms (the seminar registration form's labels) and hidden parts.
SKIPPED = frozenset("script style template noscript svg form button select textarea input iframe".split())


def _words(node, out: list[str], every_element: bool = False) -> None:
    """Append the words of node's text to out; block boundaries (every element's with every_element) separate
    words."""
    pending = []
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            pending.append(child.text(deep=False) or "")
            continue
        if tag in SKIPPED or tag.startswith("-") or "hidden" in child.attributes \
                or "data-pagefind-ignore" in child.attributes:
            continue
        if tag in BLOCKS or every_element:
            out.extend("".join(pending).split())
            pending = []
            _words(child, out, every_element)
        else:
            # an inline element: its text joins the surrounding words ("Çorum'<em>da</em>" stays one word)
            inner: list[str] = []
            _inline_text(child, inner)
            pending.append("".join(inner))
    out.extend("".join(pending).split())


def _inline_text(node, out: list[str]) -> None:
    for child in node.iter(include_text=True):
        if child.tag == "-text":
            out.append(child.text(deep=False) or "")
        elif child.tag in BLOCKS:
            out.append(" ")
            _inline_text(child, out)
            out.append(" ")
        elif child.tag not in SKIPPED and not child.tag.startswith("-") and "hidden" not in child.attributes \
                and "data-pagefind-ignore" not in child.attributes:
            _inline_text(child, out)


def _text(node, every_element: bool = False) -> str:
    words: list[str] = []
    if node is not None:
        _words(node, words, every_element)
    return " ".join(words)


def _folded(words: list[str]) -> str:
    """The folded words, one for each word (a word of marks only, which folds to nothing, becomes "-")."""
    folded = search_fold(" ".join(words)).split(" ")
    if len(folded) == len(words) and all(folded):
        return " ".join(folded)
    return " ".join("-".join(search_fold(word).split(" ")) or "-" for word in words)


def search_copy(html: bytes | str) -> bytes:
    """The page to index in place of a built page that carries data-pagefind-body (see the module's text)."""
    tree = LexborHTMLParser(html if isinstance(html, str) else html.decode("utf-8"))
    body = tree.css_first(BODY_SELECTOR)
    if body is None:
        raise ValueError("page has no data-pagefind-body element")
    heading = body.css_first("h1")
    title = _text(heading)
    header = body.css_first("header")  # the item header of article.html: template text, spans side by side
    kicker = header.css_first(".kicker") if header is not None else None
    when = header.css_first("time") if header is not None else None
    description = tree.css_first('meta[name="description"]')
    section, date = _text(kicker), _text(when)
    summary = " ".join((description.attributes.get("content") or "").split()) if description is not None else ""
    if heading is not None:
        heading.decompose()
    header_words = _text(header, every_element=True).split()
    if header is not None:
        header.decompose()
    text_words = _text(body).split() + header_words
    title_words = title.split()
    original = title_words + text_words
    folded_title, folded_text = _folded(title_words), _folded(text_words)
    meta = {"title": title, "bolum": section, "tarih": date, "ozet": summary, "metin": " ".join(original)}
    spans = "".join(f'<span data-pagefind-meta="{key}[data-deger]" data-deger="{escape(value)}"></span>'
                    for key, value in meta.items() if value)
    page = ('<!DOCTYPE html>\n<html lang="tr"><head><meta charset="utf-8"><title>' + escape(folded_title)
            + '</title></head><body><main data-pagefind-body><h1>' + escape(folded_title) + "</h1><p>"
            + escape(folded_text) + "</p>" + spans + "</main></body></html>\n")
    return page.encode("utf-8")



class CopyCache:
    """Search copies of recent pages by the digest of their bytes, up to a byte budget (least recently used
    out first): a publisher indexes the recent bundle again on every publish, mostly the same pages."""

    def __init__(self, budget: int = 16 * 1024 * 1024) -> None:
        self.budget = budget
        self.size = 0
        self._copies: OrderedDict[bytes, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def copy_of(self, html: bytes) -> bytes:
        key = hashlib.blake2b(html, digest_size=20).digest()
        with self._lock:
            found = self._copies.get(key)
            if found is not None:
                self._copies.move_to_end(key)
                return found
        made = search_copy(html)
        with self._lock:
            if key not in self._copies and len(made) <= self.budget:
                self._copies[key] = made
                self.size += len(made)
                while self.size > self.budget:
                    _, dropped = self._copies.popitem(last=False)
                    self.size -= len(dropped)
        return made


COPIES = CopyCache()
