"""Reads for the public portal: where a citizen can hand in a dossier, and when the desks are open."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from chinhquyenso.core.calendar import is_working_day
from chinhquyenso.core.models import AdminUnit, CalendarDay, CalendarDayKind, Office, OfficeKind
from chinhquyenso.core.selectors import calendar_get


@dataclass(frozen=True)
class ServedUnit:
    unit: AdminUnit
    desks: list[Office]


@dataclass(frozen=True)
class DeskHours:
    days: str
    periods: list[str]


@dataclass(frozen=True)
class ClosedPeriod:
    first: dt.date
    last: dt.date


def _sort_key(name: str) -> str:
    # Vietnamese alphabetical order is close enough to the order of the letters without their marks;
    # a database collation would sort "Ô Chợ Dừa" after "Văn Miếu".
    plain = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()


def served_unit_list(*, on: dt.date) -> list[ServedUnit]:
    """Units whose one-stop desk is open on `on`: the places a citizen can hand in a dossier."""
    desks = (
        Office.objects.filter(kind=OfficeKind.ONE_STOP)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .filter(admin_unit__in=AdminUnit.objects.valid_on(on))
        .select_related("admin_unit", "admin_unit__parent")
    )
    by_unit: dict[int, ServedUnit] = {}
    for desk in desks:
        by_unit.setdefault(desk.admin_unit_id, ServedUnit(unit=desk.admin_unit, desks=[])).desks.append(desk)
    # Higher levels first (a city's own service centre before its wards), then alphabetically.
    served = sorted(by_unit.values(), key=lambda s: (s.unit.path.count("/"), _sort_key(s.unit.name)))
    for entry in served:
        entry.desks.sort(key=lambda d: _sort_key(d.name))
    return served


def _weekday_names() -> list[str]:
    return [_("Thứ Hai"), _("Thứ Ba"), _("Thứ Tư"), _("Thứ Năm"), _("Thứ Sáu"), _("Thứ Bảy"), _("Chủ nhật")]


def desk_hours_on(*, day: dt.date) -> DeskHours:
    """The office hours in force on `day`, in words: "Thứ Hai – Thứ Sáu", "08:00–12:00"."""
    schedule = calendar_get().schedule_on(day)
    names = _weekday_names()
    days = sorted(schedule.weekdays)
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        days_text = f"{names[days[0]]} – {names[days[-1]]}"
    else:
        days_text = ", ".join(names[d] for d in days)
    periods = [f"{start:%H:%M}–{end:%H:%M}" for start, end in schedule.periods]
    return DeskHours(days=days_text, periods=periods)


def closed_period_list(*, today: dt.date, limit: int = 3) -> list[ClosedPeriod]:
    """Next stretches of closed desks: a holiday and the days off right after it (weekend, rest of Tết)."""
    calendar = calendar_get()
    holidays = CalendarDay.objects.filter(
        kind=CalendarDayKind.HOLIDAY, date__gte=today, date__lte=today + dt.timedelta(days=366)
    ).order_by("date")
    periods: list[ClosedPeriod] = []
    for day in holidays.values_list("date", flat=True):
        if periods and day <= periods[-1].last:
            continue
        if len(periods) == limit:
            break
        last = day
        # Two weeks is longer than any stretch of days off, so a misconfigured calendar cannot loop long.
        for _step in range(14):
            if is_working_day(last + dt.timedelta(days=1), calendar=calendar):
                break
            last += dt.timedelta(days=1)
        periods.append(ClosedPeriod(first=day, last=last))
    return periods
