"""The outbox pages /can-bo/thong-bao/: the unit's desk officers and administrators read what was sent."""

import pytest

from chinhquyenso.core.models import Role
from chinhquyenso.core.services import staff_upsert
from chinhquyenso.notifications.models import Notification, NotificationStatus
from tests.notifications.conftest import intake

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = intake(world)
    return dossier


def test_desk_officer_lists_the_units_messages_with_masked_recipients(client, world, sent, django_assert_num_queries):
    client.force_login(world.desk)
    client.get("/can-bo/thong-bao/")  # warm the session and the navigation
    with django_assert_num_queries(5):  # session, user, scope unit, count, page: not one per row
        page = client.get("/can-bo/thong-bao/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f"Đã tiếp nhận hồ sơ {sent.code}" in html
    assert "a***@example.vn" in html and "091****678" in html
    assert "an.nguyen@example.vn" not in html and "0912345678" not in html


def test_the_detail_shows_the_text_as_sent(client, world, sent):
    email = Notification.objects.get(related_code=sent.code, channel="email")
    client.force_login(world.desk)
    html = client.get(f"/can-bo/thong-bao/{email.public_id}/").content.decode()
    assert "Kính gửi Nguyễn Văn An," in html
    assert "Đã gửi" in html
    assert "Gửi lại" not in html  # only a failed message can be sent again


def test_filters_by_status_and_channel(client, world, sent):
    client.force_login(world.desk)
    html = client.get("/can-bo/thong-bao/?channel=sms&status=sent").content.decode()
    assert "1 thông báo" in html
    assert (
        "Gửi không thành công"
        not in client.get("/can-bo/thong-bao/?status=failed").content.decode().split("</form>")[1]
    )


def test_another_wards_officer_sees_nothing_and_gets_404_on_the_detail(client, world, sent):
    email = Notification.objects.get(related_code=sent.code, channel="email")
    client.force_login(world.lang_staff)
    assert sent.code not in client.get("/can-bo/thong-bao/").content.decode()
    assert client.get(f"/can-bo/thong-bao/{email.public_id}/").status_code == 404
    assert client.post(f"/can-bo/thong-bao/{email.public_id}/gui-lai/").status_code == 404


def test_a_specialist_and_anonymous_visitors_do_not_see_the_outbox(client, world, sent):
    client.force_login(world.specialist)
    assert client.get("/can-bo/thong-bao/").status_code == 404
    client.logout()
    assert client.get("/can-bo/thong-bao/").status_code == 302  # to the sign-in page


def test_a_malformed_address_is_a_404(client, world):
    client.force_login(world.desk)
    assert client.get("/can-bo/thong-bao/not-a-uuid/").status_code == 404


def test_an_administrator_sends_a_failed_message_again(client, world, sent, django_capture_on_commit_callbacks):
    admin = staff_upsert(
        username="qt", full_name="Quản trị", role=Role.ADMINISTRATOR, scope=world.city, office=world.ubnd
    )
    sms = Notification.objects.get(related_code=sent.code, channel="sms")
    Notification.objects.filter(pk=sms.pk).update(status=NotificationStatus.FAILED, last_error="SmsRefused: 503")
    client.force_login(admin)
    detail = client.get(f"/can-bo/thong-bao/{sms.public_id}/").content.decode()
    assert "SmsRefused: 503" in detail and "Gửi lại" in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/can-bo/thong-bao/{sms.public_id}/gui-lai/")
    assert response.status_code == 302
    sms.refresh_from_db()
    assert sms.status == NotificationStatus.SENT
    # pressing again on a sent message answers with the reason, not an error page
    page = client.post(f"/can-bo/thong-bao/{sms.public_id}/gui-lai/", follow=True).content.decode()
    assert "Chỉ gửi lại được thông báo gửi không thành công." in page
