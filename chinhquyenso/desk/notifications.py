"""What the citizen is told about their booking, by e-mail and SMS, through the notification outbox.

Called inside the booking's transaction: the outbox rows are written with the booking (a refused booking
leaves none) and sent after commit by the notifications app. One message per event and channel (dedupe key
`appointment:<code>:<event>:<moves>:<channel>`), in the language the address asked for.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from chinhquyenso.desk.models import Appointment
from chinhquyenso.notifications.models import NotificationChannel
from chinhquyenso.notifications.services import notify, recipient_language

EVENTS = ("booked", "moved", "cancelled", "reminder")


def appointment_notify(*, appointment: Appointment, event: str) -> list:
    """Queue the e-mail and SMS that carry the booking code (booked, moved, the reminder) or confirm a cancellation."""
    if event not in EVENTS:
        raise ValueError(f"unknown appointment event {event!r}")
    from chinhquyenso.desk.selectors import procedure_name

    context = {
        "code": appointment.code,
        "name": appointment.name,
        "office": appointment.office.name,
        "counter": appointment.counter.number,
        "procedure": procedure_name(appointment.procedure),
        "starts_at": appointment.slot.starts_at,
        "ends_at": appointment.slot.ends_at,
        "manage_url": settings.PUBLIC_BASE_URL + reverse("desk:appointment-manage") + f"?code={appointment.code}",
    }
    queued = []
    for channel, recipient, key in (
        (NotificationChannel.EMAIL, appointment.email, f"appointment_{event}"),
        (NotificationChannel.SMS, appointment.phone, f"appointment_{event}_sms"),
    ):
        if not recipient:
            continue
        row = notify(
            key=key,
            channel=channel,
            recipient=recipient,
            context=context,
            language=recipient_language(channel=channel, recipient=recipient),
            dedupe_key=f"appointment:{appointment.code}:{event}:{appointment.moved_count}:{channel}",
            related_type="appointment",
            related_code=appointment.code,
            unit=appointment.office.admin_unit,
        )
        if row is not None:
            queued.append(row)
    return queued
