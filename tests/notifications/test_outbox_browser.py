"""The outbox pages in headless Chromium: axe-core on a desktop, no sideways scroll on a 360px phone, and a
failed message sent again by the desk officer."""

import pytest
from django.db import transaction
from playwright.sync_api import expect

from chinhquyenso.notifications.models import Notification, NotificationStatus
from tests.browser.conftest import axe_source, browser, page  # noqa: F401 - fixtures of the browser tests
from tests.browser.test_ui_shell import axe_violations, sign_in
from tests.notifications.conftest import intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem-1"


def test_outbox_pages_pass_axe_fit_a_phone_and_send_a_failed_message_again(page, world, axe_source):  # noqa: F811
    world.desk.set_password(PASSWORD)
    world.desk.save()
    with transaction.atomic():
        dossier = intake(world)
    sms = Notification.objects.get(related_code=dossier.code, channel="sms")
    Notification.objects.filter(pk=sms.pk).update(status=NotificationStatus.FAILED, last_error="SmsRefused: 503")
    sign_in(page, world.desk.username, PASSWORD)

    problems = {}
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800})
        for name, path in (("list", "/can-bo/thong-bao/"), ("detail", f"/can-bo/thong-bao/{sms.public_id}/")):
            response = page.goto(path)
            assert response is not None and response.status == 200, path
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

    page.get_by_role("button", name="Gửi lại").click()
    expect(page.get_by_text("Đã xếp thông báo vào hàng chờ gửi lại.")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Đã gửi")
    sms.refresh_from_db()
    assert sms.status == NotificationStatus.SENT
