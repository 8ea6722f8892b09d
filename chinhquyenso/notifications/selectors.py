"""Reads of the notification outbox, scoped to the staff member's units."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from chinhquyenso.core.models import User
from chinhquyenso.core.permissions import is_administrator, scope_filter
from chinhquyenso.notifications.errors import NotificationNotFound
from chinhquyenso.notifications.models import Notification
from chinhquyenso.notifications.permissions import can_view_notifications


def notification_list_for_user(*, user: User, status: str = "", channel: str = "", related_code: str = "") -> QuerySet:
    """Newest first; a desk officer sees the messages of their units, an administrator every message."""
    if not can_view_notifications(user):
        return Notification.objects.none()
    rows = (
        Notification.objects.all()
        if is_administrator(user)
        else Notification.objects.filter(Q(unit__isnull=False) & scope_filter(user, field="unit"))
    )
    if status:
        rows = rows.filter(status=status)
    if channel:
        rows = rows.filter(channel=channel)
    if related_code:
        rows = rows.filter(related_code=related_code.strip())
    return rows.order_by("-created_at", "-pk")


def notification_get_for_user(*, user: User, public_id) -> Notification:
    """404 both for a missing message and for one of another unit."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        key = None
    found = notification_list_for_user(user=user).filter(public_id=key).select_related("unit").first() if key else None
    if found is None:
        raise NotificationNotFound(_("Không tìm thấy thông báo."))
    return found


def recipient_mask(*, channel: str, recipient: str) -> str:
    """Show enough of an address to recognise it, not enough to copy it: n***@gmail.com, 091****678."""
    if channel == "email":
        local, _sep, domain = recipient.partition("@")
        return f"{local[:1]}***@{domain}" if domain else "***"
    if len(recipient) <= 6:
        return "*" * len(recipient)
    return f"{recipient[:3]}{'*' * (len(recipient) - 6)}{recipient[-3:]}"
