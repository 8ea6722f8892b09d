"""Demo data of the desk for phường Kim Liên and phường Láng: counters, kiosk letters, bookings, tickets, ratings.

Made through the real services at past instants (tickets of the last working days, called by the ward's desk
officer) and future ones (bookings of the coming working days). Running it again changes nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from chinhquyenso.core.calendar import VIETNAM, is_working_day
from chinhquyenso.core.errors import DomainError
from chinhquyenso.core.models import Office, Role, User
from chinhquyenso.core.selectors import calendar_get
from chinhquyenso.desk import selectors, services
from chinhquyenso.desk.models import (
    Appointment,
    Counter,
    DeskSettings,
    QueueTicket,
    Rating,
    RatingChannel,
    TicketPrefix,
)
from chinhquyenso.procedures.models import Dossier, Procedure, ProcedureField
from chinhquyenso.procedures.workflow import State

DESKS = {
    # office code: counters (number, name, field names; none = every field)
    "001.00.72.H26": [
        (1, "Hộ tịch", ["Hộ tịch"]),
        (2, "Chứng thực", ["Chứng thực"]),
        (3, "Đất đai, xây dựng, kinh doanh, bảo trợ", ["Đất đai", "Xây dựng", "Hộ kinh doanh", "Bảo trợ xã hội"]),
    ],
    "001.00.74.H26": [
        (1, "Hộ tịch, chứng thực", ["Hộ tịch", "Chứng thực"]),
        (2, "Các lĩnh vực khác", []),
    ],
}
LETTERS = [("Hộ tịch", "A"), ("Chứng thực", "B"), ("Đất đai", "C"), ("Xây dựng", "D"), ("Hộ kinh doanh", "E"),
           ("Bảo trợ xã hội", "G")]  # fmt: skip
NAMES = ["Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Minh Tuấn", "Phạm Thu Hà", "Hoàng Văn Nam", "Đỗ Thị Mai"]


def _configure(office: Office) -> None:
    DeskSettings.objects.get_or_create(office=office)
    fields = {f.name: f for f in ProcedureField.objects.all()}
    for number, name, field_names in DESKS[office.code]:
        counter, _created = Counter.objects.get_or_create(office=office, number=number, defaults={"name": name})
        if _created:
            counter.fields.set([fields[n] for n in field_names if n in fields])
    for order, (field_name, letter) in enumerate(LETTERS, start=1):
        if field_name in fields:
            TicketPrefix.objects.get_or_create(
                office=office, field=fields[field_name], defaults={"letter": letter, "order": order}
            )


def _past_working_days(today: dt.date, count: int) -> list[dt.date]:
    calendar, days, day = calendar_get(), [], today - dt.timedelta(days=1)
    while len(days) < count:
        if is_working_day(day, calendar=calendar):
            days.append(day)
        day -= dt.timedelta(days=1)
    return list(reversed(days))


def _tickets(office: Office, officer: User | None, rng: random.Random, today: dt.date) -> None:
    prefixes = selectors.kiosk_field_list(office=office)
    counters = selectors.counter_list(office=office)
    for day in _past_working_days(today, 3):
        issued = []
        for _n in range(14):
            at = dt.datetime.combine(day, dt.time(8), VIETNAM) + dt.timedelta(minutes=rng.randint(0, 420))
            issued.append((at, rng.choice(prefixes), rng.choice(["", "", "", "", "elderly", "pregnant"])))
        for at, prefix, priority in sorted(issued, key=lambda row: row[0]):
            services.ticket_issue(office=office, field_code=prefix.field.code, priority=priority, now=at)
        if officer is None:
            continue
        for ticket in QueueTicket.objects.filter(office=office, issued_on=day).order_by("number"):
            called_at = ticket.issued_at + dt.timedelta(minutes=rng.randint(2, 35))
            for counter in counters:
                if selectors.counter_serves(counter, ticket.field_id):
                    services.ticket_call_next(
                        office=office, counter_number=counter.number, actor=officer, now=called_at
                    )
                    break
        for counter in counters:
            end = dt.datetime.combine(day, dt.time(17), VIETNAM)
            with contextlib.suppress(DomainError):  # nothing called at this counter that day
                services.ticket_close(office=office, counter_number=counter.number, actor=officer, now=end)


def _bookings(office: Office, rng: random.Random, now: dt.datetime) -> None:
    versions = selectors.desk_procedure_list(office=office)
    for index, name in enumerate(NAMES):
        version = versions[index % len(versions)]
        days = [
            d for d in selectors.bookable_day_list(office=office, procedure=version.procedure, now=now) if d.places_left
        ]
        if not days:
            return
        day = days[min(index // 2, len(days) - 1)].day
        slots = [
            s
            for s in selectors.slot_list(office=office, procedure=version.procedure, day=day, now=now)
            if s.places_left
        ]
        if slots:
            services.appointment_book(
                office=office,
                procedure=version.procedure,
                starts_at=rng.choice(slots).starts_at,
                name=name,
                phone=f"09{rng.randint(10_000_000, 99_999_999)}",
                now=now,
            )


def _ratings(office: Office, officer: User | None, rng: random.Random) -> None:
    if officer is None:
        return
    returned = Dossier.objects.filter(receiving_office=office, state=State.RETURNED, desk_rating__isnull=True)
    for dossier in returned.order_by("code")[:12]:
        value = rng.choice(["very_satisfied", "very_satisfied", "satisfied", "satisfied", "not_satisfied"])
        rated_at = (dossier.returned_at or timezone.now()) + dt.timedelta(minutes=5)
        services.rating_submit(
            code=dossier.code, value=value, channel=RatingChannel.COUNTER, actor=officer, now=rated_at
        )


@transaction.atomic
def desk_demo_load(*, now: dt.datetime | None = None) -> int:
    """Counters, kiosk letters, bookings, tickets and ratings for Kim Liên and Láng; returns the offices set up."""
    now = now or timezone.now()
    today = now.astimezone(VIETNAM).date()
    rng = random.Random(20250701)
    done = 0
    for code in DESKS:
        office = Office.objects.select_related("admin_unit").filter(code=code).first()
        if office is None or not Procedure.objects.exists():
            continue
        _configure(office)
        officers = User.objects.filter(role=Role.DESK_OFFICER, scope=office.admin_unit, is_active=True)
        # the named demo account (motcua_kimlien) before the password-less cb.<unit>.<role> stand-ins
        officer = min(officers, key=lambda u: (u.username.startswith("cb."), u.username), default=None)
        if not QueueTicket.objects.filter(office=office).exists():
            _tickets(office, officer, rng, today)
        if not Appointment.objects.filter(office=office).exists():
            _bookings(office, rng, now)
        if not Rating.objects.filter(unit=office.admin_unit).exists():
            _ratings(office, officer, rng)
        done += 1
    return done
