"""Staff pages: sign-in, the staff home page, language switch, sign-out, password change, lockout, CSP."""

import datetime as dt
import re

import pytest
from django.conf import settings

from chinhquyenso.core.models import AdminUnitLevel, OfficeKind, Role
from chinhquyenso.core.services import admin_unit_upsert, office_upsert, staff_upsert

pytestmark = pytest.mark.django_db

PASSWORD = "demo12345"


@pytest.fixture
def kim_lien(db):
    city = admin_unit_upsert(
        code="01",
        name="Hà Nội",
        kind_name="thành phố",
        level=AdminUnitLevel.PROVINCE,
        parent=None,
        valid_from=None,
        valid_to=None,
    )
    return admin_unit_upsert(
        code="T-KL",
        name="Kim Liên",
        kind_name="phường",
        level=AdminUnitLevel.COMMUNE,
        parent=city,
        valid_from=dt.date(2025, 7, 1),
        valid_to=None,
    )


@pytest.fixture
def desk_officer(kim_lien):
    desk = office_upsert(
        code="T.KL.MC", name="Bộ phận Một cửa phường Kim Liên", kind=OfficeKind.ONE_STOP, admin_unit=kim_lien
    )
    return staff_upsert(
        username="motcua_kimlien",
        full_name="Nguyễn Thị Lan",
        role=Role.DESK_OFFICER,
        scope=kim_lien,
        office=desk,
        password=PASSWORD,
    )


@pytest.fixture
def administrator(kim_lien):
    return staff_upsert(
        username="quantri", full_name="Trần Văn Bình", role=Role.ADMINISTRATOR, scope=None, password=PASSWORD
    )


def text_of(response) -> str:
    """The page as a reader sees it: tags dropped, spaces collapsed."""
    html = response.content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return re.sub(r" ([.,;:)])", r"\1", text).replace("&#x27;", "'")


def sign_in(client, username="motcua_kimlien", password=PASSWORD, **extra):
    return client.post("/can-bo/dang-nhap/", {"username": username, "password": password, **extra})


def test_login_page_speaks_vietnamese_with_diacritics(client):
    response = client.get("/can-bo/dang-nhap/")

    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()
    page = text_of(response)
    assert "Đăng nhập cán bộ" in page
    assert "Tên đăng nhập" in page
    assert "Mật khẩu" in page
    assert "Sau 5 lần nhập sai, việc đăng nhập bị tạm khoá 15 phút." in page


def test_wrong_password_shows_vietnamese_message_and_keeps_the_username(client, desk_officer):
    response = sign_in(client, password="sai-mat-khau")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in html
    assert 'value="motcua_kimlien"' in html
    assert "sai-mat-khau" not in html
    assert "_auth_user_id" not in client.session


def test_empty_form_names_each_missing_field(client):
    response = client.post("/can-bo/dang-nhap/", {"username": "", "password": ""})

    page = text_of(response)
    assert "Vui lòng nhập tên đăng nhập." in page
    assert "Vui lòng nhập mật khẩu." in page


def test_sign_in_leads_to_staff_home_with_name_role_scope_and_domains(client, desk_officer):
    response = sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/can-bo/"

    page = text_of(client.get("/can-bo/"))
    assert "Xin chào, Nguyễn Thị Lan" in page
    assert "Cán bộ Một cửa" in page
    assert "Phường Kim Liên, Thành phố Hà Nội" in page
    assert "Bộ phận Một cửa phường Kim Liên" in page
    for domain in ("Hồ sơ Một cửa", "Không chờ đợi", "Hội đồng nhân dân", "Ngân sách và đầu tư công"):
        assert domain in page
    assert "/quan-tri/" not in client.get("/can-bo/").content.decode()


def test_sign_in_follows_a_safe_next_address(client, desk_officer):
    response = sign_in(client, next="/can-bo/doi-mat-khau/")

    assert response["Location"] == "/can-bo/doi-mat-khau/"


def test_staff_home_shows_today_as_day_month_year(client, desk_officer, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    client.force_login(desk_officer)

    assert "02/03/2026" in text_of(client.get("/can-bo/"))


def test_administrator_gets_a_link_to_the_administration(client, administrator):
    client.force_login(administrator)

    response = client.get("/can-bo/")

    assert 'href="/quan-tri/"' in response.content.decode()
    assert "Toàn bộ đơn vị hành chính" in text_of(response)


def test_english_switch_turns_the_staff_home_into_english(client, desk_officer):
    client.force_login(desk_officer)

    switched = client.post("/ngon-ngu/", {"language": "en", "next": "/can-bo/"})
    assert switched.status_code == 302
    assert switched["Location"] == "/can-bo/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    response = client.get("/can-bo/")
    assert '<html lang="en">' in response.content.decode()
    page = text_of(response)
    assert "Hello, Nguyễn Thị Lan" in page
    assert "One-stop desk officer" in page
    assert "Work areas" in page
    assert "Sign out" in page
    assert "Xin chào" not in page
    assert "Trang cán bộ" not in page


def test_switching_back_to_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Staff sign-in" in text_of(client.get("/can-bo/dang-nhap/"))

    client.post("/ngon-ngu/", {"language": "vi", "next": "/can-bo/dang-nhap/"})

    assert "Đăng nhập cán bộ" in text_of(client.get("/can-bo/dang-nhap/"))


def test_unknown_language_cookie_falls_back_to_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"

    assert "Đăng nhập cán bộ" in text_of(client.get("/can-bo/dang-nhap/"))


def test_staff_home_requires_sign_in(client):
    response = client.get("/can-bo/")

    assert response.status_code == 302
    assert response["Location"] == "/can-bo/dang-nhap/?next=/can-bo/"


def test_sign_out_by_post_ends_the_session(client, desk_officer):
    client.force_login(desk_officer)

    response = client.post("/can-bo/dang-xuat/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/can-bo/").status_code == 302


def test_sign_out_by_get_is_refused(client, desk_officer):
    client.force_login(desk_officer)

    assert client.get("/can-bo/dang-xuat/").status_code == 405
    assert client.get("/can-bo/").status_code == 200


def test_password_change_explains_rules_in_vietnamese(client, desk_officer):
    client.force_login(desk_officer)

    response = client.post(
        "/can-bo/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )

    assert response.status_code == 200
    page = text_of(response)
    assert "Mật khẩu mới không được chỉ gồm chữ số." in page
    assert "Mật khẩu mới quá phổ biến, dễ bị đoán ra." in page


def test_password_change_with_wrong_current_password_names_the_field(client, desk_officer):
    client.force_login(desk_officer)

    response = client.post(
        "/can-bo/doi-mat-khau/",
        {"old_password": "khong-dung", "new_password1": "Hoa-sen-2026!", "new_password2": "Hoa-sen-2026!"},
    )

    assert "Mật khẩu hiện tại không đúng." in text_of(response)
    desk_officer.refresh_from_db()
    assert desk_officer.check_password(PASSWORD)


def test_password_change_succeeds_and_says_so(client, desk_officer):
    client.force_login(desk_officer)

    response = client.post(
        "/can-bo/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": "Hoa-sen-2026!", "new_password2": "Hoa-sen-2026!"},
        follow=True,
    )

    assert response.redirect_chain == [("/can-bo/", 302)]
    assert "Đã đổi mật khẩu." in text_of(response)
    desk_officer.refresh_from_db()
    assert desk_officer.check_password("Hoa-sen-2026!")


def test_repeated_failures_lock_sign_in_with_a_vietnamese_page(client, desk_officer):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, password="sai").status_code == 200

    response = sign_in(client, password="sai")

    assert response.status_code == 429
    page = text_of(response)
    assert "Tạm khoá đăng nhập" in page
    assert "Vui lòng thử lại sau 15 phút" in page
    assert sign_in(client).status_code == 429  # even the right password waits for the cool-off


@pytest.mark.parametrize(
    ("path", "signed_in"),
    [
        ("/", False),
        ("/tra-cuu-ho-so/?code=X1", False),
        ("/can-bo/dang-nhap/", False),
        ("/can-bo/", True),
        ("/can-bo/doi-mat-khau/", True),
    ],
)
def test_pages_forbid_inline_scripts_and_styles(client, desk_officer, path, signed_in):
    if signed_in:
        client.force_login(desk_officer)

    response = client.get(path)

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script> block"
    assert not re.search(r"\sstyle=", html), "inline style attribute"
    assert "<style" not in html
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"


def test_staff_home_query_count_is_fixed(client, desk_officer, django_assert_num_queries):
    client.force_login(desk_officer)

    # session, user (sign-in check), the user with scope, its parent unit and office in one join
    with django_assert_num_queries(3):
        response = client.get("/can-bo/")

    assert response.status_code == 200


def test_a_form_sent_without_a_valid_csrf_token_gets_a_vietnamese_page(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/can-bo/dang-nhap/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()
