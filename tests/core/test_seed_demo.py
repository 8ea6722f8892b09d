"""manage.py seed_demo: the Đống Đa demo, idempotent, with accounts that can log in and see their scope."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from chinhquyenso.core.models import (
    AdminUnit,
    AdminUnitSuccession,
    AuditEntry,
    CalendarDay,
    CalendarDayKind,
    LegalBasis,
    Office,
    OfficeHours,
    User,
)
from chinhquyenso.core.permissions import can_see_unit
from chinhquyenso.core.seeding import DEMO_PASSWORD
from chinhquyenso.core.selectors import admin_unit_list_children

pytestmark = pytest.mark.django_db

# username: (role, scope unit full name, valid_from of the scope unit, full name)
ACCOUNTS = {
    "admin": ("administrator", "Thành phố Hà Nội", None, "Trần Minh Đức"),
    "motcua_kimlien": ("desk_officer", "Phường Kim Liên", dt.date(2025, 7, 1), "Nguyễn Thị Thu Hà"),
    "chuyenvien_kimlien": ("specialist", "Phường Kim Liên", dt.date(2025, 7, 1), "Phạm Quốc Tuấn"),
    "lanhdao_kimlien": ("unit_leader", "Phường Kim Liên", dt.date(2025, 7, 1), "Lê Văn Hùng"),
    "motcua_lang": ("desk_officer", "Phường Láng", dt.date(2025, 7, 1), "Đỗ Thị Mai Anh"),
    "lanhdao_quan": ("unit_leader", "Quận Đống Đa", None, "Vũ Đình Long"),
    "lanhdao_thanhpho": ("unit_leader", "Thành phố Hà Nội", None, "Ngô Quang Vinh"),
    "thuky_hdnd": ("council_secretariat", "Phường Kim Liên", dt.date(2025, 7, 1), "Trịnh Thị Lan"),
    "thanhtra": ("inspector", "Phường Kim Liên", dt.date(2025, 7, 1), "Đặng Văn Bình"),
    "taichinh": ("finance_officer", "Phường Kim Liên", dt.date(2025, 7, 1), "Phan Thị Hồng Nhung"),
    "pccc": ("fire_safety_officer", "Phường Kim Liên", dt.date(2025, 7, 1), "Bùi Đức Mạnh"),
}
AFTER = dt.date(2025, 8, 1)


def seed(*args) -> str:
    # the demo catalog and dossiers have their own test (tests/procedures/test_demo.py)
    out = StringIO()
    call_command("seed_demo", "--without-dossiers", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def debug(settings):
    # `make run` serves with DEBUG on; pytest-django turns it off
    settings.DEBUG = True
    return settings


@pytest.fixture
def seeded():
    seed()


def ward(name: str, *, on: dt.date) -> AdminUnit:
    parent = AdminUnit.objects.get(code="006") if on < dt.date(2025, 7, 1) else AdminUnit.objects.get(code="01")
    return next(unit for unit in admin_unit_list_children(parent=parent, on=on) if unit.name == name)


def row_counts() -> dict[str, int]:
    models = [AdminUnit, AdminUnitSuccession, Office, LegalBasis, OfficeHours, CalendarDay, User, AuditEntry]
    return {model.__name__: model.objects.count() for model in models}


def test_running_twice_changes_nothing_and_does_not_rehash_passwords():
    first_output = seed()
    counts = row_counts()
    hashes = dict(User.objects.values_list("username", "password"))

    second_output = seed()

    assert row_counts() == counts
    assert dict(User.objects.values_list("username", "password")) == hashes
    assert "Đã đặt mật khẩu" in first_output
    assert "Đã đặt mật khẩu" not in second_output


def test_the_summary_tells_what_was_loaded(seeded):
    output = seed()

    assert "Đơn vị hành chính: 32" in output
    assert "pccc" in output
    assert DEMO_PASSWORD in output


def test_the_demo_has_default_office_hours_and_the_holidays(seeded):
    hours = OfficeHours.objects.get()
    assert (hours.valid_from, hours.weekdays, hours.periods) == (
        dt.date(2000, 1, 1),
        "0,1,2,3,4",
        "08:00-12:00,13:00-17:00",
    )
    national_day = CalendarDay.objects.get(date=dt.date(2025, 9, 2))
    assert national_day.kind == CalendarDayKind.HOLIDAY
    assert CalendarDay.objects.filter(date__year=2020).exists()
    assert CalendarDay.objects.filter(date__year=2030).exists()


def test_seeding_again_keeps_office_hours_an_administrator_changed(seeded):
    OfficeHours.objects.update(periods="07:30-11:30,13:30-17:30")

    seed()

    assert OfficeHours.objects.get().periods == "07:30-11:30,13:30-17:30"


@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_demo_account_logs_in_with_its_role_and_scope(client, seeded, username):
    role, scope_name, scope_from, full_name = ACCOUNTS[username]

    # django-axes watches every login attempt and needs the request
    logged_in = client.login(request=RequestFactory().post("/"), username=username, password=DEMO_PASSWORD)

    assert logged_in
    user = User.objects.select_related("scope", "office").get(username=username)
    assert user.role == role
    assert (user.scope.full_name, user.scope.valid_from) == (scope_name, scope_from)
    assert f"{user.last_name} {user.first_name}".strip() == full_name
    if user.office is not None:
        assert user.office.admin_unit == user.scope


def test_a_wrong_password_does_not_log_in(client, seeded):
    assert not client.login(request=RequestFactory().post("/"), username="motcua_kimlien", password="sai-mat-khau")


def test_desk_officer_of_kim_lien_sees_kim_lien_but_not_lang(seeded):
    user = User.objects.get(username="motcua_kimlien")

    assert can_see_unit(user, ward("Kim Liên", on=AFTER))
    assert not can_see_unit(user, ward("Láng", on=AFTER))
    assert not can_see_unit(user, ward("Kim Liên", on=dt.date(2024, 6, 26)))


def test_district_leader_sees_the_2024_wards_but_not_the_new_ones(seeded):
    user = User.objects.get(username="lanhdao_quan")

    wards_2024 = admin_unit_list_children(parent=AdminUnit.objects.get(code="006"), on=dt.date(2024, 6, 26))
    assert len(wards_2024) == 21
    assert all(can_see_unit(user, unit) for unit in wards_2024)
    assert not any(
        can_see_unit(user, unit) for unit in admin_unit_list_children(parent=AdminUnit.objects.get(code="01"), on=AFTER)
    )


def test_city_leader_sees_every_unit(seeded):
    user = User.objects.get(username="lanhdao_thanhpho")

    assert all(can_see_unit(user, unit) for unit in AdminUnit.objects.all())


def test_without_debug_it_refuses_demo_passwords_and_writes_nothing(debug):
    debug.DEBUG = False

    with pytest.raises(CommandError, match="--allow-demo-passwords"):
        seed()

    assert not User.objects.exists()
    assert not AdminUnit.objects.exists()


def test_without_debug_demo_passwords_need_the_explicit_flag(client, debug):
    debug.DEBUG = False

    seed("--allow-demo-passwords")

    assert client.login(request=RequestFactory().post("/"), username="admin", password=DEMO_PASSWORD)


def test_without_accounts_only_the_reference_data_is_loaded(debug):
    debug.DEBUG = False

    seed("--without-accounts")

    assert AdminUnit.objects.count() == 32
    assert not User.objects.exists()
