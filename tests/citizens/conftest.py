"""The dossier tests' small world (two wards, desks, staff, a 3-working-day procedure requiring e-ID level 1),
plus a level-2 procedure, citizens signed in by code or through the VNeID stand-in, and small upload files."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chinhquyenso.citizens import services
from chinhquyenso.citizens.adapters import STAND_IN_IDENTITIES
from chinhquyenso.citizens.models import StandInMessage
from chinhquyenso.core.models import Role
from chinhquyenso.procedures import catalog
from tests.procedures.conftest import world  # noqa: F401 (a fixture, used by name)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _stand_ins(settings, tmp_path):
    settings.CITIZEN_STAND_INS = True
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name="to-khai.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def last_code(recipient: str) -> str:
    """The code in the last message queued for this recipient (the notifications outbox, or the stand-in's)."""
    from chinhquyenso.notifications.models import Notification

    queued = Notification.objects.filter(recipient=recipient).order_by("-id").first()
    stand_in = StandInMessage.objects.filter(recipient=recipient).order_by("-id").first()
    body = queued.body if queued else stand_in.body
    return next(word for word in body.replace(",", " ").split() if word.isdigit() and len(word) == 6)


def sign_in_by_code(address="0912345678"):
    services.otp_request(address=address, client="10.0.0.1")
    recipient, _channel = services.recipient_normalize(address)
    return services.otp_verify(address=address, code=last_code(recipient), client="10.0.0.1")


def vneid_citizen(index=0, level=2):
    claims = STAND_IN_IDENTITIES[index]
    return services.citizen_sign_in_identity(claims=type(claims)(**{**claims.__dict__, "assurance_level": level}))


def client_as_citizen(client, user, *, level, method="otp"):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["citizen.assurance_level"] = level
    session["citizen.method"] = method
    session.save()
    return client


@pytest.fixture
def level2_version(request):
    request.getfixturevalue("world")  # its catalog field and offices
    spec = catalog.ProcedureSpec(
        code="9.000020",
        name="Thủ tục thử cần định danh mức 2",
        field="Hộ tịch",
        level="commune",
        time_limit=Decimal(3),
        time_limit_unit="working_days",
        online_level="full",
        required_assurance_level=2,
        documents=[catalog.DocumentSpec("Tờ khai", "original", 1, True)],
        steps=[
            catalog.StepSpec("Tiếp nhận", Role.DESK_OFFICER, Decimal(1), "half_days", "receive"),
            catalog.StepSpec("Thẩm định", Role.SPECIALIST, Decimal(2), "working_days"),
            catalog.StepSpec("Ký", Role.UNIT_LEADER, Decimal(1), "half_days"),
            catalog.StepSpec("Trả kết quả", Role.DESK_OFFICER, Decimal(0), "half_days", "return"),
        ],
        fees=[catalog.FeeSpec("Lệ phí", 15000)],
        competences=[],
    )
    catalog.procedure_save_draft(spec=spec, actor=None)
    return catalog.procedure_publish(code=spec.code, actor=None)


def file_online(small_world, citizen, *, level=1, method="otp", version=None, uploads=None, office=None):
    from chinhquyenso.procedures.services import Applicant

    version = version or small_world.version
    if uploads is None:
        uploads = {doc.pk: pdf() for doc in version.documents.filter(mandatory=True)}
    return services.online_dossier_file(
        citizen=citizen,
        assurance_level=level,
        method=method,
        procedure_code=version.procedure.code,
        receiving_office_code=(office or small_world.desk_office).code,
        applicant=Applicant(name="Nguyễn Văn An", id_number="001090012345", birth_date=dt.date(1990, 5, 17)),
        content="Xin cấp giấy",
        uploads=uploads,
    )
