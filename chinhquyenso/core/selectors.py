"""Reads of core data: admin units over time, and the working calendar."""

from __future__ import annotations

import datetime as dt
import threading

from django.core.cache import cache

from chinhquyenso.core.calendar import Schedule, WorkingCalendar
from chinhquyenso.core.errors import NotFound
from chinhquyenso.core.models import AdminUnit, AdminUnitSuccession, CalendarDay, CalendarDayKind, OfficeHours


def admin_unit_get(*, code: str) -> AdminUnit:
    try:
        return AdminUnit.objects.select_related("parent").get(code=code)
    except AdminUnit.DoesNotExist:
        raise NotFound(f"Không có đơn vị hành chính mã {code}.") from None


def admin_unit_list_children(*, parent: AdminUnit | None, on: dt.date | None) -> list[AdminUnit]:
    """Children of `parent` (top-level units when None) that exist on day `on` (all eras when None)."""
    units = AdminUnit.objects.filter(parent=parent).select_related("parent")
    if on is not None:
        units = units.valid_on(on)
    return list(units.order_by("name"))


def admin_unit_successions(*, unit: AdminUnit, direction: str) -> list[AdminUnitSuccession]:
    """Successions out of the unit (`successors`) or into it (`predecessors`), oldest first."""
    rows = AdminUnitSuccession.objects.select_related("predecessor", "successor", "legal_basis")
    rows = rows.filter(predecessor=unit) if direction == "successors" else rows.filter(successor=unit)
    return list(rows.order_by("effective_on", "successor__name", "predecessor__name"))


# --- Working calendar ---------------------------------------------------------------------------
# Built once per process and rebuilt when the shared version key moves (services bump it on every edit),
# so all web processes and workers see an edited holiday at their next deadline computation.
CALENDAR_VERSION_KEY = "core:calendar-version"
_memo = threading.local()


def calendar_bump_version() -> None:
    try:
        cache.incr(CALENDAR_VERSION_KEY)
    except ValueError:
        cache.set(CALENDAR_VERSION_KEY, 1, timeout=None)


def calendar_get() -> WorkingCalendar:
    """The working calendar (holidays, make-up days, office hours) as currently stored."""
    version = cache.get(CALENDAR_VERSION_KEY)
    if version is None:
        cache.add(CALENDAR_VERSION_KEY, 1, timeout=None)
        version = cache.get(CALENDAR_VERSION_KEY, 1)
    memo = getattr(_memo, "value", None)
    if memo is not None and memo[0] == version:
        return memo[1]
    calendar = calendar_build()
    _memo.value = (version, calendar)
    return calendar


def calendar_build() -> WorkingCalendar:
    holidays, makeup = set(), set()
    for date, kind in CalendarDay.objects.values_list("date", "kind"):
        (holidays if kind == CalendarDayKind.HOLIDAY else makeup).add(date)
    schedules = tuple(
        Schedule.parse(valid_from=row.valid_from, weekdays=row.weekdays, periods=row.periods)
        for row in OfficeHours.objects.order_by("valid_from")
    )
    kwargs = {"schedules": schedules} if schedules else {}
    return WorkingCalendar(holidays=frozenset(holidays), makeup_workdays=frozenset(makeup), **kwargs)
