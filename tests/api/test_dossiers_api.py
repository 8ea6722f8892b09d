"""The one-stop API: intake, actions, lists, forms as PDF, public tracking."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from chinhquyenso.core.services import api_token_issue
from tests.procedures.conftest import receive

pytestmark = pytest.mark.django_db


def bearer(user):
    token, _ = api_token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def intake_payload(world, **overrides):
    payload = {
        "procedure": "9.000001",
        "receiving_office": world.desk_office.code,
        "applicant": {
            "name": "Nguyễn Văn An",
            "id_number": "001090012345",
            "birth_date": "1990-05-01",
            "phone": "0912345678",
            "address": "Số 1 ngõ 2 Kim Liên",
        },
        "documents": [{"document_id": d.pk, "digitised": True} for d in world.version.documents.all()],
    }
    payload.update(overrides)
    return payload


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_desk_officer_receives_a_dossier_and_gets_code_due_time_and_receipt(client, world):
    response = client.post(
        "/api/v1/dossiers", intake_payload(world), content_type="application/json", **bearer(world.desk)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"].startswith("T.KL.UB-")
    assert body["state"] == 2 and body["due_at"]
    receipt = client.get(body["receipt_url"], **bearer(world.desk))
    text = pdf_text(receipt)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text.upper()
    assert body["code"] in text and "Nguyễn Văn An" in text


def test_bad_intake_input_gets_422_naming_the_field_in_vietnamese(client, world):
    payload = intake_payload(world, applicant={"name": "Nguyễn Văn An", "id_number": "99912345"})
    response = client.post("/api/v1/dossiers", payload, content_type="application/json", **bearer(world.desk))
    assert response.status_code == 422
    body = response.json()
    assert "applicant.id_number" in body["fields"]
    assert "12 chữ số" in body["message"]
    missing = client.post(
        "/api/v1/dossiers", {"procedure": "9.000001"}, content_type="application/json", **bearer(world.desk)
    )
    assert missing.status_code == 422
    assert "receiving_office" in missing.json()["fields"] and "applicant" in missing.json()["fields"]


def test_a_specialist_may_not_receive(client, world):
    response = client.post(
        "/api/v1/dossiers", intake_payload(world), content_type="application/json", **bearer(world.specialist)
    )
    assert response.status_code == 403
    assert response.json()["code"] == "action_forbidden"


def test_another_wards_officer_gets_404_on_read_and_action(client, world):
    dossier = receive(world)
    assert client.get(f"/api/v1/dossiers/{dossier.code}", **bearer(world.lang_staff)).status_code == 404
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions",
        {"action": "forward"},
        content_type="application/json",
        **bearer(world.lang_staff),
    )
    assert response.status_code == 404


def test_refused_transition_gets_409_with_its_code(client, world):
    dossier = receive(world)
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions",
        {"action": "return_result"},
        content_type="application/json",
        **bearer(world.desk),
    )
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"


def test_actions_walk_a_dossier_to_returned(client, world):
    dossier = receive(world)
    steps = [
        (world.desk, "forward"),
        (world.office_leader, "complete_step"),
        (world.specialist, "complete_step"),
        (world.head, "complete_step"),
        (world.desk, "return_result"),
    ]
    for actor, action in steps:
        response = client.post(
            f"/api/v1/dossiers/{dossier.code}/actions",
            {"action": action},
            content_type="application/json",
            **bearer(actor),
        )
        assert response.status_code == 200, response.content
    assert response.json()["state"] == 10
    detail = client.get(f"/api/v1/dossiers/{dossier.code}", **bearer(world.head)).json()
    assert [e["action"] for e in detail["events"]] == [
        "intake",
        "forward",
        "complete_step",
        "complete_step",
        "complete_step",
        "return_result",
    ]
    sheet = client.get(f"/api/v1/dossiers/{dossier.code}/forms/control-sheet.pdf", **bearer(world.desk))
    assert "PHIẾU KIỂM SOÁT" in pdf_text(sheet).upper()


def test_dossier_list_filters_by_state_and_is_scoped(client, world):
    first = receive(world)
    receive(world)
    client.post(
        f"/api/v1/dossiers/{first.code}/actions",
        {"action": "forward"},
        content_type="application/json",
        **bearer(world.desk),
    )
    processing = client.get("/api/v1/dossiers?state=4", **bearer(world.desk)).json()
    assert [d["code"] for d in processing] == [first.code]
    assert len(client.get("/api/v1/dossiers", **bearer(world.desk)).json()) == 2
    assert client.get("/api/v1/dossiers", **bearer(world.lang_staff)).json() == []
    assert client.get("/api/v1/dossiers?state=11", **bearer(world.desk)).status_code == 422


def test_a_form_that_does_not_exist_yet_is_409(client, world):
    dossier = receive(world)
    response = client.get(f"/api/v1/dossiers/{dossier.code}/forms/apology.pdf", **bearer(world.desk))
    assert response.status_code == 409


def test_public_tracking_shows_state_and_masked_name_in_one_query(client, world):
    dossier = receive(world)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/public/dossiers/{dossier.code}")
    assert response.status_code == 200
    body = response.json()
    assert body["applicant"] == "Nguyễn V*** A"
    assert body["state"] == 2 and body["result_ready"] is False
    assert "001090012345" not in response.content.decode()
    assert len(queries) == 1


def test_public_tracking_of_an_unknown_code_is_404(client, world):
    response = client.get("/api/v1/public/dossiers/KHONG-CO-260101-0001")
    assert response.status_code == 404
    assert response.json()["code"] == "dossier_not_found"


def test_public_tracking_is_rate_limited_per_client(client, world, settings):
    settings.TRACKING_RATE_PER_MINUTE = 3
    dossier = receive(world)
    statuses = [client.get(f"/api/v1/public/dossiers/{dossier.code}").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get(f"/api/v1/public/dossiers/{dossier.code}")
    assert int(limited["Retry-After"]) >= 1
    other_client = client.get(f"/api/v1/public/dossiers/{dossier.code}", REMOTE_ADDR="10.0.0.9")
    assert other_client.status_code == 200


def test_tracking_page_opened_from_the_qr_code(client, world):
    dossier = receive(world)
    response = client.get(f"/tra-cuu/{dossier.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert dossier.code in page and "Nguyễn V*** A" in page
    assert client.get("/tra-cuu/KHONG-CO/").status_code == 404


def test_procedure_catalog_is_readable_and_only_an_administrator_edits_it(client, world):
    listed = client.get("/api/v1/procedures?q=thu tuc thu", **bearer(world.desk)).json()
    assert {p["code"] for p in listed} == {"9.000001", "9.000002"}
    detail = client.get("/api/v1/procedures/9.000001", **bearer(world.desk)).json()
    assert [s["kind"] for s in detail["steps"]][0] == "receive"
    payload = {
        "code": "9.000003",
        "name": "Thủ tục mới",
        "field": "Hộ tịch",
        "level": "commune",
        "time_limit": 1,
        "time_limit_unit": "working_days",
        "online_level": "full",
        "steps": [
            {"name": "Tiếp nhận", "kind": "receive", "role": "desk_officer", "quota": 1, "quota_unit": "working_days"}
        ],
    }
    assert (
        client.post("/api/v1/procedures", payload, content_type="application/json", **bearer(world.desk)).status_code
        == 403
    )


def test_desk_uploads_the_scan_of_a_received_document(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = receive(world)
    document = dossier.documents.first()
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/documents/{document.pk}/scan", {"file": pdf}, **bearer(world.desk)
    )
    assert response.status_code == 201, response.content
    assert response.json()["digitised"] is True
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
    refused = client.post(
        f"/api/v1/dossiers/{dossier.code}/documents/{document.pk}/scan", {"file": fake}, **bearer(world.desk)
    )
    assert refused.status_code == 422 and refused.json()["fields"] == {"file": "type"}
    other = client.post(
        f"/api/v1/dossiers/{dossier.code}/documents/{document.pk}/scan",
        {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")},
        **bearer(world.lang_staff),
    )
    assert other.status_code == 404
