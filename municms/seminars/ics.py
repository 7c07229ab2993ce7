"""iCalendar (RFC 5545) of the seminars, one way for every feed: the public `/seminerler.ics` and each seminar's
`takvim.ics` (plugins/seminars) and the staff's personal feed (`/yonetim/takvim/<anahtar>.ics`). A seminar has
the same UID in all of them, times are Europe/Istanbul with its VTIMEZONE."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from icalendar import Calendar, Event
from icalendar.prop import vText

from ..turkish import slugify
from ..workflow import ENDED_STATES
from .facts import CANCELLED
from .published import PublishedSeminar

TIMEZONE = "Europe/Istanbul"
STAFF_FEED_DAYS = 90   # the staff feed keeps seminars this long after their end


def seminar_uid(number: str | None, slug: str, start: dt.datetime, site_url: str) -> str:
    """`<registration number>@<site host>`: stable across rebuilds and new dates (calendar programs move the
    event), the same in every feed; `<slug>-<start day>@<host>` for a seminar without a number (demo seed)."""
    host = urlsplit(site_url).hostname or "localhost"
    return f"{slugify(number)}@{host}" if number else f"{slug}-{start:%Y%m%d}@{host}"


class Text(vText):
    """TEXT as people wrote it (RFC 5545 3.3.11). icalendar's own escaping first turns a literal backslash-N into
    a line break, so a title containing `\\N` came back changed; here only real line breaks are line breaks."""

    def to_ical(self) -> bytes:
        text = (str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
                .replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n"))
        return text.encode(self.encoding)


def new_calendar(name: str, title: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{name}//municms//TR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", title)
    calendar.add("x-wr-timezone", TIMEZONE)
    return calendar


def calendar_bytes(calendar: Calendar) -> bytes:
    calendar.add_missing_timezones()  # VTIMEZONE for every TZID used (RFC 5545)
    return calendar.to_ical()


def _places(seminar: PublishedSeminar) -> str:
    facts = seminar.facts
    if facts.capacity is None:
        return f"Kontenjan sınırı yok; {facts.confirmed} kesin kayıt."
    if facts.remaining:
        return f"Boş yer: {facts.remaining} (kontenjan {facts.capacity}, {facts.confirmed} kesin kayıt)."
    return f"Kontenjan doldu ({facts.capacity} kişi); yedek listede {facts.waiting} kişi."


def staff_event(seminar: PublishedSeminar, instance, now: dt.datetime) -> Event:
    """One seminar as the staff see it: room, trainer, places left (or, once cancelled, the public reason)."""
    facts, item, fm, tz = seminar.facts, seminar.item, seminar.front_matter, instance.tz
    start, end = facts.start.astimezone(tz), facts.end.astimezone(tz)
    cancelled = facts.phase == CANCELLED
    room_text = " ".join(str(fm.get("yer") or "").split())
    room = instance.seminars.room(room_text)
    lines = [f"Eğitmen: {' '.join(str(fm.get('egitmen') or '—').split())}", _places(seminar)]
    if facts.staff_only:
        lines.append("Yalnız belediye personeli için (kamuya açık sitede yer almaz).")
    if cancelled:  # worded as in the public calendars
        lines[1] = f"İptal gerekçesi: {facts.notice.cancel_reason}"
    event = Event()
    event.add("uid", seminar_uid(item.number, item.slug, start, instance.municipality.site_url))
    stamps = [t for t in (item.updated_at, facts.notice.cancelled_at) if t is not None]
    event.add("dtstamp", max(stamps, default=now))
    event.add("dtstart", start)
    event.add("dtend", end)
    if facts.notice.postponed_from:
        event.add("sequence", 1)
    event.add("summary", Text(f"İptal edildi: {item.title}" if cancelled else item.title))
    if room_text:
        event.add("location", Text(room.name if room else room_text))
    event.add("description", Text("\n".join(lines)))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def staff_calendar(seminars: list[PublishedSeminar], instance, now: dt.datetime) -> bytes:
    """The staff feed: published seminars (staff-only ones too) that end after `now` − 90 days."""
    name = instance.municipality.name
    calendar = new_calendar(name, f"{name} Seminerleri (personel)")
    calendar.add("x-published-ttl", "PT1H")
    since = now - dt.timedelta(days=STAFF_FEED_DAYS)
    shown = [s for s in seminars if s.item.state not in ENDED_STATES and s.facts.start is not None
             and s.facts.end is not None and s.facts.end >= since]
    for seminar in sorted(shown, key=lambda s: (s.facts.start, s.item.number)):
        calendar.add_component(staff_event(seminar, instance, now))
    return calendar_bytes(calendar)
