"""The desk API: appointment slots and bookings, queue tickets and calls, satisfaction ratings.

Citizens' operations (slots, booking, cancel, move, kiosk ticket, rating) need no token; calling tickets and
linking them to dossiers are staff operations (bearer token, desk officer of the unit, else 404).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from chinhquyenso.api.auth import StaffBearer
from chinhquyenso.api.schemas import ErrorOut
from chinhquyenso.core.audit import client_address
from chinhquyenso.core.calendar import VIETNAM
from chinhquyenso.core.errors import Conflict
from chinhquyenso.core.ratelimit import rate_limit_hit
from chinhquyenso.desk import selectors, services
from chinhquyenso.desk.errors import QueueEmpty
from chinhquyenso.desk.models import RatingChannel

router = Router(tags=["desk"])


class Throttled(Conflict):
    status = 429
    code = "throttled"


def _limit(request, bucket: str, limit: int) -> None:
    wait = rate_limit_hit(bucket=bucket, client=client_address(request) or "-", limit=limit)
    if wait:
        error = Throttled(_("Quá nhiều yêu cầu, vui lòng thử lại sau %(s)s giây.") % {"s": wait})
        error.retry_after = wait
        raise error


def _booking_limit() -> int:
    return getattr(settings, "BOOKING_RATE_PER_MINUTE", 20)


# --- Desks and slots ------------------------------------------------------------------------------
class DeskOut(Schema):
    unit: str
    unit_name: str
    office: str
    office_name: str


@router.get("/public/desks", auth=None, response={200: list[DeskOut]})
def desk_list(request):
    """Desks that take appointments."""
    return [
        {"unit": d.unit.code, "unit_name": d.unit.full_name, "office": d.office.code, "office_name": d.office.name}
        for d in selectors.bookable_desk_list()
    ]


class SlotQuery(Schema):
    procedure: str = Field(min_length=1, max_length=30, description="Mã thủ tục")
    day: dt.date


class SlotOut(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime
    places_left: int


@router.get("/public/desks/{unit_code}/slots", auth=None, response={200: list[SlotOut], 404: ErrorOut, 422: ErrorOut})
def slot_list(request, unit_code: str, query: Query[SlotQuery]):
    """Slots of a day with the places left for the procedure's field; none on a day off."""
    office = selectors.desk_office_for_unit(unit_code=unit_code)
    procedure = selectors.procedure_for_desk(office=office, code=query.procedure)
    return [
        {"starts_at": s.starts_at, "ends_at": s.ends_at, "places_left": s.places_left}
        for s in selectors.slot_list(office=office, procedure=procedure, day=query.day)
    ]


# --- Appointments ---------------------------------------------------------------------------------
class BookingIn(Schema):
    unit: str = Field(min_length=1, max_length=20, description="Mã xã/phường của Bộ phận Một cửa")
    procedure: str = Field(min_length=1, max_length=30)
    starts_at: dt.datetime
    name: str = Field(min_length=1, max_length=150)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)


class AppointmentOut(Schema):
    code: str
    status: str
    office: str
    counter: int
    procedure: str
    starts_at: dt.datetime
    ends_at: dt.datetime


def _appointment(a) -> dict:
    return {
        "code": a.code,
        "status": a.status,
        "office": a.office.code,
        "counter": a.counter.number,
        "procedure": a.procedure.code,
        "starts_at": a.slot.starts_at.astimezone(VIETNAM),
        "ends_at": a.slot.ends_at.astimezone(VIETNAM),
    }


@router.post(
    "/public/appointments",
    auth=None,
    response={201: AppointmentOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
)
def appointment_create(request, payload: BookingIn):
    """Book a slot; 409 `slot_full` when its last place has just gone."""
    _limit(request, "booking", _booking_limit())
    office = selectors.desk_office_for_unit(unit_code=payload.unit)
    procedure = selectors.procedure_for_desk(office=office, code=payload.procedure)
    appointment = services.appointment_book(
        office=office,
        procedure=procedure,
        starts_at=payload.starts_at,
        name=payload.name,
        phone=payload.phone,
        email=payload.email,
    )
    return Status(201, _appointment(appointment))


class ContactIn(Schema):
    contact: str = Field(min_length=1, max_length=254, description="Số điện thoại hoặc thư điện tử đã dùng khi đặt")


class MoveIn(ContactIn):
    starts_at: dt.datetime


@router.post(
    "/public/appointments/{code}/cancel",
    auth=None,
    response={200: AppointmentOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
)
def appointment_cancel(request, code: str, payload: ContactIn):
    _limit(request, "booking-manage", _booking_limit())
    return _appointment(services.appointment_cancel(code=code, contact=payload.contact))


@router.post(
    "/public/appointments/{code}/move",
    auth=None,
    response={200: AppointmentOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
)
def appointment_move(request, code: str, payload: MoveIn):
    _limit(request, "booking-manage", _booking_limit())
    return _appointment(services.appointment_move(code=code, contact=payload.contact, starts_at=payload.starts_at))


# --- Queue ----------------------------------------------------------------------------------------
class TicketIn(Schema):
    field: str = Field("", max_length=40, description="Mã lĩnh vực (bỏ trống khi có mã lịch hẹn)")
    priority: Literal["", "elderly", "disability", "pregnant"] = ""
    booking_code: str = Field("", max_length=20)


class TicketOut(Schema):
    label: str
    number: int
    issued_on: dt.date
    field: str
    priority: str
    status: str
    booking_code: str | None
    counter: int | None
    dossier: str | None


def _ticket(t) -> dict:
    return {
        "label": t.label,
        "number": t.number,
        "issued_on": t.issued_on,
        "field": t.field.code,
        "priority": t.priority,
        "status": t.status,
        "booking_code": t.appointment.code if t.appointment_id else None,
        "counter": t.counter.number if t.counter_id else None,
        "dossier": t.dossier.code if t.dossier_id else None,
    }


@router.post(
    "/public/desks/{unit_code}/tickets",
    auth=None,
    response={201: TicketOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
)
def ticket_issue(request, unit_code: str, payload: TicketIn):
    """The kiosk: the next number of the day for a field, or for a booking checked in by its code."""
    _limit(request, "kiosk", 120)
    office = selectors.desk_office_for_unit(unit_code=unit_code)
    ticket = services.ticket_issue(
        office=office, field_code=payload.field, priority=payload.priority, booking_code=payload.booking_code
    )
    return Status(201, _ticket(ticket))


@router.post(
    "/desk/{unit_code}/counters/{number}/call-next",
    auth=StaffBearer(),
    response={200: TicketOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def ticket_call_next(request, unit_code: str, number: int):
    """Close the counter's current ticket and call the next (booked at their time, then priority, then order)."""
    office = selectors.desk_office_for_unit(unit_code=unit_code)
    ticket = services.ticket_call_next(office=office, counter_number=number, actor=request.auth)
    if ticket is None:
        raise QueueEmpty(_("Không còn ai đang chờ ở các lĩnh vực quầy này phục vụ."))
    return _ticket(ticket)


class LinkIn(Schema):
    dossier_code: str = Field(min_length=1, max_length=60)


@router.post(
    "/desk/{unit_code}/tickets/{number}/dossier",
    auth=StaffBearer(),
    response={200: TicketOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def ticket_link(request, unit_code: str, number: int, payload: LinkIn):
    """Link today's ticket to the dossier it became."""
    office = selectors.desk_office_for_unit(unit_code=unit_code)
    ticket = services.ticket_link_dossier(
        office=office, number=number, dossier_code=payload.dossier_code, actor=request.auth
    )
    return _ticket(ticket)


class BoardRowOut(Schema):
    label: str
    counter: int
    announced_at: dt.datetime


class BoardOut(Schema):
    called: list[BoardRowOut]
    waiting: int


@router.get("/public/desks/{unit_code}/board", auth=None, response={200: BoardOut, 404: ErrorOut})
def board(request, unit_code: str):
    """What the display board shows: the last numbers called today, newest first."""
    view = selectors.board_view(office=selectors.desk_office_for_unit(unit_code=unit_code))
    return {
        "called": [
            {"label": t.label, "counter": t.counter.number, "announced_at": t.announced_at.astimezone(VIETNAM)}
            for t in view.called
        ],
        "waiting": view.waiting,
    }


# --- Ratings --------------------------------------------------------------------------------------
class RatingIn(Schema):
    value: Literal["very_satisfied", "satisfied", "not_satisfied"]
    comment: str = Field("", max_length=2000)
    contact: str = Field("", max_length=254, description="Số điện thoại, thư điện tử hoặc số định danh đã khai")
    token: str = Field("", max_length=200, description="Mã ký trong đường dẫn đánh giá của thông báo")


class RatingOut(Schema):
    dossier: str
    value: str
    channel: str
    rated_at: dt.datetime


@router.post(
    "/public/dossiers/{code}/rating",
    auth=None,
    response={201: RatingOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
)
def rating_create(request, code: str, payload: RatingIn):
    """Rate a returned dossier once (409 `already_rated` the second time)."""
    _limit(request, "rating", settings.TRACKING_RATE_PER_MINUTE)
    rating = services.rating_submit(
        code=code,
        value=payload.value,
        comment=payload.comment,
        channel=RatingChannel.LINK if payload.token else RatingChannel.API,
        contact=payload.contact,
        token=payload.token,
    )
    return Status(
        201,
        {"dossier": rating.dossier.code, "value": rating.value, "channel": rating.channel, "rated_at": rating.rated_at},
    )
