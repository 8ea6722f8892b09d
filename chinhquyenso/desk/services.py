"""Writes of the desk: book, cancel and move appointments; issue, call and close queue tickets; take ratings.

Overbooking is impossible by construction: every booking of a slot first locks that slot's row (created on
the first booking), then counts the places the counters serving the field have promised, inside one
transaction. Queue calls of a desk are serialised on its settings row, so two counters never call the same
ticket. Ticket numbers come from `core.numbering.sequence_next`: gap-free per desk and day.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from chinhquyenso.core.audit import audit_record
from chinhquyenso.core.calendar import VIETNAM, working_periods
from chinhquyenso.core.errors import InvalidInput, PermissionDenied
from chinhquyenso.core.models import Office, User
from chinhquyenso.core.numbering import sequence_next
from chinhquyenso.core.selectors import calendar_get
from chinhquyenso.desk import selectors
from chinhquyenso.desk.errors import (
    AlreadyRated,
    AppointmentClosed,
    AppointmentNotFound,
    DeskNotFound,
    RatingNotAllowed,
    SlotFull,
    SlotUnavailable,
    TicketNotFound,
)
from chinhquyenso.desk.models import (
    ACTIVE_APPOINTMENT,
    Appointment,
    AppointmentStatus,
    Counter,
    DeskSettings,
    PriorityReason,
    QueueTicket,
    Rating,
    RatingChannel,
    RatingValue,
    Slot,
    TicketPrefix,
    TicketStatus,
)
from chinhquyenso.desk.notifications import appointment_notify
from chinhquyenso.desk.permissions import can_work_desk
from chinhquyenso.procedures.models import Dossier, DossierEvent, Procedure
from chinhquyenso.procedures.selectors import dossier_get_for_user
from chinhquyenso.procedures.workflow import Action, State

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud over the phone or copied by hand stays unambiguous.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8
# An appointment counts as "due now" at the counter from 15 minutes before its slot to 15 minutes after it.
DUE_EARLY = dt.timedelta(minutes=15)
DUE_LATE = dt.timedelta(minutes=15)
RATING_LINK_SALT = "desk.rating-link"
RATING_LINK_MAX_AGE = dt.timedelta(days=60)


# --- Appointments -------------------------------------------------------------------------------------
def _check_contact(*, name: str, phone: str, email: str) -> tuple[str, str, str]:
    errors = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = _("Họ và tên: vui lòng nhập họ và tên người đến nộp hồ sơ.")
    elif len(name) > 150:
        errors["name"] = _("Họ và tên: dài quá 150 ký tự.")
    phone = selectors.normalise_phone(phone)
    if phone and not (len(phone) == 10 and phone.startswith("0") and phone.isdigit()):
        errors["phone"] = _("Số điện thoại: cần 10 chữ số, bắt đầu bằng 0 (ví dụ 0912345678).")
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Thư điện tử: địa chỉ không hợp lệ.")
    if not phone and not email and "phone" not in errors and "email" not in errors:
        errors["phone"] = _("Số điện thoại: cần số điện thoại hoặc thư điện tử để gửi mã lịch hẹn và để hủy, đổi lịch.")
    if errors:
        raise InvalidInput(" ".join(errors.values()), fields=errors)
    return name, phone, email


def _check_slot(*, settings: DeskSettings, starts_at: dt.datetime, now: dt.datetime) -> dt.datetime:
    """The end of the slot that starts at `starts_at`, if the desk offers it and it is still ahead."""
    if starts_at.tzinfo is None:
        raise SlotUnavailable(_("Giờ hẹn phải có múi giờ, ví dụ +07:00."), fields={"starts_at": "naive"})
    local = starts_at.astimezone(VIETNAM)
    calendar = calendar_get()
    if not working_periods(local.date(), calendar=calendar):
        message = _("Ngày %(day)s Bộ phận Một cửa không làm việc (ngày nghỉ). Vui lòng chọn ngày khác.") % {
            "day": local.strftime("%d/%m/%Y")
        }
        raise SlotUnavailable(message, fields={"starts_at": message})
    if starts_at <= now:
        message = _("Khung giờ %(time)s đã qua. Vui lòng chọn khung giờ khác.") % {
            "time": local.strftime("%H:%M %d/%m/%Y")
        }
        raise SlotUnavailable(message, fields={"starts_at": message})
    if local.date() > now.astimezone(VIETNAM).date() + dt.timedelta(days=settings.horizon_days):
        message = _("Chỉ đặt lịch trước tối đa %(n)s ngày.") % {"n": settings.horizon_days}
        raise SlotUnavailable(message, fields={"starts_at": message})
    for start, end in selectors.slot_times(day=local.date(), slot_minutes=settings.slot_minutes, calendar=calendar):
        if start == starts_at:
            return end
    message = _("Không có khung giờ bắt đầu lúc %(time)s. Vui lòng chọn trong danh sách khung giờ.") % {
        "time": local.strftime("%H:%M %d/%m/%Y")
    }
    raise SlotUnavailable(message, fields={"starts_at": message})


def _slot_locked(*, office: Office, starts_at: dt.datetime, ends_at: dt.datetime) -> Slot:
    """The slot's row, locked FOR UPDATE until the end of the caller's transaction (created on first use)."""
    slot = Slot.objects.select_for_update().filter(office=office, starts_at=starts_at).first()
    if slot is None:
        try:
            with transaction.atomic():
                Slot.objects.create(office=office, starts_at=starts_at, ends_at=ends_at)
        except IntegrityError:
            pass  # another booking created it first; wait for its lock
        slot = Slot.objects.select_for_update().get(office=office, starts_at=starts_at)
    return slot


def _counter_with_place(*, slot: Slot, procedure: Procedure, settings: DeskSettings) -> Counter:
    """A counter serving the field with a place left in the slot; specialised counters are filled first."""
    counters = [
        c for c in selectors.counter_list(office=slot.office) if selectors.counter_serves(c, procedure.field_id)
    ]
    booked = dict(
        Appointment.objects.filter(slot=slot, status__in=ACTIVE_APPOINTMENT)
        .values_list("counter_id")
        .annotate(n=Count("id"))
    )
    free = [c for c in counters if booked.get(c.pk, 0) < settings.per_counter_capacity]
    if not free:
        local = slot.starts_at.astimezone(VIETNAM)
        raise SlotFull(
            _("Khung giờ %(time)s ngày %(day)s vừa hết chỗ. Vui lòng chọn khung giờ khác.")
            % {"time": local.strftime("%H:%M"), "day": local.strftime("%d/%m/%Y")},
            fields={"starts_at": "full"},
        )

    def specialisation(counter: Counter) -> tuple:
        served = len(counter.fields.all()) or 10_000  # a counter for every field is kept for the others
        return (served, booked.get(counter.pk, 0), counter.number)

    return min(free, key=specialisation)


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def appointment_book(
    *,
    office: Office,
    procedure: Procedure,
    starts_at: dt.datetime,
    name: str,
    phone: str = "",
    email: str = "",
    now: dt.datetime | None = None,
) -> Appointment:
    """Book a place in a slot: capacity = counters serving the field × places per counter; never more."""
    now = now or timezone.now()
    settings = selectors.desk_settings_get(office=office)
    name, phone, email = _check_contact(name=name, phone=phone, email=email)
    ends_at = _check_slot(settings=settings, starts_at=starts_at, now=now)
    slot = _slot_locked(office=office, starts_at=starts_at, ends_at=ends_at)
    day_start = dt.datetime.combine(starts_at.astimezone(VIETNAM).date(), dt.time(0), VIETNAM)
    same_person = Appointment.objects.filter(
        office=office,
        procedure=procedure,
        status__in=ACTIVE_APPOINTMENT,
        slot__starts_at__gte=day_start,
        slot__starts_at__lt=day_start + dt.timedelta(days=1),
    )
    if (phone and same_person.filter(phone=phone).exists()) or (email and same_person.filter(email=email).exists()):
        raise AppointmentClosed(
            _("Bạn đã có lịch hẹn cho thủ tục này trong ngày. Muốn đổi giờ, vui lòng dùng chức năng đổi lịch hẹn."),
            code="duplicate_booking",
        )
    counter = _counter_with_place(slot=slot, procedure=procedure, settings=settings)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                appointment = Appointment.objects.create(
                    code=_new_code(),
                    office=office,
                    slot=slot,
                    counter=counter,
                    procedure=procedure,
                    name=name,
                    phone=phone,
                    email=email,
                    created_at=now,
                )
            break
        except IntegrityError:
            continue  # the random code was taken: draw again
    else:
        raise RuntimeError("could not draw a free booking code")
    appointment_notify(appointment=appointment, event="booked")  # the code by e-mail and SMS, after commit
    return appointment


def _appointment_locked(*, code: str, contact: str) -> Appointment:
    appointment = selectors.appointment_get_for_contact(code=code, contact=contact)
    return Appointment.objects.select_for_update().select_related("slot", "office", "procedure").get(pk=appointment.pk)


def _check_changeable(appointment: Appointment, now: dt.datetime) -> None:
    if appointment.status == AppointmentStatus.CANCELLED:
        raise AppointmentClosed(_("Lịch hẹn %(code)s đã được hủy trước đó.") % {"code": appointment.code})
    if appointment.status == AppointmentStatus.CHECKED_IN:
        raise AppointmentClosed(_("Lịch hẹn %(code)s đã được dùng để lấy số thứ tự.") % {"code": appointment.code})
    if appointment.slot.starts_at <= now:
        raise AppointmentClosed(_("Đã đến hoặc đã qua giờ hẹn, không hủy hay đổi được nữa."))


@transaction.atomic
def appointment_cancel(*, code: str, contact: str, now: dt.datetime | None = None) -> Appointment:
    """The citizen gives the place back, with the booking code and the phone (or e-mail) used to book."""
    now = now or timezone.now()
    appointment = _appointment_locked(code=code, contact=contact)
    _check_changeable(appointment, now)
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_at = now
    appointment.save(update_fields=["status", "cancelled_at"])
    appointment_notify(appointment=appointment, event="cancelled")
    audit_record(
        action="desk.appointment_cancelled",
        actor_label="citizen",
        object_type="appointment",
        object_id=appointment.code,
        data={"office": appointment.office.code, "slot": appointment.slot.starts_at.isoformat()},
    )
    return appointment


@transaction.atomic
def appointment_move(*, code: str, contact: str, starts_at: dt.datetime, now: dt.datetime | None = None) -> Appointment:
    """Move a booking to another slot of the same desk, keeping its code; the new slot's capacity applies."""
    now = now or timezone.now()
    appointment = _appointment_locked(code=code, contact=contact)
    _check_changeable(appointment, now)
    if starts_at == appointment.slot.starts_at:
        message = _("Lịch hẹn đã ở khung giờ này. Vui lòng chọn khung giờ khác.")
        raise InvalidInput(message, fields={"starts_at": message})
    settings = selectors.desk_settings_get(office=appointment.office)
    ends_at = _check_slot(settings=settings, starts_at=starts_at, now=now)
    old = appointment.slot.starts_at
    slot = _slot_locked(office=appointment.office, starts_at=starts_at, ends_at=ends_at)
    appointment.counter = _counter_with_place(slot=slot, procedure=appointment.procedure, settings=settings)
    appointment.slot = slot
    appointment.moved_count += 1
    appointment.save(update_fields=["slot", "counter", "moved_count"])
    appointment_notify(appointment=appointment, event="moved")
    audit_record(
        action="desk.appointment_moved",
        actor_label="citizen",
        object_type="appointment",
        object_id=appointment.code,
        data={"office": appointment.office.code, "from": old.isoformat(), "to": starts_at.isoformat()},
    )
    return appointment


REMINDER_AHEAD = dt.timedelta(hours=24)
REMINDER_MIN_NOTICE = dt.timedelta(hours=3)


def appointment_remind_due(*, now: dt.datetime | None = None) -> list[str]:
    """The day before: remind each booking of its time and code, once per booked time (moved: again)."""
    now = now or timezone.now()
    due = (
        Appointment.objects.filter(status=AppointmentStatus.BOOKED)
        .filter(slot__starts_at__gt=now, slot__starts_at__lte=now + REMINDER_AHEAD)
        .select_related("slot", "office__admin_unit", "counter", "procedure")
        .order_by("slot__starts_at")
    )
    reminded = []
    for appointment in due:
        if appointment.slot.starts_at - appointment.created_at < REMINDER_MIN_NOTICE:
            continue  # booked a few hours ahead: the booking message is still fresh
        with transaction.atomic():
            if appointment_notify(appointment=appointment, event="reminder"):
                reminded.append(appointment.code)
    return reminded


# --- Queue tickets ------------------------------------------------------------------------------------
def _today(now: dt.datetime) -> dt.date:
    return now.astimezone(VIETNAM).date()


@transaction.atomic
def ticket_issue(
    *,
    office: Office,
    field_code: str = "",
    priority: str = "",
    booking_code: str = "",
    now: dt.datetime | None = None,
) -> QueueTicket:
    """Issue the next number of the day at the kiosk, for a field, or for a booking checked in by its code."""
    now = now or timezone.now()
    today = _today(now)
    if not working_periods(today, calendar=calendar_get()):
        raise AppointmentClosed(_("Hôm nay là ngày nghỉ, Bộ phận Một cửa không cấp số thứ tự."), code="desk_closed")
    if priority and priority not in PriorityReason.values:
        message = _("Đối tượng ưu tiên không hợp lệ.")
        raise InvalidInput(message, fields={"priority": message})
    appointment = None
    if booking_code:
        code = selectors.normalise_booking_code(booking_code)
        appointment = (
            Appointment.objects.select_for_update()
            .select_related("slot", "procedure__field")
            .filter(code=code, office=office)
            .first()
        )
        if appointment is None:
            message = _("Không có lịch hẹn mã %(code)s tại %(office)s.") % {"code": code, "office": office.name}
            raise AppointmentNotFound(message, fields={"booking_code": message})
        if appointment.status == AppointmentStatus.CANCELLED:
            raise AppointmentClosed(_("Lịch hẹn %(code)s đã bị hủy. Vui lòng lấy số theo lĩnh vực.") % {"code": code})
        if appointment.status == AppointmentStatus.CHECKED_IN:
            return appointment.ticket  # pressing twice gives the same number, not a second one
        day = appointment.slot.starts_at.astimezone(VIETNAM).date()
        if day != today:
            raise AppointmentClosed(
                _("Lịch hẹn %(code)s là ngày %(day)s, không phải hôm nay.")
                % {"code": code, "day": day.strftime("%d/%m/%Y")}
            )
        field = appointment.procedure.field
        prefix = TicketPrefix.objects.filter(office=office, field=field).first()
    else:
        prefix = next((p for p in selectors.kiosk_field_list(office=office) if p.field.code == field_code), None)
        if prefix is None:
            message = _("Vui lòng chọn một lĩnh vực có trên kiosk.")
            raise InvalidInput(message, fields={"field": message})
        field = prefix.field
    number = sequence_next(scope=f"desk-ticket:{office.code}:{today.isoformat()}")
    ticket = QueueTicket.objects.create(
        office=office,
        issued_on=today,
        number=number,
        prefix=prefix.letter if prefix else "H",  # a booked field without its own letter: "H" for "hẹn"
        field=field,
        priority=priority,
        appointment=appointment,
        issued_at=now,
    )
    if appointment is not None:
        appointment.status = AppointmentStatus.CHECKED_IN
        appointment.checked_in_at = now
        appointment.save(update_fields=["status", "checked_in_at"])
    return ticket


def _desk_for(*, office: Office, actor: User) -> None:
    if not can_work_desk(actor, office):
        raise DeskNotFound(_("Không tìm thấy Bộ phận Một cửa này."))


def _counter_get(*, office: Office, number: int) -> Counter:
    counter = Counter.objects.filter(office=office, number=number, is_active=True).prefetch_related("fields").first()
    if counter is None:
        raise DeskNotFound(_("Không có quầy số %(n)s đang mở.") % {"n": number})
    return counter


def _lock_desk(office: Office) -> None:
    DeskSettings.objects.get_or_create(office=office)
    DeskSettings.objects.select_for_update().get(office=office)


def _call_order(ticket: QueueTicket, now: dt.datetime) -> tuple:
    """Booked citizens at their time first, then the elderly, disabled and pregnant, then by number."""
    appointment = ticket.appointment
    if appointment is not None:
        slot = appointment.slot
        if slot.starts_at - DUE_EARLY <= now <= slot.ends_at + DUE_LATE:
            return (0, slot.starts_at, ticket.number)
    if ticket.priority:
        return (1, ticket.issued_at, ticket.number)
    return (2, ticket.issued_at, ticket.number)


def _finish_current(counter: Counter, today: dt.date, now: dt.datetime, status: str) -> QueueTicket | None:
    current = (
        QueueTicket.objects.select_for_update()
        .filter(counter=counter, issued_on=today, status=TicketStatus.CALLED)
        .first()
    )
    if current is not None:
        current.status = status
        current.finished_at = now
        current.save(update_fields=["status", "finished_at"])
    return current


@transaction.atomic
def ticket_call_next(
    *, office: Office, counter_number: int, actor: User, now: dt.datetime | None = None
) -> QueueTicket | None:
    """Close the counter's current ticket and call the next one it serves; None when nobody waits."""
    now = now or timezone.now()
    _desk_for(office=office, actor=actor)
    _lock_desk(office)
    counter = _counter_get(office=office, number=counter_number)
    today = _today(now)
    _finish_current(counter, today, now, TicketStatus.SERVED)
    waiting = [
        t
        for t in selectors.waiting_ticket_list(office=office, on=today)
        if selectors.counter_serves(counter, t.field_id)
    ]
    if not waiting:
        return None
    ticket = min(waiting, key=lambda t: _call_order(t, now))
    ticket.status = TicketStatus.CALLED
    ticket.called_at = ticket.announced_at = now
    ticket.wait_seconds = max(0, int((now - ticket.issued_at).total_seconds()))
    ticket.counter = counter
    ticket.called_by = actor
    ticket.save(update_fields=["status", "called_at", "announced_at", "wait_seconds", "counter", "called_by"])
    audit_record(
        action="desk.ticket_called",
        actor=actor,
        object_type="queue_ticket",
        object_id=f"{office.code}:{today.isoformat()}:{ticket.number}",
        data={"counter": counter.number, "ticket": ticket.label, "wait_seconds": ticket.wait_seconds},
    )
    return ticket


@transaction.atomic
def ticket_recall(*, office: Office, counter_number: int, actor: User, now: dt.datetime | None = None) -> QueueTicket:
    """Call the counter's current ticket again: it comes back to the top of the display board."""
    now = now or timezone.now()
    _desk_for(office=office, actor=actor)
    counter = _counter_get(office=office, number=counter_number)
    ticket = (
        QueueTicket.objects.select_for_update()
        .filter(counter=counter, issued_on=_today(now), status=TicketStatus.CALLED)
        .first()
    )
    if ticket is None:
        raise TicketNotFound(_("Quầy chưa gọi số nào."))
    ticket.announced_at = now
    ticket.save(update_fields=["announced_at"])
    return ticket


@transaction.atomic
def ticket_close(
    *, office: Office, counter_number: int, actor: User, no_show: bool = False, now: dt.datetime | None = None
) -> QueueTicket:
    """Close the counter's current ticket: served, or absent when called (no-show)."""
    now = now or timezone.now()
    _desk_for(office=office, actor=actor)
    counter = _counter_get(office=office, number=counter_number)
    ticket = _finish_current(counter, _today(now), now, TicketStatus.NO_SHOW if no_show else TicketStatus.SERVED)
    if ticket is None:
        raise TicketNotFound(_("Quầy chưa gọi số nào."))
    return ticket


@transaction.atomic
def ticket_link_dossier(
    *, office: Office, number: int, dossier_code: str, actor: User, now: dt.datetime | None = None
) -> QueueTicket:
    """Record which dossier today's ticket became at the counter (the dossier must be visible to the officer)."""
    now = now or timezone.now()
    _desk_for(office=office, actor=actor)
    ticket = QueueTicket.objects.select_for_update().filter(office=office, issued_on=_today(now), number=number).first()
    if ticket is None:
        raise TicketNotFound(_("Hôm nay không có số thứ tự %(n)s.") % {"n": number})
    if ticket.status == TicketStatus.WAITING:
        message = _("Số %(label)s chưa được gọi.") % {"label": ticket.label}
        raise InvalidInput(message, fields={"number": message})
    dossier = dossier_get_for_user(code=(dossier_code or "").strip(), user=actor)
    ticket.dossier = dossier
    ticket.save(update_fields=["dossier"])
    audit_record(
        action="desk.ticket_linked",
        actor=actor,
        object_type="queue_ticket",
        object_id=f"{office.code}:{ticket.issued_on.isoformat()}:{ticket.number}",
        data={"dossier": dossier.code},
    )
    return ticket


# --- Satisfaction ratings -----------------------------------------------------------------------------
def rating_link_token(*, dossier_code: str) -> str:
    """A signed token for the rating link sent with the result notification (valid 60 days)."""
    return signing.TimestampSigner(salt=RATING_LINK_SALT).sign(dossier_code)


def rating_link_url(*, dossier_code: str) -> str:
    """The address a notification gives for rating the dossier without typing a phone number."""
    from django.conf import settings
    from django.urls import reverse

    path = reverse("desk:rating", args=[dossier_code])
    return f"{settings.PUBLIC_BASE_URL}{path}?t={rating_link_token(dossier_code=dossier_code)}"


def _token_code(token: str) -> str | None:
    try:
        return signing.TimestampSigner(salt=RATING_LINK_SALT).unsign(token, max_age=RATING_LINK_MAX_AGE.total_seconds())
    except signing.BadSignature:
        return None


def _rating_dossier(*, code: str, channel: str, contact: str, token: str, actor: User | None) -> Dossier:
    from chinhquyenso.procedures.errors import DossierNotFound

    code = (code or "").strip()[:60]
    if channel == RatingChannel.COUNTER:
        dossier = dossier_get_for_user(code=code, user=actor)  # another ward's officer: 404
        if not can_work_desk(actor, dossier.receiving_office):
            raise PermissionDenied(_("Chỉ cán bộ Một cửa nơi tiếp nhận hồ sơ mới mở được trang đánh giá tại quầy."))
        return dossier
    dossier = Dossier.objects.select_related("version", "receiving_unit").filter(code=code).first()
    if dossier is None:
        raise DossierNotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    if channel == RatingChannel.LINK:
        if _token_code(token or "") != dossier.code:
            raise PermissionDenied(
                _("Đường dẫn đánh giá không hợp lệ hoặc đã hết hạn. Bạn vẫn có thể đánh giá tại trang tra cứu hồ sơ."),
                code="bad_rating_link",
            )
        return dossier
    given = (contact or "").strip()
    known = {
        selectors.normalise_phone(dossier.applicant_phone),
        dossier.applicant_id_number,
        dossier.applicant_email.casefold(),
    } - {""}
    if not given or (selectors.normalise_phone(given) not in known and given.casefold() not in known):
        message = _("Số điện thoại, thư điện tử hoặc số định danh cá nhân không khớp với hồ sơ.")
        raise InvalidInput(message, fields={"contact": message})
    return dossier


def rating_submit(
    *,
    code: str,
    value: str,
    channel: str,
    comment: str = "",
    contact: str = "",
    token: str = "",
    actor: User | None = None,
    now: dt.datetime | None = None,
) -> Rating:
    """NĐ 118/2025: the applicant evaluates the handling of a returned dossier, once (RULES.md §1.10)."""
    now = now or timezone.now()
    if value not in RatingValue.values:
        message = _("Vui lòng chọn mức độ hài lòng.")
        raise InvalidInput(message, fields={"value": message})
    comment = (comment or "").strip()
    if len(comment) > 2000:
        message = _("Góp ý: dài quá 2000 ký tự.")
        raise InvalidInput(message, fields={"comment": message})
    dossier = _rating_dossier(code=code, channel=channel, contact=contact, token=token, actor=actor)
    if dossier.state != State.RETURNED:
        raise RatingNotAllowed(
            _("Hồ sơ %(code)s chưa trả kết quả; bạn có thể đánh giá sau khi nhận kết quả.") % {"code": dossier.code}
        )
    returned = (
        DossierEvent.objects.filter(dossier=dossier, action=Action.RETURN_RESULT).order_by("-seq").only("actor").first()
    )
    try:
        with transaction.atomic():
            return Rating.objects.create(
                dossier=dossier,
                value=value,
                comment=comment,
                channel=channel,
                officer_id=returned.actor_id if returned else None,
                procedure_id=dossier.version.procedure_id,
                unit_id=dossier.receiving_unit_id,
                rated_at=now,
            )
    except IntegrityError:
        existing = Rating.objects.filter(dossier=dossier).first()
        day = existing.rated_at.astimezone(VIETNAM).strftime("%d/%m/%Y") if existing else ""
        raise AlreadyRated(
            _("Hồ sơ %(code)s đã được đánh giá ngày %(day)s. Mỗi hồ sơ chỉ được đánh giá một lần. Cảm ơn bạn!")
            % {"code": dossier.code, "day": day}
        ) from None
