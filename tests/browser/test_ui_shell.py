"""The UI shell in a real browser: sign-in as a ward desk officer, the language switch, htmx under the CSP,
keyboard use, axe-core accessibility checks and a 360px-wide phone screen."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from chinhquyenso.core.models import User

pytestmark = pytest.mark.browser

PASSWORD = "demo12345"


@pytest.fixture
def kim_lien_desk_officer(transactional_db):
    """The demo data of `make run`, with motcua_kimlien: desk officer of phường Kim Liên (since 01/07/2025)."""
    call_command("seed_demo", allow_demo_passwords=True, without_dossiers=True, stdout=io.StringIO())
    return User.objects.select_related("scope__parent").get(username="motcua_kimlien")


def sign_in(page, username="motcua_kimlien", password=PASSWORD):
    page.goto("/can-bo/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()


def test_desk_officer_signs_in_and_sees_the_staff_home_in_vietnamese_then_english(page, kim_lien_desk_officer):
    sign_in(page)

    expect(page).to_have_url(re.compile(r"/can-bo/$"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    name = kim_lien_desk_officer.display_name
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Xin chào, {name}")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Cán bộ Một cửa")
    expect(main).to_contain_text("Phường Kim Liên")
    expect(page.get_by_role("navigation", name="Mảng công việc")).to_contain_text("Hồ sơ Một cửa")

    page.get_by_role("button", name="English").click()

    expect(page).to_have_url(re.compile(r"/can-bo/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {name}")
    expect(main).to_contain_text("One-stop desk officer")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.get_by_role("button", name="Tiếng Việt").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Xin chào, {name}")


def test_wrong_password_is_announced_in_vietnamese_and_keeps_the_username(page, kim_lien_desk_officer):
    sign_in(page, password="sai-mat-khau")

    expect(page.get_by_role("alert")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("motcua_kimlien")
    expect(page.get_by_label("Mật khẩu")).to_have_value("")


def test_tracking_form_answers_in_place_through_htmx(page, transactional_db):
    page.goto("/")

    page.get_by_label("Mã hồ sơ").fill("000.00.17.H26-250801-0012")
    page.get_by_role("button", name="Tra cứu", exact=True).click()

    result = page.locator("#track-result")
    expect(result).to_contain_text("Không tìm thấy hồ sơ có mã 000.00.17.H26-250801-0012.")
    expect(page).to_have_url(re.compile(r"/$"))  # no page load: the fragment was swapped in


def test_keyboard_user_can_skip_to_the_main_content(page, transactional_db):
    page.goto("/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 0  # visible when focused

    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"


PAGES = [
    ("portal home", "/", "vi", False),
    ("portal home in English", "/", "en", False),
    ("dossier tracking result", "/tra-cuu-ho-so/?code=000.00.17.H26-250801-0012", "vi", False),
    ("staff sign-in", "/can-bo/dang-nhap/", "vi", False),
    ("staff home", "/can-bo/", "vi", True),
    ("staff home in English", "/can-bo/", "en", True),
    ("password change", "/can-bo/doi-mat-khau/", "vi", True),
]


def open_as(page, path, language, signed_in, *, server_url):
    if signed_in:
        sign_in(page)
        expect(page).to_have_url(re.compile(r"/can-bo/$"))
    if language != "vi":
        page.context.add_cookies([{"name": "cqs_language", "value": language, "url": server_url}])
    page.goto(path)


def axe_violations(page, axe_source) -> list[str]:
    page.evaluate(axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert len(result["passes"]) > 10, "axe-core did not check the page"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']]}"
        for v in result["violations"]
    ]


@pytest.mark.parametrize(("name", "path", "language", "signed_in"), PAGES, ids=[p[0] for p in PAGES])
def test_page_has_no_axe_violations(
    page, live_server, kim_lien_desk_officer, axe_source, name, path, language, signed_in
):
    open_as(page, path, language, signed_in, server_url=live_server.url)

    assert axe_violations(page, axe_source) == []


def test_sign_in_page_with_errors_has_no_axe_violations(page, kim_lien_desk_officer, axe_source):
    sign_in(page, password="sai-mat-khau")
    expect(page.get_by_role("alert")).to_be_visible()

    assert axe_violations(page, axe_source) == []


@pytest.mark.parametrize(("name", "path", "language", "signed_in"), PAGES, ids=[p[0] for p in PAGES])
def test_page_fits_a_360px_wide_phone_without_sideways_scrolling(
    page, live_server, kim_lien_desk_officer, name, path, language, signed_in
):
    page.set_viewport_size({"width": 360, "height": 740})
    open_as(page, path, language, signed_in, server_url=live_server.url)

    widths = page.evaluate(
        "() => ({page: document.documentElement.scrollWidth, screen: document.documentElement.clientWidth})"
    )
    assert widths["screen"] == 360
    assert widths["page"] <= widths["screen"], widths


def test_public_pages_with_the_full_demo_pass_axe_and_fit_a_phone(page, transactional_db, axe_source):
    """One run over the pages a citizen sees with the whole demo (catalog and dossiers): seeding is slow."""
    from chinhquyenso.procedures.models import Dossier

    call_command("seed_demo", allow_demo_passwords=True, stdout=io.StringIO())
    code = Dossier.objects.order_by("pk").values_list("code", flat=True).first()
    procedure = Dossier.objects.order_by("pk").values_list("version__procedure__code", flat=True).first()
    assert code and procedure, "the demo has dossiers"
    paths = ["/", "/thu-tuc/", f"/thu-tuc/{procedure}/", f"/tra-cuu/{code}/", f"/tra-cuu-ho-so/?code={code}"]

    problems = {}
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
                    problems[f"{path} at 360px"] = f"scrolls sideways: {widths}"
            else:
                violations = axe_violations(page, axe_source)
                if violations:
                    problems[path] = violations

    assert problems == {}
