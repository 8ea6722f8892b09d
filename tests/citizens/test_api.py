"""The citizen API: code → token, online filing by multipart, my dossiers (another citizen's is 404), payment,
the desk's electronic result, public verification; the session works too, with its level."""

import pytest

from chinhquyenso.citizens.models import CitizenApiToken
from chinhquyenso.core.services import api_token_issue
from chinhquyenso.procedures.models import Dossier
from tests.citizens.conftest import PDF, client_as_citizen, last_code, pdf, vneid_citizen
from tests.citizens.test_filing import walk_to_result_ready

pytestmark = pytest.mark.django_db


def citizen_token(client, address="0912345678") -> str:
    sent = client.post("/api/v1/citizen/auth/code", {"address": address}, content_type="application/json")
    assert sent.status_code == 202 and sent.json()["sent_to"] == f"{address[:3]}****{address[-3:]}"
    issued = client.post(
        "/api/v1/citizen/auth/token", {"address": address, "code": last_code(address)}, content_type="application/json"
    )
    assert issued.status_code == 201 and issued.json()["assurance_level"] == 1
    return issued.json()["token"]


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def file_by_api(client, world, token, version=None):
    version = version or world.version
    mandatory = version.documents.get(mandatory=True)
    return client.post(
        "/api/v1/citizen/dossiers",
        {
            "procedure": version.procedure.code,
            "receiving_office": world.desk_office.code,
            "applicant_name": "Nguyễn Văn An",
            "content": "Xin cấp",
            f"file_{mandatory.pk}": pdf(),
        },
        **bearer(token),
    )


def test_a_citizen_files_pays_and_gets_the_electronic_result_through_the_api(client, world):
    token = citizen_token(client)
    assert CitizenApiToken.objects.get().digest != token

    filed = file_by_api(client, world, token)
    assert filed.status_code == 201, filed.json()
    body = filed.json()
    code = body["code"]
    assert body["state"] == 1 and body["fee_total"] == 8000 and body["documents"][0]["download_url"]
    listed = client.get("/api/v1/citizen/dossiers", **bearer(token)).json()
    assert [d["code"] for d in listed] == [code]
    document = client.get(body["documents"][0]["download_url"], **bearer(token))
    assert document.status_code == 200

    payment = client.post(f"/api/v1/citizen/dossiers/{code}/payments", **bearer(token))
    assert payment.status_code == 201 and payment.json()["amount"] == 8000
    assert "/thanh-toan-mo-phong/" in payment.json()["checkout_url"]

    walk_to_result_ready(world, code)
    staff_token, _expires = api_token_issue(user=world.desk)
    returned = client.post(
        f"/api/v1/dossiers/{code}/electronic-result",
        {"file": pdf("kq.pdf"), "result_code": "KQ-API-1"},
        **bearer(staff_token),
    )
    assert returned.status_code == 201 and returned.json()["state"] == 10

    detail = client.get(f"/api/v1/citizen/dossiers/{code}", **bearer(token)).json()
    assert detail["state"] == 10 and detail["result"]["result_code"] == "KQ-API-1"
    assert [e["label"] for e in detail["timeline"]][0] == "Nộp trực tuyến"
    result = client.get(detail["result"]["download_url"], **bearer(token))
    assert result.status_code == 200 and b"".join(result.streaming_content) == PDF

    public = client.get("/api/v1/public/results/KQ-API-1")
    assert public.status_code == 200 and public.json()["holder"] == "Nguyễn V*** A"
    assert public.json()["dossier_code"] == code and "download_url" not in public.json()
    assert client.get("/api/v1/public/results/NOPE").status_code == 404


def test_another_citizen_gets_404_and_no_token_gets_401(client, world):
    owner = citizen_token(client)
    code = file_by_api(client, world, owner).json()["code"]
    stranger = citizen_token(client, "0987654321")

    assert client.get(f"/api/v1/citizen/dossiers/{code}", **bearer(stranger)).status_code == 404
    assert client.get(f"/api/v1/citizen/dossiers/{code}/result", **bearer(stranger)).status_code == 404
    assert client.post(f"/api/v1/citizen/dossiers/{code}/payments", **bearer(stranger)).status_code == 404
    assert client.get("/api/v1/citizen/dossiers").status_code == 401


def test_a_staff_token_is_not_a_citizen_token_and_a_citizen_token_is_not_a_staff_token(client, world):
    staff_token, _expires = api_token_issue(user=world.desk)
    assert client.get("/api/v1/citizen/dossiers", **bearer(staff_token)).status_code == 401
    token = citizen_token(client)
    assert client.get("/api/v1/dossiers", **bearer(token)).status_code == 401


def test_a_level_1_token_is_refused_for_a_level_2_procedure(client, world, level2_version):
    token = citizen_token(client)

    refused = file_by_api(client, world, token, version=level2_version)

    assert refused.status_code == 403 and refused.json()["code"] == "assurance_level_too_low"
    assert not Dossier.objects.exists()


def test_a_vneid_browser_session_gets_a_token_with_its_level(client, world, level2_version):
    client_as_citizen(client, vneid_citizen(level=2), level=2, method="vneid")

    issued = client.post("/api/v1/citizen/auth/session-token")
    assert issued.status_code == 201 and issued.json()["assurance_level"] == 2
    client.logout()
    filed = file_by_api(client, world, issued.json()["token"], version=level2_version)
    assert filed.status_code == 201 and filed.json()["vneid_verified"] is True


def test_the_session_needs_the_csrf_token_for_unsafe_methods(world):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    client_as_citizen(browser, vneid_citizen(level=2), level=2, method="vneid")

    assert browser.get("/api/v1/citizen/me").json()["assurance_level"] == 2
    assert browser.post("/api/v1/citizen/auth/session-token").status_code in (401, 403)


def test_bad_input_names_the_field(client, world):
    sent = client.post("/api/v1/citizen/auth/code", {"address": "abc"}, content_type="application/json")
    assert sent.status_code == 422 and "address" in sent.json()["fields"]
    token = citizen_token(client)
    missing = client.post(
        "/api/v1/citizen/dossiers",
        {"procedure": world.version.procedure.code, "receiving_office": world.desk_office.code, "applicant_name": "A"},
        **bearer(token),
    )
    assert missing.status_code == 422
    assert f"file_{world.version.documents.get(mandatory=True).pk}" in missing.json()["fields"]


def test_too_many_codes_answer_429_with_retry_after(client):
    for _ in range(3):
        client.post("/api/v1/citizen/auth/code", {"address": "0912345678"}, content_type="application/json")
    refused = client.post("/api/v1/citizen/auth/code", {"address": "0912345678"}, content_type="application/json")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


def test_the_openapi_document_lists_the_citizen_operations(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    for path in (
        "/api/v1/citizen/auth/code",
        "/api/v1/citizen/auth/token",
        "/api/v1/citizen/dossiers",
        "/api/v1/citizen/dossiers/{code}",
        "/api/v1/citizen/dossiers/{code}/payments",
        "/api/v1/dossiers/{code}/electronic-result",
        "/api/v1/public/results/{result_code}",
    ):
        assert path in paths, path
