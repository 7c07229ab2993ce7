"""Items brought to any state of the workflow by the real actions, in the order an item lives them.

Everything starts as a file dropped into an inbox (real intake, author `birim:<department>`); the people who
act are real users who logged in; publishing and expiring are the pipeline's own runs. No state is ever
written into the ledger directly.
"""

from __future__ import annotations

import datetime as dt

from municms.actions.expire import expire_due, schedule_waiting
from municms.model import (ARCHIVED, ASSIGNED, CHANGES_REQUESTED, EXPIRED, IN_REVIEW, PUBLISHED,
                           REGISTERED, REJECTED, SCHEDULED, WITHDRAWN, Item)

# The people of each step (tests.municipality.PEOPLE): the director assigns to web1, who reviews;
# web2 approves (the reviewer may not).
ASSIGNER, REVIEWER, APPROVER = "mudur1", "web1", "web2"
# States whose items must have been published: they need a site to build (municipality(site="tiny")).
NEEDS_SITE = frozenset({PUBLISHED, EXPIRED})


def reach(m, state: str, count: int = 1, tur: str = "duyuru", title: str = "Işıklı Çarşı İhalesi",
          **front) -> list[Item]:
    """`count` fresh items of municipality `m` in `state` (published ones need a site: NEEDS_SITE)."""
    tomorrow = m.clock.now() + dt.timedelta(days=1)
    if state == SCHEDULED:
        front.setdefault("yayin", tomorrow)
    if state == EXPIRED:
        front.setdefault("bitis", tomorrow)
    first = len(m.ledger.items()) + 1
    items = [m.submit(tur, f"{title} {first + n}", f"Metin {first + n}.\n", **front) for n in range(count)]
    numbers = [item.number for item in items]
    if state == REGISTERED:
        return items
    for number in numbers:
        m.assign(number, to=REVIEWER, by=ASSIGNER)
    if state != ASSIGNED:
        for number in numbers:
            m.review(number, by=REVIEWER)
    for number in numbers:
        if state == CHANGES_REQUESTED:
            m.request_changes(number, by=REVIEWER)
        elif state == REJECTED:
            m.reject(number, by=REVIEWER)
        elif state not in (ASSIGNED, IN_REVIEW):
            m.approve(number, by=APPROVER)
    if state == SCHEDULED:
        schedule_waiting(m.ledger, m.instance, m.clock)
    if state in NEEDS_SITE:
        m.publish()
    if state == EXPIRED:
        m.clock.set(tomorrow + dt.timedelta(minutes=1))
        expire_due(m.ledger, m.instance, m.clock)
    if state in (WITHDRAWN, ARCHIVED):
        for number in numbers:
            m.withdraw(number, by=REVIEWER)
    if state == ARCHIVED:
        for number in numbers:
            m.archive(number, by=ASSIGNER)
    reached = [m.ledger.item(number) for number in numbers]
    assert [item.state for item in reached] == [state] * count, (state, [item.state for item in reached])
    return reached
