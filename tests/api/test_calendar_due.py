"""GET /api/v1/calendar/due: the due time of an amount of working time, over the stored calendar."""

import pytest

from chinhquyenso.core import services

pytestmark = pytest.mark.django_db

URL = "/api/v1/calendar/due"


@pytest.fixture
def seeded(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_seed_from_package(years=range(2025, 2028))


def test_one_working_day_from_the_friday_before_tet_is_the_monday_after(client, seeded):
    response = client.get(URL, {"start": "2026-02-13T10:00:00+07:00", "amount": "1", "unit": "working_days"})
    assert response.status_code == 200
    assert response.json() == {"due": "2026-02-23T10:00:00+07:00"}


def test_working_days_is_the_default_unit(client, seeded):
    response = client.get(URL, {"start": "2026-03-06T16:00:00+07:00", "amount": "1"})
    assert response.json() == {"due": "2026-03-09T16:00:00+07:00"}


def test_working_hours_and_half_days(client, seeded):
    hours = client.get(URL, {"start": "2026-03-09T16:30:00+07:00", "amount": "1", "unit": "working_hours"})
    half = client.get(URL, {"start": "2026-03-09T10:00:00+07:00", "amount": "0.5"})
    assert hours.json() == {"due": "2026-03-10T08:30:00+07:00"}
    assert half.json() == {"due": "2026-03-09T15:00:00+07:00"}


def test_the_make_up_saturday_is_a_working_day(client, seeded):
    response = client.get(URL, {"start": "2026-08-21T16:00:00+07:00", "amount": "1"})
    assert response.json() == {"due": "2026-08-22T16:00:00+07:00"}


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2026-03-10T12:30:00+07:00", "2026-03-10T15:00:00+07:00"),
        ("2026-03-10T18:00:00+07:00", "2026-03-11T10:00:00+07:00"),
        ("2026-03-08T10:00:00+07:00", "2026-03-09T10:00:00+07:00"),
    ],
    ids=["lunch-break", "evening", "sunday"],
)
def test_a_start_outside_office_hours_counts_from_the_next_working_moment(client, seeded, start, expected):
    response = client.get(URL, {"start": start, "amount": "2", "unit": "working_hours"})
    assert response.json() == {"due": expected}


def test_a_start_in_utc_is_answered_in_vietnam_time(client, seeded):
    response = client.get(URL, {"start": "2026-03-06T09:00:00Z", "amount": "1"})
    assert response.json() == {"due": "2026-03-09T16:00:00+07:00"}


def test_a_plus_sign_left_unencoded_in_the_query_string_is_understood(client, seeded):
    response = client.get(f"{URL}?start=2026-02-13T10:00:00+07:00&amount=1")
    assert response.status_code == 200
    assert response.json() == {"due": "2026-02-23T10:00:00+07:00"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-02-13T10:00:00", "amount": "1"}, "start"),
        ({"start": "13/02/2026 10:00", "amount": "1"}, "start"),
        ({"amount": "1"}, "start"),
        ({"start": "2026-02-13T10:00:00+07:00"}, "amount"),
        ({"start": "2026-02-13T10:00:00+07:00", "amount": "một"}, "amount"),
        ({"start": "2026-02-13T10:00:00+07:00", "amount": "-1"}, "amount"),
        ({"start": "2026-02-13T10:00:00+07:00", "amount": "nan"}, "amount"),
        ({"start": "2026-02-13T10:00:00+07:00", "amount": "99999"}, "amount"),
        ({"start": "2026-02-13T10:00:00+07:00", "amount": "1", "unit": "calendar_days"}, "unit"),
        ({"start": "9999-12-31T16:00:00+07:00", "amount": "1"}, "start"),
    ],
    ids=[
        "naive-start",
        "not-iso-start",
        "missing-start",
        "missing-amount",
        "amount-in-words",
        "negative-amount",
        "nan-amount",
        "amount-too-large",
        "unknown-unit",
        "start-at-the-end-of-time",
    ],
)
def test_bad_parameters_get_422_in_vietnamese_naming_the_parameter(client, params, field):
    response = client.get(URL, params)
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == "invalid_input"
    assert field in body["message"]
    assert list(body["fields"]) == [field]
    assert body["fields"][field]  # a Vietnamese explanation, e.g. "Thiếu giá trị bắt buộc."
