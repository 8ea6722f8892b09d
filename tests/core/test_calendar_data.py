"""The stored calendar: seeded from the `holidays` package, edited by the administrator, read by every
deadline computation."""

import datetime as dt

import pytest
from django.core.cache import cache

from chinhquyenso.core import selectors, services
from chinhquyenso.core.calendar import VIETNAM, add_working_time, is_working_day
from chinhquyenso.core.errors import InvalidInput
from chinhquyenso.core.models import AuditEntry, CalendarDay, CalendarDayKind, Role, User

pytestmark = pytest.mark.django_db

SEED_YEARS = range(2020, 2031)


def at(day: str, time: str = "08:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=VIETNAM)


def due_now(start: dt.datetime, amount=1) -> dt.datetime:
    return add_working_time(start, amount, "working_days", calendar=selectors.calendar_get())


@pytest.fixture
def administrator():
    return User.objects.create_user(username="quantri", password="x", role=Role.ADMINISTRATOR)


@pytest.fixture
def seeded(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_seed_from_package(years=SEED_YEARS)


def test_seeding_stores_tet_2026_and_the_make_up_saturday_in_vietnamese(seeded):
    tet = CalendarDay.objects.filter(date__range=(dt.date(2026, 2, 16), dt.date(2026, 2, 20)))
    assert [day.date.day for day in tet] == [16, 17, 18, 19, 20]
    assert {day.kind for day in tet} == {CalendarDayKind.HOLIDAY}
    assert CalendarDay.objects.get(date=dt.date(2026, 2, 17)).name == "Tết Nguyên Đán"
    makeup = CalendarDay.objects.get(date=dt.date(2026, 8, 22))
    assert makeup.kind == CalendarDayKind.MAKEUP_WORKDAY
    assert makeup.name == "Ngày làm việc bù (cho ngày nghỉ 31/08/2026)"
    assert CalendarDay.objects.get(date=dt.date(2026, 8, 31)).kind == CalendarDayKind.HOLIDAY
    assert not CalendarDay.objects.filter(confirmed=True).exists()


def test_deadlines_read_the_seeded_calendar(seeded):
    assert due_now(at("2026-02-13", "10:00")) == at("2026-02-23", "10:00")
    assert due_now(at("2026-08-21", "16:00")) == at("2026-08-22", "16:00")


def test_seeding_again_changes_nothing(seeded):
    rows = list(CalendarDay.objects.values_list("date", "kind", "name", "source"))
    assert services.calendar_seed_from_package(years=SEED_YEARS) == 0
    assert list(CalendarDay.objects.values_list("date", "kind", "name", "source")) == rows


def test_seeding_again_leaves_confirmed_and_administrator_rows_alone(seeded, administrator):
    services.calendar_day_set(
        date=dt.date(2026, 2, 17),
        kind=CalendarDayKind.HOLIDAY,
        name="Mùng 1 Tết Bính Ngọ",
        source="TB 9441/TB-BNV",
        confirmed=True,
        actor=administrator,
    )
    services.calendar_day_set(
        date=dt.date(2026, 11, 24),
        kind=CalendarDayKind.MAKEUP_WORKDAY,
        name="Ngày Văn hóa Việt Nam: vẫn làm việc",
        source="Công văn của UBND thành phố",
        actor=administrator,
    )

    services.calendar_seed_from_package(years=SEED_YEARS)

    assert CalendarDay.objects.get(date=dt.date(2026, 2, 17)).name == "Mùng 1 Tết Bính Ngọ"
    assert CalendarDay.objects.get(date=dt.date(2026, 11, 24)).kind == CalendarDayKind.MAKEUP_WORKDAY


def test_seeding_removes_package_days_the_package_no_longer_lists(seeded):
    CalendarDay.objects.create(
        date=dt.date(2026, 3, 3), kind=CalendarDayKind.HOLIDAY, name="Lỗi của bản cũ", source="holidays 0.50"
    )
    CalendarDay.objects.create(
        date=dt.date(2026, 3, 4),
        kind=CalendarDayKind.HOLIDAY,
        name="Đã đối chiếu",
        source="holidays 0.50",
        confirmed=True,
    )

    assert services.calendar_seed_from_package(years=SEED_YEARS) == 1

    assert not CalendarDay.objects.filter(date=dt.date(2026, 3, 3)).exists()
    assert CalendarDay.objects.filter(date=dt.date(2026, 3, 4)).exists()


def test_an_administrators_new_day_off_moves_the_next_due_date_at_once(
    seeded, administrator, django_capture_on_commit_callbacks
):
    assert due_now(at("2026-02-13", "10:00")) == at("2026-02-23", "10:00")

    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_day_set(
            date=dt.date(2026, 2, 23),
            kind=CalendarDayKind.HOLIDAY,
            name="Nghỉ thêm sau Tết",
            source="Thông báo của UBND thành phố",
            confirmed=True,
            actor=administrator,
        )

    assert due_now(at("2026-02-13", "10:00")) == at("2026-02-24", "10:00")
    entry = AuditEntry.objects.get(action="calendar.day_set")
    assert (entry.actor, entry.object_id, entry.data["kind"]) == (administrator, "2026-02-23", "holiday")


def test_removing_a_day_off_moves_the_next_due_date_back_at_once(
    seeded, administrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_day_remove(date=dt.date(2026, 2, 20), actor=administrator)

    assert due_now(at("2026-02-13", "10:00")) == at("2026-02-20", "10:00")
    assert AuditEntry.objects.filter(action="calendar.day_removed", object_id="2026-02-20").exists()


def test_after_the_cache_is_cleared_the_calendar_is_read_again():
    assert due_now(at("2026-03-06", "10:00")) == at("2026-03-09", "10:00")
    CalendarDay.objects.create(date=dt.date(2026, 3, 9), kind=CalendarDayKind.HOLIDAY, name="Nghỉ")

    cache.clear()  # e.g. Redis restarted: the version token is gone

    assert due_now(at("2026-03-06", "10:00")) == at("2026-03-10", "10:00")


def test_changed_office_hours_apply_from_their_date_at_once(django_capture_on_commit_callbacks, administrator):
    assert due_now(at("2026-06-01", "16:00"), 0) == at("2026-06-01", "16:00")

    with django_capture_on_commit_callbacks(execute=True):
        services.office_hours_set(
            valid_from=dt.date(2026, 6, 1), weekdays="0,1,2,3,4", periods="07:30-11:30,13:30-17:30", actor=administrator
        )

    # before the date the statutory hours still apply (Friday 16:00-17:00), from it the new ones
    assert due_now(at("2026-05-29", "16:00")) == at("2026-06-01", "16:30")
    assert is_working_day(dt.date(2026, 5, 29), calendar=selectors.calendar_get())


@pytest.mark.parametrize(
    ("weekdays", "periods"), [("0,1,2,3,4", "17:00-08:00"), ("thứ hai", "08:00-12:00"), ("0", "8h-12h")]
)
def test_office_hours_that_make_no_sense_are_refused_with_the_fields_named(weekdays, periods, administrator):
    with pytest.raises(InvalidInput) as refused:
        services.office_hours_set(
            valid_from=dt.date(2026, 6, 1), weekdays=weekdays, periods=periods, actor=administrator
        )
    assert set(refused.value.fields) == {"weekdays", "periods"}


def test_a_calendar_day_without_a_name_or_with_an_unknown_kind_is_refused(administrator):
    with pytest.raises(InvalidInput) as no_name:
        services.calendar_day_set(date=dt.date(2026, 3, 9), kind=CalendarDayKind.HOLIDAY, name=" ", actor=administrator)
    with pytest.raises(InvalidInput) as bad_kind:
        services.calendar_day_set(date=dt.date(2026, 3, 9), kind="weekend", name="Nghỉ", actor=administrator)
    assert list(no_name.value.fields) == ["name"]
    assert list(bad_kind.value.fields) == ["kind"]
    assert not CalendarDay.objects.exists()


def test_a_prefilled_holiday_declared_a_normal_working_day_stays_one_after_reseeding(db):
    import datetime as dt

    from chinhquyenso.core.calendar import VIETNAM, add_working_time, is_working_day
    from chinhquyenso.core.models import CalendarDayKind
    from chinhquyenso.core.selectors import calendar_build
    from chinhquyenso.core.services import calendar_day_set, calendar_seed_from_package

    calendar_seed_from_package(years=range(2026, 2027))
    assert not is_working_day(dt.date(2026, 11, 24), calendar=calendar_build())
    # given the administrator's decision that 24/11/2026 is worked as usual
    calendar_day_set(
        date=dt.date(2026, 11, 24),
        kind=CalendarDayKind.WORKING_DAY,
        name="Làm việc bình thường",
        source="Thông báo của UBND thành phố",
    )
    calendar_seed_from_package(years=range(2026, 2027))
    calendar = calendar_build()
    # then it is a working day, and Monday 23/11 16:00 + 1 working day is Tuesday 24/11 16:00
    assert is_working_day(dt.date(2026, 11, 24), calendar=calendar)
    start = dt.datetime(2026, 11, 23, 16, tzinfo=VIETNAM)
    assert add_working_time(start, 1, "working_days", calendar=calendar) == dt.datetime(
        2026, 11, 24, 16, tzinfo=VIETNAM
    )
