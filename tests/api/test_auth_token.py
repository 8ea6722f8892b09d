"""POST /api/v1/auth/token and the bearer token: who gets one, how often one may ask, how long it lasts,
and the lockout after repeated failed sign-ins, shared with the staff login form."""

import datetime as dt

import pytest
from django.utils import timezone

from chinhquyenso.core import services
from chinhquyenso.core.models import AdminUnitLevel, ApiToken, Role, User

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token"
ME_URL = "/api/v1/auth/me"
LOGIN_URL = "/can-bo/dang-nhap/"
PASSWORD = "Kim-Lien-2026"


@pytest.fixture
def kim_lien():
    hanoi = services.admin_unit_upsert(
        code="01", name="Hà Nội", kind_name="thành phố", level=AdminUnitLevel.PROVINCE, parent=None,
        valid_from=None, valid_to=None,
    )  # fmt: skip
    return services.admin_unit_upsert(
        code="00229", name="Kim Liên", kind_name="phường", level=AdminUnitLevel.COMMUNE, parent=hanoi,
        valid_from=dt.date(2025, 7, 1), valid_to=None,
    )  # fmt: skip


@pytest.fixture
def clerk(kim_lien):
    return User.objects.create_user(
        username="motcua_kimlien", password=PASSWORD, role=Role.DESK_OFFICER, scope=kim_lien,
        first_name="Lan", last_name="Nguyễn Thị",
    )  # fmt: skip


def ask_token(client, username="motcua_kimlien", password=PASSWORD, address="198.51.100.20", **headers):
    return client.post(
        TOKEN_URL,
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
        **headers,
    )


def me(client, token):
    return client.get(ME_URL, HTTP_AUTHORIZATION=f"Bearer {token}")


def assert_error_body(response, code):
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    assert body["message"]
    return body


# --- Issuing ------------------------------------------------------------------------------------
def test_a_staff_member_gets_a_bearer_token_that_opens_the_api(client, clerk):
    response = ask_token(client)

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    expires_at = dt.datetime.fromisoformat(body["expires_at"])
    assert abs(expires_at - (timezone.now() + dt.timedelta(hours=12))) < dt.timedelta(minutes=1)
    answer = me(client, body["token"])
    assert answer.status_code == 200
    assert answer.json() == {
        "username": "motcua_kimlien",
        "full_name": "Nguyễn Thị Lan",
        "role": "desk_officer",
        "role_name": "Cán bộ Một cửa",
        "scope_code": "00229",
        "scope_name": "Phường Kim Liên",
    }


def test_only_the_digest_of_a_token_is_stored(client, clerk):
    token = ask_token(client).json()["token"]
    stored = ApiToken.objects.get(user=clerk)
    assert token not in stored.digest
    assert len(stored.digest) == 64


@pytest.mark.parametrize(
    ("username", "password"),
    [("motcua_kimlien", "sai-mat-khau"), ("khong_co_ai", PASSWORD)],
    ids=["wrong-password", "unknown-user"],
)
def test_bad_credentials_get_401_with_the_same_message(client, clerk, username, password):
    response = ask_token(client, username=username, password=password)
    assert response.status_code == 401
    body = assert_error_body(response, "invalid_credentials")
    assert body["message"] == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert not ApiToken.objects.exists()


def test_an_account_without_a_staff_role_or_deactivated_gets_no_token(client, clerk):
    User.objects.create_user(username="nguoidan", password=PASSWORD)
    clerk.is_active = False
    clerk.save()
    assert ask_token(client, username="nguoidan").status_code == 401
    assert ask_token(client).status_code == 401


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"password": PASSWORD}, "username"),
        ({"username": "motcua_kimlien"}, "password"),
        ({"username": "", "password": "x"}, "username"),
    ],
    ids=["no-username", "no-password", "empty-username"],
)
def test_a_missing_field_gets_422_naming_it(client, clerk, payload, field):
    response = client.post(TOKEN_URL, payload, content_type="application/json")
    assert response.status_code == 422
    body = assert_error_body(response, "invalid_input")
    assert list(body["fields"]) == [field]
    assert field in body["message"]


def test_a_body_that_is_not_json_gets_400_in_vietnamese(client, clerk):
    response = client.post(TOKEN_URL, "username=motcua_kimlien", content_type="application/json")
    assert response.status_code == 400
    body = assert_error_body(response, "invalid_json")
    assert body["message"] == "Nội dung yêu cầu không phải JSON hợp lệ."


# --- Throttling -------------------------------------------------------------------------------------
def test_asking_too_often_gets_429_with_retry_after(client, clerk, settings):
    settings.API_TOKEN_RATE = "3/m"
    statuses = [ask_token(client, password="sai").status_code for _ in range(3)]

    throttled = ask_token(client)

    assert statuses == [401, 401, 401]
    assert throttled.status_code == 429
    assert_error_body(throttled, "throttled")
    assert 1 <= int(throttled["Retry-After"]) <= 60
    assert ask_token(client, address="198.51.100.21").status_code == 200  # another client is served


def test_a_forged_forwarded_for_header_does_not_escape_the_throttle(client, clerk, settings):
    settings.API_TOKEN_RATE = "2/m"
    for n in range(2):
        ask_token(client, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert ask_token(client, HTTP_X_FORWARDED_FOR="10.0.0.99").status_code == 429


def test_the_throttle_opens_again_after_its_window(client, clerk, settings, time_machine):
    settings.API_TOKEN_RATE = "2/m"
    time_machine.move_to(dt.datetime(2026, 3, 9, 9, 0, tzinfo=dt.UTC), tick=False)
    ask_token(client)
    ask_token(client)
    assert ask_token(client).status_code == 429

    time_machine.move_to(dt.datetime(2026, 3, 9, 9, 1, 1, tzinfo=dt.UTC), tick=False)

    assert ask_token(client).status_code == 200


# --- Using the token --------------------------------------------------------------------------------
@pytest.mark.parametrize("authorization", [None, "Bearer ", "Bearer not-a-token", "Basic bW90Y3VhOng="])
def test_a_request_without_a_valid_token_gets_401(client, clerk, authorization):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.get(ME_URL, **headers)
    assert response.status_code == 401
    assert_error_body(response, "unauthenticated")


def test_an_expired_token_is_refused(client, clerk, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 9, 8, 0, tzinfo=dt.UTC), tick=False)
    token = ask_token(client).json()["token"]
    time_machine.move_to(dt.datetime(2026, 3, 9, 19, 59, tzinfo=dt.UTC), tick=False)
    assert me(client, token).status_code == 200

    time_machine.move_to(dt.datetime(2026, 3, 9, 20, 0, 1, tzinfo=dt.UTC), tick=False)

    assert me(client, token).status_code == 401


def test_the_token_of_a_deactivated_account_stops_working(client, clerk):
    token = ask_token(client).json()["token"]
    clerk.is_active = False
    clerk.save()
    assert me(client, token).status_code == 401


def test_using_a_token_records_when_it_was_last_used(client, clerk, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 9, 8, 0, tzinfo=dt.UTC), tick=False)
    token = ask_token(client).json()["token"]
    time_machine.move_to(dt.datetime(2026, 3, 9, 9, 30, tzinfo=dt.UTC), tick=False)
    me(client, token)
    assert ApiToken.objects.get().last_used_at == dt.datetime(2026, 3, 9, 9, 30, tzinfo=dt.UTC)


# --- Lockout (django-axes), shared by the login form and the API -------------------------------------------
def web_login(client, password=PASSWORD):
    return client.post(LOGIN_URL, {"username": "motcua_kimlien", "password": password}, REMOTE_ADDR="198.51.100.20")


def fail_web_login(client, times):
    for _ in range(times):
        web_login(client, password="sai")


def test_five_failed_logins_on_the_form_lock_the_account_even_with_the_right_password(client, clerk):
    fail_web_login(client, 4)
    right_password_after_four_failures = web_login(client)
    assert right_password_after_four_failures.status_code == 302  # success resets the count
    client.post("/can-bo/dang-xuat/")

    fail_web_login(client, 5)
    locked = web_login(client)

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failed_api_logins_count_towards_the_lockout_of_the_login_form(client, clerk):
    for _ in range(5):
        assert ask_token(client, password="sai").status_code in (401, 429)

    locked = web_login(client)

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_token_issued_clears_the_failed_attempts_like_a_login_does(client, clerk):
    fail_web_login(client, 4)
    assert ask_token(client).status_code == 200
    clerk.refresh_from_db()
    assert clerk.last_login is not None
    fail_web_login(client, 1)

    signed_in = web_login(client)

    assert signed_in.status_code == 302


def test_a_locked_account_gets_no_token_and_a_json_answer(client, clerk):
    fail_web_login(client, 5)

    response = ask_token(client)

    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    body = assert_error_body(response, "locked_out")
    assert "15 phút" in body["message"]
    assert int(response["Retry-After"]) == 15 * 60
    assert not ApiToken.objects.exists()
