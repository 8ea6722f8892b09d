"""Staff pages (inbox by deadline, list with filters and CSV, case page with actions) and public pages
(/phan-anh/ form and status by code)."""

import datetime as dt

import pytest
from django.utils import timezone

from chinhquyenso.complaints import selectors
from chinhquyenso.complaints.models import Case, CaseKind, ReceptionSession
from chinhquyenso.complaints.services import reception_session_plan
from tests.complaints.conftest import receive

pytestmark = pytest.mark.django_db


def test_the_inbox_sorts_open_cases_into_overdue_due_soon_and_other(client, cw):
    now = timezone.now()
    overdue, soon, fresh = (receive(cw, when=now) for _ in range(3))
    # given due dates yesterday, tomorrow and in ten days
    for case, days in ((overdue, -1), (soon, 1), (fresh, 10)):
        Case.objects.filter(pk=case.pk).update(due_at=now + dt.timedelta(days=days))
    buckets = selectors.case_inbox(user=cw.inspector)
    assert (buckets["overdue"], buckets["soon"], buckets["other"]) == ([overdue], [soon], [fresh])
    client.force_login(cw.inspector)
    page = client.get("/can-bo/khieu-nai/").content.decode()
    assert overdue.code in page and fresh.code in page


def test_the_list_filters_and_exports_csv_masked(client, cw):
    feedback = receive(cw, kind=CaseKind.FEEDBACK, subject="Rác ở ngõ 10")
    denunciation = receive(cw)
    client.force_login(cw.office_leader)
    page = client.get("/can-bo/khieu-nai/danh-sach/?kind=feedback").content.decode()
    assert feedback.code in page and denunciation.code not in page
    csv = client.get("/can-bo/khieu-nai/danh-sach/?format=csv")
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv") and denunciation.code in text
    assert "Người tố cáo (được giữ bí mật)" in text and "Trần Thị Bình" not in text


def test_another_ward_gets_404_on_the_case_page_and_a_citizen_is_sent_to_login(client, cw):
    case = receive(cw)
    client.force_login(cw.lang_inspector)
    assert client.get(f"/can-bo/khieu-nai/{case.code}/").status_code == 404
    assert case.code not in client.get("/can-bo/khieu-nai/danh-sach/").content.decode()
    client.logout()
    assert client.get(f"/can-bo/khieu-nai/{case.code}/").status_code == 302


def test_an_action_from_the_case_page_and_a_refused_one(client, cw):
    case = receive(cw)
    client.force_login(cw.inspector)
    done = client.post(f"/can-bo/khieu-nai/{case.code}/thao-tac/", {"action": "accept", "revision": 1, "note": ""})
    assert done.status_code == 302
    assert Case.objects.get(pk=case.pk).state == "accepted"
    stale = client.post(f"/can-bo/khieu-nai/{case.code}/thao-tac/", {"action": "withdraw", "revision": 1, "note": "x"})
    assert stale.status_code == 409 and "người khác" in stale.content.decode()
    page = client.get(f"/can-bo/khieu-nai/{case.code}/").content.decode()
    assert "Quá trình xử lý" in page


def test_a_citizen_sends_a_report_and_follows_it_by_code(client, cw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = client.get("/phan-anh/")
    assert form.status_code == 200 and "Kim Liên" in form.content.decode()
    sent = client.post(
        "/phan-anh/",
        {
            "unit": "T-KL",
            "category": "ve-sinh-moi-truong",
            "content": "Rác tồn đọng đầu ngõ 5",
            "address_string": "Ngõ 5 Kim Liên",
            "photo": SimpleUploadedFile("rac.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32),
        },
    )
    assert sent.status_code == 302
    case = Case.objects.get()
    assert case.photo is not None and case.anonymous
    status = client.get(sent["Location"])
    assert status.status_code == 200 and case.code in status.content.decode()
    assert client.get("/phan-anh/tra-cuu/?code=PA-00-KHONG").status_code == 404


def test_a_report_without_a_place_is_refused_naming_the_field(client, cw):
    response = client.post("/phan-anh/", {"unit": "T-KL", "category": "khac", "content": "x"})
    assert response.status_code == 422 and "Cần ghi địa điểm" in response.content.decode()
    assert Case.objects.count() == 0


def test_the_public_status_of_a_denunciation_shows_no_name_and_no_content(client, cw):
    case = receive(cw, content="Ông X nhận hối lộ")
    page = client.get(f"/phan-anh/tra-cuu/{case.code}/").content.decode()
    assert "Đã tiếp nhận" in page and "Trần Thị Bình" not in page and "hối lộ" not in page


def test_the_reception_book_warns_of_weeks_without_the_chairman(client, cw):
    today = selectors.today()
    monday = today - dt.timedelta(days=today.weekday())
    reception_session_plan(
        unit=cw.kim_lien, on=monday + dt.timedelta(days=2), host_kind="chairman", host_name="Chủ tịch", actor=cw.head
    )
    gaps = selectors.reception_schedule_gaps(unit=cw.kim_lien, start=monday, end=monday + dt.timedelta(weeks=2))
    assert monday not in gaps["weeks_without_chairman"]
    assert monday + dt.timedelta(weeks=1) in gaps["weeks_without_chairman"]
    assert ReceptionSession.objects.count() == 1
    client.force_login(cw.inspector)
    page = client.get("/can-bo/khieu-nai/so-tiep-cong-dan/").content.decode()
    assert "chưa có ngày Chủ tịch" in page


def test_staff_receive_a_complaint_from_the_page_and_bad_input_names_the_field(client, cw):
    client.force_login(cw.inspector)
    assert client.get("/can-bo/khieu-nai/tiep-nhan/").status_code == 200
    missing = client.post(
        "/can-bo/khieu-nai/tiep-nhan/",
        {"kind": "complaint", "channel": "in_person", "subject": "QĐ xử phạt", "content": "x", "name": "Nguyễn An"},
    )
    assert missing.status_code == 422 and "Cần ngày nhận được" in missing.content.decode()
    assert Case.objects.count() == 0
    done = client.post(
        "/can-bo/khieu-nai/tiep-nhan/",
        {
            "kind": "complaint",
            "channel": "post",
            "subject": "QĐ xử phạt",
            "content": "x",
            "name": "Nguyễn An",
            "decision_known_on": (selectors.today() - dt.timedelta(days=5)).strftime("%d/%m/%Y"),
        },
    )
    assert done.status_code == 302
    case = Case.objects.get()
    assert case.unit == cw.kim_lien and case.channel == "post" and not case.time_barred


def test_the_reception_book_records_a_group_visit_answers_it_and_reveals_the_visitor_with_an_audit_row(client, cw):
    from chinhquyenso.complaints.models import ReceptionVisit
    from chinhquyenso.complaints.services import IDENTITY_READ
    from chinhquyenso.core.models import AuditEntry

    client.force_login(cw.inspector)
    visit = {
        "channel": "in_person",
        "classification": "petition",
        "content": "Đoàn hộ dân ngõ 4 kiến nghị về thoát nước",
        "name": "Lê Văn Hùng",
        "group_size": "6",
        "representatives": "",
    }
    refused = client.post("/can-bo/khieu-nai/so-tiep-cong-dan/luot-tiep/", visit)
    assert refused.status_code == 422 and "người đại diện" in refused.content.decode()
    visit["representatives"] = "Lê Văn Hùng\nĐỗ Thị Mai"
    assert client.post("/can-bo/khieu-nai/so-tiep-cong-dan/luot-tiep/", visit).status_code == 302
    row = ReceptionVisit.objects.get()
    assert row.is_group and "Hùng" not in row.masked_name and row.answer_due_at > row.at
    book = client.get("/can-bo/khieu-nai/so-tiep-cong-dan/").content.decode()
    assert row.code in book and "Đỗ Thị Mai" not in book
    shown = client.post(f"/can-bo/khieu-nai/so-tiep-cong-dan/{row.code}/nguoi-den/")
    assert "Đỗ Thị Mai" in shown.content.decode()
    assert AuditEntry.objects.filter(action=IDENTITY_READ, object_id=row.code).count() == 1
    client.force_login(cw.inspector2)
    assert client.post(f"/can-bo/khieu-nai/so-tiep-cong-dan/{row.code}/nguoi-den/").status_code == 403
    answered = client.post(
        "/can-bo/khieu-nai/so-tiep-cong-dan/tra-loi/",
        {"code": row.code, "answer": "transferred", "note": "Chuyển Công ty Thoát nước Hà Nội"},
    )
    assert answered.status_code == 302
    assert ReceptionVisit.objects.get().answer == "transferred"


def test_a_reception_day_is_planned_from_the_book(client, cw):
    client.force_login(cw.inspector)
    planned = client.post(
        "/can-bo/khieu-nai/so-tiep-cong-dan/lich/",
        {"on": selectors.today().strftime("%d/%m/%Y"), "host_kind": "chairman", "host_name": "Chủ tịch UBND"},
    )
    assert planned.status_code == 302
    assert ReceptionSession.objects.get().host_kind == "chairman"


def test_list_pages_and_the_api_list_take_the_same_number_of_queries_for_more_cases(client, cw):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chinhquyenso.core.services import api_token_issue

    token, _ = api_token_issue(user=cw.inspector)
    client.force_login(cw.inspector)
    urls = ["/can-bo/khieu-nai/", "/can-bo/khieu-nai/danh-sach/", "/can-bo/khieu-nai/danh-sach/?format=csv"]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        with CaptureQueriesContext(connection) as queries:
            client.get("/api/v1/complaints/cases", HTTP_AUTHORIZATION=f"Bearer {token}")
        return [*result, len(queries)]

    receive(cw)
    counts()  # warm up: the first API call with a token also records its use
    few = counts()
    for _ in range(5):
        receive(cw, kind=CaseKind.FEEDBACK)
    assert counts() == few


def test_the_book_opens_a_case_from_a_visit(client, cw):
    from chinhquyenso.complaints.identity import Identity
    from chinhquyenso.complaints.services import visit_record

    visit = visit_record(
        unit=cw.kim_lien,
        channel="in_person",
        classification="petition",
        content="Kiến nghị sửa đường",
        identity=Identity(name="Vũ Lan"),
        actor=cw.inspector,
    )
    client.force_login(cw.inspector)
    opened = client.post(f"/can-bo/khieu-nai/so-tiep-cong-dan/{visit.code}/mo-don/")
    assert opened.status_code == 302
    case = Case.objects.get()
    assert opened["Location"].endswith(f"/{case.code}/") and case.kind == "petition"
    book = client.get("/can-bo/khieu-nai/so-tiep-cong-dan/").content.decode()
    assert case.code in book


def test_the_portal_home_links_the_report_form(client, cw):
    assert '<a href="/phan-anh/">Gửi phản ánh, kiến nghị</a>' in client.get("/").content.decode()
