"""One dossier in a real browser, from the desk to the citizen: intake with the htmx checklist, the receipt PDF,
every internal step by the officer whose step it is, the return of the result and the public tracking page.
Then the staff pages under axe-core and on a 360px phone, and the intake without JavaScript."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.test_ui_shell import PASSWORD, axe_violations, sign_in

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
    expect(page.locator("#documents-status")).to_have_text("Thành phần hồ sơ: 6 giấy tờ.")  # read out
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
    expect(page.locator("#results-status")).to_have_text(re.compile(r"^\d+ hồ sơ$"))  # read out
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


def demo_dossier_code(*, state, receiving_unit="L2507-02") -> str:
    from chinhquyenso.procedures.models import Dossier

    code = (
        Dossier.objects.filter(receiving_unit__code=receiving_unit, state=state)
        .order_by("pk")
        .values_list("code", flat=True)
        .first()
    )
    assert code, f"the demo has a dossier of Kim Liên in state {state}"
    return code


def test_staff_pages_pass_axe_and_fit_a_360px_phone(page, demo, axe_source):
    """One run over the desk officer's pages with the whole demo (seeding is slow): axe-core on a desktop
    screen, no sideways scrolling on a phone."""
    from chinhquyenso.procedures.workflow import State

    received = demo_dossier_code(state=State.RECEIVED)
    processing = demo_dossier_code(state=State.PROCESSING)
    sign_in(page, "motcua_kimlien", PASSWORD)
    expect(page).to_have_url(re.compile(r"/can-bo/$"))

    def choose_procedure(page):
        page.get_by_label("Thủ tục hành chính").select_option(PROCEDURE)
        expect(page.get_by_role("group", name="Thành phần hồ sơ")).to_contain_text("bắt buộc")

    def send_it_empty(page):
        choose_procedure(page)
        page.get_by_role("button", name="Lập hồ sơ").click()
        summary = page.get_by_role("alert")
        expect(summary).to_be_focused()
        summary.get_by_role("link", name=re.compile("^Họ và tên người nộp")).click()
        expect(page.get_by_label("Họ và tên người nộp")).to_be_focused()

    def send_it_without_documents(page):
        choose_procedure(page)
        page.get_by_label("Họ và tên người nộp").fill(APPLICANT)
        page.get_by_role("button", name="Lập hồ sơ").click()
        expect(page.get_by_role("alert")).to_contain_text("Hồ sơ thiếu giấy tờ bắt buộc")
        expect(page.get_by_label("Thủ tục hành chính")).to_have_value(PROCEDURE)

    def unfold_withdrawal(page):
        page.get_by_text("Rút hồ sơ theo yêu cầu của công dân").first.click()
        expect(page.get_by_label("Lý do, nội dung (bắt buộc)")).to_be_visible()

    pages = [
        ("inbox", "/can-bo/ho-so/", None),
        ("intake with a procedure chosen", "/can-bo/ho-so/tiep-nhan/", choose_procedure),
        ("intake sent empty", "/can-bo/ho-so/tiep-nhan/", send_it_empty),
        ("intake sent without the mandatory documents", "/can-bo/ho-so/tiep-nhan/", send_it_without_documents),
        ("received dossier, withdrawal unfolded", f"/can-bo/ho-so/{received}/", unfold_withdrawal),
        ("dossier in processing", f"/can-bo/ho-so/{processing}/", None),
        ("list", "/can-bo/ho-so/danh-sach/", None),
        ("list filtered", "/can-bo/ho-so/danh-sach/?state=4&late=late", None),
        ("register", "/can-bo/ho-so/so-theo-doi/?from=2026-01-01", None),
    ]

    problems = {}
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800})
        for name, path, prepare in pages:
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            if prepare:
                prepare(page)
            if width == 360:
                widths = page.evaluate(
                    "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
                )
                if widths[0] > widths[1]:
                    problems[f"{name} at 360px"] = f"scrolls sideways: {widths}"
            else:
                violations = axe_violations(page, axe_source)
                if violations:
                    problems[name] = violations

    assert problems == {}


def test_a_refused_action_is_announced_in_place_and_passes_axe(page, demo, axe_source):
    from chinhquyenso.procedures.workflow import State

    code = demo_dossier_code(state=State.RECEIVED)
    sign_in(page, "motcua_kimlien", PASSWORD)
    page.goto(f"/can-bo/ho-so/{code}/")
    withdraw = page.locator("details").filter(has_text="Rút hồ sơ theo yêu cầu của công dân")
    withdraw.locator("summary").click()
    # the note is required: the browser would stop an empty one, so send a blank line the server refuses
    withdraw.get_by_label("Lý do, nội dung (bắt buộc)").fill(" ")
    withdraw.get_by_role("button", name="Rút hồ sơ theo yêu cầu của công dân").click()

    alert = page.get_by_role("alert")
    expect(alert).to_have_text("Cần ghi rõ lý do hoặc nội dung.")
    expect(alert).to_be_focused()
    expect(page.get_by_role("region", name="Tình trạng")).to_contain_text("Được tiếp nhận")
    assert axe_violations(page, axe_source) == []


@pytest.fixture
def page_without_javascript(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", java_script_enabled=False, viewport={"width": 360, "height": 740}
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_desk_receives_and_forwards_a_dossier_without_javascript_on_a_phone(page_without_javascript, demo):
    page = page_without_javascript
    sign_in(page, "motcua_kimlien", PASSWORD)
    page.goto("/can-bo/ho-so/tiep-nhan/")
    page.get_by_label("Họ và tên người nộp").fill(APPLICANT)
    page.get_by_label("Thủ tục hành chính").select_option(PROCEDURE)
    page.get_by_role("button", name="Hiện danh sách giấy tờ").click()

    # the page came back with the checklist, the chosen procedure and what was typed
    documents = page.get_by_role("group", name="Thành phần hồ sơ")
    expect(documents).to_contain_text("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu")
    expect(page.get_by_label("Thủ tục hành chính")).to_have_value(PROCEDURE)
    expect(page.get_by_label("Họ và tên người nộp")).to_have_value(APPLICANT)
    expect(page.get_by_role("alert")).to_have_count(0)  # nothing was submitted yet, so no errors

    for name, received in [
        ("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu", "Đã nhận"),
        ("Giấy tờ tùy thân còn giá trị sử dụng của người yêu cầu", "Đã xuất trình"),
    ]:
        documents.get_by_role("group", name=re.compile(re.escape(name))).get_by_role("checkbox", name=received).check()
    page.get_by_role("button", name="Lập hồ sơ").click()

    expect(page).to_have_url(CODE_IN_URL)
    code = CODE_IN_URL.search(page.url).group(1)
    expect(page.get_by_role("status")).to_contain_text(f"Đã lập hồ sơ {code}")

    page.get_by_role("button", name="Chuyển xử lý", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Đã thực hiện: Chuyển xử lý.")
    expect(page.get_by_role("region", name="Tình trạng")).to_contain_text("Đang xử lý")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
