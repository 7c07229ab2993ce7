"""What a seminar's public page needs beyond its text, as Pelican metadata lines written by materialise:
places left (refreshed on every registration through the incremental publish), a cancellation with its
public reason, the earlier dates of a postponement, and the signed token of the registration form.

`Kayit_durumu` is the phase at the time of materialising (open, full, closed, held, cancelled): the form is
written only while registrations are taken. The scheduler notices a deadline, start or end passing
(`boundaries_passed`) and publishes again, so a page never offers a form that would refuse; the form's
endpoint decides again on every post anyway."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import CONFIRMED, PUBLISHED, WAITING, Item, SeminarNotice
from ..workflow import ENDED_STATES
from .facts import TAKES_REGISTRATIONS, _capacity, seminar_facts, seminar_times
from .form_token import form_token


@dataclass(frozen=True)
class SeminarRecord:
    """A seminar's registration counts by status and its notice, as the ledger has them."""

    counts: dict[str, int] = field(default_factory=dict)
    notice: SeminarNotice | None = None


def seminar_lines(item: Item, front_matter: dict, record: SeminarRecord | None, key: bytes, tz,
                  now: dt.datetime) -> list[tuple[str, str]]:
    record = record or SeminarRecord()
    notice = record.notice or SeminarNotice(item_id=item.id)
    # the page is public when anyone reads it: an item about to be published counts as published
    view = item if item.state in ENDED_STATES else item.with_changes(state=PUBLISHED)
    facts = seminar_facts(view, front_matter, record.counts, notice, now, tz)
    lines = [("Kayit_durumu", facts.phase)]
    capacity = _capacity(front_matter.get("kontenjan"))
    if capacity is not None:
        lines.append(("Kalan_yer", str(max(capacity - record.counts.get(CONFIRMED, 0), 0))))
        if record.counts.get(WAITING):
            lines.append(("Yedek_liste", str(record.counts[WAITING])))
    if notice.cancelled_at is not None:
        lines.append(("Iptal_nedeni", " ".join(str(notice.cancel_reason or "").split())))
    elif notice.postponed_from:
        first = dt.datetime.fromisoformat(notice.postponed_from[0][0]).astimezone(tz)
        lines.append(("Onceki_tarih", first.strftime("%Y-%m-%d %H:%M")))
    if facts.phase in TAKES_REGISTRATIONS and not facts.staff_only:
        lines.append(("Kayit_formu", f"{item.id}.{form_token(key, item.id)}"))
    return lines


def boundaries_passed(front_matters: list[dict], now: dt.datetime, tz) -> int:
    """How many registration deadlines, starts and ends of these seminars lie before `now` (the scheduler's
    fingerprint: when it grows, a page's registration state has changed)."""
    return sum(1 for fm in front_matters for moment in seminar_times(fm, tz) if moment is not None and moment <= now)
