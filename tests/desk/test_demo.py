"""The desk demo of Kim Liên and Láng: counters, kiosk letters, bookings and tickets, loaded once."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from chinhquyenso.desk.demo import desk_demo_load
from chinhquyenso.desk.models import Appointment, Counter, QueueTicket, TicketPrefix
from chinhquyenso.procedures.catalog_io import catalog_load_demo
from tests.procedures.conftest import at

pytestmark = pytest.mark.django_db


def test_desk_demo_loads_kim_lien_and_lang_once(time_machine):
    time_machine.move_to(at(2026, 3, 4, 10), tick=False)  # a Wednesday
    call_command("seed_demo", allow_demo_passwords=True, without_dossiers=True, stdout=io.StringIO())
    catalog_load_demo(valid_from=dt.date(2024, 1, 1))
    assert desk_demo_load() == 2
    counts = (
        Counter.objects.count(),
        TicketPrefix.objects.count(),
        QueueTicket.objects.count(),
        Appointment.objects.count(),
    )
    assert counts[0] == 5 and counts[2] > 0 and counts[3] > 0
    assert set(Counter.objects.values_list("office__code", flat=True)) == {"001.00.72.H26", "001.00.74.H26"}
    assert QueueTicket.objects.filter(called_at__isnull=False, called_by__username="motcua_kimlien").exists()
    desk_demo_load()
    assert (
        Counter.objects.count(),
        TicketPrefix.objects.count(),
        QueueTicket.objects.count(),
        Appointment.objects.count(),
    ) == counts
