"""The yearly seminar report the activity report (faaliyet raporu) needs: seminars held in a year, their hours,
confirmed places and attendance, per department, audience and month, with totals.

Computed only from what the register recorded: the published revision's dates, the confirmed registrations
and the attendance marked on them (anonymised registrations count: anonymising keeps status, attendance and
department). A seminar belongs to the year of its start. It was held when it ended before the report was made
and was neither cancelled nor withdrawn before its end; cancelled (and withdrawn) ones are counted apart, and
so are the year's seminars that have not taken place yet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import get_month_names
from babel.numbers import format_decimal, format_percent

from ..actions._transition import load_actor
from ..auth import Actor
from ..config import Instance
from ..errors import PermissionDenied, Problem, ValidationError
from ..model import CONFIRMED, EDITOR, MUDUR, WITHDRAWN, YONETICI
from ..seminar_checks import STAFF_AUDIENCE, staff_only
from ..turkish import LOCALE, fold, format_moment, sort_key
from .facts import CANCELLED, HELD
from .published import PublishedSeminar, published_seminars

REPORT_ROLES = (EDITOR, MUDUR, YONETICI)
FIRST_YEAR, LAST_YEAR = 2000, 2100

CITIZENS, STAFF, BOTH = "vatandas", "personel", "her-ikisi"
AUDIENCE_LABELS_TR = {CITIZENS: "Vatandaş", STAFF: "Belediye personeli", BOTH: "Vatandaş ve personel"}
MONTHS_TR = get_month_names("wide", locale=LOCALE)


def audience_of(hedef_kitle) -> str:
    """Staff only, citizens only, or both, from the words of `hedef_kitle` (the staff words of seminar_checks)."""
    if staff_only(hedef_kitle):
        return STAFF
    words = hedef_kitle if isinstance(hedef_kitle, (list, tuple)) else str(hedef_kitle or "").split(",")
    return BOTH if {fold(str(word)) for word in words} & STAFF_AUDIENCE else CITIZENS


@dataclass(frozen=True)
class HeldSeminar:
    """One seminar that took place, with its recorded registrations and attendance."""

    number: str
    title: str
    department: str      # the department's name
    audience: str        # CITIZENS | STAFF | BOTH
    start: dt.datetime
    end: dt.datetime
    confirmed: int
    attended: int
    unmarked: int        # confirmed registrations whose attendance was not marked

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class Line:
    """A row of the report: what its seminars add up to."""

    label: str
    seminars: int = 0
    minutes: int = 0
    confirmed: int = 0
    attended: int = 0
    unmarked: int = 0

    @property
    def rate(self) -> float | None:
        """attended / confirmed, None without confirmed places."""
        return self.attended / self.confirmed if self.confirmed else None

    @property
    def hours_tr(self) -> str:
        return format_decimal(self.minutes / 60, "#,##0.#", locale=LOCALE)

    @property
    def rate_tr(self) -> str:
        return format_percent(self.rate, "%#,##0.0", locale=LOCALE) if self.rate is not None else "—"


def line_of(label: str, seminars: list[HeldSeminar]) -> Line:
    return Line(label, len(seminars), sum(s.minutes for s in seminars), sum(s.confirmed for s in seminars),
                sum(s.attended for s in seminars), sum(s.unmarked for s in seminars))


@dataclass(frozen=True)
class SeminarReport:
    year: int
    municipality: str
    made_at: dt.datetime
    held: tuple[HeldSeminar, ...]
    by_department: tuple[Line, ...]
    by_audience: tuple[Line, ...]
    by_month: tuple[Line, ...]
    total: Line
    cancelled: Line          # cancelled (or withdrawn before their end): planned hours, places they had
    not_yet_held: Line       # the year's seminars still to come (or under way)

    @property
    def groups(self) -> tuple[tuple[str, tuple[Line, ...]], ...]:
        """(the grouping's name, its rows): each grouping's rows add up to the total."""
        return (("Müdürlük", self.by_department), ("Hedef kitle", self.by_audience), ("Ay", self.by_month))


def check_year(year) -> int:
    """The year asked for, or ValidationError in Turkish."""
    try:
        number = int(str(year).strip())
    except (TypeError, ValueError):
        number = None
    if number is None or not FIRST_YEAR <= number <= LAST_YEAR:
        raise ValidationError([Problem("yil", f"Yıl {FIRST_YEAR} ile {LAST_YEAR} arasında bir sayı olmalıdır "
                                              "(ör. 2026).", f"invalid year {year!r}")],
                              "Rapor hazırlanamadı.", "report not made")
    return number


def may_see_report(user) -> bool:
    return user.role in REPORT_ROLES


def _cancelled(seminar: PublishedSeminar) -> bool:
    facts, item = seminar.facts, seminar.item
    if facts.phase == CANCELLED:
        return True
    return item.state == WITHDRAWN and item.closed_at is not None and facts.end is not None \
        and item.closed_at < facts.end


def _held(seminar: PublishedSeminar, instance: Instance, attendance: dict[int, list]) -> HeldSeminar:
    facts, item = seminar.facts, seminar.item
    marks = attendance.get(item.id, [])
    return HeldSeminar(item.number, item.title, instance.department_name(item.department),
                       audience_of(seminar.front_matter.get("hedef_kitle")), facts.start, facts.end,
                       len(marks), sum(1 for came in marks if came is True), sum(1 for came in marks if came is None))


def yearly_report(reader, instance: Instance, year: int, now: dt.datetime) -> SeminarReport:
    """The report of `year` as the register stands at `now` (no permission check: see seminar_report)."""
    tz = instance.tz
    in_year = [s for s in published_seminars(reader, now, tz)
               if s.facts.start is not None and s.facts.end is not None and s.facts.start.astimezone(tz).year == year]
    attendance: dict[int, list] = {}
    for reg in reader.registrations(statuses=(CONFIRMED,)):
        attendance.setdefault(reg.item_id, []).append(reg.attended)
    cancelled = [s for s in in_year if _cancelled(s)]
    held = [_held(s, instance, attendance) for s in in_year if s.facts.phase == HELD and not _cancelled(s)]
    held.sort(key=lambda s: (s.start, s.number))
    coming = [_held(s, instance, attendance) for s in in_year
              if s.facts.phase not in (HELD, CANCELLED) and not _cancelled(s)]

    departments = sorted({s.department for s in held}, key=sort_key)
    audiences = [a for a in AUDIENCE_LABELS_TR if any(s.audience == a for s in held)]
    months = sorted({s.start.astimezone(tz).month for s in held})
    return SeminarReport(
        year=year, municipality=instance.municipality.name, made_at=now, held=tuple(held),
        by_department=tuple(line_of(d, [s for s in held if s.department == d]) for d in departments),
        by_audience=tuple(line_of(AUDIENCE_LABELS_TR[a], [s for s in held if s.audience == a]) for a in audiences),
        by_month=tuple(line_of(MONTHS_TR[m], [s for s in held if s.start.astimezone(tz).month == m])
                       for m in months),
        total=line_of("Toplam", held),
        cancelled=line_of("İptal edilen", [_held(s, instance, attendance) for s in cancelled]),
        not_yet_held=line_of("Henüz yapılmamış", coming))


def seminar_report(ledger, instance: Instance, clock, actor: Actor, year) -> SeminarReport:
    """The yearly report for an editor, the director or an administrator; department staff are refused."""
    user = load_actor(ledger, actor)
    if not may_see_report(user):
        raise PermissionDenied("Seminer raporunu yalnız editörler, müdür ve yönetici görebilir.",
                               f"'{user.login}' ({user.role}) may not see the seminar report")
    return yearly_report(ledger, instance, check_year(year), clock.now())


def _line_json(line: Line) -> dict:
    return {"label": line.label, "seminars": line.seminars, "hours": round(line.minutes / 60, 2),
            "minutes": line.minutes, "confirmed": line.confirmed, "attended": line.attended,
            "unmarked": line.unmarked,
            "attendance_rate": round(line.rate * 100, 1) if line.rate is not None else None,
            "attendance_rate_tr": line.rate_tr}


def report_json(report: SeminarReport) -> dict:
    """The report as plain data (the CLI's --json)."""
    return {"ok": True, "year": report.year, "municipality": report.municipality,
            "made_at": report.made_at.isoformat(), "made_at_tr": format_moment(report.made_at, "d MMMM y HH:mm"),
            "total": _line_json(report.total),
            "by_department": [_line_json(line) for line in report.by_department],
            "by_audience": [_line_json(line) for line in report.by_audience],
            "by_month": [_line_json(line) for line in report.by_month],
            "cancelled": _line_json(report.cancelled), "not_yet_held": _line_json(report.not_yet_held),
            "held": [{"number": s.number, "title": s.title, "department": s.department, "audience": s.audience,
                      "start": s.start.isoformat(), "end": s.end.isoformat(), "minutes": s.minutes,
                      "confirmed": s.confirmed, "attended": s.attended, "unmarked": s.unmarked}
                     for s in report.held]}
