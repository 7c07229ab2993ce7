"""The site model the templates read: sections, year archives, tags, departments, home blocks."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from municms import turkish


@dataclass
class Listing:
    """Items of one section, tag or department, newest first, split by year (and month when large)."""

    key: str
    title: str
    url: str                      # e.g. "haberler/" or "etiket/ihale/"
    items: list = field(default_factory=list)
    description: str = ""

    def by_year(self) -> dict[int, list]:
        """Items by year, newest year first (worked out once: a listing's items do not change)."""
        known = self.__dict__.get("_by_year")
        if known is None or known[0] is not self.items or known[1] != len(self.items):
            years: dict[int, list] = defaultdict(list)
            for item in self.items:
                years[item.date.year].append(item)
            known = self._by_year = (self.items, len(self.items), dict(sorted(years.items(), reverse=True)))
        return {year: list(items) for year, items in known[2].items()}

    def years(self) -> list[tuple[int, int]]:
        """(year, number of items) newest first."""
        return [(year, len(items)) for year, items in self.by_year().items()]

    def latest(self, count: int) -> list:
        return self.items[:count]

    def head(self) -> "ListingHead":
        """What a listing's own pages show of it (not its items): a new item leaves older pages unchanged."""
        return ListingHead(self.key, self.title, self.url, self.description, getattr(self, "details", {}))

    def year_list(self) -> list[int]:
        """Its years, newest first (the archive links; no counts, so older pages stay as they are)."""
        return list(self.by_year())


@dataclass(frozen=True)
class ListingHead:
    key: str
    title: str
    url: str
    description: str = ""
    details: dict = field(default_factory=dict)


def newest_first(items) -> list:
    return sorted(items, key=_newest_key, reverse=True)


def _newest_key(article) -> tuple:
    """(date, source path), kept on the object: a publisher keeps articles between builds, and every build
    sorts every listing (the relative source path is computed from the settings each time it is read)."""
    known = article.__dict__.get("_municms_newest")
    if known is None or known[0] is not article.date:
        known = article._municms_newest = (article.date, (article.date, article.relative_source_path))
    return known[1]


def by_month(items) -> dict[int, list]:
    months: dict[int, list] = defaultdict(list)
    for item in items:
        months[item.date.month].append(item)
    return dict(sorted(months.items(), reverse=True))


def build_tags(ordered) -> list[Listing]:
    """One listing per tag slug; 'İmar' and 'imar' are one tag, shown with its most used spelling. `ordered`
    is newest first, and so is every tag's listing."""
    grouped: dict[str, list] = defaultdict(list)
    spellings: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for article in ordered:
        for slug, spelling in _tag_slugs(article):
            items = grouped[slug]
            if not items or items[-1] is not article:  # two spellings of one tag on one item: listed once
                items.append(article)
            spellings[slug][spelling] += 1
    listings = []
    for slug, items in grouped.items():
        name = sorted(spellings[slug].items(), key=lambda kv: (-kv[1], turkish.sort_key(kv[0])))[0][0]
        listings.append(Listing(slug, name, f"etiket/{slug}/", items))
    return turkish.sort_words(listings, key=lambda listing: listing.title)


def _tag_slugs(article) -> tuple:
    """(slug, spelling) of each of an article's tags, kept on the object while its tags are the same list."""
    tags = getattr(article, "tags", None) or []
    known = article.__dict__.get("_municms_tag_slugs")
    if known is None or known[0] is not tags:
        known = article._municms_tag_slugs = (tags, tuple((turkish.slugify(str(tag)), str(tag)) for tag in tags))
    return known[1]


def upcoming(items, attribute: str, today: dt.date, limit: int) -> list:
    """Items whose date attribute is today or later, soonest first."""
    def day(item):
        value = getattr(item, attribute, None)
        return value.date() if isinstance(value, dt.datetime) else value
    due = [item for item in items if day(item) is not None and day(item) >= today]
    return sorted(due, key=lambda item: (day(item), item.relative_source_path))[:limit]
