"""Queue: kiosk tickets by field with priority and bookings, the counter's call order, the board, scope."""

import datetime as dt

import pytest

from chinhquyenso.core.audit import AuditEntry
from chinhquyenso.desk import selectors, services
from chinhquyenso.desk.errors import AppointmentClosed, DeskNotFound
from chinhquyenso.desk.models import AppointmentStatus, QueueTicket, TicketStatus
from chinhquyenso.procedures.errors import DossierNotFound
from tests.procedures.conftest import at, receive

pytestmark = pytest.mark.django_db


def issue(world, minute, **extra):
    return services.ticket_issue(
        office=world.desk_office, field_code=world.field.code, now=at(2026, 3, 2, 8, minute), **extra
    )


def call(world, minute, hour=9, counter=1, actor=None):
    return services.ticket_call_next(
        office=world.desk_office, counter_number=counter, actor=actor or world.desk, now=at(2026, 3, 2, hour, minute)
    )


def test_kiosk_numbers_are_daily_per_desk_with_the_field_letter(desk):
    first, second = issue(desk, 0), issue(desk, 1)
    other_desk = services.ticket_issue(office=desk.lang_desk, field_code=desk.field.code, now=at(2026, 3, 2, 8, 2))
    next_day = services.ticket_issue(office=desk.desk_office, field_code=desk.field.code, now=at(2026, 3, 3, 8))
    assert (first.label, second.label, other_desk.label, next_day.label) == ("A001", "A002", "A001", "A001")


def test_kiosk_refuses_an_unknown_field_and_a_day_off(desk):
    with pytest.raises(services.InvalidInput) as error:
        services.ticket_issue(office=desk.desk_office, field_code="khong-co", now=at(2026, 3, 2, 8))
    assert "field" in error.value.fields
    with pytest.raises(AppointmentClosed, match="ngày nghỉ"):
        services.ticket_issue(office=desk.desk_office, field_code=desk.field.code, now=at(2026, 3, 7, 8))
    assert QueueTicket.objects.count() == 0


def test_the_counter_calls_the_booked_citizen_at_their_time_then_priority_then_order(desk):
    appointment = services.appointment_book(
        office=desk.desk_office,
        procedure=desk.procedure,
        starts_at=at(2026, 3, 2, 9),
        name="Lê Văn Hẹn",
        phone="0911111111",
        now=at(2026, 3, 1, 20),
    )
    plain = issue(desk, 0)
    elderly = issue(desk, 1, priority="elderly")
    booked = services.ticket_issue(office=desk.desk_office, booking_code=appointment.code, now=at(2026, 3, 2, 8, 50))
    assert (
        services.ticket_issue(office=desk.desk_office, booking_code=appointment.code.lower(), now=at(2026, 3, 2, 8, 51))
        == booked
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CHECKED_IN

    # at 08:30 the booking (09:00) is not due yet: the elderly citizen goes first
    assert call(desk, 30, hour=8) == elderly
    assert call(desk, 50, hour=8) == booked  # 10 minutes before the slot: due
    assert call(desk, 5) == plain
    assert call(desk, 6) is None
    elderly.refresh_from_db()
    assert elderly.status == TicketStatus.SERVED and elderly.wait_seconds == 29 * 60


def test_call_next_is_refused_to_another_wards_desk_officer_and_a_specialist(desk):
    issue(desk, 0)
    with pytest.raises(DeskNotFound):
        call(desk, 0, actor=desk.lang_staff)
    with pytest.raises(DeskNotFound):
        call(desk, 0, actor=desk.specialist)
    assert QueueTicket.objects.get().status == TicketStatus.WAITING


def test_the_board_shows_the_last_called_numbers_newest_first(desk):
    first, second = issue(desk, 0), issue(desk, 1)
    call(desk, 0)
    call(desk, 1)
    services.ticket_recall(office=desk.desk_office, counter_number=1, actor=desk.desk, now=at(2026, 3, 2, 9, 2))
    board = selectors.board_view(office=desk.desk_office, now=at(2026, 3, 2, 9, 3))
    assert [t.label for t in board.called] == [second.label, first.label]
    assert board.waiting == 0


def test_a_ticket_is_linked_to_the_dossier_it_became(desk):
    ticket = issue(desk, 0)
    call(desk, 0)
    dossier = receive(desk, when=at(2026, 3, 2, 9, 5))
    linked = services.ticket_link_dossier(
        office=desk.desk_office,
        number=ticket.number,
        dossier_code=dossier.code,
        actor=desk.desk,
        now=at(2026, 3, 2, 9, 6),
    )
    assert linked.dossier == dossier
    assert AuditEntry.objects.filter(action="desk.ticket_linked", data__dossier=dossier.code).exists()
    with pytest.raises(DossierNotFound):
        services.ticket_link_dossier(
            office=desk.desk_office,
            number=ticket.number,
            dossier_code="KHONG-CO",
            actor=desk.desk,
            now=at(2026, 3, 2, 9, 7),
        )


def test_waiting_figures_per_desk_day_and_hour(desk):
    issue(desk, 0)
    issue(desk, 10)
    call(desk, 0)  # waited 60 min
    call(desk, 40)  # waited 90 min
    rows = selectors.ticket_wait_figures(offices=[desk.desk_office], start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 2))
    assert len(rows) == 1 and rows[0].hour == 8 and rows[0].issued == 2 and rows[0].called == 2
    assert rows[0].average_minutes == 75.0 and rows[0].longest_minutes == 90.0


def test_kiosk_counter_and_board_pages(client, desk, time_machine):
    time_machine.move_to(at(2026, 3, 2, 8), tick=False)
    kiosk = client.get("/kiosk/T-KL/")
    assert kiosk.status_code == 200 and "Hộ tịch" in kiosk.content.decode()
    issued = client.post("/kiosk/T-KL/", {"field": desk.field.code, "priority": "pregnant"})
    assert issued.status_code == 302 and issued["Location"] == "/kiosk/T-KL/so/1/"
    assert "A001" in client.get(issued["Location"]).content.decode()
    assert client.post("/kiosk/T-KL/", {"booking_code": "SAIMA123"}).status_code == 404
    assert client.get("/kiosk/KHONG-CO/").status_code == 404

    client.force_login(desk.lang_staff)
    assert client.get("/can-bo/khong-cho/T-KL/quay/1/").status_code == 404
    assert client.post("/can-bo/khong-cho/T-KL/quay/1/thao-tac/", {"action": "next"}).status_code == 404
    client.force_login(desk.desk)
    page = client.post("/can-bo/khong-cho/T-KL/quay/1/thao-tac/", {"action": "next"}, headers={"HX-Request": "true"})
    assert page.status_code == 200 and "Đã gọi số A001" in page.content.decode()
    assert "Phụ nữ mang thai" in page.content.decode()

    board = client.get("/bang-goi-so/T-KL/", headers={"HX-Request": "true"}).content.decode()
    assert 'data-ticket="A001"' in board and 'hx-trigger="every 1s"' in board and "<html" not in board


def test_the_polled_board_costs_a_constant_handful_of_queries(
    client, desk, time_machine, django_assert_max_num_queries
):
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)
    for minute in range(12):
        issue(desk, minute)
        call(desk, minute)
    with django_assert_max_num_queries(4):
        page = client.get("/bang-goi-so/T-KL/", headers={"HX-Request": "true"})
    assert page.content.decode().count("board__cell-number") == 8
