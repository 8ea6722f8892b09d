"""The queue's public faces: the kiosk that issues tickets and the display board that shows the called numbers."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chinhquyenso.core.audit import client_address
from chinhquyenso.core.calendar import VIETNAM
from chinhquyenso.core.errors import DomainError
from chinhquyenso.core.ratelimit import rate_limit_hit
from chinhquyenso.desk import selectors, services
from chinhquyenso.desk.errors import DeskNotFound
from chinhquyenso.desk.forms import PriorityForm

# The kiosk stands in the hall and every ticket comes from its one address: a high limit that still stops a
# script from emptying the day's numbers.
KIOSK_TICKETS_PER_MINUTE = 120


def _office(unit_code: str):
    try:
        return selectors.desk_office_for_unit(unit_code=unit_code)
    except DeskNotFound:
        raise Http404 from None


def _fragment(request) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


@require_http_methods(["GET", "POST"])
def kiosk(request, unit_code: str):
    """Big buttons, one per field; a priority choice; or the booking code of an appointment."""
    office = _office(unit_code)
    priority_form = PriorityForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST":
        wait = rate_limit_hit(bucket="kiosk", client=client_address(request) or "-", limit=KIOSK_TICKETS_PER_MINUTE)
        if wait:
            error, status = _("Kiosk đang bận, vui lòng thử lại sau ít giây."), 429
        else:
            try:
                ticket = services.ticket_issue(
                    office=office,
                    field_code=request.POST.get("field", ""),
                    priority=request.POST.get("priority", ""),
                    booking_code=request.POST.get("booking_code", "").strip(),
                )
            except DomainError as exc:
                error, status = exc.message, exc.status
            else:
                return redirect(reverse("desk:kiosk-ticket", args=[unit_code, ticket.number]))
    return render(
        request,
        "desk/kiosk.html",
        {
            "office": office,
            "unit_code": unit_code,
            "prefixes": selectors.kiosk_field_list(office=office),
            "priority_form": priority_form,
            "error": error,
        },
        status=status,
    )


@require_GET
def kiosk_ticket(request, unit_code: str, number: int):
    """The ticket just issued: its number, field, and how many wait before it; the kiosk returns by itself."""
    office = _office(unit_code)
    ticket = selectors.ticket_get_today(office=office, number=number, on=timezone.now().astimezone(VIETNAM).date())
    if ticket is None:
        raise Http404
    ahead = selectors.tickets_ahead(ticket=ticket)
    return render(
        request,
        "desk/kiosk_ticket.html",
        {"office": office, "unit_code": unit_code, "ticket": ticket, "ahead": ahead},
    )


@require_GET
def board(request, unit_code: str):
    """The display board: htmx asks for the board part every second, so a called number shows within 2 s."""
    office = _office(unit_code)
    context = {"board": selectors.board_view(office=office), "unit_code": unit_code}
    if _fragment(request):
        return render(request, "desk/board.html#board", context)
    return render(request, "desk/board.html", context)
