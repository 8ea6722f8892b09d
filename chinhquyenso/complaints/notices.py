"""Notices to the sender of a case as PDF (acceptance, refusal, transfer, extension, decision), addressed by name:
so a notice is a read of the sender's identity, allowed and audited like any other (services.case_identity_read).

A Vietnamese legal document whatever the interface language, rendered from the case's own events on request.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from chinhquyenso.complaints import services
from chinhquyenso.complaints.errors import CaseNotFound
from chinhquyenso.complaints.models import Case, CaseKind

NOTICE_ACTIONS = {
    "accept": "Thông báo thụ lý",
    "refuse": "Thông báo không thụ lý",
    "transfer": "Thông báo chuyển đơn",
    "extend": "Thông báo gia hạn giải quyết tố cáo",
    "decide": "Thông báo kết quả giải quyết khiếu nại",
    "conclude": "Thông báo kết luận nội dung tố cáo",
    "resolve": "Thông báo kết quả xử lý",
}
BASIS = {
    CaseKind.COMPLAINT: "Luật Khiếu nại 2011",
    CaseKind.DENUNCIATION: "Luật Tố cáo 2018",
    CaseKind.PETITION: "Nghị định 20/2008/NĐ-CP",
    CaseKind.FEEDBACK: "Nghị định 20/2008/NĐ-CP",
}


def case_notice_pdf(*, case: Case, seq: int, actor, ip_address: str | None = None) -> bytes:
    """The notice of one event of the case; refused (403) to whoever may not read the sender's identity."""
    from weasyprint import HTML  # heavy import, only where a PDF is made

    event = case.events.filter(seq=seq, action__in=NOTICE_ACTIONS).first()
    if event is None:
        raise CaseNotFound("Không có thông báo cho bước này.")
    identity = services.case_identity_read(case=case, actor=actor, ip_address=ip_address, purpose=f"notice {seq}")
    with translation.override("vi"):
        html = render_to_string(
            "complaints/pdf/notice.html",
            {
                "case": case,
                "event": event,
                "identity": identity,
                "title": NOTICE_ACTIONS[event.action],
                "basis": BASIS[case.kind],
                "kind_label": case.get_kind_display(),
                "unit_header": f"UBND {case.unit.kind_name} {case.unit.name}".upper(),
                "unit_name": f"UBND {case.unit.kind_name} {case.unit.name}",
                "tracking_url": settings.PUBLIC_BASE_URL
                + reverse("complaints:report-status", kwargs={"code": case.code}),
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
