"""Clocks: every action and the scheduler take one, so tests control time; nothing else calls now()."""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    """Anything with now() returning an aware datetime in the instance's time zone."""

    def now(self) -> dt.datetime: ...


class SystemClock:
    """The real wall clock, in the instance's time zone."""

    def __init__(self, tz: ZoneInfo | dt.tzinfo | str = "Europe/Istanbul"):
        self.tz = ZoneInfo(tz) if isinstance(tz, str) else tz

    def now(self) -> dt.datetime:
        return dt.datetime.now(self.tz)


class FixedClock:
    """A clock that stands still until told to move; for tests and replays."""

    def __init__(self, moment: dt.datetime):
        self.set(moment)

    def now(self) -> dt.datetime:
        return self._moment

    def set(self, moment: dt.datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._moment = moment

    def advance(self, delta: dt.timedelta) -> dt.datetime:
        self._moment = self._moment + delta
        return self._moment
