"""A small world for dossier tests: two new wards of Hà Nội with their desks and staff, the real calendar,
and one published 3-working-day procedure (receive ½ → assign ½ → review 1 → sign ½ → return ½)."""

import datetime as dt
from decimal import Decimal

import pytest

from chinhquyenso.core.calendar import VIETNAM
from chinhquyenso.core.models import AdminUnitLevel, OfficeKind, Role
from chinhquyenso.core.services import (
    admin_unit_upsert,
    calendar_seed_from_package,
    office_upsert,
    staff_upsert,
)
from chinhquyenso.procedures import catalog
from chinhquyenso.procedures.services import Applicant, ReceivedDocument, dossier_intake


def at(year, month, day, hour=9, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=VIETNAM)


@pytest.fixture
def world(db):
    calendar_seed_from_package(years=range(2024, 2028))
    city = admin_unit_upsert(
        code="01",
        name="Hà Nội",
        kind_name="thành phố",
        level=AdminUnitLevel.PROVINCE,
        parent=None,
        valid_from=None,
        valid_to=None,
    )
    kim_lien = admin_unit_upsert(
        code="T-KL",
        name="Kim Liên",
        kind_name="phường",
        level=AdminUnitLevel.COMMUNE,
        parent=city,
        valid_from=dt.date(2025, 7, 1),
        valid_to=None,
    )
    lang = admin_unit_upsert(
        code="T-LANG",
        name="Láng",
        kind_name="phường",
        level=AdminUnitLevel.COMMUNE,
        parent=city,
        valid_from=dt.date(2025, 7, 1),
        valid_to=None,
    )
    w = type("World", (), {})()
    w.city, w.kim_lien, w.lang = city, kim_lien, lang
    w.desk_office = office_upsert(
        code="T.KL.MC", name="Bộ phận Một cửa phường Kim Liên", kind=OfficeKind.ONE_STOP, admin_unit=kim_lien
    )
    w.ubnd = office_upsert(code="T.KL.UB", name="UBND phường Kim Liên", kind=OfficeKind.LEADERSHIP, admin_unit=kim_lien)
    w.lang_desk = office_upsert(
        code="T.LG.MC", name="Bộ phận Một cửa phường Láng", kind=OfficeKind.ONE_STOP, admin_unit=lang
    )
    w.lang_ubnd = office_upsert(code="T.LG.UB", name="UBND phường Láng", kind=OfficeKind.LEADERSHIP, admin_unit=lang)

    def staff(username, role, scope, office):
        return staff_upsert(username=username, full_name=f"Cán bộ {username}", role=role, scope=scope, office=office)

    w.desk = staff("desk_kl", Role.DESK_OFFICER, kim_lien, w.desk_office)
    w.specialist = staff("cv_kl", Role.SPECIALIST, kim_lien, w.ubnd)
    w.specialist2 = staff("cv2_kl", Role.SPECIALIST, kim_lien, w.ubnd)
    w.office_leader = staff("tp_kl", Role.OFFICE_LEADER, kim_lien, w.ubnd)
    w.head = staff("ct_kl", Role.UNIT_LEADER, kim_lien, w.ubnd)
    w.lang_staff = staff("desk_lang", Role.DESK_OFFICER, lang, w.lang_desk)
    w.version = publish_procedure(code="9.000001", limit=Decimal(3), unit="working_days")
    w.same_day = publish_procedure(code="9.000002", limit=Decimal(0), unit="same_day")
    return w


def publish_procedure(*, code, limit, unit):
    if unit == "same_day":
        steps = [
            catalog.StepSpec("Tiếp nhận", Role.DESK_OFFICER, Decimal(2), "working_hours", "receive"),
            catalog.StepSpec("Chứng thực", Role.SPECIALIST, Decimal(4), "working_hours"),
            catalog.StepSpec("Trả kết quả", Role.DESK_OFFICER, Decimal(2), "working_hours", "return"),
        ]
    else:
        steps = [
            catalog.StepSpec("Tiếp nhận, số hóa", Role.DESK_OFFICER, Decimal(1), "half_days", "receive"),
            catalog.StepSpec("Phân công", Role.OFFICE_LEADER, Decimal(1), "half_days"),
            catalog.StepSpec("Thẩm định", Role.SPECIALIST, Decimal(1), "working_days"),
            catalog.StepSpec("Ký duyệt", Role.UNIT_LEADER, Decimal(1), "half_days"),
            catalog.StepSpec("Trả kết quả", Role.DESK_OFFICER, Decimal(1), "half_days", "return"),
        ]
    spec = catalog.ProcedureSpec(
        code=code,
        name=f"Thủ tục thử {code}",
        field="Hộ tịch",
        level=AdminUnitLevel.COMMUNE,
        time_limit=limit,
        time_limit_unit=unit,
        online_level="partial",
        documents=[
            catalog.DocumentSpec("Tờ khai", "original", 1, True),
            catalog.DocumentSpec("Giấy tờ tùy thân", "shown", 1, False),
        ],
        steps=steps,
        fees=[catalog.FeeSpec("Lệ phí", 8000)],
        competences=[],
    )
    catalog.procedure_save_draft(spec=spec, actor=None)
    return catalog.procedure_publish(code=code, actor=None)


def all_documents(version):
    return [ReceivedDocument(required_document_id=d.pk, digitised=True) for d in version.documents.all()]


def receive(world, *, when=None, version=None, outcome="receive", note=""):
    version = version or world.version
    return dossier_intake(
        actor=world.desk,
        version=version,
        receiving_office=world.desk_office,
        resolving_office=world.ubnd,
        applicant=Applicant(
            name="Nguyễn Văn An",
            id_number="001090012345",
            birth_date=dt.date(1990, 5, 1),
            female=False,
            phone="0912345678",
            address="Số 1 ngõ 2 Kim Liên",
            unit=world.kim_lien,
        ),
        documents=all_documents(version),
        outcome=outcome,
        note=note,
        at=when or at(2026, 3, 2, 9),
    ).dossier
