"""The complaints API: receive, act, assign, rules, reception visits; scope, roles and bad input."""

import datetime as dt

import pytest

from chinhquyenso.core.services import api_token_issue

pytestmark = pytest.mark.django_db


def bearer(user):
    token, _ = api_token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(client, url, payload, user):
    return client.post(url, payload, content_type="application/json", **bearer(user))


def complaint_payload(**overrides):
    payload = {
        "kind": "complaint",
        "unit": "T-KL",
        "subject": "Khiếu nại quyết định xử phạt",
        "content": "Nội dung",
        "name": "Nguyễn Văn An",
        "address": "5 Kim Liên",
        "decision_known_on": (dt.date.today() - dt.timedelta(days=10)).isoformat(),
    }
    payload.update(overrides)
    return payload


def test_an_inspector_receives_a_complaint_and_walks_it(client, cw):
    created = post(client, "/api/v1/complaints/cases", complaint_payload(), cw.inspector)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["code"].startswith("KN-") and body["state"] == "received" and body["due_rule"] == "complaint.acceptance"
    assert body["sender"] == "N. V. A." and "accept" in body["actions"]
    accepted = post(
        client,
        f"/api/v1/complaints/cases/{body['code']}/actions",
        {"action": "accept", "expected_revision": 1},
        cw.inspector,
    )
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    stale = post(
        client,
        f"/api/v1/complaints/cases/{body['code']}/actions",
        {"action": "withdraw", "note": "x", "expected_revision": 1},
        cw.inspector,
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale_case"


def test_bad_input_names_the_field_and_writes_nothing(client, cw):
    from chinhquyenso.complaints.models import Case

    response = post(client, "/api/v1/complaints/cases", complaint_payload(decision_known_on=None), cw.inspector)
    assert response.status_code == 422
    assert "decision_known_on" in response.json()["fields"]
    response = post(client, "/api/v1/complaints/cases", complaint_payload(subject=""), cw.inspector)
    assert response.status_code == 422
    assert Case.objects.count() == 0


def test_another_wards_case_is_404_and_a_refused_action_409(client, cw):
    code = post(client, "/api/v1/complaints/cases", complaint_payload(), cw.inspector).json()["code"]
    assert client.get(f"/api/v1/complaints/cases/{code}", **bearer(cw.lang_inspector)).status_code == 404
    other = post(client, f"/api/v1/complaints/cases/{code}/actions", {"action": "accept"}, cw.lang_inspector)
    assert other.status_code == 404
    assert code not in client.get("/api/v1/complaints/cases", **bearer(cw.lang_inspector)).content.decode()
    refused = post(client, f"/api/v1/complaints/cases/{code}/actions", {"action": "conclude", "note": "x"}, cw.head)
    assert refused.status_code == 409
    foreign = post(client, "/api/v1/complaints/cases", complaint_payload(unit="T-LANG"), cw.inspector)
    assert foreign.status_code == 403


def test_an_inspector_cannot_assign_and_a_leader_can(client, cw):
    code = post(client, "/api/v1/complaints/cases", complaint_payload(kind="denunciation"), cw.inspector).json()["code"]
    assert (
        post(client, f"/api/v1/complaints/cases/{code}/assignees", {"username": "tt2_kl"}, cw.inspector).status_code
        == 403
    )
    done = post(client, f"/api/v1/complaints/cases/{code}/assignees", {"username": "tt2_kl"}, cw.head)
    assert done.status_code == 200 and done.json()["events"][-1]["action"] == "assign"


def test_rules_in_force_on_a_date_with_their_legal_basis(client, cw):
    rules = client.get("/api/v1/complaints/rules?on=2026-03-01", **bearer(cw.inspector)).json()
    answer = next(r for r in rules if r["key"] == "reception.answer")
    assert answer["amount"] == 10 and answer["unit"] == "working_days" and answer["legal_basis"] == "42/2013/QH13"
    assert client.get("/api/v1/complaints/rules?on=1990-01-01", **bearer(cw.inspector)).json() == []


def test_a_group_visit_needs_representatives_and_gets_a_ten_working_day_answer(client, cw):
    payload = {"unit": "T-KL", "classification": "petition", "content": "Đoàn 7 hộ dân", "group_size": 7}
    refused = post(client, "/api/v1/complaints/visits", payload, cw.inspector)
    assert refused.status_code == 422 and "representatives" in refused.json()["fields"]
    payload["representatives"] = ["Ông Hùng", "Bà Lan"]
    created = post(client, "/api/v1/complaints/visits", payload, cw.inspector)
    assert created.status_code == 201
    visit = created.json()
    assert "Hùng" not in created.content.decode()
    no_grounds = post(client, f"/api/v1/complaints/visits/{visit['code']}/answer", {"answer": "refused"}, cw.inspector)
    assert no_grounds.status_code == 422
    answered = post(
        client,
        f"/api/v1/complaints/visits/{visit['code']}/answer",
        {"answer": "refused", "note": "Đã được giải quyết đúng, đã trả lời bằng văn bản"},
        cw.inspector,
    )
    assert answered.status_code == 200 and answered.json()["answer"] == "refused"
    again = post(client, f"/api/v1/complaints/visits/{visit['code']}/answer", {"answer": "accepted"}, cw.inspector)
    assert again.status_code == 409
    assert client.get(f"/api/v1/complaints/visits/{visit['code']}", **bearer(cw.lang_inspector)).status_code == 404


def test_the_api_needs_a_staff_token(client, cw):
    assert client.get("/api/v1/complaints/cases").status_code == 401


def test_a_visit_opens_its_case_with_the_visit_time_and_the_sealed_identity(client, cw):
    from chinhquyenso.complaints.models import Case, ReceptionVisit
    from chinhquyenso.complaints.services import case_assign, case_identity_read

    payload = {"unit": "T-KL", "classification": "denunciation", "content": "Tố cáo cán bộ", "name": "Trần Thị Bình"}
    visit = post(client, "/api/v1/complaints/visits", payload, cw.inspector).json()
    opened = post(client, f"/api/v1/complaints/visits/{visit['code']}/case", {}, cw.inspector)
    assert opened.status_code == 201, opened.content
    body = opened.json()
    assert body["kind"] == "denunciation" and body["sender"] == "Người tố cáo (được giữ bí mật)"
    case = Case.objects.get(code=body["code"])
    row = ReceptionVisit.objects.get(code=visit["code"])
    assert case.received_at == row.at and row.case == case and row.answer == "accepted"
    case_assign(code=case.code, actor=cw.head, assignee=cw.inspector2)
    assert case_identity_read(case=case, actor=cw.inspector2).name == "Trần Thị Bình"
    again = post(client, f"/api/v1/complaints/visits/{visit['code']}/case", {}, cw.inspector)
    assert again.status_code == 409


def test_a_complaint_visit_needs_the_decision_date_to_open_its_case(client, cw):
    payload = {"unit": "T-KL", "classification": "complaint", "content": "Khiếu nại QĐ", "name": "Nguyễn Văn An"}
    visit = post(client, "/api/v1/complaints/visits", payload, cw.inspector).json()
    refused = post(client, f"/api/v1/complaints/visits/{visit['code']}/case", {}, cw.inspector)
    assert refused.status_code == 422 and "decision_known_on" in refused.json()["fields"]
    known = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    opened = post(client, f"/api/v1/complaints/visits/{visit['code']}/case", {"decision_known_on": known}, cw.inspector)
    assert opened.status_code == 201 and opened.json()["due_rule"] == "complaint.acceptance"


def test_an_unknown_action_is_422_naming_the_field(client, cw):
    code = post(client, "/api/v1/complaints/cases", complaint_payload(), cw.inspector).json()["code"]
    response = post(client, f"/api/v1/complaints/cases/{code}/actions", {"action": "explode"}, cw.inspector)
    assert response.status_code == 422 and response.json()["fields"] == {"action": "invalid"}


def test_an_inspector_of_another_ward_cannot_be_assigned(client, cw):
    code = post(client, "/api/v1/complaints/cases", complaint_payload(kind="denunciation"), cw.inspector).json()["code"]
    response = post(client, f"/api/v1/complaints/cases/{code}/assignees", {"username": "tt_lang"}, cw.head)
    assert response.status_code == 422 and response.json()["fields"] == {"assignee": "invalid"}


def test_the_openapi_document_describes_the_complaints_endpoints(client, cw):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/complaints/cases",
        "/api/v1/complaints/cases/{code}",
        "/api/v1/complaints/cases/{code}/actions",
        "/api/v1/complaints/cases/{code}/assignees",
        "/api/v1/complaints/rules",
        "/api/v1/complaints/visits",
        "/api/v1/complaints/visits/{code}/answer",
        "/api/v1/complaints/visits/{code}/case",
    ):
        assert path in paths
    case_out = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["CaseOut"]["properties"]
    assert "sender" in case_out and "name" not in case_out
