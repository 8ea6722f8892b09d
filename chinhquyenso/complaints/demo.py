"""Demo cases for the Đống Đa demo (after `manage.py seed_demo`): reception days, visits and cases of every kind
in phường Kim Liên, in several states, some overdue, the denunciations assigned to the demo inspector."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from chinhquyenso.complaints import services
from chinhquyenso.complaints.identity import Identity
from chinhquyenso.complaints.models import Case, CaseChannel, CaseKind, HostKind, ReportCategory
from chinhquyenso.core.models import User

INSPECTOR, LEADER = "thanhtra", "lanhdao_kimlien"

# kind, days ago, subject, sender, actions as (action, actor, days after receipt, note)
CASES = (
    (
        CaseKind.COMPLAINT,
        40,
        "Khiếu nại quyết định xử phạt vi phạm trật tự xây dựng",
        ("Nguyễn Văn Hải", "Số 8 ngõ 4B Đặng Văn Ngữ", "0904000111"),
        (("accept", INSPECTOR, 3, ""), ("decide", LEADER, 30, "Quyết định 15/QĐ-UBND giữ nguyên quyết định xử phạt")),
    ),
    (
        CaseKind.COMPLAINT,
        20,
        "Khiếu nại việc không cấp giấy phép sửa chữa nhà",
        ("Phạm Thị Hoa", "Số 21 Phạm Ngọc Thạch", "0913222333"),
        (("accept", INSPECTOR, 5, ""),),
    ),
    (
        CaseKind.COMPLAINT,
        3,
        "Khiếu nại mức hỗ trợ giải phóng mặt bằng",
        ("Đỗ Minh Quân", "Tập thể Kim Liên B7", "0988777666"),
        (),
    ),
    (
        CaseKind.DENUNCIATION,
        45,
        "Tố cáo cán bộ địa chính nhận tiền khi xác nhận hồ sơ",
        ("Trần Thị Bình", "Ngõ 46 Phạm Ngọc Thạch", "0912345678"),
        (("accept", INSPECTOR, 6, ""), ("extend", LEADER, 34, "Quyết định gia hạn 02/QĐ-UBND")),
    ),
    (
        CaseKind.DENUNCIATION,
        12,
        "Tố cáo việc xây dựng sai phép được làm ngơ",
        ("Lê Quang Vinh", "Số 3 ngõ Xã Đàn 2", "0977000222"),
        (),
    ),
    (CaseKind.DENUNCIATION, 5, "Tố cáo thu phí trông xe trái quy định", ("", "", ""), ()),
    (
        CaseKind.PETITION,
        25,
        "Kiến nghị lắp đèn chiếu sáng ngõ 7 Lương Định Của",
        ("Vũ Thị Lan", "Ngõ 7 Lương Định Của", ""),
        (("accept", INSPECTOR, 1, ""), ("resolve", INSPECTOR, 12, "Đã đề nghị Công ty Chiếu sáng lắp 3 cột đèn")),
    ),
    (
        CaseKind.PETITION,
        8,
        "Kiến nghị sửa thủ tục đăng ký tạm trú trực tuyến",
        ("Hoàng Anh Tuấn", "", "tuan@example.vn"),
        (),
    ),
    (
        CaseKind.FEEDBACK,
        30,
        "Rác tồn đọng đầu ngõ 5 Kim Liên",
        ("", "", ""),
        (("accept", INSPECTOR, 1, ""), ("resolve", INSPECTOR, 4, "Đã thu gom"), ("publish", INSPECTOR, 5, "")),
    ),
    (CaseKind.FEEDBACK, 2, "Nắp cống vỡ trước số 10 Đào Duy Anh", ("Ngô Văn Tùng", "", "0933111222"), ()),
)


@transaction.atomic
def complaints_demo_seed() -> int:
    """Create the demo cases once; returns how many were created (0 when the demo inspector is missing or the
    ward already has cases)."""
    inspector = User.objects.filter(username=INSPECTOR).select_related("scope").first()
    leader = User.objects.filter(username=LEADER).first()
    if inspector is None or leader is None or inspector.scope is None:
        return 0
    unit = inspector.scope
    if Case.objects.filter(unit=unit).exists():
        return 0
    actors = {INSPECTOR: inspector, LEADER: leader}
    now = timezone.now()
    category = ReportCategory.objects.filter(code="ve-sinh-moi-truong").first()
    created = 0
    for kind, days_ago, subject, (name, address, contact), actions in CASES:
        received = now - dt.timedelta(days=days_ago)
        case = services.case_receive(
            kind=kind,
            unit=unit,
            channel=CaseChannel.ONLINE if kind == CaseKind.FEEDBACK else CaseChannel.IN_PERSON,
            subject=subject,
            content=subject + ". Nội dung chi tiết theo đơn.",
            identity=Identity(name=name, address=address, contact=contact),
            actor=inspector,
            received_at=received,
            decision_known_on=(received - dt.timedelta(days=20)).date() if kind == CaseKind.COMPLAINT else None,
            category=category if kind == CaseKind.FEEDBACK else None,
            location=services.Location(address_string="Phường Kim Liên") if kind == CaseKind.FEEDBACK else None,
        )
        if case.kind == CaseKind.DENUNCIATION:
            services.case_assign(code=case.code, actor=leader, assignee=inspector, at=received)
        for action, actor, after, note in actions:
            services.case_transition(
                code=case.code,
                actor=actors[actor],
                request=services.CaseAction(action, note),
                at=received + dt.timedelta(days=after),
            )
        created += 1
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    # the chairman every Thursday, except the week after next (the page warns of it)
    for week in (-2, -1, 0, 1, 3, 4):
        services.reception_session_plan(
            unit=unit,
            on=monday + dt.timedelta(weeks=week, days=3),
            host_kind=HostKind.CHAIRMAN,
            host_name=leader.display_name,
            actor=inspector,
            place="Trụ sở UBND phường",
        )
    services.reception_session_plan(
        unit=unit,
        on=monday + dt.timedelta(days=1),
        host_kind=HostKind.OFFICE_HEAD,
        host_name="Trưởng phòng Kinh tế",
        actor=inspector,
    )
    services.visit_record(
        unit=unit,
        channel=CaseChannel.IN_PERSON,
        classification=CaseKind.PETITION,
        content="Đoàn 6 hộ dân ngõ 4 Đặng Văn Ngữ kiến nghị về ngập úng",
        identity=Identity(name="Lê Văn Hùng", address="Ngõ 4 Đặng Văn Ngữ"),
        actor=inspector,
        at=now - dt.timedelta(days=15),
        group_size=6,
        representatives=["Lê Văn Hùng", "Đỗ Thị Mai"],
    )
    services.visit_record(
        unit=unit,
        channel=CaseChannel.ONLINE,
        classification=CaseKind.COMPLAINT,
        content="Hỏi về thời hạn giải quyết khiếu nại đã gửi",
        identity=Identity(name="Phạm Thị Hoa"),
        actor=inspector,
        at=now - dt.timedelta(days=2),
    )
    return created
