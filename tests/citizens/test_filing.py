"""Online filing: the e-ID level the procedure needs, uploads judged by content with nothing stored on refusal,
the fee paid through the payment stand-in, the desk's acceptance, the return with an electronic result, its
public verification, and each citizen seeing only their own dossiers."""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings

from chinhquyenso.citizens import services
from chinhquyenso.citizens.adapters import PaymentOutcome, StandInPaymentGateway
from chinhquyenso.citizens.errors import AssuranceTooLow, FilingInvalid, PaymentRefused, ResultRefused
from chinhquyenso.citizens.models import DossierOwnership, ElectronicResult, PaymentTransaction
from chinhquyenso.core.models import Attachment
from chinhquyenso.procedures.models import Dossier
from chinhquyenso.procedures.services import TransitionRequest, dossier_transition
from tests.citizens.conftest import PNG, client_as_citizen, file_online, pdf, sign_in_by_code, vneid_citizen

pytestmark = pytest.mark.django_db


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def walk_to_result_ready(world, code):
    def act(actor, action):
        dossier_transition(code=code, actor=actor, request=TransitionRequest(action=action))

    act(world.desk, "accept")
    act(world.desk, "forward")
    act(world.office_leader, "complete_step")
    act(world.specialist, "complete_step")
    act(world.head, "complete_step")
    assert Dossier.objects.get(code=code).state == 9


def test_filing_online_creates_a_submitted_dossier_owned_by_the_citizen_with_the_uploads(world):
    citizen = sign_in_by_code()

    dossier = file_online(world, citizen)

    assert dossier.state == 1 and dossier.channel == 2
    assert dossier.receiving_office == world.desk_office and dossier.resolving_office == world.ubnd
    assert not dossier.vneid_verified
    assert DossierOwnership.objects.get(dossier=dossier).citizen == citizen
    document = dossier.documents.get(required_document__mandatory=True)
    assert document.digitised and document.attachment.uploaded_by == citizen
    assert document.attachment.content_type == "application/pdf"


def test_a_vneid_level_2_filing_is_marked_verified_with_vneid(world, level2_version):
    citizen = vneid_citizen(level=2)

    dossier = file_online(world, citizen, level=2, method="vneid", version=level2_version)

    assert dossier.vneid_verified
    assert DossierOwnership.objects.get(dossier=dossier).assurance_level == 2


def test_a_procedure_needing_level_2_refuses_a_level_1_sign_in(world, level2_version):
    with pytest.raises(AssuranceTooLow) as refused:
        file_online(world, sign_in_by_code(), level=1, version=level2_version)
    assert refused.value.status == 403 and "mức 2" in refused.value.message

    with pytest.raises(AssuranceTooLow):
        file_online(world, vneid_citizen(level=1), level=1, method="vneid", version=level2_version)
    assert not Dossier.objects.exists()


def test_the_filing_page_refuses_a_level_1_session_with_a_clear_message(client, world, level2_version):
    client_as_citizen(client, sign_in_by_code(), level=1)

    page = client.get(f"/nop-truc-tuyen/{level2_version.procedure.code}/")
    assert page.status_code == 403
    assert "yêu cầu tài khoản định danh điện tử mức 2" in page.content.decode()

    posted = client.post(
        f"/nop-truc-tuyen/{level2_version.procedure.code}/",
        {"receiving_office": world.desk_office.code, "applicant_name": "Nguyễn Văn An"},
    )
    assert posted.status_code == 403 and not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: pdf("to-khai.pdf", b"MZ\x90\x00 not a pdf at all"), "không phải PDF, JPEG hoặc PNG"),
        (lambda: pdf("to-khai.pdf", b""), "rỗng"),
        (lambda: pdf("to-khai.pdf", b"%PDF-" + b"0" * (2 * 1024 * 1024)), "quá lớn"),
    ],
)
def test_a_bad_upload_is_refused_naming_the_document_and_nothing_is_stored(world, settings, upload, message):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    citizen = sign_in_by_code()
    mandatory, optional = world.version.documents.order_by("-mandatory")
    # a good file first, so that a half-finished filing would have stored it
    uploads = {optional.pk: pdf("cccd.pdf"), mandatory.pk: upload()}

    with pytest.raises(FilingInvalid) as refused:
        file_online(world, citizen, uploads=uploads)

    assert message in refused.value.message and mandatory.name in refused.value.message
    assert f"file_{mandatory.pk}" in refused.value.fields
    assert not Dossier.objects.exists() and not Attachment.objects.exists() and not stored_files()


def test_a_missing_mandatory_document_is_refused(world):
    with pytest.raises(FilingInvalid, match="Thiếu giấy tờ bắt buộc: Tờ khai"):
        file_online(world, sign_in_by_code(), uploads={})
    assert not Dossier.objects.exists()


def test_a_failure_after_the_files_were_written_removes_them(world, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services.dossier_services, "dossier_submit_online", broken)
    with pytest.raises(RuntimeError):
        file_online(world, sign_in_by_code())
    assert not Attachment.objects.exists() and not stored_files()


def test_the_filing_page_files_the_dossier_and_shows_a_bad_upload_next_to_its_document(client, world):
    client_as_citizen(client, sign_in_by_code(), level=1)
    code = world.version.procedure.code
    mandatory = world.version.documents.get(mandatory=True)
    form = {"receiving_office": world.desk_office.code, "applicant_name": "Nguyễn Văn An", "content": "Xin cấp"}

    bad = client.post(f"/nop-truc-tuyen/{code}/", {**form, f"file_{mandatory.pk}": pdf("a.pdf", b"GIF89a...")})
    assert bad.status_code == 422
    assert 'aria-invalid="true"' in bad.content.decode() and "không phải PDF" in bad.content.decode()

    good = client.post(f"/nop-truc-tuyen/{code}/", {**form, f"file_{mandatory.pk}": pdf("a.png", PNG)})
    dossier = Dossier.objects.get()
    assert good.status_code == 302 and good["Location"] == f"/ho-so-cua-toi/{dossier.code}/"
    assert dossier.documents.get(required_document=mandatory).attachment.content_type == "image/png"


def test_the_public_procedure_page_links_to_online_filing(client, world):
    page = client.get(f"/thu-tuc/{world.version.procedure.code}/").content.decode()
    assert f'href="/nop-truc-tuyen/{world.version.procedure.code}/"' in page


def _pay(citizen, code, *, approve=True):
    row, url = services.payment_start(citizen=citizen, code=code, return_url="http://testserver/thanh-toan/ket-qua/")
    assert url.startswith(f"/thanh-toan-mo-phong/{row.reference}/")
    outcome = PaymentOutcome(reference=row.reference, succeeded=approve, amount=row.amount, gateway_reference="G1")
    return services.payment_complete(outcome=outcome)


def test_paying_the_fee_records_the_transaction_and_the_online_payment_flag(world):
    citizen = sign_in_by_code()
    dossier = file_online(world, citizen)
    assert dossier.fee_total == 8000

    row = _pay(citizen, dossier.code)

    assert row.status == "succeeded" and row.amount == 8000 and row.completed_at
    assert Dossier.objects.get(pk=dossier.pk).paid_online == 2
    again = services.payment_complete(
        outcome=PaymentOutcome(reference=row.reference, succeeded=False, amount=8000, gateway_reference="G2")
    )
    assert again.status == "succeeded"  # a repeated callback changes nothing
    with pytest.raises(PaymentRefused):
        services.payment_start(citizen=citizen, code=dossier.code, return_url="/")


def test_a_declined_payment_leaves_the_dossier_unpaid_and_can_be_retried(world):
    citizen = sign_in_by_code()
    dossier = file_online(world, citizen)

    assert _pay(citizen, dossier.code, approve=False).status == "failed"
    assert Dossier.objects.get(pk=dossier.pk).paid_online == 0
    assert _pay(citizen, dossier.code).status == "succeeded"
    assert PaymentTransaction.objects.filter(dossier=dossier).count() == 2


def test_a_payment_whose_amount_does_not_match_fails(world):
    citizen = sign_in_by_code()
    dossier = file_online(world, citizen)
    row, _url = services.payment_start(citizen=citizen, code=dossier.code, return_url="/")

    done = services.payment_complete(outcome=PaymentOutcome(reference=row.reference, succeeded=True, amount=1))
    assert done.status == "failed" and Dossier.objects.get(pk=dossier.pk).paid_online == 0


def test_paying_through_the_stand_in_pages(client, world):
    citizen = sign_in_by_code()
    dossier = file_online(world, citizen)
    client_as_citizen(client, citizen, level=1)

    start = client.post(f"/ho-so-cua-toi/{dossier.code}/thanh-toan/")
    assert start.status_code == 302 and start["Location"].startswith("/thanh-toan-mo-phong/")
    gateway_page = client.get(start["Location"])
    assert "8.000" in gateway_page.content.decode()
    query = {k: v[0] for k, v in parse_qs(urlsplit(start["Location"]).query).items()}
    back = client.post(start["Location"].split("?")[0], {**query, "decision": "approve"})
    done = client.get(back["Location"])

    assert done.status_code == 302 and done["Location"] == f"/ho-so-cua-toi/{dossier.code}/"
    assert Dossier.objects.get(pk=dossier.pk).paid_online == 2
    assert "đã thanh toán trực tuyến" in client.get(done["Location"]).content.decode()


def test_a_forged_payment_callback_is_refused(client, world):
    citizen = sign_in_by_code()
    dossier = file_online(world, citizen)
    row, _url = services.payment_start(citizen=citizen, code=dossier.code, return_url="/")
    forged = StandInPaymentGateway().sign_outcome(PaymentOutcome(row.reference, True, row.amount)) + "x"

    client.get("/thanh-toan/ket-qua/", {"outcome": forged})
    assert Dossier.objects.get(pk=dossier.pk).paid_online == 0


def test_the_desk_accepts_then_returns_with_an_electronic_result_that_the_public_can_verify(client, world):
    citizen = sign_in_by_code()
    dossier = file_online(world, citizen)
    walk_to_result_ready(world, dossier.code)
    client.force_login(world.desk)

    staff_page = client.get(f"/can-bo/ket-qua-dien-tu/{dossier.code}/")
    assert staff_page.status_code == 200
    returned = client.post(
        f"/can-bo/ket-qua-dien-tu/{dossier.code}/", {"file": pdf("ket-qua.pdf"), "result_code": "GXN-2026-0001"}
    )

    assert returned.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == 10 and dossier.result_code == "GXN-2026-0001"
    assert dossier.events.order_by("-seq").first().action == "return_result"
    result = ElectronicResult.objects.get(dossier=dossier)
    assert result.issuing_office == world.ubnd and result.issued_by == world.desk

    client.logout()
    verify = client.get("/ket-qua/GXN-2026-0001/")
    page = verify.content.decode()
    assert verify.status_code == 200 and "là kết quả thật" in page
    assert dossier.code in page and "Nguyễn V*** A" in page and "Nguyễn Văn An" not in page
    assert "/ket-qua/" in page and "ho-so-cua-toi" not in page
    assert client.get(f"/ho-so-cua-toi/{dossier.code}/ket-qua/").status_code == 404
    assert client.get("/ket-qua/KHONG-CO-MA/").status_code == 404

    client_as_citizen(client, citizen, level=1)
    mine = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "GXN-2026-0001" in mine and "data:image/svg+xml" in mine and "Đã trả kết quả" in mine
    download = client.get(f"/ho-so-cua-toi/{dossier.code}/ket-qua/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_an_electronic_result_is_refused_before_the_result_is_ready_and_nothing_is_stored(world):
    dossier = file_online(world, sign_in_by_code())
    dossier_transition(code=dossier.code, actor=world.desk, request=TransitionRequest(action="accept"))
    files_before = stored_files()

    with pytest.raises(ResultRefused):
        services.electronic_result_issue(code=dossier.code, actor=world.desk, upload=pdf("kq.pdf"))
    assert not ElectronicResult.objects.exists() and stored_files() == files_before


def test_an_electronic_result_must_be_a_pdf_jpeg_or_png_and_a_used_result_code_is_refused(world):
    first = file_online(world, sign_in_by_code())
    second = file_online(world, sign_in_by_code("0987654321"))
    walk_to_result_ready(world, first.code)
    walk_to_result_ready(world, second.code)

    from chinhquyenso.core.errors import InvalidInput

    files_before = stored_files()
    with pytest.raises(InvalidInput):
        services.electronic_result_issue(code=first.code, actor=world.desk, upload=pdf("kq.pdf", b"plain text"))
    assert Dossier.objects.get(pk=first.pk).state == 9 and stored_files() == files_before
    services.electronic_result_issue(code=first.code, actor=world.desk, upload=pdf(), result_code="KQ-0001")
    with pytest.raises(ResultRefused) as taken:
        services.electronic_result_issue(code=second.code, actor=world.desk, upload=pdf(), result_code="KQ-0001")
    assert "result_code" in taken.value.fields and Dossier.objects.get(pk=second.pk).state == 9


def test_another_ward_s_desk_gets_404_and_a_specialist_403_on_the_electronic_result(client, world):
    dossier = file_online(world, sign_in_by_code())
    walk_to_result_ready(world, dossier.code)

    client.force_login(world.lang_staff)
    assert client.get(f"/can-bo/ket-qua-dien-tu/{dossier.code}/").status_code == 404
    client.force_login(world.specialist)
    response = client.post(f"/can-bo/ket-qua-dien-tu/{dossier.code}/", {"file": pdf()})
    assert response.status_code == 403 and Dossier.objects.get(pk=dossier.pk).state == 9


def test_a_citizen_cannot_see_another_citizen_s_dossier_documents_or_result(client, world):
    owner = sign_in_by_code()
    dossier = file_online(world, owner)
    document = dossier.documents.exclude(attachment=None).first()
    client_as_citizen(client, owner, level=1)
    assert client.get(f"/ho-so-cua-toi/{dossier.code}/giay-to/{document.pk}/").status_code == 200

    client_as_citizen(client, sign_in_by_code("0987654321"), level=1)
    assert client.get(f"/ho-so-cua-toi/{dossier.code}/").status_code == 404
    assert client.get(f"/ho-so-cua-toi/{dossier.code}/giay-to/{document.pk}/").status_code == 404
    assert client.get(f"/ho-so-cua-toi/{dossier.code}/ket-qua/").status_code == 404
    assert client.post(f"/ho-so-cua-toi/{dossier.code}/thanh-toan/").status_code == 404
    assert dossier.code not in client.get("/ho-so-cua-toi/").content.decode()


def test_my_dossier_page_shows_the_timeline_without_officers_names(client, world):
    citizen = sign_in_by_code()
    dossier = file_online(world, citizen)
    dossier_transition(
        code=dossier.code, actor=world.desk, request=TransitionRequest(action="request_supplement", note="Thiếu ảnh")
    )
    client_as_citizen(client, citizen, level=1)

    page = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "Nộp trực tuyến" in page and "Yêu cầu bổ sung" in page and "Thiếu ảnh" in page
    assert world.desk.display_name not in page


def test_a_staff_session_is_sent_to_the_citizen_sign_in(client, world):
    client.force_login(world.desk)
    response = client.get("/ho-so-cua-toi/")
    assert response.status_code == 302 and response["Location"] == "/dang-nhap-cong-dan/"


def test_my_dossiers_list_takes_the_same_queries_for_one_or_many_dossiers(client, world, django_assert_num_queries):
    citizen = sign_in_by_code()
    client_as_citizen(client, citizen, level=1)
    file_online(world, citizen)
    with django_assert_num_queries(3) as one:  # session, user, the list
        client.get("/ho-so-cua-toi/")
    for _ in range(3):
        file_online(world, citizen)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get("/ho-so-cua-toi/")
    assert page.content.decode().count('class="code"') == 4
