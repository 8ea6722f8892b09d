"""Sending the outbox: retries with backoff, failure recorded, never twice, staff may send a failed one again."""

import datetime as dt
import io
import threading

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from chinhquyenso.notifications.errors import NotificationNotFailed, NotificationNotFound
from chinhquyenso.notifications.models import Notification, NotificationStatus
from chinhquyenso.notifications.services import notification_resend, notify
from chinhquyenso.notifications.tasks import MAX_RETRIES, send
from chinhquyenso.procedures.models import Dossier
from tests.notifications.conftest import CountingGateway, intake


def queue_sms(dedupe_key="test:1:sms", unit=None):
    return notify(
        key="dossier_result_ready_sms",
        channel="sms",
        recipient="0912345678",
        context={"code": "X-1", "office": "Bộ phận Một cửa"},
        dedupe_key=dedupe_key,
        related_type="dossier",
        related_code="X-1",
        unit=unit,
    )


@pytest.mark.django_db
def test_a_failing_adapter_retries_and_ends_failed_after_max_attempts_with_the_error(settings, broken_gateway):
    # given a worker setup (not in-process) and a gateway that answers 503
    settings.CELERY_TASK_ALWAYS_EAGER = False
    row = queue_sms()
    # when the worker runs the task and Celery retries it
    for retry in range(MAX_RETRIES):
        with pytest.raises(Retry):  # in a worker: scheduled again after the backoff
            send.apply(args=[row.pk], retries=retry)
        row.refresh_from_db()
        # then each failure is recorded and the task is retried while attempts remain
        assert (row.status, row.attempts) == (NotificationStatus.QUEUED, retry + 1)
        assert "503 Service Unavailable" in row.last_error
    result = send.apply(args=[row.pk], retries=MAX_RETRIES)
    row.refresh_from_db()
    assert result.state == "SUCCESS" and result.result == NotificationStatus.FAILED
    assert (row.status, row.attempts) == (NotificationStatus.FAILED, MAX_RETRIES + 1)
    assert row.last_error == "SmsRefused: gateway answered 503 Service Unavailable"
    assert row.sent_at is None
    # and a late duplicate of the task does not try again
    send.apply(args=[row.pk], retries=0)
    row.refresh_from_db()
    assert row.attempts == MAX_RETRIES + 1


def test_the_task_retries_with_exponential_backoff_up_to_five_times():
    assert send.max_retries == 5
    assert send.retry_backoff == 60 and send.retry_backoff_max == 1800 and send.retry_jitter


@pytest.mark.django_db
def test_in_process_the_first_failure_is_final_and_staff_can_send_it_again(
    world, settings, broken_gateway, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = queue_sms(unit=world.kim_lien)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.FAILED, 1)
    # when the gateway is back and the desk officer sends it again
    settings.SMS_GATEWAY = "tests.notifications.conftest.CountingGateway"
    CountingGateway.sent = []
    with django_capture_on_commit_callbacks(execute=True):
        notification_resend(public_id=row.public_id, actor=world.desk)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 2)
    assert CountingGateway.sent == [str(row.public_id)]
    # a sent message cannot be "sent again"
    with pytest.raises(NotificationNotFailed):
        notification_resend(public_id=row.public_id, actor=world.desk)


@pytest.mark.django_db
def test_another_wards_officer_cannot_send_a_message_again(world, broken_gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = queue_sms(unit=world.kim_lien)
    with pytest.raises(NotificationNotFound):
        notification_resend(public_id=row.public_id, actor=world.lang_staff)
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED


@pytest.mark.django_db
def test_a_task_run_twice_sends_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = intake(world, phone="")
    email = Notification.objects.get(related_code=dossier.code)
    # when the broker delivers the same task again
    assert send.apply(args=[email.pk]).result == NotificationStatus.SENT
    email.refresh_from_db()
    assert (email.status, email.attempts) == (NotificationStatus.SENT, 1)
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_message_at_once_send_it_once(world, counting_gateway):
    row = queue_sms(dedupe_key="race:sms")  # autocommit: sent at once; put back in the queue for the race
    Notification.objects.filter(pk=row.pk).update(status=NotificationStatus.QUEUED, attempts=0, sent_at=None)
    CountingGateway.sent = []
    barrier = threading.Barrier(4)
    outcomes, errors = [], []

    def worker():
        try:
            barrier.wait()
            outcomes.append(send.apply(args=[row.pk]).result)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert CountingGateway.sent == [str(row.public_id)]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 1)
    assert Dossier.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_processes_queueing_the_same_event_at_once_leave_one_row(world, counting_gateway):
    barrier = threading.Barrier(4)
    errors = []

    def worker():
        try:
            barrier.wait()
            with transaction.atomic():
                queue_sms(dedupe_key="dossier:X-1:3:sms", unit=world.kim_lien)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Notification.objects.filter(dedupe_key="dossier:X-1:3:sms").count() == 1
    assert len(CountingGateway.sent) == 1


@pytest.mark.django_db
def test_requeue_sends_the_rows_left_waiting_and_leaves_fresh_ones(counting_gateway, settings):
    # given a worker setup whose broker was down: two rows never left the queue
    old, fresh = queue_sms(dedupe_key="old:sms"), queue_sms(dedupe_key="fresh:sms")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))
    out = io.StringIO()
    call_command("notifications_requeue", older_than_minutes=60, stdout=out)
    assert out.getvalue().strip() == "1"
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (NotificationStatus.SENT, NotificationStatus.QUEUED)
    assert CountingGateway.sent == [str(old.public_id)]
