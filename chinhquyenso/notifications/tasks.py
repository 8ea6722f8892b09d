"""Sending the outbox: one Celery task per message, enqueued after the commit that wrote it."""

from celery import shared_task

from chinhquyenso.notifications.errors import DeliveryFailed
from chinhquyenso.notifications.services import eager_mode, notification_deliver

MAX_RETRIES = 5  # after the first attempt: six attempts in all, over about an hour with the backoff


@shared_task(
    name="notifications.send",
    bind=True,
    autoretry_for=(DeliveryFailed,),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def send(self, notification_id: int) -> str:
    """Send one outbox row; a duplicate or retried run never sends a row twice."""
    # In-process (eager) runs have no worker to retry later: the first failure is final, and staff can
    # send the message again from the outbox page.
    final = self.request.retries >= self.max_retries or eager_mode()
    return notification_deliver(notification_id=notification_id, final=final)
