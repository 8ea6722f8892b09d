"""Staff pages of the desk (counter, figures, the counter's rating tablet) and the public rating page."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chinhquyenso.core.audit import client_address
from chinhquyenso.core.calendar import VIETNAM
from chinhquyenso.core.errors import DomainError, InvalidInput
from chinhquyenso.core.models import Office, OfficeKind
from chinhquyenso.core.permissions import is_staff_member, scope_filter, units_visible_to
from chinhquyenso.core.ratelimit import rate_limit_hit
from chinhquyenso.desk import selectors, services
from chinhquyenso.desk.errors import DeskNotFound
from chinhquyenso.desk.forms import LinkDossierForm, RatingContactForm, RatingForm
from chinhquyenso.desk.models import Counter, RatingChannel
from chinhquyenso.desk.permissions import can_work_desk
from chinhquyenso.procedures.errors import DossierNotFound
from chinhquyenso.procedures.selectors import dossier_public_view

COUNTER_ACTIONS = {"next", "recall", "done", "no_show", "link"}


def _fragment(request) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


def _desk_office(request, unit_code: str) -> Office:
    """404 for a unit without a desk and for a desk the officer may not work (another ward's)."""
    try:
        office = selectors.desk_office_for_unit(unit_code=unit_code)
    except DeskNotFound:
        raise Http404 from None
    if not can_work_desk(request.user, office):
        raise Http404
    return office


@login_required
@require_GET
def home(request):
    """The desks an officer works, their counters, and links to the kiosk, the board and the figures."""
    if not is_staff_member(request.user):
        raise Http404
    offices = selectors.desk_list_for_user(user=request.user)[:50]
    desks = [{"office": office, "counters": selectors.counter_list(office=office)} for office in offices]
    return render(request, "desk/desk_home.html", {"desks": desks})


def _counter_context(office: Office, counter: Counter, now: dt.datetime) -> dict:
    today = now.astimezone(VIETNAM).date()
    waiting = [
        t
        for t in selectors.waiting_ticket_list(office=office, on=today)
        if selectors.counter_serves(counter, t.field_id)
    ]
    current = selectors.counter_current_ticket(counter=counter, on=today)
    return {
        "office": office,
        "unit_code": office.admin_unit.code,
        "counter": counter,
        "current": current,
        "waiting": waiting[:10],
        "waiting_count": len(waiting),
        "link_form": LinkDossierForm(initial={"number": current.number}) if current else None,
    }


def _counter(office: Office, number: int) -> Counter:
    counter = selectors.counter_get(office=office, number=number)
    if counter is None:
        raise Http404
    return counter


@login_required
@require_GET
def counter_page(request, unit_code: str, number: int):
    """A counter's work: the ticket being served, who waits, and the buttons to call, recall and close."""
    office = _desk_office(request, unit_code)
    counter = _counter(office, number)
    return render(request, "desk/counter_page.html", _counter_context(office, counter, timezone.now()))


@login_required
@require_POST
def counter_action(request, unit_code: str, number: int):
    """Call the next ticket, call again, close as served or absent, or link the ticket to its dossier."""
    office = _desk_office(request, unit_code)
    counter = _counter(office, number)
    action = request.POST.get("action", "")
    status = 200
    try:
        if action not in COUNTER_ACTIONS:
            raise InvalidInput(_("Thao tác không hợp lệ."))
        if action == "next":
            ticket = services.ticket_call_next(office=office, counter_number=number, actor=request.user)
            if ticket is None:
                messages.info(request, _("Không còn ai đang chờ ở các lĩnh vực quầy này phục vụ."))
            else:
                messages.success(request, _("Đã gọi số %(label)s.") % {"label": ticket.label})
        elif action == "recall":
            ticket = services.ticket_recall(office=office, counter_number=number, actor=request.user)
            messages.success(request, _("Đã gọi lại số %(label)s.") % {"label": ticket.label})
        elif action in ("done", "no_show"):
            ticket = services.ticket_close(
                office=office, counter_number=number, actor=request.user, no_show=action == "no_show"
            )
            messages.success(request, _("Đã kết thúc số %(label)s.") % {"label": ticket.label})
        else:
            form = LinkDossierForm(request.POST)
            if not form.is_valid():
                raise InvalidInput(_("Vui lòng nhập mã hồ sơ đã lập."))
            ticket = services.ticket_link_dossier(
                office=office,
                number=form.cleaned_data["number"],
                dossier_code=form.cleaned_data["dossier_code"],
                actor=request.user,
            )
            messages.success(
                request,
                _("Đã gắn số %(label)s với hồ sơ %(code)s.") % {"label": ticket.label, "code": ticket.dossier.code},
            )
    except DomainError as error:
        messages.error(request, error.message)
        status = error.status
    if _fragment(request):
        # htmx swaps only 2xx answers: the refusal is shown in the swapped part itself
        context = {**_counter_context(office, counter, timezone.now()), "fragment": True}
        return render(request, "desk/counter_page.html#work", context)
    del status  # without JavaScript the page is shown again with its message (post/redirect/get)
    return redirect(reverse("desk:counter", args=[unit_code, number]))


@login_required
@require_GET
def figures(request):
    """Waiting time per desk, day and hour; ratings per officer, procedure and unit, within the officer's scope."""
    if not is_staff_member(request.user):
        raise Http404
    today = timezone.localdate()
    start = today - dt.timedelta(days=6)
    offices = Office.objects.filter(kind=OfficeKind.ONE_STOP).filter(scope_filter(request.user, field="admin_unit"))
    units = units_visible_to(request.user)
    return render(
        request,
        "desk/desk_figures.html",
        {
            "start": start,
            "today": today,
            "by_day": selectors.ticket_wait_figures(offices=offices, start=start, end=today, by_hour=False),
            "by_hour": selectors.ticket_wait_figures(offices=offices, start=today, end=today, by_hour=True),
            "by_officer": selectors.rating_figures(by="officer", units=units),
            "by_procedure": selectors.rating_figures(by="procedure", units=units),
            "by_unit": selectors.rating_figures(by="unit", units=units),
        },
    )


# --- Ratings ------------------------------------------------------------------------------------------
def _public_dossier(code: str) -> dict:
    try:
        return dossier_public_view(code=code[:60])
    except DossierNotFound:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
def rating_page(request, code: str):
    """The applicant rates a returned dossier once: from the tracking page (with a contact) or a signed link."""
    dossier = _public_dossier(code)
    token = request.POST.get("t") or request.GET.get("t") or ""
    form_class = RatingForm if token else RatingContactForm
    form = form_class(request.POST or None)
    context = {"dossier": dossier, "form": form, "token": token, "rating": None}
    status = 200
    if request.method == "POST":
        wait = rate_limit_hit(
            bucket="rating", client=client_address(request) or "-", limit=settings.TRACKING_RATE_PER_MINUTE
        )
        if wait:
            form.add_error(None, _("Quá nhiều yêu cầu, vui lòng thử lại sau %(s)s giây.") % {"s": wait})
            status = 429
        elif form.is_valid():
            try:
                context["rating"] = services.rating_submit(
                    code=dossier["code"],
                    value=form.cleaned_data["value"],
                    comment=form.cleaned_data["comment"],
                    channel=RatingChannel.LINK if token else RatingChannel.TRACKING,
                    contact=form.cleaned_data.get("contact", ""),
                    token=token,
                )
            except DomainError as error:
                field = next((f for f in error.fields if f in form.fields), None)
                form.add_error(field, error.message)
                status = error.status
        else:
            status = 422
    return render(request, "desk/rating_page.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def rating_counter(request, code: str):
    """The counter's tablet: the officer opens the returned dossier, the citizen taps the rating."""
    from chinhquyenso.procedures.selectors import dossier_get_for_user

    try:
        dossier = dossier_get_for_user(code=code, user=request.user)
    except DossierNotFound:
        raise Http404 from None
    if not can_work_desk(request.user, dossier.receiving_office):
        raise Http404
    form = RatingForm(request.POST or None)
    context = {"dossier": _public_dossier(code), "form": form, "rating": None, "counter_tablet": True}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                context["rating"] = services.rating_submit(
                    code=code,
                    value=form.cleaned_data["value"],
                    comment=form.cleaned_data["comment"],
                    channel=RatingChannel.COUNTER,
                    actor=request.user,
                )
            except DomainError as error:
                form.add_error(None, error.message)
                status = error.status
        else:
            status = 422
    return render(request, "desk/rating_page.html", context, status=status)


@login_required
@require_GET
def rating_counter_start(request):
    """The tablet asks for the dossier code (or reads the receipt's QR code into the box)."""
    code = (request.GET.get("code") or "").strip()
    if code:
        return redirect(reverse("desk:rating-counter", args=[code[:60]]))
    if not is_staff_member(request.user):
        raise Http404
    return render(request, "desk/rating_counter_start.html")
