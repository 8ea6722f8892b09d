"""Reads of the desk: bookable desks, slots and their free places, the display board, waiting and rating figures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Avg, Count, Max, Q, QuerySet
from django.db.models.functions import ExtractHour
from django.utils import timezone
from django.utils.translation import gettext as _

from chinhquyenso.core.calendar import VIETNAM, WorkingCalendar, working_periods
from chinhquyenso.core.models import AdminUnit, Office, OfficeKind
from chinhquyenso.core.selectors import calendar_get
from chinhquyenso.desk.errors import AppointmentNotFound, DeskNotFound
from chinhquyenso.desk.models import (
    ACTIVE_APPOINTMENT,
    Appointment,
    Counter,
    DeskSettings,
    QueueTicket,
    Rating,
    RatingValue,
    TicketPrefix,
    TicketStatus,
)
from chinhquyenso.procedures.models import Procedure, ProcedureField, ProcedureVersion
from chinhquyenso.procedures.selectors import procedure_current_versions

BOARD_ROWS = 8


# --- Desks ------------------------------------------------------------------------------------------
def desk_office_for_unit(*, unit_code: str, on: dt.date | None = None) -> Office:
    """The one-stop desk (Bộ phận Một cửa) of the admin unit with this code, open on the day."""
    on = on or timezone.localdate()
    offices = (
        Office.objects.select_related("admin_unit")
        .filter(admin_unit__code=unit_code, kind=OfficeKind.ONE_STOP)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("code")
    )
    office = offices.first()
    if office is None:
        raise DeskNotFound(_("Không có Bộ phận Một cửa của đơn vị mã %(code)s.") % {"code": unit_code})
    return office


@dataclass(frozen=True)
class BookableDesk:
    unit: AdminUnit
    office: Office


def bookable_desk_list(*, on: dt.date | None = None) -> list[BookableDesk]:
    """Desks that take appointments: booking switched on, a unit that exists on the day, at least one counter."""
    on = on or timezone.localdate()
    rows = (
        DeskSettings.objects.filter(booking_enabled=True, office__desk_counters__is_active=True)
        .filter(Q(office__valid_to__isnull=True) | Q(office__valid_to__gte=on))
        .filter(Q(office__admin_unit__valid_to__isnull=True) | Q(office__admin_unit__valid_to__gte=on))
        .select_related("office__admin_unit")
        .distinct()
    )
    desks = [BookableDesk(unit=row.office.admin_unit, office=row.office) for row in rows]
    return sorted(desks, key=lambda d: d.unit.name)


def desk_settings_get(*, office: Office) -> DeskSettings:
    settings = DeskSettings.objects.filter(office=office).first()
    if settings is None or not settings.booking_enabled:
        raise DeskNotFound(_("%(office)s chưa nhận đặt lịch hẹn trực tuyến.") % {"office": office.name})
    return settings


def counter_list(*, office: Office) -> list[Counter]:
    return list(Counter.objects.filter(office=office, is_active=True).prefetch_related("fields").order_by("number"))


def counter_serves(counter: Counter, field_id: int) -> bool:
    """A counter with no field listed serves every field."""
    ids = {f.pk for f in counter.fields.all()}
    return not ids or field_id in ids


def desk_procedure_list(*, office: Office, on: dt.date | None = None) -> list[ProcedureVersion]:
    """Procedures in force whose field one of the desk's open counters serves, by name."""
    counters = counter_list(office=office)
    if not counters:
        return []
    versions = procedure_current_versions(on=on)
    return [v for v in versions if any(counter_serves(c, v.procedure.field_id) for c in counters)]


def procedure_for_desk(*, office: Office, code: str) -> Procedure:
    from chinhquyenso.core.errors import InvalidInput

    procedure = Procedure.objects.select_related("field").filter(code=code).first()
    if procedure is None or not any(counter_serves(c, procedure.field_id) for c in counter_list(office=office)):
        message = _("Bộ phận Một cửa này không nhận thủ tục mã %(code)s.") % {"code": code}
        raise InvalidInput(message, fields={"procedure": message})
    return procedure


# --- Slots ------------------------------------------------------------------------------------------
def slot_times(*, day: dt.date, slot_minutes: int, calendar: WorkingCalendar) -> list[tuple[dt.datetime, dt.datetime]]:
    """The slots of a day: each working period cut into whole slots; none on a day off (the calendar's)."""
    length = dt.timedelta(minutes=slot_minutes)
    times = []
    for start, end in working_periods(day, calendar=calendar):
        cursor = start
        while cursor + length <= end:
            times.append((cursor, cursor + length))
            cursor += length
    return times


@dataclass(frozen=True)
class SlotInfo:
    starts_at: dt.datetime
    ends_at: dt.datetime
    places_left: int

    @property
    def value(self) -> str:
        return self.starts_at.astimezone(VIETNAM).strftime("%H:%M")


def _booked_per_counter(office: Office, start: dt.datetime, end: dt.datetime) -> dict[tuple, int]:
    rows = (
        Appointment.objects.filter(office=office, status__in=ACTIVE_APPOINTMENT)
        .filter(slot__starts_at__gte=start, slot__starts_at__lt=end)
        .values("slot__starts_at", "counter_id")
        .annotate(n=Count("id"))
    )
    return {(row["slot__starts_at"], row["counter_id"]): row["n"] for row in rows}


def places_left(*, counters: list[Counter], field_id: int, capacity: int, booked: dict, starts_at) -> int:
    """Free places for a field in a slot: what the counters serving the field have not yet promised."""
    return sum(max(0, capacity - booked.get((starts_at, c.pk), 0)) for c in counters if counter_serves(c, field_id))


def slot_list(*, office: Office, procedure: Procedure, day: dt.date, now: dt.datetime | None = None) -> list[SlotInfo]:
    """Slots of the day still ahead, with the places left for the procedure's field."""
    now = now or timezone.now()
    settings = desk_settings_get(office=office)
    times = [t for t in slot_times(day=day, slot_minutes=settings.slot_minutes, calendar=calendar_get()) if t[0] > now]
    if not times:
        return []
    counters = counter_list(office=office)
    booked = _booked_per_counter(office, times[0][0], times[-1][1])
    return [
        SlotInfo(
            starts_at=start,
            ends_at=end,
            places_left=places_left(
                counters=counters,
                field_id=procedure.field_id,
                capacity=settings.per_counter_capacity,
                booked=booked,
                starts_at=start,
            ),
        )
        for start, end in times
    ]


@dataclass(frozen=True)
class DayInfo:
    day: dt.date
    places_left: int


def bookable_day_list(*, office: Office, procedure: Procedure, now: dt.datetime | None = None) -> list[DayInfo]:
    """Working days within the booking horizon and their free places; days off are not offered."""
    now = now or timezone.now()
    settings = desk_settings_get(office=office)
    calendar = calendar_get()
    today = now.astimezone(VIETNAM).date()
    days = [today + dt.timedelta(days=n) for n in range(settings.horizon_days + 1)]
    days = [d for d in days if working_periods(d, calendar=calendar)]
    if not days:
        return []
    counters = counter_list(office=office)
    start = dt.datetime.combine(days[0], dt.time(0), VIETNAM)
    end = dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time(0), VIETNAM)
    booked = _booked_per_counter(office, start, end)
    result = []
    for day in days:
        free = sum(
            places_left(
                counters=counters,
                field_id=procedure.field_id,
                capacity=settings.per_counter_capacity,
                booked=booked,
                starts_at=slot_start,
            )
            for slot_start, _end in slot_times(day=day, slot_minutes=settings.slot_minutes, calendar=calendar)
            if slot_start > now
        )
        result.append(DayInfo(day=day, places_left=free))
    return result


def normalise_booking_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:12]


def normalise_phone(value: str) -> str:
    digits = "".join(ch for ch in (value or "") if ch.isdigit() or ch == "+")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def contact_matches(*, contact: str, phone: str, email: str) -> bool:
    contact = (contact or "").strip()
    if not contact:
        return False
    if "@" in contact:
        return bool(email) and contact.casefold() == email.casefold()
    return bool(phone) and normalise_phone(contact) == phone


def appointment_get_for_contact(*, code: str, contact: str) -> Appointment:
    """404 both for an unknown code and for a contact (phone or e-mail) that is not the booking's."""
    appointment = (
        Appointment.objects.select_related("slot", "office__admin_unit", "counter", "procedure__field")
        .filter(code=normalise_booking_code(code))
        .first()
    )
    if appointment is None or not contact_matches(contact=contact, phone=appointment.phone, email=appointment.email):
        raise AppointmentNotFound(_("Không tìm thấy lịch hẹn với mã và số điện thoại (hoặc thư điện tử) đã nhập."))
    return appointment


def appointment_get_public(*, code: str) -> Appointment:
    appointment = (
        Appointment.objects.select_related("slot", "office__admin_unit", "counter", "procedure")
        .filter(code=normalise_booking_code(code))
        .first()
    )
    if appointment is None:
        raise AppointmentNotFound(_("Không tìm thấy lịch hẹn mã %(code)s.") % {"code": code})
    return appointment


def procedure_name(procedure: Procedure, on: dt.date | None = None) -> str:
    from chinhquyenso.procedures.selectors import procedure_current_version

    version = procedure_current_version(procedure=procedure, on=on)
    return version.name if version else procedure.code


# --- Queue ------------------------------------------------------------------------------------------
def kiosk_field_list(*, office: Office) -> list[TicketPrefix]:
    """The fields the kiosk offers, with their letters: those an open counter serves."""
    counters = counter_list(office=office)
    prefixes = TicketPrefix.objects.filter(office=office).select_related("field").order_by("order", "letter")
    return [p for p in prefixes if any(counter_serves(c, p.field_id) for c in counters)]


@dataclass(frozen=True)
class Board:
    office: Office
    called: list[QueueTicket]
    waiting: int
    today: dt.date


def board_view(*, office: Office, now: dt.datetime | None = None) -> Board:
    """What the display board shows: the last numbers called today and at which counter, newest first."""
    now = now or timezone.now()
    today = now.astimezone(VIETNAM).date()
    tickets = QueueTicket.objects.filter(office=office, issued_on=today)
    called = list(
        tickets.filter(announced_at__isnull=False)
        .select_related("counter")
        .order_by("-announced_at", "-number")[:BOARD_ROWS]
    )
    return Board(office=office, called=called, waiting=tickets.filter(status=TicketStatus.WAITING).count(), today=today)


def counter_current_ticket(*, counter: Counter, on: dt.date) -> QueueTicket | None:
    return (
        QueueTicket.objects.filter(counter=counter, issued_on=on, status=TicketStatus.CALLED)
        .select_related("field", "appointment__procedure", "dossier")
        .order_by("-called_at")
        .first()
    )


def ticket_get_today(*, office: Office, number: int, on: dt.date) -> QueueTicket | None:
    return (
        QueueTicket.objects.select_related("field", "appointment__slot")
        .filter(office=office, issued_on=on, number=number)
        .first()
    )


def tickets_ahead(*, ticket: QueueTicket) -> int:
    """Tickets of the same field still waiting with a smaller number (the kiosk tells the citizen)."""
    return QueueTicket.objects.filter(
        office_id=ticket.office_id,
        issued_on=ticket.issued_on,
        status=TicketStatus.WAITING,
        field_id=ticket.field_id,
        number__lt=ticket.number,
    ).count()


def counter_get(*, office: Office, number: int) -> Counter | None:
    return Counter.objects.filter(office=office, number=number, is_active=True).prefetch_related("fields").first()


def desk_list_for_user(*, user, on: dt.date | None = None) -> list[Office]:
    """One-stop desks with counters in the user's scope that the user may work."""
    from chinhquyenso.core.permissions import scope_filter
    from chinhquyenso.desk.permissions import can_work_desk

    on = on or timezone.localdate()
    offices = (
        Office.objects.filter(kind=OfficeKind.ONE_STOP)
        .filter(scope_filter(user, field="admin_unit"))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .filter(desk_counters__isnull=False)
        .select_related("admin_unit")
        .distinct()
        .order_by("admin_unit__path")
    )
    return [o for o in offices if can_work_desk(user, o)]


def waiting_ticket_list(*, office: Office, on: dt.date) -> QuerySet[QueueTicket]:
    return (
        QueueTicket.objects.filter(office=office, issued_on=on, status=TicketStatus.WAITING)
        .select_related("field", "appointment__slot")
        .order_by("number")
    )


@dataclass(frozen=True)
class WaitRow:
    office: str
    day: dt.date
    hour: int | None
    issued: int
    called: int
    average_minutes: float | None
    longest_minutes: float | None


def ticket_wait_figures(
    *, offices: QuerySet[Office] | list[Office], start: dt.date, end: dt.date, by_hour: bool = True
) -> list[WaitRow]:
    """Waiting time (ticket issued → first called) per desk and day, and per hour of issue when asked."""
    tickets = QueueTicket.objects.filter(office__in=offices, issued_on__gte=start, issued_on__lte=end)
    keys = ["office__name", "issued_on"]
    if by_hour:
        tickets = tickets.annotate(hour=ExtractHour("issued_at", tzinfo=VIETNAM))
        keys.append("hour")
    rows = (
        tickets.values(*keys)
        .annotate(
            issued=Count("id"),
            called=Count("called_at"),
            average=Avg("wait_seconds"),
            longest=Max("wait_seconds"),
        )
        .order_by(*keys)
    )
    return [
        WaitRow(
            office=row["office__name"],
            day=row["issued_on"],
            hour=row.get("hour"),
            issued=row["issued"],
            called=row["called"],
            average_minutes=round(row["average"] / 60, 1) if row["average"] is not None else None,
            longest_minutes=round(row["longest"] / 60, 1) if row["longest"] is not None else None,
        )
        for row in rows
    ]


# --- Ratings ----------------------------------------------------------------------------------------
@dataclass
class RatingFigure:
    key: str
    label: str
    total: int = 0
    very_satisfied: int = 0
    satisfied: int = 0
    not_satisfied: int = 0

    @property
    def satisfied_share(self) -> float | None:
        """Share of ratings that are satisfied or very satisfied, in percent (None without ratings)."""
        if not self.total:
            return None
        return round(100 * (self.very_satisfied + self.satisfied) / self.total, 2)


RATING_GROUPS = {
    "officer": ("officer__username", "officer__last_name", "officer__first_name"),
    "procedure": ("procedure__code",),
    "unit": ("unit__code", "unit__name"),
}


def rating_figures(
    *,
    by: str,
    units: QuerySet[AdminUnit] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[RatingFigure]:
    """Ratings counted per officer who returned the result, per procedure or per receiving unit.

    NĐ 118/2025 keeps citizens' evaluation of TTHC handling; 766 indicator 5.4 counts "not satisfied" as a
    dislike. `units` limits to ratings of dossiers received in those units (a scope); dates are rating days.
    """
    if by not in RATING_GROUPS:
        raise ValueError(f"unknown grouping {by!r}")
    ratings = Rating.objects.all()
    if units is not None:
        ratings = ratings.filter(unit__in=units)
    if start is not None:
        ratings = ratings.filter(rated_at__gte=dt.datetime.combine(start, dt.time(0), VIETNAM))
    if end is not None:
        ratings = ratings.filter(rated_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), VIETNAM))
    keys = RATING_GROUPS[by]
    rows = ratings.values(*keys, "value").annotate(n=Count("id")).order_by(*keys)
    figures: dict[str, RatingFigure] = {}
    for row in rows:
        key = str(row[keys[0]] or "")
        if by == "officer":
            label = f"{row['officer__last_name'] or ''} {row['officer__first_name'] or ''}".strip() or key or "—"
        elif by == "unit":
            label = row["unit__name"]
        else:
            label = key
        figure = figures.setdefault(key, RatingFigure(key=key, label=label))
        setattr(figure, row["value"], getattr(figure, row["value"]) + row["n"])
        figure.total += row["n"]
    if by == "procedure":
        names = defaultdict(str)
        for procedure in Procedure.objects.filter(code__in=figures):
            names[procedure.code] = procedure_name(procedure)
        for figure in figures.values():
            figure.label = f"{figure.key} {names[figure.key]}".strip()
    return list(figures.values())


def rating_values() -> list[tuple[str, str]]:
    return list(RatingValue.choices)


def field_get(*, code: str) -> ProcedureField:
    from chinhquyenso.core.errors import InvalidInput

    field = ProcedureField.objects.filter(code=code).first()
    if field is None:
        message = _("Không có lĩnh vực mã %(code)s.") % {"code": code}
        raise InvalidInput(message, fields={"field": message})
    return field
