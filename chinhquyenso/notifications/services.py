"""Writes of the notification outbox.

`notify` is the one entry point for every domain that tells a citizen something (dossiers, appointment
reminders, ...). Its signature is stable:

    notify(*, key: str, channel: "email" | "sms", recipient: str, context: dict, language: str = "vi",
           dedupe_key: str, related_type: str = "", related_code: str = "", unit: AdminUnit | None = None)
        -> Notification | None

- `key` names the templates notifications/<key>.<language>.txt (first line: the subject; then a blank
  line; then the body). Every key exists in Vietnamese and English.
- Call it inside the transaction of the event: the row is written with the event and disappears with it on
  rollback; the Celery task `notifications.send` is enqueued only after commit.
- `dedupe_key` is unique: the same event never queues twice (a second call returns the existing row).
  Build it from the event's identity and the channel, e.g. f"dossier:{code}:{seq}:{channel}" or
  f"appointment:{booking_code}:reminder:{channel}".
- `unit` is the admin unit whose administrators and desk officers may read the row on /can-bo/thong-bao/.
- An empty recipient queues nothing and returns None.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.template import Context, engines
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chinhquyenso.core.audit import audit_record
from chinhquyenso.core.models import AdminUnit, User
from chinhquyenso.notifications.channels import channel_send
from chinhquyenso.notifications.errors import DeliveryFailed, NotificationInvalid, NotificationNotFailed
from chinhquyenso.notifications.models import (
    Notification,
    NotificationChannel,
    NotificationLanguage,
    NotificationStatus,
    RecipientLanguage,
)
from chinhquyenso.notifications.selectors import notification_get_for_user

logger = logging.getLogger(__name__)

ERROR_MAX_CHARS = 2000


def recipient_normalise(*, channel: str, recipient: str) -> str:
    """One spelling per address: e-mail in lower case, phone numbers without spaces, dots or dashes."""
    value = (recipient or "").strip()
    if channel == NotificationChannel.EMAIL:
        return value.lower()
    return "".join(ch for ch in value if ch.isdigit() or ch == "+")


def message_render(*, key: str, language: str, context: dict) -> tuple[str, str]:
    """Render notifications/<key>.<language>.txt into (subject, body), dates in that language's format."""
    template = engines["django"].engine.get_template(f"notifications/{key}.{language}.txt")
    with translation.override(language):
        # plain text, not HTML: no escaping of names such as "Công ty A & B"
        text = template.render(Context(context, autoescape=False))
    subject, _sep, body = text.strip().partition("\n")
    return subject.strip()[:200], body.strip()


def _enqueue(notification_id: int) -> None:
    from chinhquyenso.notifications.tasks import send

    # robust: a broker that is down must not break the request that already committed; the row stays
    # queued and is visible to staff
    transaction.on_commit(lambda: send.delay(notification_id), robust=True)


def notify(
    *,
    key: str,
    channel: str,
    recipient: str,
    context: dict,
    language: str = NotificationLanguage.VI,
    dedupe_key: str,
    related_type: str = "",
    related_code: str = "",
    unit: AdminUnit | None = None,
) -> Notification | None:
    """Queue one message in the outbox, at most once per `dedupe_key`, and send it after commit."""
    if channel not in NotificationChannel.values:
        raise NotificationInvalid(_("Kênh gửi không hợp lệ."), fields={"channel": "invalid"})
    if language not in NotificationLanguage.values:
        language = NotificationLanguage.VI
    if not dedupe_key:
        raise NotificationInvalid(_("Thiếu khóa chống gửi trùng."), fields={"dedupe_key": "required"})
    recipient = recipient_normalise(channel=channel, recipient=recipient)
    if not recipient:
        return None
    existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    subject, body = message_render(key=key, language=language, context=context)
    # INSERT ... ON CONFLICT DO NOTHING: two simultaneous calls for the same event leave one row, and a
    # duplicate does not abort the caller's transaction (no IntegrityError to catch)
    Notification.objects.bulk_create(
        [
            Notification(
                channel=channel,
                recipient=recipient,
                language=language,
                template_key=key,
                subject=subject,
                body=body,
                related_type=related_type,
                related_code=related_code,
                unit=unit,
                dedupe_key=dedupe_key,
            )
        ],
        ignore_conflicts=True,
    )
    notification = Notification.objects.get(dedupe_key=dedupe_key)
    # a simultaneous caller that lost the race enqueues too: harmless, the task sends a row at most once
    _enqueue(notification.pk)
    return notification


def recipient_language(*, channel: str, recipient: str) -> str:
    """The language a recipient asked for; Vietnamese when they never said."""
    address = recipient_normalise(channel=channel, recipient=recipient)
    found = RecipientLanguage.objects.filter(recipient=address).values_list("language", flat=True).first()
    return found or NotificationLanguage.VI


def recipient_language_set(*, channel: str, recipient: str, language: str) -> RecipientLanguage:
    """Remember the language a citizen chose for the messages sent to this address or number."""
    if language not in NotificationLanguage.values:
        raise NotificationInvalid(_("Ngôn ngữ không hợp lệ."), fields={"language": "invalid"})
    address = recipient_normalise(channel=channel, recipient=recipient)
    if not address:
        raise NotificationInvalid(_("Thiếu địa chỉ người nhận."), fields={"recipient": "required"})
    row, _created = RecipientLanguage.objects.update_or_create(recipient=address, defaults={"language": language})
    return row


def notification_deliver(*, notification_id: int, final: bool) -> str:
    """Send one queued message through its channel, under a row lock, so that it is sent at most once even
    when the task runs twice; a failure is recorded, and on the last attempt the row is marked failed."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None:
            return "missing"
        if notification.status != NotificationStatus.QUEUED:
            return notification.status  # already sent, or failed for good: a duplicate task does nothing
        notification.attempts += 1
        try:
            channel_send(notification)
        except Exception as exc:  # any adapter error means "not sent": record it, then retry
            notification.last_error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_CHARS]
            if final:
                notification.status = NotificationStatus.FAILED
            notification.save(update_fields=["attempts", "last_error", "status"])
            failed = True
        else:
            notification.status = NotificationStatus.SENT
            notification.sent_at = timezone.now()
            notification.save(update_fields=["attempts", "status", "sent_at"])
            failed = False
    if failed and not final:
        # raised after the commit above, so the attempt and its error stay recorded
        raise DeliveryFailed(notification.last_error)
    if failed:
        logger.warning("notification %s failed after %s attempts", notification.public_id, notification.attempts)
    return notification.status


@transaction.atomic
def notification_resend(*, public_id, actor: User) -> Notification:
    """Send a failed message again, at a staff member's request; recorded in the audit log."""
    visible = notification_get_for_user(user=actor, public_id=public_id)
    notification = Notification.objects.select_for_update().get(pk=visible.pk)
    if notification.status != NotificationStatus.FAILED:
        raise NotificationNotFailed(_("Chỉ gửi lại được thông báo gửi không thành công."))
    notification.status = NotificationStatus.QUEUED
    notification.save(update_fields=["status"])
    audit_record(
        action="notification.resend",
        actor=actor,
        actor_label=actor.display_name,
        object_type="notification",
        object_id=str(notification.public_id),
        data={"channel": notification.channel, "template_key": notification.template_key},
    )
    _enqueue(notification.pk)
    return notification


def notification_requeue_stale(*, older_than_minutes: int = 60) -> int:
    """Enqueue again the messages still waiting long after they were written (a broker that was down at
    commit, a worker lost mid-task); a row already sent is skipped by the task, so this is always safe."""
    cutoff = timezone.now() - dt.timedelta(minutes=older_than_minutes)
    from chinhquyenso.notifications.tasks import send

    ids = list(
        Notification.objects.filter(status=NotificationStatus.QUEUED, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    for notification_id in ids:
        send.delay(notification_id)
    return len(ids)


def eager_mode() -> bool:
    """In the embedded setup tasks run in-process and no worker will ever retry later."""
    return bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False))
