"""Writes of the procedure catalog: drafts, their content, publication (Open Zaak's concept/publish idea).

A published version is frozen: nothing here changes it. A new version starts as a copy of the latest one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chinhquyenso.core.audit import audit_record
from chinhquyenso.core.errors import Conflict, InvalidInput
from chinhquyenso.core.models import AdminUnitLevel, Role, User
from chinhquyenso.core.textsearch import fold
from chinhquyenso.procedures.deadlines import limit_minutes
from chinhquyenso.procedures.models import (
    DocumentForm,
    OnlineLevel,
    Procedure,
    ProcedureCompetence,
    ProcedureFee,
    ProcedureField,
    ProcedureStep,
    ProcedureVersion,
    QuotaUnit,
    RequiredDocument,
    StepKind,
    TimeLimitUnit,
    VersionStatus,
)


@dataclass
class DocumentSpec:
    name: str
    form: str = DocumentForm.ORIGINAL
    sets: int = 1
    mandatory: bool = True


@dataclass
class StepSpec:
    name: str
    role: str
    quota: Decimal
    quota_unit: str = QuotaUnit.WORKING_DAYS
    kind: str = StepKind.PROCESS
    office_name: str = ""


@dataclass
class FeeSpec:
    description: str
    amount: int


@dataclass
class CompetenceSpec:
    level: str
    office_name: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


@dataclass
class ProcedureSpec:
    """Everything a version of a procedure says, as plain data (what import files and forms produce)."""

    code: str
    name: str
    field: str
    level: str
    time_limit: Decimal
    time_limit_unit: str
    online_level: str
    documents: list[DocumentSpec]
    steps: list[StepSpec]
    fees: list[FeeSpec]
    competences: list[CompetenceSpec]
    same_day_cutoff: dt.time | None = None
    required_assurance_level: int = 1
    paper_result: bool = True
    result_name: str = ""
    applicant_kind: str = ""
    method: str = ""
    conditions: str = ""
    legal_bases: str = ""


def procedure_spec_validate(spec: ProcedureSpec) -> None:
    """Refuse a spec whose steps do not add up to the legal time limit, or whose values are out of range."""
    errors: dict[str, str] = {}
    if not spec.code.strip():
        errors["code"] = _("Thiếu mã thủ tục.")
    if not spec.name.strip():
        errors["name"] = _("Thiếu tên thủ tục.")
    if not spec.field.strip():
        errors["field"] = _("Thiếu lĩnh vực.")
    checks = [
        (spec.level, AdminUnitLevel, "level", _("Cấp thực hiện")),
        (spec.time_limit_unit, TimeLimitUnit, "time_limit_unit", _("Đơn vị thời hạn")),
        (spec.online_level, OnlineLevel, "online_level", _("Mức độ trực tuyến")),
    ]
    for value, choices, field, label in checks:
        if value not in choices.values:
            errors[field] = _("%(label)s không hợp lệ: %(value)s.") % {"label": label, "value": value}
    try:
        limit = Decimal(spec.time_limit)
        if limit <= 0 and spec.time_limit_unit != TimeLimitUnit.SAME_DAY:
            errors["time_limit"] = _("Thời hạn giải quyết phải lớn hơn 0.")
        elif not _fits(limit, max_digits=7):
            errors["time_limit"] = _("Thời hạn giải quyết có nhiều nhất 2 chữ số thập phân và nhỏ hơn 100000.")
    except (InvalidOperation, TypeError):
        errors["time_limit"] = _("Thời hạn giải quyết phải là một số.")
    for key, value, limit_chars, label in (
        ("code", spec.code, 30, _("Mã thủ tục")),
        ("name", spec.name, 400, _("Tên thủ tục")),
        ("field", spec.field, 120, _("Tên lĩnh vực")),
        ("result_name", spec.result_name, 300, _("Kết quả thực hiện")),
        ("applicant_kind", spec.applicant_kind, 200, _("Đối tượng thực hiện")),
    ):
        _check_length(errors, key, value, limit_chars, label)
    if not spec.steps:
        errors["steps"] = _("Cần ít nhất các bước tiếp nhận và trả kết quả.")
    else:
        for index, step in enumerate(spec.steps, start=1):
            if step.role not in Role.values:
                errors[f"steps.{index}.role"] = _("Bước %(n)s: vai trò không hợp lệ (%(v)s).") % {
                    "n": index,
                    "v": step.role,
                }
            if step.quota_unit not in QuotaUnit.values:
                errors[f"steps.{index}.quota_unit"] = _("Bước %(n)s: đơn vị thời gian không hợp lệ.") % {"n": index}
            if step.kind not in StepKind.values:
                errors[f"steps.{index}.kind"] = _("Bước %(n)s: loại bước không hợp lệ.") % {"n": index}
            try:
                if Decimal(step.quota) < 0 or not _fits(Decimal(step.quota), max_digits=6):
                    raise InvalidOperation
            except (InvalidOperation, TypeError):
                errors[f"steps.{index}.quota"] = _(
                    "Bước %(n)s: thời gian phải là số không âm, nhiều nhất 2 chữ số thập phân."
                ) % {"n": index}
            if not step.name.strip():
                errors[f"steps.{index}.name"] = _("Bước %(n)s: thiếu tên bước.") % {"n": index}
            _check_length(errors, f"steps.{index}.name", step.name, 200, _("Bước %(n)s: tên bước") % {"n": index})
            _check_length(
                errors,
                f"steps.{index}.office_name",
                step.office_name,
                200,
                _("Bước %(n)s: cơ quan thực hiện") % {"n": index},
            )
        if spec.steps[0].kind != StepKind.RECEIVE or spec.steps[-1].kind != StepKind.RETURN:
            errors["steps"] = _("Bước đầu phải là tiếp nhận và bước cuối phải là trả kết quả.")
        elif not any(key.startswith("steps.") or key in ("time_limit", "time_limit_unit") for key in errors):
            # the sum is checked whenever the steps and the limit are readable, whatever else is wrong
            total = sum(limit_minutes(Decimal(s.quota), s.quota_unit) for s in spec.steps)
            legal = limit_minutes(Decimal(spec.time_limit), spec.time_limit_unit)
            if total != legal:
                errors["steps"] = _(
                    "Tổng thời gian các bước (%(total)s giờ làm việc) phải bằng thời hạn giải quyết "
                    "(%(legal)s giờ làm việc)."
                ) % {"total": _hours(total), "legal": _hours(legal)}
    for index, doc in enumerate(spec.documents, start=1):
        if not doc.name.strip():
            errors[f"documents.{index}.name"] = _("Giấy tờ %(n)s: thiếu tên.") % {"n": index}
        if doc.form not in DocumentForm.values:
            errors[f"documents.{index}.form"] = _("Giấy tờ %(n)s: loại bản không hợp lệ.") % {"n": index}
        if not isinstance(doc.sets, int) or not 1 <= doc.sets <= 99:
            errors[f"documents.{index}.sets"] = _("Giấy tờ %(n)s: số bộ phải từ 1 đến 99.") % {"n": index}
        _check_length(errors, f"documents.{index}.name", doc.name, 400, _("Giấy tờ %(n)s: tên") % {"n": index})
    for index, fee in enumerate(spec.fees, start=1):
        if not isinstance(fee.amount, int) or fee.amount < 0:
            errors[f"fees.{index}.amount"] = _("Khoản phí %(n)s: mức thu phải là số đồng không âm.") % {"n": index}
        if not fee.description.strip():
            errors[f"fees.{index}.description"] = _("Khoản phí %(n)s: thiếu nội dung.") % {"n": index}
        _check_length(
            errors, f"fees.{index}.description", fee.description, 300, _("Khoản phí %(n)s: nội dung") % {"n": index}
        )
    for index, competence in enumerate(spec.competences, start=1):
        if competence.level not in AdminUnitLevel.values:
            errors[f"competences.{index}.level"] = _("Thẩm quyền %(n)s: cấp không hợp lệ (%(v)s).") % {
                "n": index,
                "v": competence.level,
            }
        if not competence.office_name.strip():
            errors[f"competences.{index}.office_name"] = _("Thẩm quyền %(n)s: thiếu cơ quan giải quyết.") % {"n": index}
        _check_length(
            errors,
            f"competences.{index}.office_name",
            competence.office_name,
            200,
            _("Thẩm quyền %(n)s: cơ quan giải quyết") % {"n": index},
        )
        if competence.valid_from and competence.valid_to and competence.valid_from > competence.valid_to:
            errors[f"competences.{index}.valid_to"] = _("Thẩm quyền %(n)s: ngày kết thúc phải sau ngày bắt đầu.") % {
                "n": index
            }
    if spec.required_assurance_level not in (1, 2):
        errors["required_assurance_level"] = _("Mức định danh điện tử phải là 1 hoặc 2.")
    if errors:
        first = next(iter(errors.values()))
        raise InvalidInput(first, fields=errors)


def _hours(minutes: Decimal) -> str:
    return f"{(minutes / 60).normalize():f}"


def _fits(value: Decimal, *, max_digits: int) -> bool:
    # the columns keep 2 decimal places: a finer quota would be rounded on save and break the checked sum
    return value == value.quantize(Decimal("0.01")) and abs(value) < Decimal(10) ** (max_digits - 2)


def _check_length(errors: dict[str, str], key: str, value: str, limit: int, label: str) -> None:
    if len(value) > limit and key not in errors:
        errors[key] = _("%(label)s dài quá %(limit)s ký tự.") % {"label": label, "limit": limit}


def _field_for(name: str) -> ProcedureField:
    field = ProcedureField.objects.filter(name=name).first()
    if field is None:
        code = fold(name).replace(" ", "-")[:40] or "khac"
        field, _created = ProcedureField.objects.get_or_create(code=code, defaults={"name": name})
    return field


@transaction.atomic
def procedure_save_draft(*, spec: ProcedureSpec, actor: User | None) -> ProcedureVersion:
    """Create the procedure if new, then write the spec into its draft version (creating the draft)."""
    procedure_spec_validate(spec)
    field = _field_for(spec.field.strip())
    procedure, _created = Procedure.objects.select_for_update().get_or_create(
        code=spec.code.strip(), defaults={"field": field}
    )
    procedure.field = field
    procedure.search_text = fold(f"{spec.name} {procedure.code} {field.name}")
    procedure.save(update_fields=["field", "search_text"])
    draft = procedure.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is None:
        latest = procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
        draft = ProcedureVersion(procedure=procedure, number=latest + 1)
    for attr in (
        "name",
        "level",
        "time_limit",
        "time_limit_unit",
        "online_level",
        "same_day_cutoff",
        "required_assurance_level",
        "paper_result",
        "result_name",
        "applicant_kind",
        "method",
        "conditions",
        "legal_bases",
    ):
        setattr(draft, attr, getattr(spec, attr))
    draft.time_limit = Decimal(spec.time_limit)
    draft.full_clean(exclude=["procedure"])
    draft.save()
    draft.documents.all().delete()
    draft.steps.all().delete()
    draft.fees.all().delete()
    RequiredDocument.objects.bulk_create(
        RequiredDocument(version=draft, order=i, name=d.name.strip(), form=d.form, sets=d.sets, mandatory=d.mandatory)
        for i, d in enumerate(spec.documents, start=1)
    )
    ProcedureStep.objects.bulk_create(
        ProcedureStep(
            version=draft,
            order=i,
            name=s.name.strip(),
            kind=s.kind,
            role=s.role,
            office_name=s.office_name,
            quota=Decimal(s.quota),
            quota_unit=s.quota_unit,
        )
        for i, s in enumerate(spec.steps, start=1)
    )
    ProcedureFee.objects.bulk_create(
        ProcedureFee(version=draft, order=i, description=f.description, amount=f.amount)
        for i, f in enumerate(spec.fees, start=1)
    )
    if spec.competences:
        procedure.competences.all().delete()
        ProcedureCompetence.objects.bulk_create(
            ProcedureCompetence(
                procedure=procedure,
                level=c.level,
                office_name=c.office_name,
                valid_from=c.valid_from,
                valid_to=c.valid_to,
            )
            for c in spec.competences
        )
    audit_record(
        action="procedure.draft_saved",
        actor=actor,
        actor_label="" if actor else "system",
        object_type="Procedure",
        object_id=procedure.code,
        data={"version": draft.number},
    )
    return draft


@transaction.atomic
def procedure_publish(*, code: str, actor: User | None, valid_from: dt.date | None = None) -> ProcedureVersion:
    """Freeze the draft: from now on dossiers start under it; dossiers under older versions keep theirs."""
    procedure = Procedure.objects.select_for_update().filter(code=code).first()
    if procedure is None:
        raise InvalidInput(_("Không có thủ tục mã %(code)s.") % {"code": code}, fields={"code": "unknown"})
    draft = procedure.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is None:
        raise Conflict(_("Thủ tục %(code)s không có bản nháp để công bố.") % {"code": code}, code="no_draft")
    procedure_spec_validate(version_to_spec(draft))
    draft.status = VersionStatus.PUBLISHED
    draft.published_at = timezone.now()
    draft.published_by = actor
    draft.valid_from = valid_from or timezone.localdate()
    draft.save(update_fields=["status", "published_at", "published_by", "valid_from"])
    audit_record(
        action="procedure.published",
        actor=actor,
        actor_label="" if actor else "system",
        object_type="Procedure",
        object_id=code,
        data={"version": draft.number},
    )
    return draft


def version_to_spec(version: ProcedureVersion) -> ProcedureSpec:
    procedure = version.procedure
    return ProcedureSpec(
        code=procedure.code,
        name=version.name,
        field=procedure.field.name,
        level=version.level,
        time_limit=version.time_limit,
        time_limit_unit=version.time_limit_unit,
        online_level=version.online_level,
        same_day_cutoff=version.same_day_cutoff,
        required_assurance_level=version.required_assurance_level,
        paper_result=version.paper_result,
        result_name=version.result_name,
        applicant_kind=version.applicant_kind,
        method=version.method,
        conditions=version.conditions,
        legal_bases=version.legal_bases,
        documents=[DocumentSpec(d.name, d.form, d.sets, d.mandatory) for d in version.documents.all()],
        steps=[StepSpec(s.name, s.role, s.quota, s.quota_unit, s.kind, s.office_name) for s in version.steps.all()],
        fees=[FeeSpec(f.description, f.amount) for f in version.fees.all()],
        competences=[
            CompetenceSpec(c.level, c.office_name, c.valid_from, c.valid_to) for c in procedure.competences.all()
        ],
    )
