"""Writes of dossiers. `dossier_intake` creates one at the desk; `dossier_transition` is the only code that
changes a dossier's state or step: it locks the row, checks the lifecycle table, the actor's role and scope
and the legal guards, moves the clock, and writes one DossierEvent (a line of the control sheet, Mẫu 06)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chinhquyenso.core.calendar import TimeUnit, WorkingCalendar, add_working_time, working_time_between
from chinhquyenso.core.citizen_id import citizen_id_check
from chinhquyenso.core.models import AdminUnit, Office, OfficeKind, Role, User
from chinhquyenso.core.permissions import can_see_unit
from chinhquyenso.core.selectors import calendar_get
from chinhquyenso.procedures import deadlines
from chinhquyenso.procedures.codes import dossier_code_next
from chinhquyenso.procedures.errors import (
    ActionForbidden,
    DossierNotFound,
    IntakeInvalid,
    RescheduleRefused,
    StaleDossier,
    SupplementAlreadyRequested,
    TransitionNotAllowed,
)
from chinhquyenso.procedures.models import (
    Channel,
    ClockStop,
    Dossier,
    DossierDocument,
    DossierEvent,
    ProcedureStep,
    ProcedureVersion,
    StepKind,
)
from chinhquyenso.procedures.notifications import dossier_notify_applicant
from chinhquyenso.procedures.workflow import STEP_ROLE, Action, Clock, State, Transition, choose_transition


@dataclass
class Applicant:
    name: str
    id_number: str = ""
    birth_date: dt.date | None = None
    female: bool | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    unit: AdminUnit | None = None


@dataclass
class ReceivedDocument:
    required_document_id: int | None
    name: str = ""
    digitised: bool = False
    reused: bool = False
    from_personal_store: bool = False
    attachment_id: int | None = None


@dataclass
class IntakeResult:
    dossier: Dossier
    warnings: list[str] = field(default_factory=list)


INTAKE_OUTCOMES = {"receive": State.RECEIVED, "supplement": State.SUPPLEMENT_REQUESTED, "refuse": State.NOT_ACCEPTED}


def _check_applicant(applicant: Applicant) -> list[str]:
    errors: dict[str, str] = {}
    if not applicant.name.strip():
        errors["applicant.name"] = _("Thiếu họ và tên người nộp hồ sơ.")
    warnings: list[str] = []
    if applicant.id_number:
        check = citizen_id_check(applicant.id_number, birth_date=applicant.birth_date, female=applicant.female)
        if check.errors:
            errors["applicant.id_number"] = check.errors[0]
        warnings = check.warnings
    if applicant.phone and not applicant.phone.replace(" ", "").lstrip("+").isdigit():
        errors["applicant.phone"] = _("Số điện thoại chỉ gồm chữ số.")
    if errors:
        raise IntakeInvalid(next(iter(errors.values())), fields=errors)
    return warnings


def _first_step(version: ProcedureVersion) -> ProcedureStep:
    return version.steps.order_by("order").first()


def _step_after(step: ProcedureStep) -> ProcedureStep | None:
    return ProcedureStep.objects.filter(version_id=step.version_id, order__gt=step.order).order_by("order").first()


def _step_before(step: ProcedureStep) -> ProcedureStep | None:
    return ProcedureStep.objects.filter(version_id=step.version_id, order__lt=step.order).order_by("-order").first()


def _step_due(step: ProcedureStep, start: dt.datetime, calendar: WorkingCalendar) -> dt.datetime:
    minutes = deadlines.limit_minutes(step.quota, step.quota_unit)
    return add_working_time(start, minutes / 60, TimeUnit.WORKING_HOURS, calendar=calendar)


def _minutes(delta: dt.timedelta) -> int:
    return int(delta.total_seconds() // 60)


@transaction.atomic
def dossier_intake(
    *,
    actor: User,
    version: ProcedureVersion,
    receiving_office: Office,
    resolving_office: Office,
    applicant: Applicant,
    documents: list[ReceivedDocument],
    outcome: str = "receive",
    note: str = "",
    content: str = "",
    channel: int = Channel.IN_PERSON,
    at: dt.datetime | None = None,
) -> IntakeResult:
    """Receive a dossier at the desk (Art. 11 NĐ 118/2025): receipt with a code and an appointment, or the
    supplement-request slip when it is incomplete, or the refusal slip with reasons."""
    if actor.role != Role.DESK_OFFICER:
        raise ActionForbidden(_("Chỉ cán bộ Một cửa được tiếp nhận hồ sơ."))
    if not can_see_unit(actor, receiving_office.admin_unit):
        raise IntakeInvalid(_("Nơi tiếp nhận không thuộc phạm vi của bạn."), fields={"receiving_office": "scope"})
    if receiving_office.kind != OfficeKind.ONE_STOP:
        raise IntakeInvalid(_("Nơi tiếp nhận phải là Bộ phận Một cửa."), fields={"receiving_office": "kind"})
    if not version.is_frozen:
        raise IntakeInvalid(_("Thủ tục chưa được công bố."), fields={"procedure": "draft"})
    if outcome not in INTAKE_OUTCOMES:
        raise IntakeInvalid(_("Kết quả tiếp nhận không hợp lệ."), fields={"outcome": "invalid"})
    if outcome != "receive" and not note.strip():
        raise IntakeInvalid(
            _("Cần ghi rõ lý do (nội dung cần bổ sung hoặc lý do từ chối)."), fields={"note": "required"}
        )
    warnings = _check_applicant(applicant)
    required = {doc.pk: doc for doc in version.documents.all()}
    ticked = {d.required_document_id for d in documents if d.required_document_id is not None}
    unknown = ticked - set(required)
    if unknown:
        raise IntakeInvalid(_("Giấy tờ không thuộc thủ tục này."), fields={"documents": "unknown"})
    missing = [doc.name for doc in required.values() if doc.mandatory and doc.pk not in ticked]
    if outcome == "receive" and missing:
        raise IntakeInvalid(
            _("Hồ sơ thiếu giấy tờ bắt buộc: %(names)s. Hãy lập phiếu yêu cầu bổ sung.")
            % {"names": "; ".join(missing)},
            fields={"documents": "missing"},
        )

    now = at or timezone.now()
    calendar = calendar_get()
    state = INTAKE_OUTCOMES[outcome]
    dossier = _new_dossier(
        version=version,
        receiving_office=receiving_office,
        resolving_office=resolving_office,
        applicant=applicant,
        channel=channel,
        state=state,
        content=content,
        now=now,
        calendar=calendar,
        created_by=actor,
    )
    if state == State.RECEIVED:
        _start_clock(dossier, now, calendar)
    elif state == State.SUPPLEMENT_REQUESTED:
        dossier.supplement_count = 1
    else:
        dossier.finished_at = now
    dossier.save()
    _save_documents(dossier, documents, required)
    DossierEvent.objects.create(
        dossier=dossier,
        seq=1,
        at=now,
        actor=actor,
        actor_label=actor.display_name,
        action="intake",
        from_state=None,
        to_state=state,
        to_step=dossier.current_step,
        note=note,
        due_after=dossier.legal_due_at,
        data={"outcome": outcome, "warnings": warnings, "missing": missing},
    )
    dossier_notify_applicant(dossier=dossier, event="intake")
    return IntakeResult(dossier=dossier, warnings=warnings)


def _new_dossier(
    *,
    version: ProcedureVersion,
    receiving_office: Office,
    resolving_office: Office,
    applicant: Applicant,
    channel: int,
    state: State,
    content: str,
    now: dt.datetime,
    calendar: WorkingCalendar,
    created_by: User | None = None,
    vneid_verified: bool = False,
) -> Dossier:
    """A new, unsaved dossier with its code: the receiving and resolving units are separate (NĐ 118: intake
    anywhere in the province)."""
    return Dossier(
        code=dossier_code_next(
            receiving_office=receiving_office, resolving_office=resolving_office, on=now.astimezone(calendar.tz).date()
        ),
        version=version,
        receiving_office=receiving_office,
        receiving_unit=receiving_office.admin_unit,
        resolving_office=resolving_office,
        resolving_unit=resolving_office.admin_unit,
        channel=channel,
        state=state,
        applicant_name=applicant.name.strip(),
        applicant_id_number=applicant.id_number,
        applicant_birth_date=applicant.birth_date,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        applicant_unit=applicant.unit,
        content=content,
        submitted_at=now,
        fee_total=sum(f.amount for f in version.fees.all()),
        created_by=created_by,
        vneid_verified=vneid_verified,
        revision=1,
    )


def _save_documents(dossier: Dossier, documents: list[ReceivedDocument], required: dict) -> None:
    DossierDocument.objects.bulk_create(
        DossierDocument(
            dossier=dossier,
            required_document=required.get(d.required_document_id),
            name=d.name or required[d.required_document_id].name,
            form=required[d.required_document_id].form if d.required_document_id else "copy",
            digitised=d.digitised,
            reused=d.reused,
            from_personal_store=d.from_personal_store,
            attachment_id=d.attachment_id,
        )
        for d in documents
    )


def _start_clock(dossier: Dossier, now: dt.datetime, calendar: WorkingCalendar) -> None:
    version = dossier.version
    dossier.received_at = now
    dossier.legal_due_at = deadlines.legal_due(
        received_at=now,
        amount=version.time_limit,
        unit=version.time_limit_unit,
        cutoff=version.same_day_cutoff,
        calendar=calendar,
    )
    dossier.appointment_at = dossier.legal_due_at
    step = _first_step(version)
    dossier.current_step = step
    dossier.step_started_at = now
    dossier.step_due_at = _step_due(step, now, calendar)


@dataclass
class TransitionRequest:
    action: str
    note: str = ""
    expected_revision: int | None = None
    new_appointment_at: dt.datetime | None = None
    assignee: User | None = None


def _transition_for(dossier: Dossier, action: Action) -> Transition:
    has_next = False
    if dossier.current_step_id and action == Action.COMPLETE_STEP:
        nxt = _step_after(dossier.current_step)
        has_next = nxt is not None and nxt.kind != StepKind.RETURN
    transition = choose_transition(
        State(dossier.state), action, received=dossier.received_at is not None, has_next_step=has_next
    )
    if transition is None:
        raise TransitionNotAllowed(
            _("Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(state)s”.")
            % {"action": action.label, "state": State(dossier.state).label}
        )
    return transition


def _check_actor(dossier: Dossier, transition: Transition, actor: User) -> None:
    roles = set(transition.roles)
    if STEP_ROLE in roles:
        roles.discard(STEP_ROLE)
        if dossier.current_step is not None:
            roles.add(dossier.current_step.role)
    if actor.role not in roles:
        raise ActionForbidden(_("Vai trò của bạn không được thực hiện thao tác này ở bước hiện tại."))
    if (
        dossier.assignee_id
        and transition.action in (Action.COMPLETE_STEP, Action.SEND_BACK)
        and actor.role == Role.SPECIALIST
        and dossier.assignee_id != actor.pk
    ):
        raise ActionForbidden(_("Hồ sơ đã được phân công cho cán bộ khác."))


@transaction.atomic
def dossier_transition(*, code: str, actor: User, request: TransitionRequest, at: dt.datetime | None = None) -> Dossier:
    """Apply one action to a dossier under a row lock; exactly one of two simultaneous actions can succeed."""
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("version", "current_step", "receiving_unit", "resolving_unit", "resolving_office")
        .filter(code=code)
        .first()
    )
    if dossier is None or not (
        can_see_unit(actor, dossier.receiving_unit) or can_see_unit(actor, dossier.resolving_unit)
    ):
        raise DossierNotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    try:
        action = Action(request.action)
    except ValueError:
        raise IntakeInvalid(
            _("Thao tác không hợp lệ: %(a)s.") % {"a": request.action}, fields={"action": "invalid"}
        ) from None
    if request.expected_revision is not None and request.expected_revision != dossier.revision:
        raise StaleDossier(_("Hồ sơ vừa được người khác xử lý. Hãy tải lại trang và thử lại."))
    transition = _transition_for(dossier, action)
    _check_actor(dossier, transition, actor)
    note = (request.note or "").strip()
    if transition.note_required and not note:
        raise IntakeInvalid(_("Cần ghi rõ lý do hoặc nội dung."), fields={"note": "required"})

    now = at or timezone.now()
    calendar = calendar_get()
    from_state, from_step = State(dossier.state), dossier.current_step
    due_before = dossier.appointment_at
    data: dict = {}
    step_timeliness, used, quota = "", None, None

    if action == Action.REQUEST_SUPPLEMENT and dossier.supplement_count >= 1:
        raise SupplementAlreadyRequested(
            _("Hồ sơ đã được yêu cầu bổ sung một lần; theo Điều 11 NĐ 118/2025 chỉ được yêu cầu một lần.")
        )
    if action == Action.RESCHEDULE:
        _check_reschedule(dossier, request, actor, now, calendar)
    if action == Action.COMPLETE_STEP and request.assignee is not None:
        nxt = _step_after(dossier.current_step)
        if (
            nxt is None
            or request.assignee.role != nxt.role
            or not can_see_unit(request.assignee, dossier.resolving_unit)
        ):
            raise IntakeInvalid(
                _("Người được phân công không phù hợp với bước tiếp theo."), fields={"assignee": "invalid"}
            )

    # the clock
    if transition.clock == Clock.START:
        _start_clock(dossier, now, calendar)
    elif transition.clock == Clock.PAUSE:
        ClockStop.objects.create(dossier=dossier, started_at=now, reason=note[:300])
        dossier.paused_since = now
    elif transition.clock == Clock.RESUME:
        stop = dossier.clock_stops.filter(ended_at__isnull=True).order_by("-started_at").first()
        if stop is not None:
            stop.ended_at = now
            stop.save(update_fields=["ended_at"])
            paused = working_time_between(stop.started_at, now, calendar=calendar)
            data["paused_minutes"] = _minutes(paused)
            _recompute_due(dossier, calendar)
            if dossier.step_due_at:
                dossier.step_due_at = (
                    add_working_time(
                        dossier.step_due_at,
                        Decimal(paused.total_seconds()) / 3600,
                        TimeUnit.WORKING_HOURS,
                        calendar=calendar,
                    )
                    if paused
                    else dossier.step_due_at
                )
        dossier.paused_since = None
    if action == Action.REQUEST_SUPPLEMENT:
        dossier.supplement_count += 1

    # the steps
    if action in (Action.FORWARD, Action.COMPLETE_STEP, Action.RETURN_RESULT) and dossier.current_step_id:
        step_timeliness = deadlines.timeliness(finished_at=now, due_at=dossier.step_due_at, calendar=calendar)
        used = _minutes(working_time_between(dossier.step_started_at, now, calendar=calendar))
        quota = int(deadlines.limit_minutes(dossier.current_step.quota, dossier.current_step.quota_unit))
        next_step = _step_after(dossier.current_step) if action != Action.RETURN_RESULT else None
        _enter_step(dossier, next_step, now, calendar)
        if action == Action.COMPLETE_STEP:
            dossier.assignee = request.assignee
    elif action == Action.SEND_BACK:
        previous = _step_before(dossier.current_step)
        if previous is None or previous.kind == StepKind.RECEIVE:
            raise TransitionNotAllowed(_("Đây là bước xử lý đầu tiên, không có bước trước để trả lại."))
        _enter_step(dossier, previous, now, calendar)
        dossier.assignee = None
    elif action == Action.RESCHEDULE:
        dossier.appointment_at = request.new_appointment_at
        dossier.rescheduled = True
        data["apology"] = True

    if transition.clock == Clock.FINISH:
        dossier.finished_at = now
        if dossier.legal_due_at is not None:
            dossier.is_late = now > dossier.legal_due_at or dossier.supplement_count > 1
    if action == Action.RETURN_RESULT:
        dossier.returned_at = now

    dossier.state = transition.target
    dossier.revision += 1
    dossier.save()
    DossierEvent.objects.create(
        dossier=dossier,
        seq=dossier.revision,
        at=now,
        actor=actor,
        actor_label=actor.display_name,
        action=action,
        from_state=from_state,
        to_state=transition.target,
        from_step=from_step,
        to_step=dossier.current_step,
        note=note,
        step_timeliness=step_timeliness,
        step_used_minutes=used,
        step_quota_minutes=quota,
        due_before=due_before,
        due_after=dossier.appointment_at,
        data=data,
    )
    dossier_notify_applicant(dossier=dossier, event=action)
    return dossier


def _enter_step(dossier: Dossier, step: ProcedureStep | None, now: dt.datetime, calendar: WorkingCalendar) -> None:
    dossier.current_step = step
    dossier.step_started_at = now if step else None
    dossier.step_due_at = _step_due(step, now, calendar) if step else None


def _recompute_due(dossier: Dossier, calendar: WorkingCalendar) -> None:
    """Due = receipt + legal limit + the working time of every clock stop (stored, never subtracted by hand)."""
    stops = list(dossier.clock_stops.values_list("started_at", "ended_at"))
    stopped = deadlines.stopped_time(stops, until=timezone.now(), calendar=calendar)
    version = dossier.version
    legal = deadlines.legal_due(
        received_at=dossier.received_at,
        amount=version.time_limit,
        unit=version.time_limit_unit,
        cutoff=version.same_day_cutoff,
        stopped=stopped,
        calendar=calendar,
    )
    if not dossier.rescheduled:
        dossier.appointment_at = legal
    dossier.legal_due_at = legal


def _check_reschedule(
    dossier: Dossier, request: TransitionRequest, actor: User, now: dt.datetime, calendar: WorkingCalendar
) -> None:
    """Apology letter with a new date: once per dossier, signed by the head of the resolving office, issued no
    later than 1 working day before the due time (Lai Châu QĐ 88/2025 Art. 3(6), under NĐ 118/2025)."""
    if dossier.rescheduled:
        raise RescheduleRefused(_("Hồ sơ đã được hẹn lại một lần; không được hẹn lại lần thứ hai."))
    if not can_see_unit(actor, dossier.resolving_unit):
        raise ActionForbidden(_("Chỉ thủ trưởng cơ quan giải quyết được ký phiếu xin lỗi."))
    if request.new_appointment_at is None:
        raise IntakeInvalid(_("Cần nhập ngày hẹn trả kết quả mới."), fields={"new_appointment_at": "required"})
    if request.new_appointment_at <= dossier.appointment_at:
        raise IntakeInvalid(_("Ngày hẹn mới phải sau ngày hẹn hiện tại."), fields={"new_appointment_at": "invalid"})
    if working_time_between(now, dossier.appointment_at, calendar=calendar) < dt.timedelta(hours=8):
        raise RescheduleRefused(_("Phiếu xin lỗi phải được gửi chậm nhất 01 ngày làm việc trước thời hạn trả kết quả."))


@transaction.atomic
def dossier_submit_online(
    *,
    version: ProcedureVersion,
    receiving_office: Office,
    resolving_office: Office,
    applicant: Applicant,
    documents: list[ReceivedDocument],
    content: str = "",
    vneid_verified: bool = False,
    at: dt.datetime | None = None,
) -> Dossier:
    """An online submission (state 1): the desk checks it, then accepts it (the clock starts), asks once for
    a supplement, or refuses it."""
    if not version.is_frozen:
        raise IntakeInvalid(_("Thủ tục chưa được công bố."), fields={"procedure": "draft"})
    if version.online_level == "none":
        raise IntakeInvalid(_("Thủ tục này chưa được cung cấp trực tuyến."), fields={"procedure": "offline"})
    warnings = _check_applicant(applicant)
    now = at or timezone.now()
    calendar = calendar_get()
    required = {doc.pk: doc for doc in version.documents.all()}
    if {d.required_document_id for d in documents if d.required_document_id} - set(required):
        raise IntakeInvalid(_("Giấy tờ không thuộc thủ tục này."), fields={"documents": "unknown"})
    dossier = _new_dossier(
        version=version,
        receiving_office=receiving_office,
        resolving_office=resolving_office,
        applicant=applicant,
        channel=Channel.ONLINE,
        state=State.SUBMITTED,
        content=content,
        now=now,
        calendar=calendar,
        vneid_verified=vneid_verified,
    )
    dossier.save()
    # what is filed online is electronic: every component is digitised by nature (TT 03/2025 Art. 5)
    _save_documents(dossier, [replace(d, digitised=True) for d in documents], required)
    DossierEvent.objects.create(
        dossier=dossier,
        seq=1,
        at=now,
        actor_label=applicant.name.strip()[:150],
        action="submit",
        to_state=State.SUBMITTED,
        data={"warnings": warnings},
    )
    return dossier


def dossier_warn_due_soon(*, now: dt.datetime | None = None) -> list[str]:
    """Mark open dossiers due within one working day (§1.9: early warning before the apology deadline); each
    dossier is warned once. Returns the codes warned, for notifications."""
    now = now or timezone.now()
    calendar = calendar_get()
    horizon = add_working_time(now, 1, TimeUnit.WORKING_DAYS, calendar=calendar)
    open_states = [State.RECEIVED, State.PROCESSING, State.AWAITING_PAYMENT]
    codes = list(
        Dossier.objects.filter(
            state__in=open_states, due_warning_at__isnull=True, legal_due_at__lte=horizon
        ).values_list("code", flat=True)[:5000]
    )
    if codes:
        Dossier.objects.filter(code__in=codes, due_warning_at__isnull=True).update(due_warning_at=now)
    return codes


@transaction.atomic
def dossier_document_attach_scan(*, code: str, document_id: int, actor: User, upload) -> DossierDocument:
    """Attach the scan of a received document (digitisation, TT 01/2023) and mark it digitised."""
    from chinhquyenso.core.attachments import attachment_store_upload
    from chinhquyenso.core.audit import audit_record

    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("receiving_unit").filter(code=code).first()
    if dossier is None or not can_see_unit(actor, dossier.receiving_unit):
        raise DossierNotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    if actor.role != Role.DESK_OFFICER:
        raise ActionForbidden(_("Chỉ cán bộ Một cửa được số hóa giấy tờ của hồ sơ."))
    document = dossier.documents.filter(pk=document_id).first()
    if document is None:
        raise IntakeInvalid(_("Hồ sơ không có giấy tờ này."), fields={"document_id": "unknown"})
    attachment = attachment_store_upload(upload=upload, uploaded_by=actor)
    document.attachment = attachment
    document.digitised = True
    document.save(update_fields=["attachment", "digitised"])
    audit_record(
        action="dossier.scan_attached",
        actor=actor,
        object_type="Dossier",
        object_id=dossier.code,
        data={"document": document.pk, "sha256": attachment.sha256, "size": attachment.size},
    )
    return document
