"""Seminar conflicts: the same room or the same trainer at overlapping times as another seminar, more places
than the room has, a room not among the instance's rooms.

`seminar_checks()` is pure: one seminar's front matter, the instance and the other seminars (`Slot`s).
`other_seminars()` reads those from the register: every seminer item that still takes place (not rejected,
withdrawn, expired or archived), at its current revision. Intake and every edit put the problems on the
receipt, review records them, and approval refuses a seminar with a blocking one (item_checks' rules).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from .item_checks import ItemCheck, summary_tr
from .model import ARCHIVED, EXPIRED, REJECTED, STATES, WITHDRAWN
from .submission_types import as_end, as_start, parse_when
from .turkish import fold, format_day

SEMINAR = "seminer"
# 'hedef_kitle' words that mean the municipality's own staff; a seminar for them alone is never public
STAFF_AUDIENCE = frozenset({"personel", "belediye personeli", "calisanlar", "belediye calisanlari"})


def staff_only(audience) -> bool:
    """Whether a seminar's `hedef_kitle` (a list, or words separated by commas) names staff and nobody else."""
    words = audience if isinstance(audience, (list, tuple)) else str(audience or "").split(",")
    folded = {fold(str(word)) for word in words} - {""}
    return bool(folded) and folded <= STAFF_AUDIENCE


TAKING_PLACE = tuple(s for s in STATES if s not in (REJECTED, WITHDRAWN, EXPIRED, ARCHIVED))


@dataclass(frozen=True)
class Slot:
    """When and where one registered seminar takes place, and who gives it."""

    number: str
    title: str
    room: str        # the room's id when the instance knows it, else its name as folded text
    trainer: str     # likewise
    start: dt.datetime
    end: dt.datetime

    def overlaps(self, other: "Slot") -> bool:
        return self.start < other.end and other.start < self.end


def slot_of(number: str, title: str, front_matter: dict, instance) -> Slot | None:
    """The seminar's slot; None when its times cannot be read (the submission's own checks report that)."""
    tz = instance.tz
    try:
        start = as_start(_when(front_matter.get("baslangic"), tz), tz)
        end = as_end(_when(front_matter.get("bitis"), tz), tz)
    except (TypeError, ValueError):
        return None
    room, trainer = str(front_matter.get("yer") or ""), str(front_matter.get("egitmen") or "")
    known_room, known_trainer = instance.seminars.room(room), instance.seminars.trainer(trainer)
    return Slot(number, title, known_room.id if known_room else fold(room),
                known_trainer.id if known_trainer else fold(trainer), start, end)


def _when(value, tz):
    """A stored value (ISO 8601, as the register keeps parsed front matter) or one as submissions write it."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)  # a wall time in the instance's zone
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise TypeError(value)
    text = value.strip()
    if "T" in text:
        moment = dt.datetime.fromisoformat(text)
        return moment if moment.tzinfo else moment.replace(tzinfo=tz)
    return parse_when(text, tz)


def current_checks(reader, instance, item) -> list[ItemCheck]:
    """seminar_checks() for an item's current revision (none for other types)."""
    if item.tur != SEMINAR:
        return []
    revision = reader.revision(item.id, item.current_rev)
    if revision is None:
        return []
    return seminar_checks(revision.front_matter, instance, other_seminars(reader, instance, item.number),
                          item.number, item.title)


def receipt_lines(reader, instance, submission, number: str = "") -> list[str]:
    """Receipt warnings of a seminar submission (or of an edit of seminar `number`)."""
    if submission.tur != SEMINAR:
        return []
    checks = seminar_checks(submission.front_matter, instance, other_seminars(reader, instance, number), number,
                            submission.title)
    return ["Seminer denetimi: " + line for line in summary_tr(checks)]


def seminar_checks(front_matter: dict, instance, others: Iterable[Slot], number: str = "",
                   title: str = "") -> list[ItemCheck]:
    """Every problem of one seminar against the instance's rooms and the other seminars, all at once."""
    found = []
    rooms = instance.seminars
    room_text = str(front_matter.get("yer") or "")
    room = rooms.room(room_text)
    if room is None and rooms.rooms and room_text:
        found.append(ItemCheck(
            "yer", "seminar", f"'yer' alanındaki '{room_text}' tanımlı salonlardan biri değil; kapasitesi ve "
            f"erişilebilirliği denetlenemedi. Tanımlı salonlar: {', '.join(r.name for r in rooms.rooms)}.",
            f"room {room_text!r} is not one of the instance's rooms", False))
    places = str(front_matter.get("kontenjan") or "").strip()
    if room is not None and places.isdigit() and int(places) > room.capacity:
        found.append(ItemCheck(
            "kontenjan", "seminar", f"'kontenjan' ({int(places)}) '{room.name}' salonunun "
            f"kapasitesinden ({room.capacity} kişi) fazla.",
            f"kontenjan {places} exceeds the capacity {room.capacity} of room {room.id}", True))
    mine = slot_of(number, title, front_matter, instance)
    if mine is None:
        return found
    for other in sorted(others, key=lambda s: (s.start, s.number)):
        if other.number == number or not mine.overlaps(other):
            continue
        when = _span(other, instance.tz)
        if mine.room and other.room == mine.room:
            found.append(ItemCheck(
                "yer", "seminar", f"'yer': '{room.name if room else room_text}' aynı saatlerde {other.number} "
                f"numaralı «{other.title}» seminerinde kullanılıyor ({when}).",
                f"room overlaps seminar {other.number}", True))
        if mine.trainer and other.trainer == mine.trainer:
            found.append(ItemCheck(
                "egitmen", "seminar", f"'egitmen': {front_matter.get('egitmen')} aynı saatlerde {other.number} "
                f"numaralı «{other.title}» seminerini veriyor ({when}).",
                f"trainer overlaps seminar {other.number}", True))
    return found


def _span(slot: Slot, tz) -> str:
    start, end = slot.start.astimezone(tz), slot.end.astimezone(tz)
    if start.date() == end.date():
        return f"{format_day(start)} {start:%H:%M}–{end:%H:%M}"
    return f"{format_day(start)} {start:%H:%M} – {format_day(end)} {end:%H:%M}"


def other_seminars(reader, instance, number: str = "") -> list[Slot]:
    """The slots of every registered seminar that still takes place, but `number`'s own."""
    slots, after = [], None
    while True:
        page = reader.find_items(tur=SEMINAR, states=TAKING_PLACE, after=after, limit=500)
        others = [item for item in page if item.number != number]
        # one query per page, not one per seminar: with a query each, intake of a seminar grew with every seminar
        # registered before it (a 20,000-submission run fell from 33 to 3 registrations/s by 1,700 seminars)
        revisions = reader.revisions_at([(item.id, item.current_rev) for item in others])
        for item in others:
            revision = revisions.get((item.id, item.current_rev))
            slot = slot_of(item.number, item.title, revision.front_matter, instance) if revision else None
            if slot is not None:
                slots.append(slot)
        if len(page) < 500:
            return slots
        after = (page[-1].year, page[-1].seq)
