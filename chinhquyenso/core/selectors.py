"""Reads of core data: admin units over time, and the working calendar."""

from __future__ import annotations

import datetime as dt
import threading
import time
import unicodedata
import uuid

from django.core.cache import cache
from django.utils.translation import gettext as _

from chinhquyenso.core.calendar import DEFAULT_SCHEDULE, Schedule, WorkingCalendar
from chinhquyenso.core.errors import NotFound
from chinhquyenso.core.models import AdminUnit, AdminUnitSuccession, CalendarDay, CalendarDayKind, OfficeHours

# Vietnamese alphabetical order: letters by the Vietnamese alphabet (a ă â b c d đ e ê ...), then tones.
# Code-point order would put "Đống Đa" and "Ô Chợ Dừa" after "Văn Miếu".
_VIETNAMESE_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONE_MARKS = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
# spaces, punctuation and digits (ASCII below 100) sort before letters, so "Ba Đình" < "Bách Khoa"
_LETTER_RANK = {c: 100 + i for i, c in enumerate(_VIETNAMESE_ALPHABET)}


def _vietnamese_sort_key(text: str) -> tuple:
    letters, tones = [], []
    for char in unicodedata.normalize("NFD", text.casefold()):
        if char in _TONE_MARKS:
            tones[-1:] = [_TONE_MARKS[char]]
        elif unicodedata.combining(char) and letters:
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + char)
        else:
            letters.append(char)
            tones.append(0)
    ranks = (_LETTER_RANK.get(c, ord(c[0]) if ord(c[0]) < 100 else 1000 + ord(c[0])) for c in letters)
    return tuple(ranks), tuple(tones)


def admin_unit_get(*, code: str, field: str | None = None) -> AdminUnit:
    """The unit with this national (or local) code, in whatever era; `field` names the input in the error."""
    try:
        return AdminUnit.objects.select_related("parent").get(code=code)
    except AdminUnit.DoesNotExist:
        message = _("Không có đơn vị hành chính mã %(code)s.") % {"code": code}
        raise NotFound(message, fields={field: message} if field else None) from None


def admin_unit_list_children(*, parent: AdminUnit | None, on: dt.date | None) -> list[AdminUnit]:
    """Children of `parent` (top-level units when None) that exist on day `on` (all eras when None)."""
    units = AdminUnit.objects.filter(parent=parent).select_related("parent")
    if on is not None:
        units = units.valid_on(on)
    return sorted(units, key=lambda unit: (_vietnamese_sort_key(unit.name), unit.valid_from or dt.date.min))


def admin_unit_successions(*, unit: AdminUnit, direction: str) -> list[AdminUnitSuccession]:
    """Successions out of the unit (`successors`) or into it (`predecessors`), oldest first."""
    rows = AdminUnitSuccession.objects.select_related("predecessor__parent", "successor__parent", "legal_basis")
    rows = rows.filter(predecessor=unit) if direction == "successors" else rows.filter(successor=unit)
    other = "successor" if direction == "successors" else "predecessor"
    return sorted(rows, key=lambda row: (row.effective_on, _vietnamese_sort_key(getattr(row, other).name), row.pk))


# --- Working calendar ---------------------------------------------------------------------------
# Built once per thread and rebuilt when the shared version token changes (services replace it on every
# edit), so all web processes and workers sharing the cache see an edited holiday at their next deadline
# computation. The token is random, not a counter: after a cache flush a new token can never match a
# calendar built before the flush. Without a shared cache (the embedded local-memory default) other
# processes cannot see the token move, so a built calendar is also rebuilt after CALENDAR_MAX_AGE.
CALENDAR_VERSION_KEY = "core:calendar-version"
CALENDAR_MAX_AGE_SECONDS = 60
_memo = threading.local()


def calendar_bump_version() -> None:
    cache.set(CALENDAR_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def calendar_get() -> WorkingCalendar:
    """The working calendar (holidays, make-up days, office hours) as currently stored."""
    version = cache.get(CALENDAR_VERSION_KEY)
    if version is None:
        cache.add(CALENDAR_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(CALENDAR_VERSION_KEY)
    memo = getattr(_memo, "value", None)
    now = time.monotonic()
    if memo is not None and memo[0] == version and now - memo[1] < CALENDAR_MAX_AGE_SECONDS:
        return memo[2]
    calendar = calendar_build()
    _memo.value = (version, now, calendar)
    return calendar


def calendar_build() -> WorkingCalendar:
    """The calendar from the rows; the statutory office hours apply before the first OfficeHours row."""
    holidays, makeup = set(), set()
    for date, kind in CalendarDay.objects.values_list("date", "kind"):
        if kind == CalendarDayKind.HOLIDAY:
            holidays.add(date)
        elif kind == CalendarDayKind.MAKEUP_WORKDAY:
            makeup.add(date)
        # a WORKING_DAY row only stands in the place of a pre-filled holiday: the weekly pattern applies
    schedules = tuple(
        Schedule.parse(valid_from=row.valid_from, weekdays=row.weekdays, periods=row.periods)
        for row in OfficeHours.objects.order_by("valid_from")
    )
    return WorkingCalendar(
        holidays=frozenset(holidays),
        makeup_workdays=frozenset(makeup),
        schedules=(DEFAULT_SCHEDULE, *schedules),
    )
