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
