"""Feed entries: what Pelican's Atom writer reads of an article, with the facts a reader acts on (a notice's
last day, a seminar's date and place) and every link absolute, so a feed reader shows them as on the site."""

from __future__ import annotations

from urllib.parse import urljoin

from markupsafe import escape
from selectolax.lexbor import LexborHTMLParser

from municms import turkish

LINK_ATTRIBUTES = ("href", "src")


def as_html(text) -> str:
    return str(escape(str(text)))


def entry_facts(article) -> list[str]:
    """The lines a feed entry adds to its summary and content (plain text)."""
    lines = []
    deadline = getattr(article, "son_basvuru", None)
    if deadline is not None:
        label = article.past_note or "Son başvuru tarihi"
        lines.append(f"{label}: {turkish.format_day(deadline)}")
    if getattr(article, "tur", None) == "seminer" and getattr(article, "baslangic", None) is not None:
        start, end = article.baslangic, getattr(article, "bitis", None)
        when = turkish.format_moment(start)
        if end is not None:
            same_day = end.astimezone(start.tzinfo).date() == start.date()
            when += "–" + (turkish.format_moment(end, "HH:mm") if same_day else turkish.format_moment(end))
        lines.append(f"Tarih: {when}")
        if getattr(article, "yer", None):
            lines.append(f"Yer: {article.yer}")
        if article.metadata.get("iptal_nedeni") is not None:
            lines.append(f"İptal edildi. Gerekçe: {article.metadata['iptal_nedeni']}")
        elif article.past_note:
            lines.append(article.past_note)
    return lines


def absolute_links(html: str, base: str) -> str:
    """The (sanitised) HTML with every href and src resolved against `base`, the page's own address."""
    if not any(f"{name}=" in html for name in LINK_ATTRIBUTES):
        return html
    tree = LexborHTMLParser(f"<body>{html}</body>")
    for name in LINK_ATTRIBUTES:
        for node in tree.css(f"[{name}]"):
            node.attrs[name] = urljoin(base, node.attributes.get(name) or "")
    return tree.body.inner_html


class FeedEntry:
    """An article as Pelican's feed writer must see it: the writer reads `title` as HTML (and strips its tags)
    and puts `summary` into an Atom summary of type html, so both get the article's text escaped as HTML;
    the feed then carries exactly the text the department wrote, followed by the entry's facts. Links in the
    content are absolute (on the municipality's address). Everything else is the article's own."""

    def __init__(self, article, site_url: str):
        self._article = article
        self._site_url = site_url.rstrip("/")

    def __getattr__(self, name):
        return getattr(self._article, name)

    @property
    def title(self) -> str:
        return as_html(self._article.title)

    def _facts_html(self) -> str:
        return "".join(f"<p>{as_html(line)}</p>" for line in entry_facts(self._article))

    @property
    def summary(self) -> str:
        facts = self._facts_html()
        summary = as_html(self._article.summary)
        return f"<p>{summary}</p>{facts}" if facts else summary

    def get_content(self, siteurl) -> str:
        page = f"{self._site_url}/{self._article.url}"
        return self._facts_html() + absolute_links(self._article.get_content(siteurl), page)
