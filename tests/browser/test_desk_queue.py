"""The queue in a real browser: a citizen takes a number at the kiosk, the desk officer calls it at counter 1,
and the display board (htmx polling every second) shows it within 2 seconds."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from chinhquyenso.core.calendar import next_working_moment
from chinhquyenso.core.selectors import calendar_get
from tests.browser.test_ui_shell import PASSWORD, axe_violations, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def desk_demo(transactional_db, time_machine):
    """Accounts and units of the demo, the demo catalog, and the desks of Kim Liên and Láng, on a working day."""
    from chinhquyenso.desk.demo import desk_demo_load
    from chinhquyenso.procedures.catalog_io import catalog_load_demo

    call_command("seed_demo", allow_demo_passwords=True, without_dossiers=True, stdout=io.StringIO())
    now = timezone.now()
    opening = next_working_moment(now, calendar=calendar_get())
    if opening > now:  # a weekend or holiday: the kiosk is closed, so move to the next opening (forward only,
        time_machine.move_to(opening + dt.timedelta(minutes=1), tick=True)  # or session cookies would be stale)
    catalog_load_demo(valid_from=dt.date(2024, 1, 1))
    desk_demo_load()


def test_kiosk_ticket_is_called_at_the_counter_and_shown_on_the_board(page, desk_demo, browser, live_server):
    # the citizen takes a number for Hộ tịch at the kiosk of phường Kim Liên
    page.goto("/kiosk/L2507-02/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lấy số thứ tự")
    page.get_by_role("button", name="Hộ tịch", exact=True).click()
    number = page.get_by_role("heading", level=1)
    expect(number).to_contain_text(re.compile(r"A\d{3}"))
    label = re.search(r"A\d{3}", number.inner_text()).group(0)

    # the display board is open on the hall's screen
    board_context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 720}
    )
    board = board_context.new_page()
    board.goto("/bang-goi-so/L2507-02/")
    expect(board.get_by_text("Chưa gọi số nào hôm nay.")).to_be_visible()

    # the desk officer opens counter 1 and calls the next number
    sign_in(page, "motcua_kimlien", PASSWORD)
    page.goto("/can-bo/khong-cho/")
    page.get_by_role("link", name=re.compile(r"^Quầy 1: Hộ tịch")).click()
    page.get_by_role("button", name="Gọi số tiếp theo").click()
    expect(page.get_by_role("status").filter(has_text="Đã gọi số")).to_contain_text(label)

    # the board shows it within 2 seconds, with the counter
    expect(board.locator(".board__number")).to_have_text(label, timeout=2000)
    expect(board.locator(".board__counter")).to_have_text("đến quầy 1")
    board_context.close()


def test_booking_kiosk_board_and_counter_pages_pass_axe_on_a_phone(page, desk_demo, axe_source):
    from chinhquyenso.desk import selectors
    from chinhquyenso.procedures.models import Procedure

    office = selectors.desk_office_for_unit(unit_code="L2507-02")
    days = selectors.bookable_day_list(office=office, procedure=Procedure.objects.get(code="1.004873"))
    day = next(d.day for d in days if d.places_left)
    page.set_viewport_size({"width": 360, "height": 800})
    sign_in(page, "motcua_kimlien", PASSWORD)
    for path in (
        "/dat-lich/?unit=L2507-02&procedure=1.004873",
        f"/dat-lich/?unit=L2507-02&procedure=1.004873&day={day.isoformat()}",
        "/dat-lich/quan-ly/",
        "/kiosk/L2507-02/",
        "/bang-goi-so/L2507-02/",
        "/can-bo/khong-cho/",
        "/can-bo/khong-cho/L2507-02/quay/1/",
        "/can-bo/khong-cho/so-lieu/",
    ):
        page.goto(path)
        assert axe_violations(page, axe_source) == [], path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways ({width}px)"
