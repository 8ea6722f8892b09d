"""Working-day arithmetic for legal deadlines. Pure functions: no database, no clock.

A working day is the office's working periods on a day that is a working day: a weekday of the
schedule that is not a holiday, or a weekend day declared a make-up working day. One working day is
8 working hours (RULES.md §1.8). Holidays and make-up days are data (CalendarDay rows), loaded into a
`WorkingCalendar` by `core.selectors.calendar_get()`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

HOURS_PER_WORKING_DAY = 8
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class TimeUnit(enum.StrEnum):
    WORKING_HOURS = "working_hours"
    HALF_DAYS = "half_days"
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"


WORKING_MINUTES = {
    TimeUnit.WORKING_HOURS: 60,
    TimeUnit.HALF_DAYS: HOURS_PER_WORKING_DAY * 60 // 2,
    TimeUnit.WORKING_DAYS: HOURS_PER_WORKING_DAY * 60,
}


@dataclass(frozen=True)
class Schedule:
    """Office hours from `valid_from` on: working weekdays (0 = Monday) and daily periods."""

    valid_from: dt.date
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    periods: tuple[tuple[dt.time, dt.time], ...] = ((dt.time(8), dt.time(12)), (dt.time(13), dt.time(17)))

    @classmethod
    def parse(cls, *, valid_from: dt.date, weekdays: str, periods: str) -> Schedule:
        """Build from text such as weekdays "0,1,2,3,4" and periods "08:00-12:00,13:00-17:00"."""
        days = frozenset(int(part) for part in weekdays.split(",") if part.strip())
        spans = []
        for chunk in periods.split(","):
            start, end = (dt.time.fromisoformat(value.strip()) for value in chunk.split("-"))
            if end <= start:
                raise ValueError(f"period {chunk!r} ends before it starts")
            spans.append((start, end))
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            if start < end:
                raise ValueError("working periods overlap")
        if not days or not spans or not days <= set(range(7)):
            raise ValueError("a schedule needs at least one weekday (0-6) and one period")
        return cls(valid_from=valid_from, weekdays=days, periods=tuple(spans))


DEFAULT_SCHEDULE = Schedule(valid_from=dt.date(1900, 1, 1))


@dataclass(frozen=True)
class WorkingCalendar:
    """Days off, make-up working days and office hours over time (a day both off and made up is off)."""

    holidays: frozenset[dt.date] = frozenset()
    makeup_workdays: frozenset[dt.date] = frozenset()
    schedules: tuple[Schedule, ...] = (DEFAULT_SCHEDULE,)
    tz: ZoneInfo = VIETNAM
    _starts: tuple[dt.date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.schedules:
            raise ValueError("a calendar needs at least one schedule of office hours")
        ordered = tuple(sorted(self.schedules, key=lambda s: s.valid_from))
        object.__setattr__(self, "schedules", ordered)
        object.__setattr__(self, "_starts", tuple(s.valid_from for s in ordered))

    def schedule_on(self, day: dt.date) -> Schedule:
        """The office hours in force on `day`; the earliest schedule also covers the days before it."""
        index = bisect.bisect_right(self._starts, day) - 1
        return self.schedules[max(index, 0)]


def is_working_day(day: dt.date, *, calendar: WorkingCalendar) -> bool:
    """A weekday of the schedule that is not a holiday, or a declared make-up working day."""
    if day in calendar.holidays:
        return False
    if day in calendar.makeup_workdays:
        return True
    return day.weekday() in calendar.schedule_on(day).weekdays


def working_periods(day: dt.date, *, calendar: WorkingCalendar) -> list[tuple[dt.datetime, dt.datetime]]:
    """The working periods of a day as aware datetimes; empty on a day off."""
    if not is_working_day(day, calendar=calendar):
        return []
    return [
        (dt.datetime.combine(day, start, calendar.tz), dt.datetime.combine(day, end, calendar.tz))
        for start, end in calendar.schedule_on(day).periods
    ]


def _aware(at: dt.datetime, calendar: WorkingCalendar) -> dt.datetime:
    if at.tzinfo is None:
        raise ValueError("naive datetime: give a time zone")
    return at.astimezone(calendar.tz)


_MAX_SCAN_DAYS = 3660  # ten years without a working day means the calendar data is wrong


def next_working_moment(at: dt.datetime, *, calendar: WorkingCalendar) -> dt.datetime:
    """`at` itself when it falls inside a working period, else the start of the next one."""
    at = _aware(at, calendar)
    day = at.date()
    for _ in range(_MAX_SCAN_DAYS):
        for start, end in working_periods(day, calendar=calendar):
            if at < end:
                return max(at, start)
        day += dt.timedelta(days=1)
    raise ValueError("no working day found in ten years: check the calendar data")


def _amount(amount: int | float | Decimal) -> Decimal:
    # str() first, so that 0.1 (a float) means one tenth and not its binary approximation
    value = Decimal(str(amount))
    if not value.is_finite() or value < 0:
        raise ValueError("amount must be a finite, non-negative number")
    return value


def to_working_minutes(amount: int | float | Decimal, unit: TimeUnit | str) -> Decimal:
    unit = TimeUnit(unit)
    if unit is TimeUnit.CALENDAR_DAYS:
        raise ValueError("calendar days are not working time")
    return _amount(amount) * WORKING_MINUTES[unit]


def to_working_time(amount: int | float | Decimal, unit: TimeUnit | str) -> dt.timedelta:
    """The amount as a duration of working time, to the microsecond (finer fractions are dropped)."""
    return dt.timedelta(microseconds=int(to_working_minutes(amount, unit) * 60_000_000))


def add_working_time(
    start: dt.datetime, amount: int | float | Decimal, unit: TimeUnit | str, *, calendar: WorkingCalendar
) -> dt.datetime:
    """The instant when `amount` of working time has elapsed after `start`.

    A start outside office hours counts from the next working moment. When the time runs out exactly at
    the end of a working period, the result is that end (e.g. 17:00), not the start of the next one.
    Calendar days (used by some non-TTHC rules) end at the close of the last day, moved to the close of
    the next working day when that day is not one (Civil Code 2015 Art. 148).
    """
    unit = TimeUnit(unit)
    start = _aware(start, calendar)
    if unit is TimeUnit.CALENDAR_DAYS:
        return _add_calendar_days(start, amount, calendar)
    remaining = to_working_time(amount, unit)
    cursor = next_working_moment(start, calendar=calendar)
    day = cursor.date()
    for _ in range(_MAX_SCAN_DAYS * 40):
        for period_start, period_end in working_periods(day, calendar=calendar):
            if period_end <= cursor:
                continue
            begin = max(cursor, period_start)
            available = period_end - begin
            if remaining <= available:
                return begin + remaining if remaining else begin
            remaining -= available
            cursor = period_end
        day += dt.timedelta(days=1)
    raise ValueError("amount too large for the calendar data")


def _add_calendar_days(start: dt.datetime, amount: int | float | Decimal, calendar: WorkingCalendar) -> dt.datetime:
    days = _amount(amount)
    if days != days.to_integral_value():
        raise ValueError("calendar days must be a whole number")
    last_day = start.date() + dt.timedelta(days=int(days))
    for _ in range(_MAX_SCAN_DAYS):
        periods = working_periods(last_day, calendar=calendar)
        if periods:
            return periods[-1][1]
        last_day += dt.timedelta(days=1)
    raise ValueError("no working day found in ten years: check the calendar data")


def working_time_between(start: dt.datetime, end: dt.datetime, *, calendar: WorkingCalendar) -> dt.timedelta:
    """Working time elapsed from `start` to `end` (zero when end is not after start)."""
    start, end = _aware(start, calendar), _aware(end, calendar)
    total = dt.timedelta(0)
    if end <= start:
        return total
    day = start.date()
    while day <= end.date():
        for period_start, period_end in working_periods(day, calendar=calendar):
            begin, finish = max(start, period_start), min(end, period_end)
            if finish > begin:
                total += finish - begin
        day += dt.timedelta(days=1)
    return total


def working_days_between(start: dt.datetime, end: dt.datetime, *, calendar: WorkingCalendar) -> Decimal:
    """Working time between two instants, in working days (8 h each)."""
    # integer microseconds, not float seconds, so that 4 h is exactly Decimal("0.5")
    elapsed = working_time_between(start, end, calendar=calendar) // dt.timedelta(microseconds=1)
    return Decimal(elapsed) / (WORKING_MINUTES[TimeUnit.WORKING_DAYS] * 60_000_000)
