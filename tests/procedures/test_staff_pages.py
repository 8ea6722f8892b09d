"""The one-stop staff pages: inbox, intake, dossier page and its actions, list and export, register."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chinhquyenso.procedures.models import Dossier, DossierEvent
from chinhquyenso.procedures.workflow import State
from tests.procedures.conftest import receive

pytestmark = pytest.mark.django_db


def intake_post(world, **overrides):
    data = {
        "procedure": "9.000001",
        "receiving_office": world.desk_office.code,
        "channel": "1",
        "applicant_name": "Trần Thị Bình",
        "applicant_id_number": "001190012345",
        "applicant_birth_date": "1990-02-03",
        "applicant_sex": "female",
        "applicant_phone": "0987654321",
        "applicant_address": "Số 5 phố Kim Hoa",
        "outcome": "receive",
        "note": "",
    }
    for doc in world.version.documents.all():
        data[f"doc_{doc.pk}"] = "on"
        data[f"digitised_{doc.pk}"] = "on"
    data.update(overrides)
    return data


def test_desk_officer_receives_a_dossier_from_the_intake_page(client, world):
    client.force_login(world.desk)
    page = client.get("/can-bo/ho-so/tiep-nhan/")
    assert page.status_code == 200 and "Tiếp nhận hồ sơ" in page.content.decode()
    response = client.post("/can-bo/ho-so/tiep-nhan/", intake_post(world))
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/can-bo/ho-so/{dossier.code}/")
    detail = client.get(response["Location"]).content.decode()
    assert "Đã lập hồ sơ" in detail and "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in detail
    receipt = client.get(f"/can-bo/ho-so/{dossier.code}/mau/receipt.pdf")
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"


def test_intake_with_a_bad_id_number_comes_back_with_the_error_and_keeps_the_input(client, world):
    client.force_login(world.desk)
    response = client.post("/can-bo/ho-so/tiep-nhan/", intake_post(world, applicant_id_number="12ab"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "12 chữ số" in page and "Trần Thị Bình" in page and "checked" in page
    assert Dossier.objects.count() == 0


def test_supplement_outcome_needs_the_list_of_what_to_supplement(client, world):
    client.force_login(world.desk)
    response = client.post("/can-bo/ho-so/tiep-nhan/", intake_post(world, outcome="supplement"))
    assert "Cần ghi rõ nội dung cần bổ sung" in response.content.decode()
    assert Dossier.objects.count() == 0


def test_document_checklist_follows_the_chosen_procedure_with_htmx(client, world):
    client.force_login(world.desk)
    response = client.get("/can-bo/ho-so/tiep-nhan/?procedure=9.000001", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "Tờ khai" in page and "<html" not in page


def test_actions_on_the_dossier_page_move_it_and_a_stale_form_is_refused(client, world):
    dossier = receive(world)
    client.force_login(world.desk)
    response = client.post(
        f"/can-bo/ho-so/{dossier.code}/thao-tac/", {"action": "forward", "revision": dossier.revision, "note": ""}
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING
    # the same form sent again (another officer's stale page) is refused and says why
    stale = client.post(
        f"/can-bo/ho-so/{dossier.code}/thao-tac/",
        {"action": "forward", "revision": dossier.revision - 1, "note": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "vừa được người khác xử lý" in stale.content.decode()
    assert DossierEvent.objects.filter(dossier=dossier, action="forward").count() == 1


def test_the_leader_sees_the_assign_action_with_the_specialists_to_choose(client, world):
    dossier = receive(world)
    client.force_login(world.desk)
    client.post(f"/can-bo/ho-so/{dossier.code}/thao-tac/", {"action": "forward", "revision": dossier.revision})
    client.force_login(world.office_leader)
    page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "Hoàn thành bước, chuyển bước sau" in page and world.specialist2.username in page


def test_another_wards_officer_gets_404_on_the_dossier_page(client, world):
    dossier = receive(world)
    client.force_login(world.lang_staff)
    assert client.get(f"/can-bo/ho-so/{dossier.code}/").status_code == 404
    assert (
        client.post(f"/can-bo/ho-so/{dossier.code}/thao-tac/", {"action": "forward", "revision": 1}).status_code == 404
    )


def test_staff_of_other_services_and_anonymous_users_cannot_open_dossier_pages(client, world):
    from chinhquyenso.core.services import staff_upsert

    inspector = staff_upsert(username="tt_kl", full_name="Thanh tra", role="inspector", scope=world.kim_lien)
    client.force_login(inspector)
    assert client.get("/can-bo/ho-so/").status_code == 404
    client.logout()
    assert client.get("/can-bo/ho-so/").status_code == 302


def test_inbox_lists_my_step_with_a_bounded_number_of_queries(client, world):
    for _ in range(5):
        receive(world)
    client.force_login(world.desk)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/can-bo/ho-so/")
    assert page.status_code == 200
    assert page.content.decode().count("/can-bo/ho-so/T.KL.UB-") >= 5
    assert len(queries) <= 12


def test_list_filters_and_exports(client, world):
    first = receive(world)
    receive(world)
    client.force_login(world.desk)
    client.post(f"/can-bo/ho-so/{first.code}/thao-tac/", {"action": "forward", "revision": first.revision})
    page = client.get("/can-bo/ho-so/danh-sach/?state=4").content.decode()
    assert first.code in page and page.count("/can-bo/ho-so/T.KL.UB-") == 1
    export = client.get("/can-bo/ho-so/danh-sach/?state=4&export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    csv = client.get("/can-bo/ho-so/danh-sach/?export=csv").content.decode("utf-8-sig")
    assert csv.count("T.KL.UB-") == 2


def test_register_page_lists_received_dossiers(client, world):
    dossier = receive(world)
    client.force_login(world.desk)
    page = client.get("/can-bo/ho-so/so-theo-doi/?from=2026-03-01&to=2026-03-31").content.decode()
    assert dossier.code in page and "Mẫu 07" in page


def test_a_result_ready_to_hand_over_is_in_the_desk_officers_inbox(client, world):
    from tests.procedures.conftest import at

    dossier = receive(world)
    from chinhquyenso.procedures.services import TransitionRequest, dossier_transition

    for actor, action in [
        (world.desk, "forward"),
        (world.office_leader, "complete_step"),
        (world.specialist, "complete_step"),
        (world.head, "complete_step"),
    ]:
        dossier_transition(
            code=dossier.code, actor=actor, request=TransitionRequest(action=action), at=at(2026, 3, 3, 9)
        )
    dossier.refresh_from_db()
    assert dossier.state == State.RESULT_READY
    client.force_login(world.desk)
    page = client.get("/can-bo/ho-so/").content.decode()
    assert dossier.code in page
    client.force_login(world.specialist)
    assert dossier.code not in client.get("/can-bo/ho-so/").content.decode()


def test_inbox_counts_every_dossier_even_beyond_the_lines_shown(world):
    from chinhquyenso.procedures.selectors import dossier_inbox

    for _ in range(5):
        receive(world)
    box = dossier_inbox(user=world.desk, limit=2)
    assert len(box.my_step) == 2 and box.my_step_count == 5


def test_a_refused_intake_leaves_no_scan_file_behind(client, world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chinhquyenso.core.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.desk)
    document = world.version.documents.first()
    data = intake_post(world, applicant_id_number="12ab")  # refused by the service: bad citizen ID
    data[f"file_{document.pk}"] = SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4\n%%EOF\n")
    response = client.post("/can-bo/ho-so/tiep-nhan/", data)
    assert "12 chữ số" in response.content.decode()
    assert Attachment.objects.count() == 0
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
