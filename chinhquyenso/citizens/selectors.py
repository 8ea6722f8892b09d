"""Reads of the citizen side: a citizen's own dossiers (404 for anyone else's), the public-safe timeline, and the
public verification of an electronic result."""

from __future__ import annotations

from dataclasses import dataclass

import segno
from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chinhquyenso.citizens.errors import ResultNotFound
from chinhquyenso.citizens.models import ElectronicResult, PaymentTransaction
from chinhquyenso.core.models import User
from chinhquyenso.procedures.errors import DossierNotFound
from chinhquyenso.procedures.models import Dossier, DossierDocument
from chinhquyenso.procedures.selectors import mask_name
from chinhquyenso.procedures.workflow import Action, State

# What the applicant is told of each step. Officers' names and internal notes stay inside; the reasons the
# applicant must act on (supplement, refusal, new date, stop) are theirs to read.
NOTES_FOR_APPLICANT = frozenset(
    {Action.REFUSE, Action.REQUEST_SUPPLEMENT, Action.RESCHEDULE, Action.STOP, Action.WITHDRAW, Action.REQUEST_PAYMENT}
)
EVENT_LABELS = {"submit": gettext_lazy("Nộp trực tuyến"), "intake": gettext_lazy("Tiếp nhận tại quầy")}


def citizen_dossier_list(*, citizen: User) -> QuerySet[Dossier]:
    return (
        Dossier.objects.filter(citizen_ownership__citizen=citizen)
        .select_related("version", "receiving_office", "electronic_result")
        .order_by("-submitted_at", "-id")
    )


def citizen_dossier_get(*, citizen: User, code: str) -> Dossier:
    """404 both for a missing dossier and for another citizen's."""
    dossier = (
        Dossier.objects.filter(code=code, citizen_ownership__citizen=citizen)
        .select_related("version__procedure", "receiving_office", "resolving_office", "current_step")
        .first()
    )
    if dossier is None:
        raise DossierNotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    return dossier


@dataclass
class TimelineEntry:
    at: object
    label: str
    state_label: str
    note: str


def citizen_dossier_timeline(*, dossier: Dossier) -> list[TimelineEntry]:
    entries = []
    for event in dossier.events.order_by("seq"):
        try:
            label = str(Action(event.action).label)
        except ValueError:
            label = str(EVENT_LABELS.get(event.action, event.action))
        note = event.note if event.action in NOTES_FOR_APPLICANT else ""
        entries.append(TimelineEntry(event.at, label, str(State(event.to_state).label), note))
    return entries


def citizen_dossier_documents(*, dossier: Dossier) -> list[DossierDocument]:
    return list(dossier.documents.select_related("attachment"))


def citizen_document_get(*, citizen: User, code: str, document_id: int) -> DossierDocument:
    """A citizen downloads only the files they uploaded themselves, of their own dossier."""
    dossier = citizen_dossier_get(citizen=citizen, code=code)
    document = (
        DossierDocument.objects.select_related("attachment")
        .filter(pk=document_id, dossier=dossier, attachment__uploaded_by=citizen)
        .first()
    )
    if document is None:
        raise DossierNotFound(_("Không tìm thấy giấy tờ."))
    return document


def dossier_payments(*, dossier: Dossier) -> list[PaymentTransaction]:
    return list(PaymentTransaction.objects.filter(dossier=dossier).order_by("-created_at"))


def dossier_needs_payment(*, dossier: Dossier) -> bool:
    return dossier.fee_total > 0 and not dossier.paid_online


def electronic_result_for(*, dossier: Dossier) -> ElectronicResult | None:
    return ElectronicResult.objects.select_related("attachment", "issuing_office").filter(dossier=dossier).first()


def result_verification_url(result_code: str) -> str:
    return settings.PUBLIC_BASE_URL + reverse("citizens:result-verify", args=[result_code])


def result_qr_data_uri(result_code: str) -> str:
    """The QR code printed with the e-result: it opens the public verification page."""
    return segno.make(result_verification_url(result_code), error="m").svg_data_uri(scale=4)


def result_public_view(*, result_code: str) -> dict:
    """What anyone holding the result code may check: that it is genuine, who issued it and when, for which
    dossier, to a masked holder. Never the file."""
    result = (
        ElectronicResult.objects.select_related("dossier__version", "issuing_office", "attachment")
        .filter(result_code=result_code)
        .first()
    )
    if result is None:
        raise ResultNotFound(_("Không có kết quả điện tử mã %(c)s.") % {"c": result_code})
    dossier = result.dossier
    return {
        "result_code": result.result_code,
        "genuine": True,
        "procedure": dossier.version.name,
        "result_name": dossier.version.result_name,
        "issuing_office": result.issuing_office.name,
        "issued_at": result.issued_at,
        "dossier_code": dossier.code,
        "holder": mask_name(dossier.applicant_name),
        "sha256": result.attachment.sha256,
    }
