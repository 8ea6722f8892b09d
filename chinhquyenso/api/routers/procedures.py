"""The one-stop API: the procedure catalog, dossiers and their actions, forms as PDF, public tracking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile

from chinhquyenso.api.auth import StaffBearer
from chinhquyenso.api.schemas import ErrorOut
from chinhquyenso.core.audit import client_address
from chinhquyenso.core.errors import InvalidInput, NotFound, PermissionDenied
from chinhquyenso.core.models import Office, User
from chinhquyenso.core.permissions import is_administrator
from chinhquyenso.core.ratelimit import rate_limit_hit
from chinhquyenso.procedures import catalog, selectors, services
from chinhquyenso.procedures.paper_forms import FORMS, paper_form_pdf

router = Router(tags=["procedures"], auth=StaffBearer())
public_router = Router(tags=["public"])


# --- Catalog ------------------------------------------------------------------------------------
class DocumentOut(Schema):
    id: int
    name: str
    form: str
    sets: int
    mandatory: bool


class StepOut(Schema):
    order: int
    name: str
    kind: str
    role: str
    office_name: str
    quota: Decimal
    quota_unit: str


class FeeOut(Schema):
    description: str
    amount: int


class ProcedureSummaryOut(Schema):
    code: str
    name: str
    field: str
    level: str
    time_limit: Decimal
    time_limit_unit: str
    online_level: str
    version: int


class ProcedureOut(ProcedureSummaryOut):
    status: str
    same_day_cutoff: dt.time | None
    required_assurance_level: int
    result_name: str
    applicant_kind: str
    method: str
    conditions: str
    legal_bases: str
    valid_from: dt.date | None
    documents: list[DocumentOut]
    steps: list[StepOut]
    fees: list[FeeOut]


def _summary(version) -> dict:
    return {
        "code": version.procedure.code,
        "name": version.name,
        "field": version.procedure.field.name,
        "level": version.level,
        "time_limit": version.time_limit,
        "time_limit_unit": version.time_limit_unit,
        "online_level": version.online_level,
        "version": version.number,
    }


def _detail(version) -> dict:
    return {
        **_summary(version),
        "status": version.status,
        "same_day_cutoff": version.same_day_cutoff,
        "required_assurance_level": version.required_assurance_level,
        "result_name": version.result_name,
        "applicant_kind": version.applicant_kind,
        "method": version.method,
        "conditions": version.conditions,
        "legal_bases": version.legal_bases,
        "valid_from": version.valid_from,
        "documents": list(version.documents.all()),
        "steps": list(version.steps.all()),
        "fees": list(version.fees.all()),
    }


class ProcedureQuery(Schema):
    q: str = Field("", max_length=200, description="Tìm theo tên, mã, lĩnh vực; không cần dấu")
    field: str = Field("", max_length=40)
    level: Literal["", "province", "district", "commune"] = ""


@router.get("/procedures", response={200: list[ProcedureSummaryOut], 401: ErrorOut, 422: ErrorOut})
def procedure_list(request, query: Query[ProcedureQuery]):
    procedures = selectors.procedure_search(query=query.q, field_code=query.field, level=query.level)
    result = []
    for procedure in procedures[:500]:
        version = selectors.procedure_current_version(procedure=procedure)
        if version is not None:
            result.append(_summary(version))
    return result


@router.get("/procedures/{code}", response={200: ProcedureOut, 401: ErrorOut, 404: ErrorOut})
def procedure_detail(request, code: str, draft: bool = False):
    version = selectors.procedure_get_draft(code=code) if draft else selectors.procedure_get_published(code=code)
    return _detail(version)


class DocumentIn(Schema):
    name: str = Field(min_length=1, max_length=400)
    form: Literal["original", "copy", "certified_copy", "shown"] = "original"
    sets: int = Field(1, ge=1, le=20)
    mandatory: bool = True


class StepIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["receive", "process", "handoff", "return"] = "process"
    role: str = Field(min_length=1, max_length=30)
    office_name: str = Field("", max_length=200)
    quota: Decimal = Field(ge=0, le=1000)
    quota_unit: Literal["working_days", "half_days", "working_hours"] = "working_days"


class FeeIn(Schema):
    description: str = Field(min_length=1, max_length=300)
    amount: int = Field(ge=0, le=10**12)


class CompetenceIn(Schema):
    level: Literal["province", "district", "commune"]
    office_name: str = Field(min_length=1, max_length=200)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


class ProcedureIn(Schema):
    code: str = Field(min_length=1, max_length=30)
    name: str = Field(min_length=1, max_length=400)
    field: str = Field(min_length=1, max_length=120)
    level: Literal["province", "district", "commune"]
    time_limit: Decimal = Field(ge=0, le=1000)
    time_limit_unit: Literal["working_days", "working_hours", "same_day"]
    online_level: Literal["full", "partial", "none"]
    same_day_cutoff: dt.time | None = None
    required_assurance_level: Literal[1, 2] = 1
    paper_result: bool = True
    result_name: str = Field("", max_length=300)
    applicant_kind: str = Field("", max_length=200)
    method: str = Field("", max_length=5000)
    conditions: str = Field("", max_length=5000)
    legal_bases: str = Field("", max_length=5000)
    documents: list[DocumentIn] = Field(default_factory=list, max_length=100)
    steps: list[StepIn] = Field(max_length=50)
    fees: list[FeeIn] = Field(default_factory=list, max_length=50)
    competences: list[CompetenceIn] = Field(default_factory=list, max_length=20)


def _require_admin(user: User) -> None:
    if not is_administrator(user):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được sửa danh mục thủ tục."))


@router.post("/procedures", response={201: ProcedureOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def procedure_save(request, payload: ProcedureIn):
    """Create the procedure or update its draft (a published version is never changed)."""
    _require_admin(request.auth)
    data = payload.dict()
    spec = catalog.ProcedureSpec(
        **{k: v for k, v in data.items() if k not in ("documents", "steps", "fees", "competences")},
        documents=[catalog.DocumentSpec(**d) for d in data["documents"]],
        steps=[catalog.StepSpec(**s) for s in data["steps"]],
        fees=[catalog.FeeSpec(**f) for f in data["fees"]],
        competences=[catalog.CompetenceSpec(**c) for c in data["competences"]],
    )
    return Status(201, _detail(catalog.procedure_save_draft(spec=spec, actor=request.auth)))


class PublishIn(Schema):
    valid_from: dt.date | None = None


@router.post(
    "/procedures/{code}/publish",
    response={200: ProcedureOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def procedure_publish(request, code: str, payload: PublishIn | None = None):
    _require_admin(request.auth)
    version = catalog.procedure_publish(
        code=code, actor=request.auth, valid_from=payload.valid_from if payload else None
    )
    return _detail(version)


# --- Dossiers -----------------------------------------------------------------------------------
class ApplicantIn(Schema):
    name: str = Field(min_length=1, max_length=150)
    id_number: str = Field("", max_length=12)
    birth_date: dt.date | None = None
    female: bool | None = None
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=300)
    unit: str = Field("", max_length=20, description="Mã xã/phường nơi cư trú")


class ReceivedDocumentIn(Schema):
    document_id: int
    digitised: bool = False
    reused: bool = False
    from_personal_store: bool = False


class IntakeIn(Schema):
    procedure: str = Field(min_length=1, max_length=30, description="Mã thủ tục")
    receiving_office: str = Field(min_length=1, max_length=40, description="Mã Bộ phận Một cửa tiếp nhận")
    resolving_office: str = Field("", max_length=40, description="Mã cơ quan giải quyết; mặc định UBND nơi tiếp nhận")
    applicant: ApplicantIn
    documents: list[ReceivedDocumentIn] = Field(default_factory=list, max_length=100)
    outcome: Literal["receive", "supplement", "refuse"] = "receive"
    note: str = Field("", max_length=4000)
    content: str = Field("", max_length=4000)


class IntakeOut(Schema):
    code: str
    state: int
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    receipt_url: str
    form_url: str
    warnings: list[str]


def _office(code: str, field: str) -> Office:
    office = Office.objects.select_related("admin_unit").filter(code=code).first()
    if office is None:
        raise InvalidInput(_("Không có cơ quan mã %(code)s.") % {"code": code}, fields={field: "unknown"})
    return office


@router.post("/dossiers", response={201: IntakeOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def dossier_create(request, payload: IntakeIn):
    version = selectors.procedure_get_published(code=payload.procedure)
    receiving = _office(payload.receiving_office, "receiving_office")
    resolving = (
        _office(payload.resolving_office, "resolving_office")
        if payload.resolving_office
        else selectors.default_resolving_office(receiving_office=receiving, version=version)
    )
    unit = None
    if payload.applicant.unit:
        from chinhquyenso.core.selectors import admin_unit_get

        unit = admin_unit_get(code=payload.applicant.unit)
    applicant = services.Applicant(**{**payload.applicant.dict(), "unit": unit})
    result = services.dossier_intake(
        actor=request.auth,
        version=version,
        receiving_office=receiving,
        resolving_office=resolving,
        applicant=applicant,
        outcome=payload.outcome,
        note=payload.note,
        content=payload.content,
        documents=[
            services.ReceivedDocument(
                required_document_id=d.document_id,
                digitised=d.digitised,
                reused=d.reused,
                from_personal_store=d.from_personal_store,
            )
            for d in payload.documents
        ],
    )
    dossier = result.dossier
    form = {"receive": "receipt", "supplement": "supplement", "refuse": "refusal"}[payload.outcome]
    return Status(
        201,
        {
            "code": dossier.code,
            "state": dossier.state,
            "received_at": dossier.received_at,
            "due_at": dossier.appointment_at,
            "warnings": result.warnings,
            "receipt_url": f"/api/v1/dossiers/{dossier.code}/receipt.pdf",
            "form_url": f"/api/v1/dossiers/{dossier.code}/forms/{form}.pdf",
        },
    )


class DossierOut(Schema):
    code: str
    procedure_code: str
    procedure: str
    state: int
    state_label: str
    channel: int
    current_step: str | None
    current_step_role: str | None
    assignee: str | None
    receiving_office: str
    resolving_office: str
    applicant_name: str
    received_at: dt.datetime | None
    legal_due_at: dt.datetime | None
    appointment_at: dt.datetime | None
    step_due_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    is_late: bool
    rescheduled: bool
    supplement_count: int
    revision: int


class EventOut(Schema):
    seq: int
    at: dt.datetime
    actor: str
    action: str
    from_state: int | None
    to_state: int
    from_step: str | None
    to_step: str | None
    note: str
    step_timeliness: str
    due_before: dt.datetime | None
    due_after: dt.datetime | None


class DossierDetailOut(DossierOut):
    applicant_id_number: str
    applicant_phone: str
    applicant_address: str
    events: list[EventOut]


def _dossier(d) -> dict:
    return {
        "code": d.code,
        "procedure_code": d.version.procedure.code,
        "procedure": d.version.name,
        "state": d.state,
        "state_label": d.get_state_display(),
        "channel": d.channel,
        "current_step": d.current_step.name if d.current_step else None,
        "current_step_role": d.current_step.role if d.current_step else None,
        "assignee": d.assignee.username if d.assignee_id else None,
        "receiving_office": d.receiving_office.code,
        "resolving_office": d.resolving_office.code,
        "applicant_name": d.applicant_name,
        "received_at": d.received_at,
        "legal_due_at": d.legal_due_at,
        "appointment_at": d.appointment_at,
        "step_due_at": d.step_due_at,
        "finished_at": d.finished_at,
        "returned_at": d.returned_at,
        "is_late": d.is_late,
        "rescheduled": d.rescheduled,
        "supplement_count": d.supplement_count,
        "revision": d.revision,
    }


class DossierQuery(Schema):
    state: int | None = Field(None, ge=1, le=10)
    overdue: bool | None = None
    procedure: str = Field("", max_length=30)
    channel: int | None = Field(None, ge=1, le=3)
    q: str = Field("", max_length=100)
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


@router.get("/dossiers", response={200: list[DossierOut], 401: ErrorOut, 422: ErrorOut})
def dossier_list(request, query: Query[DossierQuery]):
    filters = selectors.DossierFilters(
        state=query.state, overdue=query.overdue, procedure=query.procedure, channel=query.channel, query=query.q
    )
    dossiers = selectors.dossier_list_for_user(user=request.auth, filters=filters)
    return [_dossier(d) for d in dossiers[query.offset : query.offset + query.limit]]


@router.get("/dossiers/{code}", response={200: DossierDetailOut, 401: ErrorOut, 404: ErrorOut})
def dossier_detail(request, code: str):
    dossier = selectors.dossier_get_for_user(code=code, user=request.auth)
    events = [
        {
            "seq": e.seq,
            "at": e.at,
            "actor": e.actor_label,
            "action": e.action,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "from_step": e.from_step.name if e.from_step else None,
            "to_step": e.to_step.name if e.to_step else None,
            "note": e.note,
            "step_timeliness": e.step_timeliness,
            "due_before": e.due_before,
            "due_after": e.due_after,
        }
        for e in dossier.events.select_related("from_step", "to_step").order_by("seq")
    ]
    return {
        **_dossier(dossier),
        "applicant_id_number": dossier.applicant_id_number,
        "applicant_phone": dossier.applicant_phone,
        "applicant_address": dossier.applicant_address,
        "events": events,
    }


class ActionIn(Schema):
    action: str = Field(min_length=1, max_length=30)
    note: str = Field("", max_length=4000)
    expected_revision: int | None = Field(None, ge=0)
    new_appointment_at: dt.datetime | None = None
    assignee: str = Field("", max_length=150, description="Tên đăng nhập người được phân công bước sau")


@router.post(
    "/dossiers/{code}/actions",
    response={200: DossierOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def dossier_action(request, code: str, payload: ActionIn):
    assignee = None
    if payload.assignee:
        assignee = User.objects.filter(username=payload.assignee, is_active=True).first()
        if assignee is None:
            raise InvalidInput(_("Không có cán bộ %(u)s.") % {"u": payload.assignee}, fields={"assignee": "unknown"})
    if payload.new_appointment_at is not None and payload.new_appointment_at.tzinfo is None:
        raise InvalidInput(_("Ngày hẹn mới phải có múi giờ, ví dụ +07:00."), fields={"new_appointment_at": "naive"})
    dossier = services.dossier_transition(
        code=code,
        actor=request.auth,
        request=services.TransitionRequest(
            action=payload.action,
            note=payload.note,
            expected_revision=payload.expected_revision,
            new_appointment_at=payload.new_appointment_at,
            assignee=assignee,
        ),
    )
    return _dossier(selectors.dossier_get_for_user(code=dossier.code, user=request.auth))


class ScanOut(Schema):
    document_id: int
    name: str
    digitised: bool
    sha256: str
    size: int


@router.post(
    "/dossiers/{code}/documents/{document_id}/scan",
    response={201: ScanOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def dossier_scan_upload(request, code: str, document_id: int, file: File[UploadedFile]):
    """Attach the scan (PDF, JPEG or PNG; type checked by content) of one received document."""
    document = services.dossier_document_attach_scan(
        code=code, document_id=document_id, actor=request.auth, upload=file
    )
    return Status(
        201,
        {
            "document_id": document.pk,
            "name": document.name,
            "digitised": document.digitised,
            "sha256": document.attachment.sha256,
            "size": document.attachment.size,
        },
    )


def _pdf_response(dossier, form: str) -> HttpResponse:
    response = HttpResponse(paper_form_pdf(dossier=dossier, form=form), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-{form}.pdf"'
    return response


@router.get("/dossiers/{code}/receipt.pdf", response={200: None, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def dossier_receipt(request, code: str):
    """Mẫu 01, the receipt and appointment slip, as PDF."""
    dossier = selectors.dossier_get_for_user(code=code, user=request.auth)
    selectors.paper_form_check_available(dossier=dossier, form="receipt")
    return _pdf_response(dossier, "receipt")


@router.get("/dossiers/{code}/forms/{form}.pdf", response={200: None, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def dossier_form(request, code: str, form: str):
    if form not in FORMS:
        raise NotFound(_("Không có mẫu %(f)s.") % {"f": form})
    dossier = selectors.dossier_get_for_user(code=code, user=request.auth)
    selectors.paper_form_check_available(dossier=dossier, form=form)
    return _pdf_response(dossier, form)


# --- Public tracking ----------------------------------------------------------------------------
class PublicDossierOut(Schema):
    code: str
    procedure: str
    state: int
    state_label: str
    current_step: str
    receiving_office: str
    received_at: dt.datetime | None
    appointment_at: dt.datetime | None
    result_ready: bool
    returned_at: dt.datetime | None
    applicant: str


@public_router.get("/public/dossiers/{code}", auth=None, response={200: PublicDossierOut, 404: ErrorOut, 429: ErrorOut})
def public_dossier(request, code: str):
    """Tracking by code: state, step, times and a masked name; limited per client address."""
    wait = rate_limit_hit(
        bucket="tracking", client=client_address(request) or "-", limit=settings.TRACKING_RATE_PER_MINUTE
    )
    if wait:
        response = JsonResponse(
            {"code": "throttled", "message": _("Quá nhiều yêu cầu tra cứu, vui lòng thử lại sau."), "fields": {}},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    return selectors.dossier_public_view(code=code[:60])
