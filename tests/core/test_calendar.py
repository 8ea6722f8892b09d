"""Working-day arithmetic on real 2026 dates: weekends, Tết, long weekends, make-up days, office hours."""

import datetime as dt
from decimal import Decimal

import holidays
import pytest

from chinhquyenso.core.calendar import (
    DEFAULT_SCHEDULE,
    VIETNAM,
    Schedule,
    TimeUnit,
    WorkingCalendar,
    add_working_time,
    is_working_day,
    next_working_moment,
    working_days_between,
    working_time_between,
)

YEARS = range(2020, 2031)


def package_calendar(**kwargs) -> WorkingCalendar:
    """The calendar `calendar_seed_from_package` stores, built straight from the `holidays` package."""
    vietnam = holidays.country_holidays("VN", years=YEARS)
    makeup = frozenset(day for day in vietnam.weekend_workdays if day.year in YEARS)
    return WorkingCalendar(holidays=frozenset(vietnam), makeup_workdays=makeup, **kwargs)


CALENDAR = package_calendar()


def at(day: str, time: str = "08:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=VIETNAM)


def due(start: dt.datetime, amount, unit=TimeUnit.WORKING_DAYS, calendar=CALENDAR) -> dt.datetime:
    return add_working_time(start, amount, unit, calendar=calendar)


# --- Weekends and office hours ---------------------------------------------------------------------
def test_one_working_day_from_friday_afternoon_ends_monday_afternoon():
    assert due(at("2026-03-06", "16:00"), 1) == at("2026-03-09", "16:00")


def test_a_full_day_from_the_opening_ends_at_the_close_of_the_same_day_not_the_next_morning():
    assert due(at("2026-03-09", "08:00"), 1) == at("2026-03-09", "17:00")


def test_half_a_working_day_is_four_working_hours_and_skips_the_lunch_break():
    assert due(at("2026-03-09", "08:00"), Decimal("0.5")) == at("2026-03-09", "12:00")
    assert due(at("2026-03-09", "10:00"), 0.5) == at("2026-03-09", "15:00")
    assert due(at("2026-03-09", "10:00"), 1, TimeUnit.HALF_DAYS) == at("2026-03-09", "15:00")
    assert due(at("2026-03-09", "10:00"), 4, TimeUnit.WORKING_HOURS) == at("2026-03-09", "15:00")


def test_working_hours_carry_over_to_the_next_morning():
    assert due(at("2026-03-09", "16:30"), 1, TimeUnit.WORKING_HOURS) == at("2026-03-10", "08:30")
    assert due(at("2026-03-09", "11:15"), 1.5, TimeUnit.WORKING_HOURS) == at("2026-03-09", "13:45")


@pytest.mark.parametrize(
    ("start", "amount", "unit", "expected"),
    [
        (at("2026-03-10", "12:30"), 2, TimeUnit.WORKING_HOURS, at("2026-03-10", "15:00")),  # lunch break
        (at("2026-03-10", "18:00"), 1, TimeUnit.WORKING_HOURS, at("2026-03-11", "09:00")),  # evening
        (at("2026-03-10", "06:45"), 1, TimeUnit.WORKING_HOURS, at("2026-03-10", "09:00")),  # early morning
        (at("2026-03-08", "10:00"), 1, TimeUnit.WORKING_DAYS, at("2026-03-09", "17:00")),  # Sunday
        (at("2026-03-06", "17:00"), 1, TimeUnit.WORKING_DAYS, at("2026-03-09", "17:00")),  # Friday close
    ],
    ids=["lunch-break", "evening", "early-morning", "sunday", "friday-at-closing-time"],
)
def test_a_start_outside_office_hours_counts_from_the_next_working_moment(start, amount, unit, expected):
    assert due(start, amount, unit) == expected


def test_no_time_at_all_outside_office_hours_is_the_next_working_moment():
    assert due(at("2026-03-07", "10:00"), 0) == at("2026-03-09", "08:00")
    assert next_working_moment(at("2026-03-10", "12:00"), calendar=CALENDAR) == at("2026-03-10", "13:00")
    assert next_working_moment(at("2026-03-10", "09:10"), calendar=CALENDAR) == at("2026-03-10", "09:10")


def test_a_start_in_another_time_zone_is_read_as_the_same_instant_in_vietnam():
    start = dt.datetime(2026, 3, 6, 9, 0, tzinfo=dt.UTC)  # 16:00 in Hà Nội
    result = due(start, 1)
    assert result == at("2026-03-09", "16:00")
    assert result.utcoffset() == dt.timedelta(hours=7)


# --- Holidays and make-up days from the `holidays` package -------------------------------------------
def test_tet_2026_is_five_days_off_from_16_to_20_february():
    days = [dt.date(2026, 2, 13) + dt.timedelta(days=n) for n in range(11)]
    working = [day for day in days if is_working_day(day, calendar=CALENDAR)]
    assert working == [dt.date(2026, 2, 13), dt.date(2026, 2, 23)]


def test_one_working_day_from_the_friday_before_tet_2026_ends_the_monday_after():
    assert due(at("2026-02-13", "10:00"), 1) == at("2026-02-23", "10:00")


def test_saturday_22_august_2026_is_worked_and_monday_31_august_is_off():
    assert is_working_day(dt.date(2026, 8, 22), calendar=CALENDAR)
    assert not is_working_day(dt.date(2026, 8, 31), calendar=CALENDAR)
    assert due(at("2026-08-21", "16:00"), 1) == at("2026-08-22", "16:00")
    # Monday 31/08 swapped away, then National Day on 1 and 2 September
    assert due(at("2026-08-28", "10:00"), 1) == at("2026-09-03", "10:00")


def test_reunification_day_and_labour_day_2026_make_a_long_weekend():
    assert not is_working_day(dt.date(2026, 4, 30), calendar=CALENDAR)
    assert not is_working_day(dt.date(2026, 5, 1), calendar=CALENDAR)
    assert due(at("2026-04-29", "10:00"), 1) == at("2026-05-04", "10:00")


def test_the_observed_day_of_hung_kings_falling_on_sunday_is_off_on_monday():
    assert not is_working_day(dt.date(2026, 4, 27), calendar=CALENDAR)
    assert due(at("2026-04-24", "10:00"), 1) == at("2026-04-28", "10:00")


# --- Counting working time ------------------------------------------------------------------------
def test_counting_across_tet_gives_the_working_time_only():
    start, end = at("2026-02-13", "10:00"), at("2026-02-23", "10:00")
    assert working_time_between(start, end, calendar=CALENDAR) == dt.timedelta(hours=8)
    assert working_days_between(start, end, calendar=CALENDAR) == Decimal(1)


def test_counting_half_a_day_gives_exactly_one_half():
    days = working_days_between(at("2026-03-09", "10:00"), at("2026-03-09", "15:00"), calendar=CALENDAR)
    assert days == Decimal("0.5")


def test_counting_backwards_gives_nothing():
    assert working_time_between(at("2026-03-10"), at("2026-03-09"), calendar=CALENDAR) == dt.timedelta(0)


# --- Calendar days (Civil Code 2015 Art. 147-148) ---------------------------------------------------
def test_calendar_days_end_at_the_close_of_the_last_day():
    assert due(at("2026-03-02", "10:00"), 3, TimeUnit.CALENDAR_DAYS) == at("2026-03-05", "17:00")


def test_calendar_days_ending_on_a_day_off_move_to_the_close_of_the_next_working_day():
    # the third day is Sunday 26/04 (Giỗ Tổ Hùng Vương), observed on Monday 27/04
    assert due(at("2026-04-23", "10:00"), 3, TimeUnit.CALENDAR_DAYS) == at("2026-04-28", "17:00")


def test_calendar_days_must_be_whole():
    with pytest.raises(ValueError, match="whole"):
        due(at("2026-03-02"), 1.5, TimeUnit.CALENDAR_DAYS)


# --- Office hours that change on a date ---------------------------------------------------------------
SUMMER_HOURS = Schedule.parse(valid_from=dt.date(2026, 6, 1), weekdays="0,1,2,3,4", periods="07:30-11:30,13:30-17:30")


def test_office_hours_changed_from_a_date_apply_from_that_date_on():
    calendar = package_calendar(schedules=(DEFAULT_SCHEDULE, SUMMER_HOURS))
    # Friday 29/05 16:00-17:00 under the old hours, then 7 h on Monday 01/06 under the new ones
    assert due(at("2026-05-29", "16:00"), 1, calendar=calendar) == at("2026-06-01", "16:30")
    assert next_working_moment(at("2026-05-29", "07:45"), calendar=calendar) == at("2026-05-29", "08:00")
    assert next_working_moment(at("2026-06-02", "07:45"), calendar=calendar) == at("2026-06-02", "07:45")


def test_a_six_day_week_makes_saturday_a_working_day():
    six_days = Schedule.parse(valid_from=dt.date(2026, 1, 1), weekdays="0,1,2,3,4,5", periods="08:00-12:00,13:00-17:00")
    calendar = WorkingCalendar(schedules=(DEFAULT_SCHEDULE, six_days))
    assert is_working_day(dt.date(2026, 3, 7), calendar=calendar)
    assert due(at("2026-03-06", "10:00"), 1, calendar=calendar) == at("2026-03-07", "10:00")


def test_a_working_day_is_eight_working_hours_even_when_the_office_opens_mornings_only():
    mornings = Schedule.parse(valid_from=dt.date(2026, 1, 1), weekdays="0,1,2,3,4", periods="08:00-12:00")
    calendar = WorkingCalendar(schedules=(mornings,))
    assert due(at("2026-03-09", "08:00"), 1, calendar=calendar) == at("2026-03-10", "12:00")


@pytest.mark.parametrize(
    ("weekdays", "periods"),
    [("0,1,2,3,4", "12:00-08:00"), ("0,1,2,3,4", "08:00-12:00,11:00-17:00"), ("", "08:00-12:00"), ("7", "08:00-12:00")],
    ids=["ends-before-it-starts", "overlapping", "no-weekday", "weekday-out-of-range"],
)
def test_office_hours_that_make_no_sense_are_refused(weekdays, periods):
    with pytest.raises(ValueError):
        Schedule.parse(valid_from=dt.date(2026, 1, 1), weekdays=weekdays, periods=periods)


# --- Refused input ---------------------------------------------------------------------------------
@pytest.mark.parametrize("amount", [-1, float("nan"), float("inf"), Decimal("NaN")])
def test_a_negative_or_non_finite_amount_is_refused(amount):
    with pytest.raises(ValueError, match="amount"):
        due(at("2026-03-09"), amount)


def test_a_start_without_time_zone_is_refused():
    with pytest.raises(ValueError, match="naive"):
        due(dt.datetime(2026, 3, 9, 8), 1)
