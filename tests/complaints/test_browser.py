"""The complaints pages in headless Chromium: axe-core finds no violation, and nothing scrolls sideways at 360px."""

import pytest

from chinhquyenso.complaints.identity import Identity
from chinhquyenso.complaints.models import CaseKind
from chinhquyenso.complaints.services import case_assign, visit_record
from chinhquyenso.core.models import Role
from chinhquyenso.core.services import staff_upsert
from tests.browser.conftest import axe_source, browser, page  # noqa: F401 (fixtures used by name)
from tests.browser.test_ui_shell import axe_violations
from tests.complaints.conftest import receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Kiem-tra-2026!"


def test_staff_and_public_complaints_pages_pass_axe_and_fit_a_phone(page, live_server, cw, axe_source):  # noqa: F811
    inspector = staff_upsert(
        username="tt_browser",
        full_name="Thanh tra Trình duyệt",
        role=Role.INSPECTOR,
        scope=cw.kim_lien,
        password=PASSWORD,
    )
    case = receive(cw)
    case_assign(code=case.code, actor=cw.head, assignee=inspector)
    receive(cw, kind=CaseKind.FEEDBACK)
    visit_record(
        unit=cw.kim_lien,
        channel="in_person",
        classification="petition",
        content="Đoàn kiến nghị",
        identity=Identity(name="Lê Hùng"),
        actor=inspector,
        group_size=5,
        representatives=["Lê Hùng"],
    )
    public = ["/phan-anh/", f"/phan-anh/tra-cuu/{case.code}/"]
    staff = [
        "/can-bo/khieu-nai/",
        "/can-bo/khieu-nai/danh-sach/",
        f"/can-bo/khieu-nai/{case.code}/",
        "/can-bo/khieu-nai/so-tiep-cong-dan/",
        "/can-bo/khieu-nai/tiep-nhan/",
    ]
    problems = {}

    def check(paths):
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 800})
            for path in paths:
                response = page.goto(path)
                assert response is not None and response.status == 200, path
                if width == 360:
                    widths = page.evaluate(
                        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
                    )
                    if widths[0] > widths[1]:
                        problems[f"{path} at 360px"] = widths
                elif violations := axe_violations(page, axe_source):
                    problems[path] = violations

    check(public)
    page.goto("/can-bo/dang-nhap/")
    page.fill("input[name=username]", "tt_browser")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/can-bo/")
    check(staff)
    # the revealed identity page too
    page.goto(f"/can-bo/khieu-nai/{case.code}/")
    page.get_by_role("button", name="Xem thông tin người gửi (được ghi nhật ký)").click()
    page.wait_for_load_state()
    assert "Trần Thị Bình" in page.content()
    assert axe_violations(page, axe_source) == []
    assert problems == {}
