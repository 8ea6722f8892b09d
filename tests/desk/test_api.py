"""The desk API under /api/v1/: the same rules as the pages, errors as {code, message, fields}."""

import pytest

from chinhquyenso.core.services import api_token_issue
from chinhquyenso.desk import services
from chinhquyenso.desk.models import Appointment, QueueTicket
from tests.desk.conftest import returned_dossier
from tests.procedures.conftest import at

pytestmark = pytest.mark.django_db


def bearer(user):
    token, _ = api_token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def monday(time_machine):
    time_machine.move_to(at(2026, 3, 2, 8), tick=False)


def test_slots_booking_move_and_cancel(client, desk, monday):
    slots = client.get("/api/v1/public/desks/T-KL/slots", {"procedure": "9.000001", "day": "2026-03-03"}).json()
    assert len(slots) == 16 and slots[2] == {
        "starts_at": "2026-03-03T09:00:00+07:00",
        "ends_at": "2026-03-03T09:30:00+07:00",
        "places_left": 2,
    }
    assert client.get("/api/v1/public/desks/T-KL/slots", {"procedure": "9.000001", "day": "2026-03-07"}).json() == []
    body = {"unit": "T-KL", "procedure": "9.000001", "starts_at": "2026-03-03T09:00:00+07:00", "name": "Võ Thị Hoa"}
    missing = client.post("/api/v1/public/appointments", body, content_type="application/json")
    assert missing.status_code == 422 and "phone" in missing.json()["fields"]
    created = client.post(
        "/api/v1/public/appointments", {**body, "phone": "0912345678"}, content_type="application/json"
    )
    assert created.status_code == 201
    code = created.json()["code"]
    moved = client.post(
        f"/api/v1/public/appointments/{code}/move",
        {"contact": "0912345678", "starts_at": "2026-03-03T10:00:00+07:00"},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["starts_at"] == "2026-03-03T10:00:00+07:00"
    wrong = client.post(
        f"/api/v1/public/appointments/{code}/cancel", {"contact": "0900000000"}, content_type="application/json"
    )
    assert wrong.status_code == 404 and wrong.json()["code"] == "appointment_not_found"
    cancelled = client.post(
        f"/api/v1/public/appointments/{code}/cancel", {"contact": "0912345678"}, content_type="application/json"
    )
    assert cancelled.json()["status"] == "cancelled"
    again = client.post(
        f"/api/v1/public/appointments/{code}/cancel", {"contact": "0912345678"}, content_type="application/json"
    )
    assert again.status_code == 409


def test_a_full_slot_answers_409_in_vietnamese(client, desk, monday):
    for phone in ("0911111111", "0922222222"):
        services.appointment_book(
            office=desk.desk_office, procedure=desk.procedure, starts_at=at(2026, 3, 3, 9), name="X", phone=phone
        )
    body = {
        "unit": "T-KL",
        "procedure": "9.000001",
        "starts_at": "2026-03-03T09:00:00+07:00",
        "name": "Y",
        "phone": "0933333333",
    }
    full = client.post("/api/v1/public/appointments", body, content_type="application/json")
    assert full.status_code == 409
    assert full.json() == {
        "code": "slot_full",
        "message": "Khung giờ 09:00 ngày 03/03/2026 vừa hết chỗ. Vui lòng chọn khung giờ khác.",
        "fields": {"starts_at": "full"},
    }
    assert Appointment.objects.count() == 2


def test_ticket_issue_call_next_and_link_with_scope(client, desk, monday):
    issued = client.post(
        "/api/v1/public/desks/T-KL/tickets",
        {"field": desk.field.code, "priority": "elderly"},
        content_type="application/json",
    )
    assert issued.status_code == 201 and issued.json()["label"] == "A001"
    assert client.post("/api/v1/desk/T-KL/counters/1/call-next").status_code == 401
    other = client.post("/api/v1/desk/T-KL/counters/1/call-next", **bearer(desk.lang_staff))
    assert other.status_code == 404
    called = client.post("/api/v1/desk/T-KL/counters/1/call-next", **bearer(desk.desk))
    assert called.status_code == 200 and called.json()["counter"] == 1 and called.json()["status"] == "called"
    empty = client.post("/api/v1/desk/T-KL/counters/1/call-next", **bearer(desk.desk))
    assert empty.status_code == 409 and empty.json()["code"] == "queue_empty"
    assert client.get("/api/v1/public/desks/T-KL/board").json()["called"][0]["label"] == "A001"
    assert QueueTicket.objects.get().status == "served"


def test_rating_create_once(client, desk):
    dossier = returned_dossier(desk)
    url = f"/api/v1/public/dossiers/{dossier.code}/rating"
    first = client.post(url, {"value": "satisfied", "contact": "0912345678"}, content_type="application/json")
    assert first.status_code == 201 and first.json()["channel"] == "api"
    second = client.post(url, {"value": "satisfied", "contact": "0912345678"}, content_type="application/json")
    assert second.status_code == 409 and second.json()["code"] == "already_rated"
    bad = client.post(url, {"value": "meh"}, content_type="application/json")
    assert bad.status_code == 422 and "value" in bad.json()["fields"]


def test_the_openapi_document_lists_the_desk_operations(client):
    document = client.get("/api/v1/openapi.json").json()
    paths = document["paths"]
    for path, method in [
        ("/api/v1/public/desks/{unit_code}/slots", "get"),
        ("/api/v1/public/appointments", "post"),
        ("/api/v1/public/appointments/{code}/cancel", "post"),
        ("/api/v1/public/appointments/{code}/move", "post"),
        ("/api/v1/public/desks/{unit_code}/tickets", "post"),
        ("/api/v1/desk/{unit_code}/counters/{number}/call-next", "post"),
        ("/api/v1/desk/{unit_code}/tickets/{number}/dossier", "post"),
        ("/api/v1/public/dossiers/{code}/rating", "post"),
    ]:
        assert method in paths[path], path
    assert "409" in paths["/api/v1/public/appointments"]["post"]["responses"]
    assert paths["/api/v1/desk/{unit_code}/counters/{number}/call-next"]["post"]["security"]
    operation_ids = [op["operationId"] for item in paths.values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))
