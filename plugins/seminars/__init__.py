"""Pelican plugin: the seminar calendar as iCalendar for citizens' calendar apps: every public seminar in
/seminerler.ics, and each one on its own next to its page (`<seminar page>/takvim.ics`, the page's "add to my
calendar" link)."""

from __future__ import annotations

from icalendar import Event
from pelican import signals

from municms.seminars.ics import Text, calendar_bytes, new_calendar, seminar_uid
from municms.site_files import write_output

_INPUT = "_MUNICMS_SEMINARS"


def _collect(generators) -> None:
    context = generators[0].context
    generators[0].settings[_INPUT] = [a for a in context.get("articles", []) if getattr(a, "tur", "") == "seminer"
                                      and a.metadata.get("durum") not in ("suresi-doldu", "geri-cekildi")]


CALENDAR_FILE = "takvim.ics"  # one seminar's calendar, in its page's folder


def seminar_calendar(seminars, site_url: str, name: str, title: str | None = None) -> bytes:
    """One VEVENT per seminar; UIDs and stamps come from the content so rebuilds are identical (and a seminar
    has the same UID in the whole calendar and in its own)."""
    calendar = new_calendar(name, title or f"{name} Seminerleri")
    for seminar in sorted(seminars, key=lambda s: (s.baslangic, s.slug)):
        if not hasattr(seminar, "baslangic"):
            continue
        event = Event()
        event.add("uid", seminar_uid(seminar.metadata.get("kayit_no"), seminar.slug, seminar.baslangic, site_url))
        event.add("dtstamp", seminar.date)
        event.add("dtstart", seminar.baslangic)
        if hasattr(seminar, "bitis"):
            event.add("dtend", seminar.bitis)
        cancelled = seminar.metadata.get("iptal_nedeni")
        if cancelled is not None:
            event.add("status", "CANCELLED")
        if seminar.metadata.get("onceki_tarih") is not None:
            event.add("sequence", 1)
        event.add("summary", Text(f"İptal edildi: {seminar.title}" if cancelled is not None else seminar.title))
        if hasattr(seminar, "yer"):
            event.add("location", Text(seminar.yer))
        lines = [f"Eğitmen: {seminar.egitmen}"] if hasattr(seminar, "egitmen") else []
        if cancelled is not None:
            lines.append(f"İptal gerekçesi: {cancelled}")
        if lines:
            event.add("description", Text("\n".join(lines)))
        event.add("url", site_url.rstrip("/") + "/" + seminar.url)
        calendar.add_component(event)
    return calendar_bytes(calendar)


def _write(pelican) -> None:
    settings = pelican.settings
    instance = settings.get("MUNICMS_INSTANCE")
    if instance is None:
        return
    seminars = settings.pop(_INPUT, [])
    site_url, name = instance.municipality.site_url, instance.municipality.name
    write_output(settings, pelican.output_path, "seminerler.ics", seminar_calendar(seminars, site_url, name))
    for seminar in seminars:
        if hasattr(seminar, "baslangic"):
            folder = seminar.save_as.rpartition("/")[0]
            write_output(settings, pelican.output_path, f"{folder}/{CALENDAR_FILE}" if folder else CALENDAR_FILE,
                         seminar_calendar([seminar], site_url, name, title=seminar.title))


def register() -> None:
    signals.all_generators_finalized.connect(_collect)
    signals.finalized.connect(_write)
