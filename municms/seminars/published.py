"""Every seminar the public site has shown, as it was shown: its published revision, its facts at a moment.
Read in bulk (three queries for all seminars), for the yearly report and the staff calendar feed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import PUBLISHED, Item
from ..seminar_checks import SEMINAR
from ..workflow import ENDED_STATES
from .facts import SeminarFacts, seminar_facts

PAGE = 500


@dataclass(frozen=True)
class PublishedSeminar:
    item: Item              # the public view: the published revision, state 'published' unless it ended
    front_matter: dict      # of the published revision
    facts: SeminarFacts


def _seminars_ever_published(reader) -> list[Item]:
    found, after = [], None
    while True:
        page = reader.find_items(tur=SEMINAR, after=after, limit=PAGE)
        found += [item for item in page if item.live_rev is not None]
        if len(page) < PAGE:
            return found
        after = (page[-1].year, page[-1].seq)


def _public_view(item: Item) -> Item:
    """A new revision in review (or approved, not yet published) does not change what the public saw."""
    state = item.state if item.state in ENDED_STATES else PUBLISHED
    return item.with_changes(current_rev=item.live_rev, state=state)


def published_seminars(reader, now: dt.datetime, tz) -> list[PublishedSeminar]:
    """Every seminar with a published revision (withdrawn, expired and archived ones too), register order."""
    items = [_public_view(item) for item in _seminars_ever_published(reader)]
    revisions = reader.revisions_at([(item.id, item.current_rev) for item in items])
    counts = reader.registration_counts()
    notices = reader.seminar_notices()
    seminars = []
    for item in items:
        revision = revisions.get((item.id, item.current_rev))
        front_matter = revision.front_matter if revision else {}
        facts = seminar_facts(item, front_matter, counts.get(item.id, {}), notices.get(item.id), now, tz)
        seminars.append(PublishedSeminar(item, front_matter, facts))
    return seminars
