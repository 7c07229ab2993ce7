"""Calendar text comes back as it was written: icalendar reads a literal backslash-N as a line break, so a
seminar titled with one was changed in every calendar; municms.seminars.ics.Text escapes only what RFC 5545
3.3.11 says."""

from __future__ import annotations

import pytest
from icalendar import Calendar, Event

from municms.seminars.ics import Text


@pytest.mark.parametrize("text", ["Kurs \\N Atölye", "a\\nb", "C:\\Belgeler\\Nisan", "Ad; soyad, unvan",
                                  "iki\nsatır", "İptal edildi: <b>\"Işık\"</b> \\\\N"])
def test_text_round_trips_through_a_calendar(text):
    event = Event()
    event.add("summary", Text(text))
    calendar = Calendar()
    calendar.add_component(event)
    back = Calendar.from_ical(calendar.to_ical())
    assert [str(e["summary"]) for e in back.walk("VEVENT")] == [text]
