"""The denouncer's identity (Art. 9(1)(b) Law on Denunciations 2018): encrypted at rest, clear only to the
assigned inspectors, masked on every other page, list, export, API answer, admin page and log, and every
clear read in the audit log."""

import logging

import pytest
from django.db import connection

from chinhquyenso.complaints.errors import IdentityForbidden
from chinhquyenso.complaints.models import Case, CaseKind
from chinhquyenso.complaints.services import IDENTITY_READ, case_assign, case_identity_read
from chinhquyenso.core.models import AuditEntry, User
from chinhquyenso.core.services import api_token_issue
from tests.complaints.conftest import DENOUNCER, receive

pytestmark = pytest.mark.django_db
SECRETS = ("Trần Thị Bình", "Văn Chương", "0912345678")


def assert_no_identity(text: str):
    for secret in SECRETS:
        assert secret not in text


@pytest.fixture
def denunciation(cw):
    case = receive(cw)
    case_assign(code=case.code, actor=cw.head, assignee=cw.inspector)
    return Case.objects.get(pk=case.pk)


def test_the_identity_is_stored_encrypted_not_in_clear(cw, denunciation):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM complaints_case WHERE id = %s", [denunciation.pk])
        row = " ".join(str(value) for value in cursor.fetchone())
    assert_no_identity(row)
    assert denunciation.identity_token.startswith("gAAAA")  # a Fernet token
    assert denunciation.masked_name == "Người tố cáo (được giữ bí mật)"


def test_the_assigned_inspector_reads_the_identity_and_the_read_is_audited(cw, denunciation):
    before = AuditEntry.objects.filter(action=IDENTITY_READ).count()
    identity = case_identity_read(case=denunciation, actor=cw.inspector, ip_address="10.0.0.5")
    assert identity == DENOUNCER
    entry = AuditEntry.objects.filter(action=IDENTITY_READ).latest("id")
    assert AuditEntry.objects.filter(action=IDENTITY_READ).count() == before + 1
    assert (entry.actor, entry.object_id, entry.ip_address) == (cw.inspector, denunciation.code, "10.0.0.5")
    assert_no_identity(str(entry.data))
    case_identity_read(case=denunciation, actor=cw.inspector)
    assert AuditEntry.objects.filter(action=IDENTITY_READ).count() == before + 2


@pytest.mark.parametrize("who", ["inspector2", "head", "office_leader", "specialist", "lang_inspector"])
def test_anyone_but_the_assigned_inspector_is_refused_the_identity(cw, denunciation, who):
    with pytest.raises(IdentityForbidden):
        case_identity_read(case=denunciation, actor=getattr(cw, who))
    assert not AuditEntry.objects.filter(action=IDENTITY_READ, actor=getattr(cw, who)).exists()


def test_another_officer_sees_the_masked_case_page_and_no_reveal_button(client, cw, denunciation):
    client.force_login(cw.inspector2)
    page = client.get(f"/can-bo/khieu-nai/{denunciation.code}/").content.decode()
    assert "Người tố cáo (được giữ bí mật)" in page
    assert_no_identity(page)
    assert "nguoi-gui" not in page
    refused = client.post(f"/can-bo/khieu-nai/{denunciation.code}/nguoi-gui/")
    assert refused.status_code == 403
    assert_no_identity(refused.content.decode())


def test_an_unassigned_leader_gets_the_masked_version_everywhere(client, cw, denunciation):
    client.force_login(cw.head)
    for url in (
        f"/can-bo/khieu-nai/{denunciation.code}/",
        "/can-bo/khieu-nai/",
        "/can-bo/khieu-nai/danh-sach/",
        "/can-bo/khieu-nai/danh-sach/?format=csv",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_identity(response.content.decode("utf-8-sig"))
    assert client.post(f"/can-bo/khieu-nai/{denunciation.code}/nguoi-gui/").status_code == 403


def test_the_assigned_inspector_sees_the_identity_only_on_request_and_each_time_it_is_audited(client, cw, denunciation):
    client.force_login(cw.inspector)
    page = client.get(f"/can-bo/khieu-nai/{denunciation.code}/").content.decode()
    assert_no_identity(page)
    assert AuditEntry.objects.filter(action=IDENTITY_READ).count() == 0
    shown = client.post(f"/can-bo/khieu-nai/{denunciation.code}/nguoi-gui/")
    assert shown.status_code == 200 and "Trần Thị Bình" in shown.content.decode()
    assert shown["Cache-Control"] == "no-store"
    assert AuditEntry.objects.filter(action=IDENTITY_READ, actor=cw.inspector).count() == 1


def test_the_api_always_answers_with_the_masked_sender(client, cw, denunciation):
    for user in (cw.inspector, cw.head):
        token, _ = api_token_issue(user=user)
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        one = client.get(f"/api/v1/complaints/cases/{denunciation.code}", **auth)
        many = client.get("/api/v1/complaints/cases", **auth)
        assert one.status_code == 200 and many.status_code == 200
        assert one.json()["sender"] == "Người tố cáo (được giữ bí mật)"
        assert_no_identity(one.content.decode() + many.content.decode())
    assert AuditEntry.objects.filter(action=IDENTITY_READ).count() == 0


def test_the_admin_never_shows_the_identity_or_its_token(client, cw, denunciation):
    admin = User.objects.create_superuser("root", "root@example.com", "x")
    client.force_login(admin)
    for url in ("/quan-tri/complaints/case/", f"/quan-tri/complaints/case/{denunciation.pk}/change/"):
        page = client.get(url).content.decode()
        assert_no_identity(page)
        assert denunciation.identity_token not in page


def test_events_and_logs_never_carry_the_identity(cw, denunciation, caplog):
    from chinhquyenso.complaints.services import CaseAction, case_transition
    from tests.procedures.conftest import at

    with caplog.at_level(logging.DEBUG):
        case_transition(code=denunciation.code, actor=cw.inspector, request=CaseAction("accept"), at=at(2026, 2, 16))
    events = " ".join(f"{e.note} {e.data}" for e in denunciation.events.all())
    assert_no_identity(events + caplog.text)


def test_an_assigned_leader_still_cannot_read_a_denouncers_identity(cw, denunciation):
    from chinhquyenso.complaints.errors import CaseInvalid

    with pytest.raises(CaseInvalid):
        case_assign(code=denunciation.code, actor=cw.head, assignee=cw.office_leader)


def test_an_anonymous_denunciation_is_recorded_as_feedback(cw):
    from chinhquyenso.complaints.identity import Identity

    case = receive(cw, identity=Identity())
    assert case.kind == CaseKind.FEEDBACK and case.from_anonymous_denunciation and case.anonymous
    assert case.code.startswith("PA-")
    assert case.events.get().data["anonymous_denunciation"] is True


def test_production_refuses_a_missing_or_published_key(settings):
    from django.core.exceptions import ImproperlyConfigured

    from chinhquyenso.complaints.identity import DEV_FIELD_KEY, seal

    settings.DEBUG = False
    for key in ("", DEV_FIELD_KEY, "not-a-key"):
        settings.CQS_FIELD_KEY = key
        with pytest.raises(ImproperlyConfigured):
            seal({"name": "x"})


def test_a_rotated_key_still_opens_old_tokens(settings):
    from cryptography.fernet import Fernet

    from chinhquyenso.complaints.identity import seal, unseal

    old = Fernet.generate_key().decode()
    settings.CQS_FIELD_KEY = old
    token = seal({"name": "Trần Thị Bình"})
    settings.CQS_FIELD_KEY = f"{Fernet.generate_key().decode()},{old}"
    assert unseal(token) == {"name": "Trần Thị Bình"}


def test_a_notice_to_the_denouncer_is_an_audited_read_refused_to_the_unassigned(client, cw, denunciation):
    import io

    from pypdf import PdfReader

    from chinhquyenso.complaints.services import CaseAction, case_transition
    from tests.procedures.conftest import at

    case_transition(code=denunciation.code, actor=cw.inspector, request=CaseAction("accept"), at=at(2026, 2, 16))
    seq = denunciation.events.get(action="accept").seq
    url = f"/can-bo/khieu-nai/{denunciation.code}/thong-bao/{seq}.pdf"
    client.force_login(cw.head)
    assert client.get(url).status_code == 403
    client.force_login(cw.inspector)
    assert "thong-bao" in client.get(f"/can-bo/khieu-nai/{denunciation.code}/").content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Trần Thị Bình" in text and "THÔNG BÁO THỤ LÝ" in text.upper() and denunciation.code in text
    assert AuditEntry.objects.filter(action=IDENTITY_READ, actor=cw.inspector).count() == 1
    assert client.get(f"/can-bo/khieu-nai/{denunciation.code}/thong-bao/1.pdf").status_code == 404
