"""Stable error codes of the notification outbox."""

from chinhquyenso.core.errors import Conflict, InvalidInput, NotFound


class NotificationNotFound(NotFound):
    code = "notification_not_found"


class NotificationNotFailed(Conflict):
    code = "notification_not_failed"


class NotificationInvalid(InvalidInput):
    code = "notification_invalid"


class DeliveryFailed(Exception):
    """An adapter could not hand the message over; the task retries (not a DomainError: nobody sees it)."""
