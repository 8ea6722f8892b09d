"""Appointments: slots from the calendar and the counters, booking, cancel and move with code and phone."""

import datetime as dt

import pytest

from chinhquyenso.core.audit import AuditEntry
from chinhquyenso.desk import selectors, services
from chinhquyenso.desk.errors import AppointmentClosed, AppointmentNotFound, SlotFull, SlotUnavailable
from chinhquyenso.desk.models import Appointment, AppointmentStatus
from tests.procedures.conftest import at

pytestmark = pytest.mark.django_db

NOW = at(2026, 3, 2, 8)  # Monday


def book(world, starts_at, *, phone="0912345678", name="Nguyễn Văn An", now=NOW, email=""):
    return services.appointment_book(
        office=world.desk_office,
        procedure=world.procedure,
        starts_at=starts_at,
        name=name,
        phone=phone,
        email=email,
        now=now,
    )


def test_slots_follow_office_hours_and_have_counters_times_places(desk):
    slots = selectors.slot_list(office=desk.desk_office, procedure=desk.procedure, day=dt.date(2026, 3, 3), now=NOW)
    assert [s.value for s in slots][:3] == ["08:00", "08:30", "09:00"]
    assert len(slots) == 16  # 08:00–12:00 and 13:00–17:00 in 30-minute slots
    assert "12:00" not in [s.value for s in slots]
    assert {s.places_left for s in slots} == {2}  # one counter serving Hộ tịch × 2 places


def test_a_booking_takes_a_place_and_gets_a_code_at_a_counter(desk):
    appointment = book(desk, at(2026, 3, 3, 9))
    assert len(appointment.code) == 8 and appointment.code.isalnum()
    assert appointment.counter.number == 1 and appointment.status == AppointmentStatus.BOOKED
    slots = selectors.slot_list(office=desk.desk_office, procedure=desk.procedure, day=dt.date(2026, 3, 3), now=NOW)
    assert next(s for s in slots if s.value == "09:00").places_left == 1


def test_the_slot_is_refused_with_409_when_its_places_are_gone(desk):
    book(desk, at(2026, 3, 3, 9), phone="0911111111")
    book(desk, at(2026, 3, 3, 9), phone="0922222222")
    with pytest.raises(SlotFull) as error:
        book(desk, at(2026, 3, 3, 9), phone="0933333333")
    assert error.value.status == 409
    assert "vừa hết chỗ" in error.value.message and "09:00" in error.value.message
    assert Appointment.objects.count() == 2


def test_days_off_have_no_slots_and_cannot_be_booked(desk):
    now = at(2026, 8, 31, 8)
    national_day = dt.date(2026, 9, 2)
    days = [d.day for d in selectors.bookable_day_list(office=desk.desk_office, procedure=desk.procedure, now=now)]
    assert national_day not in days and dt.date(2026, 9, 5) not in days  # holiday, Saturday
    assert dt.date(2026, 9, 4) in days
    assert selectors.slot_list(office=desk.desk_office, procedure=desk.procedure, day=national_day, now=now) == []
    with pytest.raises(SlotUnavailable) as error:
        book(desk, at(2026, 9, 2, 9), now=now)
    assert error.value.status == 422 and "không làm việc" in error.value.message


def test_past_and_off_grid_times_are_refused(desk):
    with pytest.raises(SlotUnavailable, match="đã qua"):
        book(desk, at(2026, 3, 2, 7, 30), now=at(2026, 3, 2, 8))
    with pytest.raises(SlotUnavailable, match="Không có khung giờ"):
        book(desk, at(2026, 3, 3, 9, 10))
    with pytest.raises(SlotUnavailable, match="tối đa 14 ngày"):
        book(desk, at(2026, 3, 31, 9))


def test_contact_is_required_and_checked_field_by_field(desk):
    with pytest.raises(services.InvalidInput) as error:
        book(desk, at(2026, 3, 3, 9), phone="12345", name="")
    assert set(error.value.fields) == {"name", "phone"}
    with pytest.raises(services.InvalidInput) as error:
        book(desk, at(2026, 3, 3, 9), phone="", email="")
    assert "phone" in error.value.fields
    assert Appointment.objects.count() == 0


def test_the_same_phone_cannot_hold_two_bookings_of_a_procedure_on_one_day(desk):
    book(desk, at(2026, 3, 3, 9))
    with pytest.raises(AppointmentClosed) as error:
        book(desk, at(2026, 3, 3, 14))
    assert error.value.code == "duplicate_booking"


def test_cancel_with_code_and_phone_gives_the_place_back(desk):
    appointment = book(desk, at(2026, 3, 3, 9))
    with pytest.raises(AppointmentNotFound):
        services.appointment_cancel(code=appointment.code, contact="0999999999", now=NOW)
    cancelled = services.appointment_cancel(code=appointment.code.lower(), contact="+84 912 345 678", now=NOW)
    assert cancelled.status == AppointmentStatus.CANCELLED
    slots = selectors.slot_list(office=desk.desk_office, procedure=desk.procedure, day=dt.date(2026, 3, 3), now=NOW)
    assert next(s for s in slots if s.value == "09:00").places_left == 2
    assert AuditEntry.objects.filter(action="desk.appointment_cancelled", object_id=appointment.code).exists()
    with pytest.raises(AppointmentClosed):
        services.appointment_cancel(code=appointment.code, contact="0912345678", now=NOW)


def test_move_keeps_the_code_and_checks_the_new_slot(desk):
    appointment = book(desk, at(2026, 3, 3, 9), email="an@example.vn", phone="")
    book(desk, at(2026, 3, 4, 9), phone="0911111111")
    book(desk, at(2026, 3, 4, 9), phone="0922222222")
    with pytest.raises(SlotFull):
        services.appointment_move(code=appointment.code, contact="AN@example.vn", starts_at=at(2026, 3, 4, 9), now=NOW)
    moved = services.appointment_move(
        code=appointment.code, contact="an@example.vn", starts_at=at(2026, 3, 4, 10), now=NOW
    )
    assert moved.code == appointment.code and moved.slot.starts_at == at(2026, 3, 4, 10) and moved.moved_count == 1
    with pytest.raises(AppointmentClosed, match="qua giờ hẹn"):
        services.appointment_move(
            code=appointment.code, contact="an@example.vn", starts_at=at(2026, 3, 5, 9), now=at(2026, 3, 4, 10, 5)
        )


def test_booking_page_walks_unit_procedure_day_slot_and_shows_the_code(client, desk, time_machine):
    time_machine.move_to(NOW, tick=False)
    page = client.get("/dat-lich/")
    assert "Phường Kim Liên" in page.content.decode()
    page = client.get("/dat-lich/", {"unit": "T-KL"})
    assert desk.version.name in page.content.decode()
    page = client.get("/dat-lich/", {"unit": "T-KL", "procedure": "9.000001"})
    assert "?unit=T-KL&amp;procedure=9.000001&amp;day=2026-03-03" in page.content.decode()
    page = client.get("/dat-lich/", {"unit": "T-KL", "procedure": "9.000001", "day": "2026-03-03"})
    assert 'value="2026-03-03T09:00:00+07:00"' in page.content.decode()
    form = {"unit": "T-KL", "procedure": "9.000001", "day": "2026-03-03", "name": "Trần Thị Bình"}
    refused = client.post("/dat-lich/", {**form, "starts_at": "2026-03-03T09:00:00+07:00"})
    assert refused.status_code == 422 and "Cần số điện thoại hoặc thư điện tử" in refused.content.decode()
    done = client.post("/dat-lich/", {**form, "starts_at": "2026-03-03T09:00:00+07:00", "phone": "0987654321"})
    appointment = Appointment.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/dat-lich/lich-hen/{appointment.code}/?moi=1"
    shown = client.get(done["Location"]).content.decode()
    assert appointment.code in shown and "Trần T*** B" in shown and "Trần Thị Bình" not in shown


def test_manage_page_cancels_with_code_and_phone(client, desk, time_machine):
    time_machine.move_to(NOW, tick=False)
    appointment = book(desk, at(2026, 3, 3, 9))
    wrong = client.post("/dat-lich/quan-ly/", {"code": appointment.code, "contact": "0900000000"})
    assert wrong.status_code == 404 and "Không tìm thấy lịch hẹn" in wrong.content.decode()
    found = client.post("/dat-lich/quan-ly/", {"code": appointment.code, "contact": "0912345678"})
    assert "Hủy lịch hẹn" in found.content.decode()
    client.post("/dat-lich/quan-ly/", {"code": appointment.code, "contact": "0912345678", "action": "cancel"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED


def test_the_booking_code_is_sent_by_email_and_sms_and_a_move_sends_the_new_time(desk):
    from chinhquyenso.notifications.models import Notification

    appointment = book(desk, at(2026, 3, 3, 9), email="an@example.vn")
    rows = Notification.objects.filter(related_code=appointment.code).order_by("channel")
    assert [(r.channel, r.template_key, r.recipient) for r in rows] == [
        ("email", "appointment_booked", "an@example.vn"),
        ("sms", "appointment_booked_sms", "0912345678"),
    ]
    assert appointment.code in rows[1].body and "09:00 03/03/2026" in rows[1].body
    services.appointment_move(code=appointment.code, contact="0912345678", starts_at=at(2026, 3, 3, 10), now=NOW)
    sms = Notification.objects.get(related_code=appointment.code, template_key="appointment_moved_sms")
    assert "10:00 03/03/2026" in sms.body


def test_a_refused_booking_sends_nothing(desk):
    from chinhquyenso.notifications.models import Notification

    with pytest.raises(SlotUnavailable):
        book(desk, at(2026, 3, 7, 9))
    assert not Notification.objects.exists()


def test_the_day_before_each_booking_is_reminded_once_and_cancelled_ones_are_not(desk):
    from chinhquyenso.notifications.models import Notification

    kept = book(desk, at(2026, 3, 3, 9), phone="0911111111")
    cancelled = book(desk, at(2026, 3, 3, 9), phone="0922222222")
    services.appointment_cancel(code=cancelled.code, contact="0922222222", now=NOW)
    late_booker = book(desk, at(2026, 3, 3, 10), phone="0933333333", now=at(2026, 3, 3, 8))
    later = book(desk, at(2026, 3, 5, 9), phone="0944444444")

    assert services.appointment_remind_due(now=at(2026, 3, 2, 10)) == [kept.code]
    services.appointment_remind_due(now=at(2026, 3, 2, 10, 15))
    reminders = Notification.objects.filter(template_key="appointment_reminder_sms")
    assert [r.related_code for r in reminders] == [kept.code]
    assert "09:00 03/03/2026" in reminders[0].body
    assert late_booker.code not in services.appointment_remind_due(now=at(2026, 3, 3, 8, 30))
    assert later.code not in services.appointment_remind_due(now=at(2026, 3, 3, 8, 30))


def test_the_reminder_task_is_on_the_beat_schedule(desk, settings):
    from chinhquyenso.desk.tasks import remind_appointments

    assert settings.CELERY_BEAT_SCHEDULE["desk.remind_appointments"]["task"] == remind_appointments.name
    assert remind_appointments.apply().get() == 0
