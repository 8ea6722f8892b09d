"""The back office sets up a desk (settings, counters, letters); bookings, tickets and ratings are read-only."""

import pytest

pytestmark = pytest.mark.django_db


def test_administrator_sets_up_counters_and_only_reads_bookings(admin_client, desk):
    for model in ("desksettings", "counter", "ticketprefix", "appointment", "queueticket", "rating"):
        assert admin_client.get(f"/quan-tri/desk/{model}/").status_code == 200
    add_counter = admin_client.get("/quan-tri/desk/counter/add/")
    assert add_counter.status_code == 200 and "Bộ phận Một cửa phường Kim Liên" in add_counter.content.decode()
    assert "UBND phường Kim Liên" not in add_counter.content.decode()  # only one-stop offices have counters
    assert admin_client.get("/quan-tri/desk/appointment/add/").status_code == 403
