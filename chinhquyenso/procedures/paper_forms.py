"""The one-stop forms of TT 03/2025/TT-VPCP (Phụ lục I) as PDF: Mẫu 01 receipt and appointment slip,
the supplement-request slip, the refusal slip, the apology and new-date letter, Mẫu 06 control sheet.

Forms are legal documents in Vietnamese whatever the interface language. They are rendered from the
dossier's own data and events on request, so a reprint is identical to the first print.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from chinhquyenso.procedures.models import Dossier

FORMS = {
    "receipt": ("procedures/pdf/receipt.html", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "supplement": ("procedures/pdf/supplement.html", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "refusal": ("procedures/pdf/refusal.html", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    "apology": ("procedures/pdf/apology.html", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "control-sheet": ("procedures/pdf/control_sheet.html", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
}


def tracking_url(dossier: Dossier) -> str:
    return settings.PUBLIC_BASE_URL + reverse("portal:tracking", kwargs={"code": dossier.code})


def _context(dossier: Dossier, title: str) -> dict:
    events = list(dossier.events.select_related("from_step", "to_step").order_by("seq"))
    version = dossier.version
    return {
        "dossier": dossier,
        "version": version,
        "title": title,
        "documents": list(dossier.documents.select_related("required_document")),
        "required_documents": list(version.documents.all()),
        "fees": list(version.fees.all()),
        "events": events,
        "last_event": events[-1] if events else None,
        "supplement_event": next(
            (e for e in reversed(events) if e.action in ("request_supplement", "intake") and e.to_state == 5), None
        ),
        "apology_event": next((e for e in reversed(events) if e.action == "reschedule"), None),
        "refusal_event": next((e for e in reversed(events) if e.to_state == 3), None),
        "qr": segno.make(tracking_url(dossier), error="m").svg_data_uri(scale=3),
        "tracking_url": tracking_url(dossier),
        "unit_header": dossier.receiving_unit.full_name.upper(),
        "resolving_header": dossier.resolving_office.name.upper(),
    }


def paper_form_pdf(*, dossier: Dossier, form: str) -> bytes:
    """The PDF of one form of the dossier."""
    from weasyprint import HTML  # heavy import, only where a PDF is made

    template, title = FORMS[form]
    with translation.override("vi"):
        html = render_to_string(template, _context(dossier, title))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
