"""Public booking pages at /dat-lich/: unit → procedure → day → slot and contact; then cancel or move by code.

Every step is a plain GET form or link, so the pages work without JavaScript; personal data travels only in
POST bodies, never in a URL.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chinhquyenso.core.audit import client_address
from chinhquyenso.core.calendar import VIETNAM
from chinhquyenso.core.errors import DomainError
from chinhquyenso.core.ratelimit import rate_limit_hit
from chinhquyenso.desk import selectors, services
from chinhquyenso.desk.errors import SlotUnavailable
from chinhquyenso.desk.forms import ContactForm, ManageForm
from chinhquyenso.procedures.selectors import mask_name


def _throttled(request, bucket: str) -> int:
    limit = getattr(settings, "BOOKING_RATE_PER_MINUTE", 20)
    return rate_limit_hit(bucket=bucket, client=client_address(request) or "-", limit=limit)


def _parse_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _parse_start(value: str | None) -> dt.datetime | None:
    try:
        start = dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    return start if start is None or start.tzinfo else start.replace(tzinfo=VIETNAM)


def _apply_errors(form, error: DomainError) -> None:
    """A refusal about a contact field goes beside that field; any other (slot full, day off) above the form."""
    fields = [name for name in error.fields if name in form.fields]
    if not fields:
        form.add_error(None, error.message)
    for name in fields:
        form.add_error(name, error.fields[name])


@require_http_methods(["GET", "POST"])
def booking(request):
    """Choose the unit, the procedure, the day and the slot; leave a name and a phone or e-mail; get a code."""
    now = timezone.now()
    data = request.POST if request.method == "POST" else request.GET
    desks = selectors.bookable_desk_list(on=now.astimezone(VIETNAM).date())
    desk = next((d for d in desks if d.unit.code == data.get("unit")), None)
    versions = selectors.desk_procedure_list(office=desk.office) if desk else []
    version = next((v for v in versions if v.procedure.code == data.get("procedure")), None)
    days = selectors.bookable_day_list(office=desk.office, procedure=version.procedure, now=now) if version else []
    day = _parse_day(data.get("day"))
    day = day if any(d.day == day and d.places_left for d in days) else None
    slots = selectors.slot_list(office=desk.office, procedure=version.procedure, day=day, now=now) if day else []
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST" and day is not None:
        starts_at = _parse_start(request.POST.get("starts_at"))
        wait = _throttled(request, "booking")
        if wait:
            form.add_error(None, _("Quá nhiều lượt đặt lịch, vui lòng thử lại sau %(s)s giây.") % {"s": wait})
            status = 429
        elif starts_at is None:
            form.is_valid()
            form.add_error(None, _("Vui lòng chọn một khung giờ."))
            status = 422
        elif form.is_valid():
            try:
                appointment = services.appointment_book(
                    office=desk.office,
                    procedure=version.procedure,
                    starts_at=starts_at,
                    name=form.cleaned_data["name"],
                    phone=form.cleaned_data["phone"],
                    email=form.cleaned_data["email"],
                    now=now,
                )
            except DomainError as error:
                _apply_errors(form, error)
                status = error.status
                slots = selectors.slot_list(office=desk.office, procedure=version.procedure, day=day, now=now)
            else:
                return redirect(f"{_detail_url(appointment.code)}?moi=1")
        else:
            status = 422
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "desk/appointment_booking.html",
        {
            "desks": desks,
            "desk": desk,
            "versions": versions,
            "version": version,
            "days": days,
            "day": day,
            "slots": slots,
            "chosen_start": data.get("starts_at", ""),
            "form": form,
        },
        status=status,
    )


def _detail_url(code: str) -> str:
    from django.urls import reverse

    return reverse("desk:appointment-detail", args=[code])


@require_GET
def appointment_detail(request, code: str):
    """The booking as anyone holding its code sees it: time, desk, counter, procedure, a masked name."""
    try:
        appointment = selectors.appointment_get_public(code=code)
    except DomainError:
        raise Http404 from None
    return render(
        request,
        "desk/appointment_detail.html",
        {
            "appointment": appointment,
            "masked_name": mask_name(appointment.name),
            "procedure_name": selectors.procedure_name(appointment.procedure),
            "new": request.GET.get("moi") == "1",
        },
    )


@require_http_methods(["GET", "POST"])
def appointment_manage(request):
    """Cancel or move a booking with its code and the phone or e-mail used to book it."""
    now = timezone.now()
    form = ManageForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    context = {"form": form, "appointment": None, "days": [], "day": None, "slots": [], "done": ""}
    status = 200
    if request.method == "POST" and form.is_valid():
        wait = _throttled(request, "booking-manage")
        if wait:
            form.add_error(None, _("Quá nhiều yêu cầu, vui lòng thử lại sau %(s)s giây.") % {"s": wait})
            return render(request, "desk/appointment_manage.html", context, status=429)
        code, contact = form.cleaned_data["code"], form.cleaned_data["contact"]
        action = request.POST.get("action", "find")
        try:
            if action == "cancel":
                context["appointment"] = services.appointment_cancel(code=code, contact=contact, now=now)
                context["done"] = "cancelled"
            elif action == "move":
                starts_at = _parse_start(request.POST.get("starts_at"))
                if starts_at is None:
                    raise SlotUnavailable(_("Vui lòng chọn một khung giờ mới."), fields={"starts_at": "-"})
                context["appointment"] = services.appointment_move(
                    code=code, contact=contact, starts_at=starts_at, now=now
                )
                context["done"] = "moved"
            else:
                context["appointment"] = selectors.appointment_get_for_contact(code=code, contact=contact)
        except DomainError as error:
            form.add_error(None, error.message)
            status = error.status
            if action != "find":
                try:
                    context["appointment"] = selectors.appointment_get_for_contact(code=code, contact=contact)
                except DomainError:
                    context["appointment"] = None
        appointment = context["appointment"]
        if appointment is not None and appointment.is_active and not context["done"]:
            procedure = appointment.procedure
            context["days"] = selectors.bookable_day_list(office=appointment.office, procedure=procedure, now=now)
            day = _parse_day(request.POST.get("day"))
            if day and any(d.day == day for d in context["days"]):
                context["day"] = day
                context["slots"] = selectors.slot_list(office=appointment.office, procedure=procedure, day=day, now=now)
        if appointment is not None:
            context["procedure_name"] = selectors.procedure_name(appointment.procedure)
    elif request.method == "POST":
        status = 422
    return render(request, "desk/appointment_manage.html", context, status=status)
