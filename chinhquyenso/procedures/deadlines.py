"""Legal deadlines of a dossier, derived from the catalog version, the receipt time and the clock stops.

Pure functions over `core.calendar`: nothing here reads the database or the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from chinhquyenso.core.calendar import (
    TimeUnit,
    WorkingCalendar,
    add_working_time,
    next_working_moment,
    to_working_minutes,
    working_periods,
    working_time_between,
)

DEFAULT_SAME_DAY_CUTOFF = dt.time(15, 0)
QUOTA_UNITS = {
    "working_days": TimeUnit.WORKING_DAYS,
    "half_days": TimeUnit.HALF_DAYS,
    "working_hours": TimeUnit.WORKING_HOURS,
}


def limit_minutes(amount: Decimal, unit: str) -> Decimal:
    """A legal limit or step quota in working minutes ("within the day" counts as one working day)."""
    if unit == "same_day":
        return to_working_minutes(1, TimeUnit.WORKING_DAYS)
    return to_working_minutes(amount, QUOTA_UNITS[unit])


def stopped_time(
    stops: Iterable[tuple[dt.datetime, dt.datetime | None]], *, until: dt.datetime, calendar: WorkingCalendar
) -> dt.timedelta:
    """Working time during clock stops, an open stop counting until `until`."""
    total = dt.timedelta(0)
    for started, ended in stops:
        total += working_time_between(started, ended or until, calendar=calendar)
    return total


def legal_due(
    *,
    received_at: dt.datetime,
    amount: Decimal,
    unit: str,
    cutoff: dt.time | None,
    stopped: dt.timedelta = dt.timedelta(0),
    calendar: WorkingCalendar,
) -> dt.datetime:
    """The due time: receipt + the legal limit in working time + the working time the clock stood still.

    "Within the day" (e.g. chứng thực, NĐ 23/2015): received before the cut-off (15:00) → the end of that
    working day; after it → the end of the next working day.
    """
    if unit == "same_day":
        start = next_working_moment(received_at, calendar=calendar)
        day = start.date()
        if start.timetz().replace(tzinfo=None) >= (cutoff or DEFAULT_SAME_DAY_CUTOFF):
            day = _next_working_day(day, calendar)
        end_of_day = working_periods(day, calendar=calendar)[-1][1]
        if not stopped:
            return end_of_day
        return add_working_time(end_of_day, _hours(stopped), TimeUnit.WORKING_HOURS, calendar=calendar)
    hours = limit_minutes(amount, unit) / 60 + _hours(stopped)
    return add_working_time(received_at, hours, TimeUnit.WORKING_HOURS, calendar=calendar)


def _hours(duration: dt.timedelta) -> Decimal:
    return Decimal(duration // dt.timedelta(microseconds=1)) / Decimal(3_600_000_000)


def _next_working_day(day: dt.date, calendar: WorkingCalendar) -> dt.date:
    day += dt.timedelta(days=1)
    while not working_periods(day, calendar=calendar):
        day += dt.timedelta(days=1)
    return day


def timeliness(*, finished_at: dt.datetime, due_at: dt.datetime, calendar: WorkingCalendar) -> str:
    """Mẫu 06: early when finished on a day before the due day, on time up to the due time, late after it."""
    if finished_at > due_at:
        return "late"
    local_finish = finished_at.astimezone(calendar.tz).date()
    local_due = due_at.astimezone(calendar.tz).date()
    return "early" if local_finish < local_due else "on_time"
