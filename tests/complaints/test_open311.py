"""Open311 GeoReport v2 at /open311/v2/: discovery, services, requests in (POST) and out (GET), JSON and XML."""

import xml.etree.ElementTree as ET

import pytest

from chinhquyenso.complaints.models import Case, CaseKind
from chinhquyenso.core.models import Attachment
from tests.complaints.conftest import receive

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def report(client, **overrides):
    data = {
        "jurisdiction_id": "T-KL",
        "service_code": "chieu-sang",
        "description": "Đèn đường ngõ 46 Phạm Ngọc Thạch tắt ba đêm",
        "lat": "21.006500",
        "long": "105.833200",
        "first_name": "Bình",
        "last_name": "Trần Thị",
        "phone": "0912345678",
    }
    data.update(overrides)
    return client.post("/open311/v2/requests.json", data)


def test_discovery_and_services_in_json_and_xml(client, cw):
    discovery = client.get("/open311/v2/discovery.json").json()
    assert discovery["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert "text/xml" in discovery["endpoints"][0]["formats"]
    services = client.get("/open311/v2/services.json").json()
    assert {"service_code": "chieu-sang", "service_name": "Chiếu sáng công cộng"}.items() <= next(
        s for s in services if s["service_code"] == "chieu-sang"
    ).items()
    xml = client.get("/open311/v2/services.xml")
    assert xml["Content-Type"].startswith("text/xml")
    root = ET.fromstring(xml.content)
    assert root.tag == "services" and root.find("service/service_code") is not None
    assert ET.fromstring(client.get("/open311/v2/discovery.xml").content).find("endpoints/endpoint/url") is not None


def test_a_report_comes_in_and_goes_out_without_the_reporters_identity(client, cw):
    created = report(client)
    assert created.status_code == 201, created.content
    code = created.json()[0]["service_request_id"]
    case = Case.objects.get(code=code)
    assert case.kind == CaseKind.FEEDBACK and case.category.code == "chieu-sang" and case.unit == cw.kim_lien
    assert str(case.latitude) == "21.006500" and case.masked_name == "T. T. B."
    one = client.get(f"/open311/v2/requests/{code}.json")
    assert one.status_code == 200
    row = one.json()[0]
    assert row["status"] == "open" and row["service_code"] == "chieu-sang" and row["lat"] == 21.0065
    listed = client.get("/open311/v2/requests.json?jurisdiction_id=T-KL&status=open")
    assert [r["service_request_id"] for r in listed.json()] == [code]
    for text in (one.content.decode(), listed.content.decode()):
        assert "Trần Thị" not in text and "0912345678" not in text
    xml = ET.fromstring(client.get(f"/open311/v2/requests/{code}.xml").content)
    assert xml.tag == "service_requests" and xml.find("request/service_request_id").text == code


def test_a_report_with_a_photo_stores_it_through_core_attachments(client, cw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    created = report(client, media=SimpleUploadedFile("den.png", PNG, content_type="image/png"))
    assert created.status_code == 201
    code = created.json()[0]["service_request_id"]
    assert Case.objects.get(code=code).photo.content_type == "image/png"
    row = client.get(f"/open311/v2/requests/{code}.json").json()[0]
    assert row["media_url"].endswith(f"/phan-anh/anh/{code}/")
    assert client.get(f"/phan-anh/anh/{code}/").status_code == 200


def test_bad_reports_get_open311_errors_and_write_nothing(client, cw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    cases = [
        ({"jurisdiction_id": "XX"}, 400),
        ({"service_code": "khong-co"}, 404),
        ({"description": ""}, 400),
        ({"lat": "abc"}, 400),
        ({"lat": "", "long": "", "address_string": ""}, 400),
        ({"media": SimpleUploadedFile("x.exe", b"MZ" + b"\x00" * 20)}, 400),
    ]
    for overrides, status in cases:
        response = report(client, **overrides)
        assert response.status_code == status, overrides
        body = response.json()
        assert body[0]["code"] == status and body[0]["description"]
    assert Case.objects.count() == 0 and Attachment.objects.count() == 0


def test_complaints_and_denunciations_never_appear_in_open311(client, cw):
    denunciation = receive(cw)
    assert client.get(f"/open311/v2/requests/{denunciation.code}.json").status_code == 404
    assert denunciation.code not in client.get("/open311/v2/requests.json").content.decode()


def test_posting_is_rate_limited_per_address(client, cw):
    statuses = [report(client).status_code for _ in range(11)]
    assert statuses[:10] == [201] * 10 and statuses[10] == 429


def test_errors_and_created_requests_in_xml(client, cw):
    bad = client.post("/open311/v2/requests.xml", {"jurisdiction_id": "T-KL", "service_code": "khong-co"})
    assert bad.status_code == 404 and bad["Content-Type"].startswith("text/xml")
    root = ET.fromstring(bad.content)
    assert root.tag == "errors" and root.find("error/code").text == "404" and root.find("error/description").text
    created = client.post(
        "/open311/v2/requests.xml",
        {
            "jurisdiction_id": "T-KL",
            "service_code": "cay-xanh",
            "description": "Cây đổ",
            "address_string": "Số 1 Kim Liên",
        },
    )
    assert created.status_code == 201
    code = ET.fromstring(created.content).find("request/service_request_id").text
    assert Case.objects.get(code=code).address_string == "Số 1 Kim Liên"


def test_an_anonymous_denunciation_and_uncategorised_feedback_stay_out_of_open311(client, cw):
    from chinhquyenso.complaints.identity import Identity

    anonymous = receive(cw, identity=Identity(), content="Ông X nhận hối lộ")
    private = receive(cw, kind=CaseKind.FEEDBACK, content="Chuyện riêng của gia đình")
    assert anonymous.kind == CaseKind.FEEDBACK
    listed = client.get("/open311/v2/requests.json").content.decode()
    for case in (anonymous, private):
        assert case.code not in listed
        assert client.get(f"/open311/v2/requests/{case.code}.json").status_code == 404


def test_a_finance_officer_may_not_receive_cases(cw):
    from chinhquyenso.core.errors import PermissionDenied
    from chinhquyenso.core.models import Role
    from chinhquyenso.core.services import staff_upsert

    finance = staff_upsert(username="tc_kl", full_name="Tài chính", role=Role.FINANCE_OFFICER, scope=cw.kim_lien)
    with pytest.raises(PermissionDenied):
        receive(cw, actor=finance)
