"""The public portal: what citizens can do, where and when desks are open, and tracking a dossier by code."""

import datetime as dt
import re
import threading

import pytest
from django.conf import settings

from chinhquyenso.core import selectors as core_selectors
from chinhquyenso.core.models import AdminUnitLevel, CalendarDayKind, OfficeKind
from chinhquyenso.core.services import admin_unit_upsert, calendar_day_set, office_upsert
from tests.procedures.conftest import receive, world  # noqa: F401  (fixture reused)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calendar(monkeypatch):
    # The working calendar is memoised per thread by a cache version that restarts when the cache is
    # cleared between tests; start each test from what the database holds.
    monkeypatch.setattr(core_selectors, "_memo", threading.local())


@pytest.fixture
def city(db):
    return admin_unit_upsert(
        code="01",
        name="Hà Nội",
        kind_name="thành phố",
        level=AdminUnitLevel.PROVINCE,
        parent=None,
        valid_from=None,
        valid_to=None,
    )


def ward(city, code, name, *, valid_from=None, valid_to=None, desk=True):
    unit = admin_unit_upsert(
        code=code,
        name=name,
        kind_name="phường",
        level=AdminUnitLevel.COMMUNE,
        parent=city,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    if desk:
        office_upsert(
            code=f"{code}.MC",
            name=f"Bộ phận Một cửa phường {name}",
            kind=OfficeKind.ONE_STOP,
            admin_unit=unit,
            valid_from=valid_from,
            valid_to=valid_to,
        )
    return unit


def text_of(response) -> str:
    html = response.content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return re.sub(r" ([.,;:)])", r"\1", text)


def test_home_offers_the_citizen_services_in_vietnamese(client):
    response = client.get("/")

    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()
    page = text_of(response)
    for service in (
        "Tra cứu hồ sơ",
        "Tìm thủ tục hành chính",
        "Đặt lịch hẹn tại Bộ phận Một cửa",
        "Gửi phản ánh, kiến nghị",
        "Nghị quyết Hội đồng nhân dân",
        "Ngân sách và đầu tư công",
        "Chỉ số phục vụ người dân, doanh nghiệp",
    ):
        assert service in page
    assert "Sắp có" in page
    assert '<a href="/thu-tuc/">Tìm thủ tục hành chính</a>' in response.content.decode()


def test_home_has_a_labelled_tracking_form_that_works_without_javascript(client):
    html = client.get("/").content.decode()

    assert '<form class="form" method="get" action="/tra-cuu-ho-so/"' in html
    assert '<label for="id_code">Mã hồ sơ:</label>' in html
    assert 'id="id_code"' in html


def test_home_lists_units_whose_one_stop_desk_is_open_today(client, city, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    ward(city, "KL", "Kim Liên", valid_from=dt.date(2025, 7, 1))
    ward(city, "LANG", "Láng", valid_from=dt.date(2025, 7, 1))
    ward(city, "TT", "Trung Tự", valid_to=dt.date(2024, 12, 31))  # merged away: its desk is closed
    ward(city, "NODESK", "Không Có Quầy", desk=False)

    page = text_of(client.get("/"))

    assert "Bộ phận Một cửa phường Kim Liên" in page
    assert "Bộ phận Một cửa phường Láng" in page
    assert "Thành lập từ 01/07/2025." in page
    assert "Trung Tự" not in page
    assert "Không Có Quầy" not in page
    assert page.index("Phường Kim Liên") < page.index("Phường Láng")


def test_home_says_so_when_no_desk_is_set_up(client):
    assert "Chưa có Bộ phận Một cửa nào được khai báo trên hệ thống." in text_of(client.get("/"))


def test_home_shows_office_hours_and_the_next_closure_as_dd_mm_yyyy(
    client, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(dt.datetime(2026, 12, 20, 3, 0, tzinfo=dt.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        # 01/01/2027 is a Friday: the desk reopens on Monday 04/01/2027.
        calendar_day_set(date=dt.date(2027, 1, 1), kind=CalendarDayKind.HOLIDAY, name="Tết Dương lịch")
        calendar_day_set(date=dt.date(2027, 1, 13), kind=CalendarDayKind.HOLIDAY, name="Một ngày thứ Tư")
        calendar_day_set(date=dt.date(2026, 12, 1), kind=CalendarDayKind.HOLIDAY, name="Đã qua")

    page = text_of(client.get("/"))

    assert "Thứ Hai – Thứ Sáu: 08:00–12:00, 13:00–17:00" in page
    assert "Từ 01/01/2027 đến 03/01/2027" in page
    assert "13/01/2027" in page and "đến 13/01/2027" not in page
    assert "01/12/2026" not in page


def test_home_in_english_when_the_language_cookie_says_so(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/")

    assert '<html lang="en">' in response.content.decode()
    page = text_of(response)
    assert "Track a dossier" in page
    assert "Coming soon" in page
    assert "Monday – Friday" in page
    assert "Tra cứu hồ sơ" not in page


def test_home_query_count_does_not_grow_with_the_units_served(client, city, django_assert_num_queries):
    for number in range(5):
        ward(city, f"W{number}", f"Phường số {number}")

    # one-stop desks with their units; holidays and office hours for the calendar; upcoming holidays
    with django_assert_num_queries(4):
        response = client.get("/")

    assert text_of(response).count("Bộ phận Một cửa phường Phường số") == 5


def test_tracking_an_unknown_code_says_it_was_not_found(client, db):
    response = client.get("/tra-cuu-ho-so/", {"code": " abc-250801-0001 "})

    assert response.status_code == 200
    assert "Không tìm thấy hồ sơ có mã ABC-250801-0001." in text_of(response)


def test_tracking_without_a_code_asks_for_it(client, db):
    response = client.get("/tra-cuu-ho-so/", {"code": ""})

    assert response.status_code == 200
    assert "Vui lòng nhập mã hồ sơ." in text_of(response)


def test_tracking_refuses_characters_no_code_contains_and_does_not_echo_markup(client, db):
    response = client.get("/tra-cuu-ho-so/", {"code": "<script>alert(1)</script>"})

    assert response.status_code == 200
    assert "Mã hồ sơ chỉ gồm chữ cái không dấu" in text_of(response)
    assert "<script>alert" not in response.content.decode()


def test_tracking_refuses_an_overlong_code_naming_the_field(client, db):
    response = client.get("/tra-cuu-ho-so/", {"code": "A" * 61})

    assert "Mã hồ sơ dài tối đa 60 ký tự (đã nhập 61)." in text_of(response)


def test_htmx_tracking_request_gets_only_the_result_fragment(client, db):
    response = client.get("/tra-cuu-ho-so/", {"code": ""}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "<html" not in html
    assert "<form" not in html
    assert "Mã hồ sơ: Vui lòng nhập mã hồ sơ." in text_of(response)


def test_htmx_history_restore_gets_the_whole_page(client, db):
    response = client.get(
        "/tra-cuu-ho-so/", {"code": "X1"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.content.decode()


def test_tracking_a_received_dossier_shows_its_state_with_a_masked_name(client, world):  # noqa: F811
    dossier = receive(world)

    response = client.get("/tra-cuu-ho-so/", {"code": dossier.code.lower()})

    page = text_of(response)
    assert f"Hồ sơ {dossier.code}" in page
    assert "Thủ tục thử 9.000001" in page
    assert "Nguyễn V*** A" in page
    assert "Nguyễn Văn An" not in page
    assert "Bộ phận Một cửa phường Kim Liên" in page
    assert "02/03/2026 09:00" in page  # received at, dd/mm/yyyy


def test_tracking_too_often_is_refused_with_a_vietnamese_message(client, db, settings):
    settings.TRACKING_RATE_PER_MINUTE = 2
    for _ in range(2):
        assert client.get("/tra-cuu-ho-so/", {"code": "X1"}).status_code == 200

    response = client.get("/tra-cuu-ho-so/", {"code": "X1"})

    assert response.status_code == 429
    assert "Quá nhiều yêu cầu tra cứu, vui lòng thử lại sau" in text_of(response)
    fragment = client.get("/tra-cuu-ho-so/", {"code": "X1"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200  # htmx swaps only 2xx answers
    assert "Quá nhiều yêu cầu tra cứu" in text_of(fragment)


def test_qr_code_tracking_page_shows_the_refusal_when_throttled(client, db, settings):
    settings.TRACKING_RATE_PER_MINUTE = 0

    response = client.get("/tra-cuu/ABC-250801-0001/")

    assert response.status_code == 429
    assert "Quá nhiều yêu cầu tra cứu, vui lòng thử lại sau" in text_of(response)


def test_unknown_address_gets_a_vietnamese_not_found_page(client, db):
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in text_of(response)
    assert '<html lang="vi">' in response.content.decode()


def test_server_error_page_renders_without_a_request(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Lỗi hệ thống" in response.content.decode()
