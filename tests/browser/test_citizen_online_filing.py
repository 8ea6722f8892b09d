"""A citizen in a real browser: signs in through the VNeID stand-in (level 2), files a level-2 procedure online
with an upload, pays the fee at the payment stand-in; the desk officer accepts it on the staff page, and after
the processing steps returns it with an electronic result; the citizen sees the result and its QR code, and
the public verification page confirms it without exposing the file."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from chinhquyenso.core.models import Office, OfficeKind, User
from chinhquyenso.procedures.services import TransitionRequest, dossier_transition
from tests.browser.test_dossier_walk import act, sign_out
from tests.browser.test_ui_shell import PASSWORD, sign_in

pytestmark = pytest.mark.browser

PROCEDURE = "1.004873"  # Giấy xác nhận tình trạng hôn nhân: e-ID level 2, fee 15.000 đồng
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MY_DOSSIER_URL = re.compile(r"/ho-so-cua-toi/([0-9A-Z.]+-\d{6}-\d{4,})/$")


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    """Accounts, units and desks of `make run` and the demo catalog; the stand-ins of the national systems on."""
    from chinhquyenso.procedures.catalog_io import catalog_load_demo

    settings.CITIZEN_STAND_INS = True
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", allow_demo_passwords=True, without_dossiers=True, stdout=io.StringIO())
    catalog_load_demo(valid_from=dt.date(2024, 1, 1))


def citizen_signs_in_with_vneid(page):
    page.get_by_role("button", name="Đăng nhập bằng VNeID").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập VNeID (trang mô phỏng)")
    page.get_by_label(re.compile("Nguyễn Văn An")).check()
    page.get_by_label("Mức 2").check()
    page.get_by_role("button", name="Xác nhận đăng nhập").click()


def test_a_citizen_files_online_and_pays_the_desk_accepts_and_returns_an_electronic_result(page, demo):
    kim_lien_desk = Office.objects.get(
        kind=OfficeKind.ONE_STOP, admin_unit__name="Kim Liên", admin_unit__valid_to__isnull=True
    )

    # the citizen finds the procedure and starts filing; the portal asks them to sign in first
    page.goto(f"/thu-tuc/{PROCEDURE}/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập công dân")
    citizen_signs_in_with_vneid(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ trực tuyến")
    expect(page.get_by_role("status").first).to_contain_text("mức 2")
    page.get_by_label("Nộp tại xã, phường").select_option(kim_lien_desk.code)
    expect(page.get_by_label("Họ và tên người nộp")).to_have_value("Nguyễn Văn An")
    page.get_by_label("Nội dung yêu cầu").fill("Xác nhận tình trạng hôn nhân để đăng ký kết hôn")
    page.get_by_label(re.compile("^Tờ khai cấp Giấy xác nhận")).set_input_files(
        files=[{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Nộp hồ sơ").click()

    expect(page).to_have_url(MY_DOSSIER_URL)
    code = MY_DOSSIER_URL.search(page.url).group(1)
    status = page.get_by_role("region", name="Tình trạng")
    expect(status).to_contain_text("Mới đăng ký")
    expect(status).to_contain_text("chưa thanh toán")

    page.get_by_role("button", name="Thanh toán 15.000 đồng").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cổng thanh toán (trang mô phỏng)")
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    expect(page).to_have_url(MY_DOSSIER_URL)
    expect(page.get_by_role("status").first).to_contain_text("Đã thanh toán 15.000 đồng")
    expect(status).to_contain_text("đã thanh toán trực tuyến")
    sign_out(page)

    # the desk officer accepts the online dossier on the staff page and forwards it
    sign_in(page, "motcua_kimlien", PASSWORD)
    page.goto(f"/can-bo/ho-so/{code}/")
    expect(page.get_by_role("region", name="Tình trạng")).to_contain_text("Mới đăng ký")
    act(page, "Tiếp nhận hồ sơ", state="Được tiếp nhận")
    act(page, "Chuyển xử lý", state="Đang xử lý")

    # the specialist and the leader do their steps (their pages are covered by the dossier walk)
    for username in ("chuyenvien_kimlien", "lanhdao_kimlien"):
        dossier_transition(
            code=code, actor=User.objects.get(username=username), request=TransitionRequest(action="complete_step")
        )

    page.reload()
    expect(page.get_by_role("region", name="Tình trạng")).to_contain_text("Đã xử lý xong")
    page.get_by_role("link", name="Trả kết quả kèm kết quả điện tử").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trả kết quả điện tử")
    page.get_by_label("Tệp kết quả (PDF, JPEG, PNG)").set_input_files(
        files=[{"name": "giay-xac-nhan.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_label("Mã kết quả").fill("GXNHN-2026-0001")
    page.get_by_role("button", name="Trả kết quả điện tử").click()
    expect(page.get_by_role("status").first).to_contain_text("GXNHN-2026-0001")
    expect(page.get_by_role("main")).to_contain_text("Đã trả kết quả")
    sign_out(page)

    # the citizen signs in again and finds the electronic result with its QR code
    page.get_by_role("link", name="Đăng nhập công dân").click()
    citizen_signs_in_with_vneid(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tôi")
    page.get_by_role("link", name=code).click()
    result = page.get_by_role("region", name="Kết quả")
    expect(result).to_contain_text("GXNHN-2026-0001")
    expect(result.get_by_role("img", name="Mã QR xác thực kết quả")).to_be_visible()
    download = page.request.get(result.get_by_role("link", name="Tải kết quả điện tử").get_attribute("href"))
    assert download.ok and download.body() == PDF
    expect(page.get_by_role("region", name="Quá trình giải quyết")).to_contain_text("Trả kết quả")

    # anyone scanning the QR code sees that the result is genuine, with the holder masked and no file
    sign_out(page)
    page.goto("/ket-qua/GXNHN-2026-0001/")
    expect(page.get_by_role("status").first).to_contain_text("là kết quả thật")
    expect(page.get_by_role("main")).to_contain_text("Nguyễn V*** A")
    expect(page.get_by_role("main")).to_contain_text(code)
    expect(page.get_by_role("link", name="Tải kết quả điện tử")).to_have_count(0)


def test_the_citizen_pages_pass_axe_and_fit_a_360px_phone(browser, live_server, demo, axe_source):
    """Sign-in, code entry with an error, the filing form with a refused upload, my dossiers, a dossier with its
    electronic result, the stand-ins and the public verification page."""
    # Refused forms answer 422, which Chromium logs as a failed resource; any other console error still fails.
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    console = []
    page.on(
        "console", lambda m: console.append(m.text) if m.type == "error" and "status of 422" not in m.text else None
    )
    page.on("pageerror", lambda error: console.append(str(error)))
    from chinhquyenso.citizens import services
    from chinhquyenso.citizens.adapters import STAND_IN_IDENTITIES
    from chinhquyenso.procedures.services import Applicant
    from tests.browser.test_ui_shell import axe_violations

    citizen = services.citizen_sign_in_identity(claims=STAND_IN_IDENTITIES[0])
    desk = User.objects.get(username="motcua_kimlien")
    kim_lien_desk = Office.objects.get(
        kind=OfficeKind.ONE_STOP, admin_unit__name="Kim Liên", admin_unit__valid_to__isnull=True
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chinhquyenso.procedures.models import ProcedureVersion

    version = ProcedureVersion.objects.filter(procedure__code=PROCEDURE, status="published").order_by("-number").first()
    uploads = {
        doc.pk: SimpleUploadedFile("to-khai.pdf", PDF)
        for doc in version.documents.filter(mandatory=True).exclude(form="shown")
    }
    dossier = services.online_dossier_file(
        citizen=citizen,
        assurance_level=2,
        method="vneid",
        procedure_code=PROCEDURE,
        receiving_office_code=kim_lien_desk.code,
        applicant=Applicant(name="Nguyễn Văn An"),
        content="",
        uploads=uploads,
    )
    for actor, action in (
        (desk, "accept"),
        (desk, "forward"),
        ("chuyenvien_kimlien", "complete_step"),
        ("lanhdao_kimlien", "complete_step"),
    ):
        actor = actor if isinstance(actor, User) else User.objects.get(username=actor)
        dossier_transition(code=dossier.code, actor=actor, request=TransitionRequest(action=action))
    services.electronic_result_issue(
        code=dossier.code, actor=desk, upload=SimpleUploadedFile("kq.pdf", PDF), result_code="KQ-AXE-1"
    )

    def check(label):
        problems = axe_violations(page, axe_source)
        widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        return [f"{label}: {p}" for p in problems] + ([f"{label}: {widths}"] if widths[0] > widths[1] else [])

    problems = []
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800})
        context.clear_cookies()
        page.goto("/dang-nhap-cong-dan/")
        problems += check(f"sign-in@{width}")
        page.get_by_label("Số điện thoại hoặc thư điện tử").fill("0912345678")
        page.get_by_role("button", name="Gửi mã xác thực").click()
        page.get_by_label("Mã xác thực").fill("12345")
        page.get_by_role("button", name="Đăng nhập", exact=True).click()
        problems += check(f"code@{width}")
        page.goto("/dang-nhap-cong-dan/")
        page.get_by_role("button", name="Đăng nhập bằng VNeID").first.click()
        problems += check(f"vneid-stand-in@{width}")
        page.get_by_label(re.compile("Nguyễn Văn An")).check()
        page.get_by_role("button", name="Xác nhận đăng nhập").click()
        page.goto(f"/nop-truc-tuyen/{PROCEDURE}/")
        page.get_by_label("Nộp tại xã, phường").select_option(kim_lien_desk.code)
        page.get_by_label(re.compile("^Tờ khai cấp Giấy xác nhận")).set_input_files(
            files=[{"name": "x.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"}]
        )
        page.get_by_role("button", name="Nộp hồ sơ").click()
        expect(page.get_by_role("alert").first).to_be_visible()
        problems += check(f"filing@{width}")
        page.goto("/ho-so-cua-toi/")
        problems += check(f"my-dossiers@{width}")
        page.goto(f"/ho-so-cua-toi/{dossier.code}/")
        problems += check(f"my-dossier@{width}")
        page.goto("/ket-qua/KQ-AXE-1/")
        problems += check(f"verify@{width}")
    context.close()
    assert problems == [] and console == []
