"""Where one seminar stands, derived and never stored: planned → registration open → full → held, or
cancelled, or postponed. Only decisions are stored (registrations, a cancellation, earlier dates); everything
else follows from the live revision's front matter, the counts and the clock, so it can never disagree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import CONFIRMED, PUBLISHED, WAITING, Item, SeminarNotice
from ..workflow import ENDED_STATES
from ..seminar_checks import _when, staff_only
from ..submission_types import as_end, as_start

PLANNED = "planlandi"
OPEN = "acik"
FULL = "dolu"
CLOSED = "kapandi"        # registration deadline passed, not yet held
HELD = "gerceklesti"
CANCELLED = "iptal"
REMOVED = "kaldirildi"    # withdrawn, expired or archived before it was held: no page takes registrations
PHASE_LABELS_TR = {PLANNED: "planlandı", OPEN: "kayıt açık", FULL: "kontenjan doldu (yedek listeye kayıt alınır)",
                   CLOSED: "kayıt kapandı", HELD: "gerçekleşti", CANCELLED: "iptal edildi",
                   REMOVED: "yayından kaldırıldı"}
TAKES_REGISTRATIONS = (OPEN, FULL)


@dataclass(frozen=True)
class SeminarFacts:
    item: Item
    start: dt.datetime | None
    end: dt.datetime | None
    deadline: dt.datetime | None      # registrations are taken before this moment
    capacity: int | None              # None: no limit given
    staff_only: bool
    confirmed: int
    waiting: int
    notice: SeminarNotice
    phase: str

    @property
    def remaining(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.confirmed, 0)

    @property
    def postponed(self) -> bool:
        return bool(self.notice.postponed_from) and self.phase != CANCELLED

    @property
    def phase_label(self) -> str:
        return PHASE_LABELS_TR[self.phase]


def _capacity(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def seminar_times(front_matter: dict, tz) -> tuple[dt.datetime | None, dt.datetime | None, dt.datetime | None]:
    """Start, end and registration deadline (the end of the `kayit_son` day, else the start); None if unreadable."""
    def read(key, edge):
        try:
            return edge(_when(front_matter.get(key), tz), tz)
        except (TypeError, ValueError):
            return None
    start, end, until = read("baslangic", as_start), read("bitis", as_end), read("kayit_son", as_end)
    deadline = min(d for d in (until, start) if d is not None) if (until or start) else None
    return start, end, deadline


def seminar_facts(item: Item, front_matter: dict, counts: dict[str, int], notice: SeminarNotice | None,
                  now: dt.datetime, tz) -> SeminarFacts:
    """The seminar as it stands at `now` (item: its public view; front_matter: that revision's)."""
    start, end, deadline = seminar_times(front_matter, tz)
    capacity = _capacity(front_matter.get("kontenjan"))
    confirmed, waiting = counts.get(CONFIRMED, 0), counts.get(WAITING, 0)
    notice = notice or SeminarNotice(item_id=item.id or 0)
    if notice.cancelled_at is not None:
        phase = CANCELLED
    elif end is not None and end <= now:
        phase = HELD
    elif item.state in ENDED_STATES:
        phase = REMOVED
    elif item.state != PUBLISHED and item.live_rev is None:
        phase = PLANNED   # published content whose new revision is in review is still published
    elif deadline is None or deadline <= now:
        phase = CLOSED
    elif capacity is not None and confirmed >= capacity:
        phase = FULL
    else:
        phase = OPEN
    return SeminarFacts(item, start, end, deadline, capacity, staff_only(front_matter.get("hedef_kitle")),
                        confirmed, waiting, notice, phase)


def facts_of(reader, item: Item, now: dt.datetime, tz) -> SeminarFacts:
    """seminar_facts() read from the ledger for the revision the public sees (the current one if none is live)."""
    rev = reader.revision(item.id, item.live_rev or item.current_rev)
    counts = reader.registration_counts(item.id).get(item.id, {})
    return seminar_facts(item, rev.front_matter if rev else {}, counts, reader.seminar_notice(item.id), now, tz)
