"""Markdown extension for regulations (`Tur: mevzuat`): "MADDE n" lines become headings with stable anchors.

A line that starts with `MADDE 14`, `Madde 14 –`, `GEÇİCİ MADDE 1` or `EK MADDE 2` becomes a heading
(`#madde-14`, `#gecici-madde-1`, `#ek-madde-2`); a short caption line just before it ("Amaç") joins the
heading, and the text after the dash starts the article's first paragraph. A `BİRİNCİ BÖLÜM` line (with the
part's name on the next line) becomes the heading that groups the articles after it. Anchors depend only on
the text, so they stay the same across builds; a second article with the same number gets `-2`.
Other documents are left alone: a news item may well start a line with "Madde 5 kapsamında".
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

from . import turkish

_UPPER = "A-ZÇĞİÖŞÜ"
ARTICLE_LINE = re.compile(r"^\s*(?:(?P<kind>GEÇİCİ|Geçici|EK|Ek)\s+)?(?:MADDE|Madde)\s+(?P<number>\d{1,4})"
                          rf"(?P<suffix>/[{_UPPER}])?\s*(?:[–—-]\s*(?P<rest>.*)|$)")
PART_LINE = re.compile(rf"^\s*(?P<ordinal>[{_UPPER}]+(?:\s+[{_UPPER}]+){{0,2}})\s+BÖLÜM\s*$")
# The anchors the site gives articles (and keeps as they are: they are not prefixed like other body ids).
ARTICLE_ANCHOR = re.compile(r"^(?:gecici-|ek-)?madde-\d{1,4}[a-z]?(?:-\d+)?$")
_CAPTION_END = ".:;,)"


def is_regulation(md) -> bool:
    return [value.strip() for value in (getattr(md, "Meta", None) or {}).get("tur", [])] == ["mevzuat"]


def article_anchor(kind: str | None, number: str, suffix: str | None) -> str:
    prefix = {"GEÇİCİ": "gecici-", "EK": "ek-"}.get(turkish.upper(kind or ""), "")
    return f"{prefix}madde-{int(number)}{turkish.slugify(suffix) if suffix else ''}"


def article_label(kind: str | None, number: str, suffix: str | None) -> str:
    return " ".join(part for part in (turkish.upper(kind or ""), "MADDE", f"{int(number)}{suffix or ''}") if part)


def _is_caption(line: str) -> bool:
    """A short title line above an article ("Amaç", "Tanımlar"), not a sentence of the text before it."""
    text = line.strip()
    return 0 < len(text) <= 80 and text[-1] not in _CAPTION_END and not ARTICLE_LINE.match(text) \
        and not PART_LINE.match(text) and text[0].isupper()


class RegulationHeadings(Treeprocessor):
    """Turns the article and part lines of a regulation's paragraphs into headings (before inline markup)."""

    def run(self, root: etree.Element) -> None:
        if not is_regulation(self.md):
            return
        has_parts = any(child.tag == "p" and child.text and any(PART_LINE.match(line)
                        for line in child.text.split("\n")) for child in root)
        self.part_tag, self.article_tag = ("h2", "h3") if has_parts else ("h2", "h2")
        self.used: set[str] = {el.get("id") for el in root.iter() if el.get("id")}
        children = list(root)
        out: list[etree.Element] = []
        for child in children:
            if child.tag == "p" and child.text and (ARTICLE_LINE.match(child.text.split("\n")[0]) or any(
                    ARTICLE_LINE.match(line) or PART_LINE.match(line) for line in child.text.split("\n"))):
                out += self._split(child, out)
            else:
                out.append(child)
        for child in children:
            root.remove(child)
        root.extend(out)

    def _anchor(self, base: str) -> str:
        return unique_anchor(base, self.used)

    def _heading(self, tag: str, anchor: str, text: str) -> etree.Element:
        heading = etree.Element(tag, {"id": self._anchor(anchor)})
        heading.text = text
        return heading

    def _split(self, paragraph: etree.Element, before: list) -> list[etree.Element]:
        """The paragraph's lines as headings and paragraphs, in order."""
        out: list[etree.Element] = []
        lines = paragraph.text.split("\n")
        text: list[str] = []

        def flush() -> None:
            if text:
                p = etree.Element("p")
                p.text = "\n".join(text)
                out.append(p)
                text.clear()

        index = 0
        while index < len(lines):
            line = lines[index]
            part, article = PART_LINE.match(line), ARTICLE_LINE.match(line)
            if part:
                flush()
                name = lines[index + 1].strip() if index + 1 < len(lines) and _is_caption(lines[index + 1]) else ""
                label = " ".join(part.group("ordinal").split()) + " BÖLÜM"
                out.append(self._heading(self.part_tag, turkish.slugify(label), label + (f" – {name}" if name else "")))
                index += 2 if name else 1
                continue
            if article:
                caption = ""
                if text and _is_caption(text[-1]):
                    caption = text.pop().strip()
                elif not text and not out and before and _single_caption(before[-1]):
                    caption = before.pop().text.strip()  # the caption was a paragraph of its own
                flush()
                kind, number, suffix = article.group("kind"), article.group("number"), article.group("suffix")
                label = article_label(kind, number, suffix)
                out.append(self._heading(self.article_tag, article_anchor(kind, number, suffix),
                                         label + (f" – {caption}" if caption else "")))
                rest = (article.group("rest") or "").strip()
                if rest:
                    text.append(rest)
                index += 1
                continue
            text.append(line)
            index += 1
        flush()
        return out


def _single_caption(element: etree.Element) -> bool:
    return element.tag == "p" and len(element) == 0 and bool(element.text) and "\n" not in element.text.strip() \
        and _is_caption(element.text)


class RegulationExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 - Markdown's name
        # after the blocks are parsed (and the meta block read), before inline markup and the toc ids (5)
        md.treeprocessors.register(RegulationHeadings(md), "municms_regulations", 25)


def makeExtension(**kwargs) -> RegulationExtension:  # noqa: N802 - Markdown's name
    return RegulationExtension(**kwargs)


def table_of_contents(html: str) -> list[dict]:
    """The parts of a regulation's (sanitised) body with their articles: [{id, title, articles: [{id, title}]}];
    articles before the first part (or in a regulation without parts) are in a part whose id is ""."""
    from selectolax.lexbor import LexborHTMLParser

    parts: list[dict] = []
    tree = LexborHTMLParser(f"<body>{html}</body>")
    for node in tree.css("h2[id], h3[id]"):
        anchor, title = node.attributes.get("id") or "", " ".join(node.text().split())
        if ARTICLE_ANCHOR.match(anchor):
            if not parts:
                parts.append({"id": "", "title": "", "articles": []})
            parts[-1]["articles"].append({"id": anchor, "title": title})
        elif node.tag == "h2" and PART_LINE.match(title.split(" – ")[0]):
            parts.append({"id": anchor, "title": title, "articles": []})
    return parts


def regulation_ids(body: str) -> set[str]:
    """The anchors a regulation's article and part lines get on its page (for the checks of in-body links)."""
    ids: set[str] = set()
    for line in body.splitlines():
        article, part = ARTICLE_LINE.match(line), PART_LINE.match(line)
        if article:
            base = article_anchor(article.group("kind"), article.group("number"), article.group("suffix"))
        elif part:
            base = turkish.slugify(" ".join(part.group("ordinal").split()) + " BÖLÜM")
        else:
            continue
        unique_anchor(base, ids)
    return ids


def unique_anchor(base: str, used: set[str]) -> str:
    """base, or base-2, base-3 … when taken; recorded in used (a repeated article number gets `-2`)."""
    anchor, n = base, 1
    while anchor in used:
        n += 1
        anchor = f"{base}-{n}"
    used.add(anchor)
    return anchor
