"""One dossier in a real browser, from the desk to the citizen: intake with the htmx checklist, the receipt PDF,
every internal step by the officer whose step it is, the return of the result and the public tracking page.
Then the staff pages under axe-core and on a 360px phone, and the intake without JavaScript."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.test_ui_shell import PASSWORD, sign_in

pytestmark = pytest.mark.browser

# Giấy xác nhận tình trạng hôn nhân: the desk receives, a specialist drafts, the ward leader signs, the desk returns.
PROCEDURE = "1.004873"
APPLICANT = "Phạm Thị Thu Trang"
CODE_IN_URL = re.compile(r"/can-bo/ho-so/([0-9A-Z.]+-\d{6}-\d{4,})/$")  # JavaScript regex: no named group


@pytest.fixture
def demo(transactional_db):
    """The whole demo of `make run`: accounts, the procedure catalog and a few hundred dossiers."""
    call_command("seed_demo", allow_demo_passwords=True, stdout=io.StringIO())


def sign_out(page):
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("link", name="Đăng nhập cán bộ")).to_be_visible()


def open_from_my_inbox(page, username, code):
    """Sign in, open 'Hồ sơ Một cửa' from the staff home, find the dossier among the work at my step."""
    sign_in(page, username, PASSWORD)
    page.get_by_role("link", name="Hồ sơ Một cửa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Việc của tôi")
    my_step = page.get_by_role("region", name="Hồ sơ ở bước của tôi")
    my_step.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)


def act(page, action, *, state, step=None):
    """Press an action's button on the dossier page; htmx swaps the work area in place."""
    page.get_by_role("button", name=action, exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Đã thực hiện")).to_contain_text(action)
    status = page.get_by_role("region", name="Tình trạng")
    expect(status).to_contain_text(state)
    if step:
        expect(status).to_contain_text(step)


def test_desk_receives_a_dossier_the_steps_move_it_to_returned_and_the_citizen_tracks_it(page, demo):
    sign_in(page, "motcua_kimlien", PASSWORD)
    page.get_by_role("link", name="Hồ sơ Một cửa").click()
    page.get_by_role("navigation", name="Hồ sơ Một cửa").get_by_role("link", name="Tiếp nhận hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiếp nhận hồ sơ")

    page.get_by_label("Thủ tục hành chính").select_option(PROCEDURE)
    documents = page.get_by_role("group", name="Thành phần hồ sơ")
    expect(documents).to_contain_text("Thời hạn giải quyết: 3 ngày làm việc")
    mandatory = [  # the form is handed in; the identity card is shown
        ("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu", "Đã nhận"),
        ("Giấy tờ tùy thân còn giá trị sử dụng của người yêu cầu", "Đã xuất trình"),
    ]
    for name, received in mandatory:
        row = documents.get_by_role("group", name=re.compile(re.escape(name)))
        expect(row).to_contain_text("bắt buộc")
        row.get_by_role("checkbox", name=received).check()
    page.get_by_label("Họ và tên người nộp").fill(APPLICANT)
    page.get_by_label("Số định danh cá nhân").fill("001195012345")
    page.get_by_label("Ngày sinh").fill("1995-04-12")
    page.get_by_label("Giới tính").select_option(label="Nữ")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Địa chỉ").fill("Số 12 ngõ 46 phố Phạm Ngọc Thạch")
    page.get_by_label("Xã/phường nơi cư trú").select_option(label="Phường Kim Liên")
    page.get_by_role("button", name="Lập hồ sơ").click()

    expect(page).to_have_url(CODE_IN_URL)
    code = CODE_IN_URL.search(page.url).group(1)
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)
    expect(page.get_by_role("status").first).to_contain_text(f"Đã lập hồ sơ {code}")
    expect(page.get_by_role("region", name="Tình trạng")).to_contain_text("Được tiếp nhận")

    receipt_link = page.get_by_role("link", name="Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    receipt = page.request.get(receipt_link.get_attribute("href"))
    assert receipt.ok and receipt.headers["content-type"] == "application/pdf"
    assert receipt.body().startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(receipt.body())).pages)
    assert code in text

    act(page, "Chuyển xử lý", state="Đang xử lý", step="Công chức Tư pháp - Hộ tịch")
    sign_out(page)

    open_from_my_inbox(page, "chuyenvien_kimlien", code)
    act(page, "Hoàn thành bước, chuyển bước sau", state="Đang xử lý", step="Lãnh đạo UBND phường ký")
    sign_out(page)

    open_from_my_inbox(page, "lanhdao_kimlien", code)
    act(page, "Hoàn thành bước, chuyển bước sau", state="Đã xử lý xong", step="Trả kết quả")
    sign_out(page)

    # the desk finds the dossiers whose result is ready in the list, filtered by state (htmx swaps the results)
    sign_in(page, "motcua_kimlien", PASSWORD)
    page.goto("/can-bo/ho-so/danh-sach/")
    page.get_by_label("Trạng thái").select_option(label="Đã xử lý xong")
    results = page.get_by_role("region", name=re.compile("hồ sơ$"))
    expect(page).to_have_url(re.compile(r"state=9"))
    results.get_by_role("link", name=code).click()
    act(page, "Trả kết quả", state="Đã trả kết quả")
    timeline = page.get_by_role("region", name=re.compile("Quá trình giải quyết"))
    expect(timeline.get_by_role("listitem")).to_have_count(5)  # intake, forward, two steps, return
    sign_out(page)

    page.goto(f"/tra-cuu/{code}/")
    result = page.locator("#track-result")
    expect(result).to_contain_text("Đã trả kết quả")
    expect(result).to_contain_text("Phạm T*** T*** T")
    expect(page.get_by_text(APPLICANT)).to_have_count(0)
    expect(page.get_by_text("001195012345")).to_have_count(0)
