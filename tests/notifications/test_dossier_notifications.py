"""What the applicant is told about their dossier: receipt, supplement request, result ready, apology."""

import pytest
from django.core import mail
from django.db import transaction

from chinhquyenso.notifications.models import Notification, NotificationStatus
from chinhquyenso.notifications.services import notify, recipient_language_set
from chinhquyenso.procedures.models import Dossier
from chinhquyenso.procedures.notifications import dossier_notify_applicant
from tests.notifications.conftest import EMAIL, act, at, intake

pytestmark = pytest.mark.django_db


def test_receipt_queues_one_email_and_one_sms_in_the_applicants_language(
    world, django_capture_on_commit_callbacks, counting_gateway
):
    # given an applicant who asked for English by e-mail and never chose for their phone
    recipient_language_set(channel="email", recipient="An.Nguyen@Example.vn", language="en")
    # when the desk receives their complete dossier
    with django_capture_on_commit_callbacks(execute=True):
        dossier = intake(world)
    # then one e-mail in English and one SMS in Vietnamese were queued and sent after the commit
    rows = {n.channel: n for n in Notification.objects.filter(related_code=dossier.code)}
    assert set(rows) == {"email", "sms"}
    email, sms = rows["email"], rows["sms"]
    assert (email.language, sms.language) == ("en", "vi")
    assert email.recipient == EMAIL and sms.recipient == "0912345678"
    assert email.subject == f"Application {dossier.code} received"
    assert "Result expected by: 09:00 05/03/2026" in email.body
    assert f"/tra-cuu/{dossier.code}/" in email.body
    assert sms.body.startswith(f"Đã tiếp nhận hồ sơ {dossier.code}. Hẹn trả kết quả 09:00 05/03/2026.")
    assert email.dedupe_key == f"dossier:{dossier.code}:1:email"
    assert {email.status, sms.status} == {NotificationStatus.SENT}
    assert [m.subject for m in mail.outbox] == [email.subject]
    assert mail.outbox[0].to == [EMAIL]
    assert counting_gateway.sent == [str(sms.public_id)]
    assert email.unit == world.kim_lien


def test_the_same_event_twice_queues_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = intake(world)
    # when the hook runs again for the same event (a retried request, a replayed job)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_notify_applicant(dossier=Dossier.objects.get(pk=dossier.pk), event="intake")
        again = notify(
            key="dossier_receipt",
            channel="email",
            recipient=EMAIL,
            context={},
            dedupe_key=f"dossier:{dossier.code}:1:email",
        )
    # then there are still one e-mail and one SMS, each sent once
    assert Notification.objects.count() == 2
    assert again.status == NotificationStatus.SENT
    assert len(mail.outbox) == 1


def test_nothing_is_queued_when_the_intake_transaction_rolls_back(world, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        intake(world)
        raise RuntimeError("the request failed after the intake")
    assert Notification.objects.count() == 0
    assert callbacks == []
    assert mail.outbox == []


def test_supplement_request_at_the_desk_tells_what_to_bring(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = intake(world, outcome="supplement", note="Bản sao giấy khai sinh")
    email = Notification.objects.get(related_code=dossier.code, channel="email")
    assert email.template_key == "dossier_supplement"
    assert email.subject == f"Hồ sơ {dossier.code} cần bổ sung, hoàn thiện"
    assert "Nội dung cần bổ sung: Bản sao giấy khai sinh" in email.body


def test_apology_with_a_new_date_and_the_result_ready_are_sent_and_the_other_steps_are_not(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = intake(world)
        act(dossier, "forward", world.desk, at(2026, 3, 2, 10))
        act(dossier, "complete_step", world.office_leader, at(2026, 3, 2, 11))
        act(
            dossier,
            "reschedule",
            world.head,
            at(2026, 3, 3, 9),
            note="Cần xác minh thêm",
            new_appointment_at=at(2026, 3, 10, 9),
        )
        act(dossier, "complete_step", world.specialist, at(2026, 3, 3, 11))
        act(dossier, "complete_step", world.head, at(2026, 3, 3, 14))
        act(dossier, "return_result", world.desk, at(2026, 3, 4, 9))
    keys = list(
        Notification.objects.filter(related_code=dossier.code, channel="email")
        .order_by("pk")
        .values_list("template_key", flat=True)
    )
    assert keys == ["dossier_receipt", "dossier_reschedule", "dossier_result_ready"]
    apology = Notification.objects.get(related_code=dossier.code, template_key="dossier_reschedule")
    assert "Hẹn cũ: 09:00 05/03/2026" in apology.body
    assert "Hẹn mới: 09:00 10/03/2026" in apology.body
    assert "Lý do: Cần xác minh thêm" in apology.body
    assert Notification.objects.filter(related_code=dossier.code, template_key="dossier_result_ready_sms").exists()


def test_an_applicant_without_email_or_phone_gets_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        intake(world, email="", phone="")
    assert Notification.objects.count() == 0


def test_every_message_exists_in_vietnamese_and_english():
    from chinhquyenso.notifications.services import message_render

    context = {"code": "X-1", "reason": "r", "applicant_name": "A & B"}
    for key in ("dossier_receipt", "dossier_supplement", "dossier_result_ready", "dossier_reschedule"):
        for variant in (key, f"{key}_sms"):
            subjects = {message_render(key=variant, language=lang, context=context)[0] for lang in ("vi", "en")}
            assert len(subjects) == 2  # two different texts, both present
    # plain text: no HTML escaping of names
    assert "A & B" in message_render(key="dossier_receipt", language="vi", context=context)[1]
