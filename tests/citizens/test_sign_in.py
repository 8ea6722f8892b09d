"""Citizen sign-in: a 6-digit one-time code stored hashed, valid 5 minutes, 5 tries, rate limited per recipient
and per client address; the national identity through its stand-in, with the assurance level in the session."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from chinhquyenso.citizens import services
from chinhquyenso.citizens.errors import CodeExpired, CodeInvalid, CodeThrottled
from chinhquyenso.citizens.models import CitizenProfile, OtpChallenge
from chinhquyenso.core.errors import InvalidInput
from chinhquyenso.core.permissions import is_staff_member
from chinhquyenso.notifications.models import Notification
from tests.citizens.conftest import last_code

pytestmark = pytest.mark.django_db


def test_a_code_is_queued_as_an_sms_through_the_notifications_and_only_its_keyed_hash_is_stored():
    challenge = services.otp_request(address="+84 912 345 678", client="10.0.0.1")

    assert challenge.recipient == "0912345678"
    message = Notification.objects.get(recipient="0912345678")
    assert message.channel == "sms" and message.unit is None  # no desk officer reads sign-in codes
    code = last_code("0912345678")
    assert re.fullmatch(r"\d{6}", code)
    assert code not in challenge.code_hash and len(challenge.code_hash) == 64
    assert challenge.expires_at - challenge.created_at == dt.timedelta(minutes=5)


def test_the_right_code_creates_a_citizen_account_without_a_staff_role_and_signs_it_in_again_later():
    services.otp_request(address="an@example.vn", client="10.0.0.1")
    user = services.otp_verify(address="AN@example.vn", code=last_code("an@example.vn"))

    assert not is_staff_member(user) and not user.has_usable_password()
    assert CitizenProfile.objects.get(user=user).email == "an@example.vn"

    services.otp_request(address="an@example.vn", client="10.0.0.1")
    again = services.otp_verify(address="an@example.vn", code=last_code("an@example.vn"))
    assert again == user


def test_a_code_works_once():
    services.otp_request(address="0912345678", client="10.0.0.1")
    code = last_code("0912345678")
    services.otp_verify(address="0912345678", code=code)

    with pytest.raises(CodeExpired):
        services.otp_verify(address="0912345678", code=code)


def test_a_code_older_than_five_minutes_is_refused_as_expired():
    sent = timezone.now() - dt.timedelta(minutes=5, seconds=1)
    services.otp_request(address="0912345678", client="10.0.0.1", at=sent)

    with pytest.raises(CodeExpired) as refused:
        services.otp_verify(address="0912345678", code=last_code("0912345678"))
    assert refused.value.code == "code_expired" and "5 phút" in refused.value.message


def test_five_wrong_tries_close_the_code_even_for_the_right_code():
    services.otp_request(address="0912345678", client="10.0.0.1")
    code = last_code("0912345678")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1):
        with pytest.raises(CodeInvalid, match=f"Còn {left} lần thử"):
            services.otp_verify(address="0912345678", code=wrong)
    with pytest.raises(CodeInvalid) as fifth:
        services.otp_verify(address="0912345678", code=wrong)
    assert fifth.value.code == "attempts_exhausted"

    with pytest.raises(CodeInvalid) as after:
        services.otp_verify(address="0912345678", code=code)
    assert after.value.code == "attempts_exhausted"
    assert OtpChallenge.objects.get().attempts == 5


def test_a_new_code_replaces_the_previous_one():
    services.otp_request(address="0912345678", client="10.0.0.1")
    first = last_code("0912345678")
    services.otp_request(address="0912345678", client="10.0.0.1")
    second = last_code("0912345678")

    if first != second:
        with pytest.raises(CodeInvalid):
            services.otp_verify(address="0912345678", code=first)
    assert services.otp_verify(address="0912345678", code=second)


def test_codes_are_limited_per_recipient():
    for _ in range(3):
        services.otp_request(address="0912345678", client=f"10.0.0.{_}")

    with pytest.raises(CodeThrottled) as refused:
        services.otp_request(address="0912345678", client="10.0.0.99")
    assert refused.value.status == 429 and refused.value.retry_after > 0
    assert Notification.objects.filter(recipient="0912345678").count() == 3


def test_codes_are_limited_per_client_address():
    for number in range(10):
        services.otp_request(address=f"09123456{number:02d}", client="10.0.0.7")

    with pytest.raises(CodeThrottled):
        services.otp_request(address="0987654321", client="10.0.0.7")
    services.otp_request(address="0987654321", client="10.0.0.8")


def test_a_malformed_address_or_code_is_refused_naming_the_field():
    with pytest.raises(InvalidInput) as address:
        services.otp_request(address="12345", client="10.0.0.1")
    assert "address" in address.value.fields
    with pytest.raises(CodeInvalid) as code:
        services.otp_verify(address="0912345678", code="12ab56")
    assert "code" in code.value.fields


def test_signing_in_by_code_in_the_browser_records_level_1_in_the_session(client):
    response = client.post("/dang-nhap-cong-dan/", {"address": "0912345678"})
    assert response.status_code == 302 and response["Location"] == "/dang-nhap-cong-dan/nhap-ma/"

    wrong = client.post(
        "/dang-nhap-cong-dan/nhap-ma/", {"code": "000000" if last_code("0912345678") != "000000" else "111111"}
    )
    assert wrong.status_code == 422 and "Còn 4 lần thử" in wrong.content.decode()

    response = client.post("/dang-nhap-cong-dan/nhap-ma/", {"code": last_code("0912345678")})
    assert response.status_code == 302 and response["Location"] == "/ho-so-cua-toi/"
    assert client.session["citizen.assurance_level"] == 1
    assert client.session["citizen.method"] == "otp"
    page = client.get("/ho-so-cua-toi/").content.decode()
    assert "Hồ sơ của tôi" in page and "Trang cán bộ" not in page


def test_too_many_code_requests_answer_429_on_the_page(client):
    for _ in range(3):
        client.post("/dang-nhap-cong-dan/", {"address": "0912345678"})
    response = client.post("/dang-nhap-cong-dan/", {"address": "0912345678"})
    assert response.status_code == 429
    assert "quá nhiều lần" in response.content.decode()


def _vneid_round_trip(client, *, subject="test-vneid-0001", level=2):
    start = client.post("/dang-nhap-cong-dan/vneid/")
    assert start.status_code == 302 and start["Location"].startswith("/vneid-mo-phong/?")
    stand_in = client.get(start["Location"])
    assert "MÔ PHỎNG" in stand_in.content.decode()
    from urllib.parse import parse_qs, urlsplit

    query = {k: v[0] for k, v in parse_qs(urlsplit(start["Location"]).query).items()}
    back = client.post("/vneid-mo-phong/", {**query, "subject": subject, "level": level})
    assert back.status_code == 302
    return client.get(back["Location"])


def test_signing_in_through_the_vneid_stand_in_records_the_chosen_level(client):
    response = _vneid_round_trip(client, level=2)

    assert response.status_code == 302
    assert client.session["citizen.assurance_level"] == 2
    assert client.session["citizen.method"] == "vneid"
    profile = CitizenProfile.objects.get(vneid_subject="test-vneid-0001")
    assert profile.full_name == "Nguyễn Văn An" and profile.id_number == "001090012345"
    assert not is_staff_member(profile.user)


def test_a_vneid_callback_with_a_foreign_state_is_refused(client):
    client.post("/dang-nhap-cong-dan/vneid/")
    response = client.get("/dang-nhap-cong-dan/vneid/callback/?state=forged&code=x")

    assert response.status_code == 302 and response["Location"] == "/dang-nhap-cong-dan/"
    assert "citizen.assurance_level" not in client.session


def test_the_stand_ins_do_not_exist_when_they_are_switched_off(client, settings):
    settings.CITIZEN_STAND_INS = False

    assert client.get("/vneid-mo-phong/?redirect_uri=/").status_code == 404
    assert client.get("/hop-thu-mo-phong/").status_code == 404
    assert client.get("/thanh-toan-mo-phong/TT1/?return_url=/").status_code == 404


def test_an_e_mail_address_gets_the_code_by_e_mail():
    services.otp_request(address="An@Example.vn", client="10.0.0.1")

    message = Notification.objects.get(recipient="an@example.vn")
    assert message.channel == "email" and "5 phút" in message.body


def test_the_stand_in_sender_shows_the_code_on_the_dev_only_outbox_page(client, settings):
    settings.CITIZEN_CODE_SENDER = "chinhquyenso.citizens.adapters.StandInOutboxSender"
    services.otp_request(address="0912345678", client="10.0.0.1")

    assert not Notification.objects.exists()
    page = client.get("/hop-thu-mo-phong/").content.decode()
    assert last_code("0912345678") in page
    settings.CITIZEN_STAND_INS = False
    assert client.get("/hop-thu-mo-phong/").status_code == 404


def test_without_stand_ins_or_a_real_provider_the_vneid_button_explains_instead_of_failing(client, settings):
    settings.CITIZEN_STAND_INS = False

    response = client.post("/dang-nhap-cong-dan/vneid/", follow=True)

    assert response.status_code == 200
    assert "chưa được kết nối với hệ thống quốc gia" in response.content.decode()


def test_the_deployment_check_refuses_stand_ins_without_debug(settings):
    from chinhquyenso.citizens.checks import stand_ins_check

    settings.DEBUG = False
    settings.CITIZEN_STAND_INS = True
    assert [e.id for e in stand_ins_check(None)] == ["citizens.E001"]
    settings.CITIZEN_STAND_INS = False
    assert stand_ins_check(None) == []
