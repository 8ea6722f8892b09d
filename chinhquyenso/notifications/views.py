"""Staff pages of the outbox: what was sent to citizens (or failed), and "send again" for a failed message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chinhquyenso.core.errors import DomainError, NotFound
from chinhquyenso.notifications import selectors, services
from chinhquyenso.notifications.models import NotificationChannel, NotificationStatus
from chinhquyenso.notifications.permissions import can_view_notifications

PAGE_ROWS = 50


def _require_outbox_staff(request) -> None:
    if not can_view_notifications(request.user):
        raise Http404  # other services do not learn what exists here


@login_required
@require_GET
def notification_list(request):
    """The outbox of the officer's units, newest first, filtered by status and channel."""
    _require_outbox_staff(request)
    status = request.GET.get("status", "")
    status = status if status in NotificationStatus.values else ""
    channel = request.GET.get("channel", "")
    channel = channel if channel in NotificationChannel.values else ""
    code = request.GET.get("code", "").strip()[:80]
    rows = selectors.notification_list_for_user(user=request.user, status=status, channel=channel, related_code=code)
    page = Paginator(rows, PAGE_ROWS).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.masked_recipient = selectors.recipient_mask(channel=row.channel, recipient=row.recipient)
    query = "&".join(f"{k}={v}" for k, v in (("status", status), ("channel", channel), ("code", code)) if v)
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "status": status,
            "channel": channel,
            "code": code,
            "query": query,
            "statuses": NotificationStatus.choices,
            "channels": NotificationChannel.choices,
        },
    )


@login_required
@require_GET
def notification_detail(request, public_id):
    """The text of one message as it was sent (or is waiting to be), its attempts and last error."""
    _require_outbox_staff(request)
    try:
        notification = selectors.notification_get_for_user(user=request.user, public_id=public_id)
    except NotFound:
        raise Http404 from None
    notification.masked_recipient = selectors.recipient_mask(
        channel=notification.channel, recipient=notification.recipient
    )
    return render(request, "notifications/notification_detail.html", {"notification": notification})


@login_required
@require_POST
def notification_resend(request, public_id):
    """Queue a failed message again."""
    _require_outbox_staff(request)
    try:
        services.notification_resend(public_id=public_id, actor=request.user)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("notifications:notification-detail", public_id=public_id)
    messages.success(request, _("Đã xếp thông báo vào hàng chờ gửi lại."))
    return redirect("notifications:notification-detail", public_id=public_id)
