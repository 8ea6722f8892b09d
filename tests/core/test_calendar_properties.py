"""Properties of the working-day arithmetic over the Vietnam calendar 2020-2030 (Tết, long weekends,
make-up days), for any start and any amount."""

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from chinhquyenso.core.calendar import (
    VIETNAM,
    TimeUnit,
    add_working_time,
    to_working_time,
    working_periods,
    working_time_between,
)
from tests.core.test_calendar import CALENDAR

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)

# Days around which mistakes would show: Tết of each year, the 30/4-1/5 and 2/9 long weekends,
# and the make-up working days.
TRICKY_DAYS = sorted(
    day
    for day in CALENDAR.holidays | CALENDAR.makeup_workdays
    if (day.month, day.day) in {(4, 30), (9, 2)} or day in CALENDAR.makeup_workdays or day.month in (1, 2)
)

any_instant = st.datetimes(
    min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 6, 30, 23, 59, 59), timezones=st.just(VIETNAM)
)
near_a_tricky_day = st.builds(
    lambda day, offset, minute, second: dt.datetime.combine(
        day + dt.timedelta(days=offset), dt.time(minute // 60, minute % 60, second), VIETNAM
    ),
    st.sampled_from(TRICKY_DAYS),
    st.integers(-6, 2),
    st.integers(0, 24 * 60 - 1),
    st.integers(0, 59),
)
starts = st.one_of(any_instant, near_a_tricky_day)

units = st.sampled_from([TimeUnit.WORKING_DAYS, TimeUnit.HALF_DAYS, TimeUnit.WORKING_HOURS])
amounts = st.one_of(
    st.integers(0, 40),
    st.decimals(min_value=0, max_value=40, places=3),
    st.floats(min_value=0, max_value=40, allow_nan=False, allow_infinity=False),
)


@PROPERTY_SETTINGS
@given(start=starts, amount=amounts, unit=units)
def test_adding_then_counting_gives_back_the_amount_to_the_microsecond(start, amount, unit):
    due = add_working_time(start, amount, unit, calendar=CALENDAR)
    assert working_time_between(start, due, calendar=CALENDAR) == to_working_time(amount, unit)


@PROPERTY_SETTINGS
@given(start=starts, first=amounts, second=amounts, unit=units)
def test_a_larger_amount_never_gives_an_earlier_due_date(start, first, second, unit):
    low, high = sorted([Decimal(str(first)), Decimal(str(second))])
    assert add_working_time(start, low, unit, calendar=CALENDAR) <= add_working_time(
        start, high, unit, calendar=CALENDAR
    )


@PROPERTY_SETTINGS
@given(start=starts, amount=amounts, unit=units)
def test_the_due_time_lies_inside_or_at_the_end_of_a_working_period(start, amount, unit):
    due = add_working_time(start, amount, unit, calendar=CALENDAR)
    assert due >= start
    assert due.utcoffset() == dt.timedelta(hours=7)
    periods = working_periods(due.date(), calendar=CALENDAR)
    assert any(begin <= due <= end for begin, end in periods)


@PROPERTY_SETTINGS
@given(start=starts, first=st.integers(0, 80_000), second=st.integers(1, 80_000))
def test_adding_in_two_steps_ends_where_adding_at_once_ends(start, first, second):
    # thousandths of an hour (3.6 s), so that every sum is exact
    def hours(thousandths: int) -> Decimal:
        return Decimal(thousandths) / 1000

    halfway = add_working_time(start, hours(first), TimeUnit.WORKING_HOURS, calendar=CALENDAR)
    in_two = add_working_time(halfway, hours(second), TimeUnit.WORKING_HOURS, calendar=CALENDAR)
    at_once = add_working_time(start, hours(first + second), TimeUnit.WORKING_HOURS, calendar=CALENDAR)
    assert in_two == at_once
