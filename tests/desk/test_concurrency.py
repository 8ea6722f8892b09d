"""Real concurrency: two citizens booking the last place of a slot, kiosks issuing numbers, counters calling."""

import pytest

from chinhquyenso.core.errors import DomainError
from chinhquyenso.desk import services
from chinhquyenso.desk.models import Appointment, Counter, QueueTicket
from tests.procedures.conftest import at
from tests.procedures.test_concurrency import run_in_threads

pytestmark = pytest.mark.django_db(transaction=True)

NOW = at(2026, 3, 2, 8)


def test_the_last_place_goes_to_exactly_one_of_two_concurrent_bookings(desk):
    # given a 09:00 slot with one place left (one counter × 2 places, one already booked)
    services.appointment_book(
        office=desk.desk_office,
        procedure=desk.procedure,
        starts_at=at(2026, 3, 3, 9),
        name="A",
        phone="0900000001",
        now=NOW,
    )

    # when two citizens book the last place at the same moment
    def book(index):
        return services.appointment_book(
            office=desk.desk_office,
            procedure=desk.procedure,
            starts_at=at(2026, 3, 3, 9),
            name=f"Người {index}",
            phone=f"091000000{index}",
            now=NOW,
        )

    results, errors = run_in_threads(2, book)

    # then one succeeds and the other gets a clear Vietnamese 409
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], DomainError) and errors[0].status == 409 and errors[0].code == "slot_full"
    assert errors[0].message == "Khung giờ 09:00 ngày 03/03/2026 vừa hết chỗ. Vui lòng chọn khung giờ khác."
    assert Appointment.objects.filter(slot__starts_at=at(2026, 3, 3, 9)).count() == 2


def test_eight_concurrent_bookings_of_a_fresh_slot_never_exceed_its_capacity(desk):
    def book(index):
        return services.appointment_book(
            office=desk.desk_office,
            procedure=desk.procedure,
            starts_at=at(2026, 3, 3, 10),
            name=f"Người {index}",
            phone=f"09200000{index:02d}",
            now=NOW,
        )

    results, errors = run_in_threads(8, book)
    assert len(results) == 2 and len(errors) == 6 and all(e.code == "slot_full" for e in errors)


def test_concurrent_kiosk_tickets_are_numbered_without_gaps(desk):
    def issue(index):
        return [
            services.ticket_issue(
                office=desk.desk_office, field_code=desk.field.code, now=at(2026, 3, 2, 8, index)
            ).number
            for _ in range(5)
        ]

    results, errors = run_in_threads(4, issue)
    assert errors == []
    assert sorted(n for batch in results for n in batch) == list(range(1, 21))


def test_two_counters_calling_at_once_never_get_the_same_ticket(desk):
    counter = Counter.objects.create(office=desk.desk_office, number=2, name="Quầy 2")
    counter.fields.set([desk.field])
    for minute in range(2):
        services.ticket_issue(office=desk.desk_office, field_code=desk.field.code, now=at(2026, 3, 2, 8, minute))

    def call(index):
        return services.ticket_call_next(
            office=desk.desk_office, counter_number=index + 1, actor=desk.desk, now=at(2026, 3, 2, 8, 10)
        )

    results, errors = run_in_threads(2, call)
    assert errors == []
    assert sorted(t.number for t in results) == [1, 2]
    assert sorted(QueueTicket.objects.values_list("counter__number", flat=True)) == [1, 2]
