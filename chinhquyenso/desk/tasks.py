"""Background work of the desk: run by Celery beat at scale, by `manage.py run_periodic` in the embedded setup."""

from celery import shared_task

from chinhquyenso.desk.services import appointment_remind_due


@shared_task(name="desk.remind_appointments")
def remind_appointments() -> int:
    """Every 15 minutes: remind the bookings of the next 24 hours (each once per booked time)."""
    return len(appointment_remind_due())
