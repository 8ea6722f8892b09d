"""Adapters that hand a message to the outside world, one per channel.

E-mail goes through Django's e-mail backend (SMTP when EMAIL_HOST is set; in the embedded setup the
file backend writes each message to var/mail/). SMS goes through the gateway named by the SMS_GATEWAY
setting, a dotted path to a class implementing `SmsGateway`. The default, `OutboxOnlyGateway`, is the
local stand-in: it sends nothing, the outbox row is the record a ward officer reads on /can-bo/thong-bao/.

A real gateway (a telecom's brandname SMS API, the national portal's notification service...) is a class
with the same `send` method that raises on any refusal, so that the task records the error and retries:

    class ViettelBrandnameGateway(SmsGateway):
        def send(self, *, phone: str, text: str, reference: str) -> None:
            response = requests.post(URL, json={...}, timeout=10)
            if response.status_code != 200:
                raise SmsRefused(response.text)

and SMS_GATEWAY=myward.sms.ViettelBrandnameGateway in the environment.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from chinhquyenso.notifications.models import Notification, NotificationChannel


class SmsRefused(Exception):
    """The gateway did not accept the message."""


class SmsGateway:
    """Send one text message; raise on any failure. `reference` is the outbox row's public id (for the
    gateway's own idempotency key, where it has one)."""

    def send(self, *, phone: str, text: str, reference: str) -> None:
        raise NotImplementedError


class OutboxOnlyGateway(SmsGateway):
    """Local stand-in: records nothing beyond the outbox row, which already holds the text and the number."""

    def send(self, *, phone: str, text: str, reference: str) -> None:
        return None


def sms_gateway() -> SmsGateway:
    return import_string(settings.SMS_GATEWAY)()


def email_send(notification: Notification) -> None:
    message = EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={"X-CQS-Notification": str(notification.public_id)},
    )
    message.send(fail_silently=False)


def sms_send(notification: Notification) -> None:
    sms_gateway().send(phone=notification.recipient, text=notification.body, reference=str(notification.public_id))


def channel_send(notification: Notification) -> None:
    """Hand the message to its channel's adapter; any exception means it was not sent."""
    if notification.channel == NotificationChannel.EMAIL:
        email_send(notification)
    else:
        sms_send(notification)
