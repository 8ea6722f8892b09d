"""Writes of the complaints domain. `case_transition` is the only code that changes a case's state."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chinhquyenso.complaints import selectors, tasks, workflow
from chinhquyenso.complaints.errors import (
    CaseInvalid,
    CaseNotFound,
    ExtensionLimitReached,
    FirstInstanceRunning,
    IdentityForbidden,
    SecondWindowClosed,
    StaleCase,
    TimeBarred,
    TransitionNotAllowed,
)
from chinhquyenso.complaints.identity import Identity, mask_name, seal, unseal, unseal_identity
from chinhquyenso.complaints.models import (
    Case,
    CaseAssignment,
    CaseChannel,
    CaseEvent,
    CaseKind,
    HostKind,
    ReceptionSession,
    ReceptionVisit,
    ReportCategory,
    VisitAnswer,
)
from chinhquyenso.complaints.permissions import (
    CASE_STAFF,
    can_assign_cases,
    can_read_case_identity,
    can_read_visit_identity,
    can_receive_cases,
)
from chinhquyenso.complaints.rules import due_from
from chinhquyenso.core.audit import audit_record
from chinhquyenso.core.calendar import VIETNAM
from chinhquyenso.core.errors import PermissionDenied
from chinhquyenso.core.models import AdminUnit, Attachment, Role, User
from chinhquyenso.core.numbering import sequence_next
from chinhquyenso.core.permissions import can_see_unit, is_staff_member
from chinhquyenso.core.selectors import calendar_get

CODE_PREFIX = {
    CaseKind.COMPLAINT: "KN",
    CaseKind.DENUNCIATION: "TC",
    CaseKind.PETITION: "KNG",
    CaseKind.FEEDBACK: "PA",
}
# no 0/O or 1/I: the code is read aloud and typed from paper
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MASKED_DENOUNCER = "Người tố cáo (được giữ bí mật)"
IDENTITY_READ = "complaints.identity_read"


@dataclass(frozen=True)
class Location:
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    address_string: str = ""


def _local_date(at: dt.datetime) -> dt.date:
    return at.astimezone(VIETNAM).date()


def _new_code(kind: str, at: dt.datetime) -> str:
    """KN-26000123-X7K2: kind, year, a sequence number, and four random letters so that codes cannot be
    guessed one from another (the code alone opens the status page)."""
    year = _local_date(at).year
    number = sequence_next(scope=f"complaints:{kind}:{year}")
    suffix = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(4))
    return f"{CODE_PREFIX[kind]}-{year % 100:02d}{number:06d}-{suffix}"


def _rule_due(case: Case, key: str, start: dt.datetime, calendar) -> tuple[dt.datetime, str]:
    # the rule in force on the receipt date judges the case for its whole life
    rule = selectors.deadline_rule_get(
        key=key, on=_local_date(case.received_at), remote=case.remote_area, complex_case=case.complex_case
    )
    return due_from(start, amount=rule.amount, unit=rule.unit, calendar=calendar), key


def _masked(kind: str, identity: Identity, anonymous: bool) -> str:
    if anonymous:
        return ""
    if kind == CaseKind.DENUNCIATION:
        return MASKED_DENOUNCER
    return mask_name(identity.name) or "***"


def _event(case: Case, *, actor: User | None, action: str, from_state: str, at, note="", due_before=None, data=None):
    CaseEvent.objects.create(
        case=case,
        seq=case.revision,
        at=at,
        actor=actor,
        actor_label=actor.display_name if actor else _("Người dân (trực tuyến)"),
        action=action,
        from_state=from_state,
        to_state=case.state,
        note=note,
        due_before=due_before,
        due_after=case.due_at,
        data=data or {},
    )


@transaction.atomic
def case_receive(
    *,
    kind: str,
    unit: AdminUnit,
    channel: str,
    subject: str,
    content: str,
    identity: Identity,
    actor: User | None,
    received_at: dt.datetime | None = None,
    decision_known_on: dt.date | None = None,
    excused_days: int = 0,
    remote_area: bool = False,
    complex_case: bool = False,
    category: ReportCategory | None = None,
    location: Location | None = None,
    photo: Attachment | None = None,
) -> Case:
    """Register a case and start its first legal clock under the rules in force on the receipt date.

    A complaint is checked against the 90-day time bar, less time lost to illness or disaster (Art. 9 Law on
    Complaints 2011). A denunciation whose sender cannot be identified is recorded as feedback, not processed
    as a denunciation (Art. 25 Law on Denunciations 2018)."""
    now = received_at or timezone.now()
    if actor is not None and not (can_receive_cases(actor) and can_see_unit(actor, unit)):
        raise PermissionDenied(_("Bạn không tiếp nhận đơn cho đơn vị này."))
    errors = {}
    if kind not in CaseKind.values:
        errors["kind"] = _("Loại đơn không hợp lệ.")
    if channel not in CaseChannel.values:
        errors["channel"] = _("Hình thức nhận đơn không hợp lệ.")
    subject, content = (subject or "").strip(), (content or "").strip()
    if not subject:
        errors["subject"] = _("Cần tóm tắt nội dung đơn.")
    if len(subject) > 300:
        errors["subject"] = _("Tóm tắt tối đa 300 ký tự.")
    if not content:
        errors["content"] = _("Cần ghi nội dung đơn.")
    if kind == CaseKind.COMPLAINT:
        if decision_known_on is None:
            errors["decision_known_on"] = _("Cần ngày nhận được hoặc biết quyết định, hành vi bị khiếu nại.")
        elif decision_known_on > _local_date(now):
            errors["decision_known_on"] = _("Ngày biết quyết định không thể sau ngày nhận đơn.")
    if excused_days < 0 or excused_days > 3650:
        errors["excused_days"] = _("Số ngày trở ngại khách quan không hợp lệ.")
    if errors:
        raise CaseInvalid(next(iter(errors.values())), fields=errors)

    anonymous = identity.is_empty()
    from_anonymous = kind == CaseKind.DENUNCIATION and anonymous
    if from_anonymous:
        kind = CaseKind.FEEDBACK
    if kind == CaseKind.COMPLAINT and anonymous:
        raise CaseInvalid(
            _("Đơn khiếu nại phải ghi họ tên, địa chỉ người khiếu nại (Điều 8 Luật Khiếu nại)."),
            fields={"name": _("Cần họ tên người khiếu nại.")},
        )

    case = Case(
        code=_new_code(kind, now),
        kind=kind,
        channel=channel,
        unit=unit,
        office=getattr(actor, "office", None),
        state=workflow.State.RECEIVED,
        revision=1,
        received_at=now,
        subject=subject,
        content=content,
        category=category,
        identity_token=seal(identity),
        masked_name=_masked(kind, identity, anonymous),
        anonymous=anonymous,
        from_anonymous_denunciation=from_anonymous,
        decision_known_on=decision_known_on if kind == CaseKind.COMPLAINT else None,
        excused_days=excused_days,
        remote_area=remote_area,
        complex_case=complex_case,
        photo=photo,
        created_by=actor,
        **({} if location is None else location.__dict__),
    )
    calendar = calendar_get()
    case.due_at, case.due_rule = _rule_due(case, workflow.RECEIPT_DEADLINE[kind], now, calendar)
    data: dict = {"rule": case.due_rule}
    if kind == CaseKind.COMPLAINT:
        known = dt.datetime.combine(decision_known_on, dt.time(0), VIETNAM)
        bar = selectors.deadline_rule_get(key="complaint.time_bar", on=_local_date(now))
        case.time_bar_ends_at = due_from(known, amount=bar.amount + excused_days, unit=bar.unit, calendar=calendar)
        case.time_barred = now > case.time_bar_ends_at
        data["time_barred"] = case.time_barred
    if from_anonymous:
        data["anonymous_denunciation"] = True
    case.save()
    _event(case, actor=actor, action="receive", from_state="", at=now, data=data)
    return case


@dataclass(frozen=True)
class CaseAction:
    action: str
    note: str = ""
    expected_revision: int | None = None


@transaction.atomic
def case_transition(*, code: str, actor: User, request: CaseAction, at: dt.datetime | None = None) -> Case:
    """Apply one action of the case's lifecycle table under a row lock, write its event, notify on commit."""
    case = Case.objects.select_for_update(of=("self",)).select_related("unit").filter(code=code).first()
    if case is None or not can_see_unit(actor, case.unit):
        raise CaseNotFound(_("Không tìm thấy đơn %(code)s.") % {"code": code})
    if request.action not in workflow.Action.values:
        raise CaseInvalid(
            _("Thao tác không hợp lệ: %(a)s.") % {"a": str(request.action)[:40]}, fields={"action": "invalid"}
        )
    transition = workflow.transition_for(case.kind, case.state, request.action)
    if transition is None:
        raise TransitionNotAllowed(
            _("Không thể thực hiện thao tác này với đơn ở trạng thái “%(state)s”.")
            % {"state": workflow.State(case.state).label}
        )
    if not (actor.is_superuser or actor.role in transition.roles):
        raise PermissionDenied(_("Vai trò của bạn không được thực hiện thao tác này."))
    if request.expected_revision is not None and request.expected_revision != case.revision:
        raise StaleCase(_("Đơn vừa được người khác xử lý. Hãy tải lại trang và thử lại."))
    note = (request.note or "").strip()
    if transition.note_required and not note:
        raise CaseInvalid(_("Cần ghi rõ lý do, nội dung hoặc số quyết định."), fields={"note": "required"})

    now = at or timezone.now()
    calendar = calendar_get()
    action = workflow.Action(request.action)
    from_state, due_before = case.state, case.due_at
    data: dict = {}

    if case.kind == CaseKind.COMPLAINT and action == workflow.Action.ACCEPT and case.time_barred:
        raise TimeBarred(
            _("Đơn khiếu nại đã quá thời hiệu 90 ngày (Điều 9 Luật Khiếu nại 2011): chỉ có thể không thụ lý.")
        )
    if action == workflow.Action.FILE_SECOND and from_state == workflow.State.ACCEPTED:
        # no first decision: the window opens when the first-instance limit runs out (Art. 33)
        if case.due_at is None or now <= case.due_at:
            raise FirstInstanceRunning(
                _("Chưa hết thời hạn giải quyết lần đầu (%(end)s): chưa thể khiếu nại lần hai.")
                % {"end": case.due_at.astimezone(VIETNAM).strftime("%d/%m/%Y") if case.due_at else "—"}
            )
        case.second_window_ends_at, _key = _rule_due(case, "complaint.second_window", case.due_at, calendar)
    if action == workflow.Action.FILE_SECOND and case.second_window_ends_at and now > case.second_window_ends_at:
        raise SecondWindowClosed(
            _("Đã hết thời hạn khiếu nại lần hai (%(end)s, Điều 33 Luật Khiếu nại 2011).")
            % {"end": case.second_window_ends_at.astimezone(VIETNAM).strftime("%d/%m/%Y")}
        )

    if action == workflow.Action.EXTEND:
        rule = selectors.deadline_rule_get(key="denunciation.extension", on=_local_date(case.received_at))
        if rule.max_times is not None and case.extensions >= rule.max_times:
            raise ExtensionLimitReached(
                _("Đã gia hạn %(n)s lần, tối đa %(max)s lần (Điều 30 Luật Tố cáo 2018).")
                % {"n": case.extensions, "max": rule.max_times}
            )
        case.extensions += 1
        case.due_at = due_from(case.due_at or now, amount=rule.amount, unit=rule.unit, calendar=calendar)
        data["extension"] = case.extensions
        data["decision"] = note
    elif transition.deadline == "complaint.second_window":
        case.second_window_ends_at, _key = _rule_due(case, transition.deadline, now, calendar)
        case.due_at, case.due_rule = None, ""
    elif transition.deadline == workflow.SAME:
        pass
    elif transition.deadline:
        case.due_at, case.due_rule = _rule_due(case, transition.deadline, now, calendar)
    else:
        case.due_at, case.due_rule = None, ""

    limit_key = workflow.ACTION_LIMITS.get((case.kind, action))
    if limit_key:
        limit_due, _key = _rule_due(case, limit_key, case.received_at, calendar)
        data.update(limit_rule=limit_key, limit_due=limit_due.isoformat(), on_time=now <= limit_due)
    if action == workflow.Action.ACCEPT:
        data["on_time"] = due_before is None or now <= due_before
        case.accepted_at = now
    if action in (workflow.Action.DECIDE, workflow.Action.CONCLUDE, workflow.Action.RESOLVE):
        data["on_time"] = due_before is None or now <= due_before
        case.decided_at = now
        case.outcome = note
    if action == workflow.Action.TRANSFER:
        case.transferred_to = note[:200]
    case.state = transition.target
    if case.state in workflow.TERMINAL:
        case.finished_at = now
    case.revision += 1
    case.save()
    _event(case, actor=actor, action=action, from_state=from_state, at=now, note=note, due_before=due_before, data=data)
    case_id = case.pk
    transaction.on_commit(lambda: tasks.case_notice_send(case_id=case_id, action=str(action)))
    return case


@transaction.atomic
def case_assign(*, code: str, actor: User, assignee: User, at: dt.datetime | None = None) -> CaseAssignment:
    """A leader assigns a handler; for a denunciation only an inspector may be assigned (and then read the
    denouncer's identity, Art. 9(1)(b) Law on Denunciations 2018)."""
    case = Case.objects.select_for_update(of=("self",)).select_related("unit").filter(code=code).first()
    if case is None or not can_see_unit(actor, case.unit):
        raise CaseNotFound(_("Không tìm thấy đơn %(code)s.") % {"code": code})
    if not can_assign_cases(actor):
        raise PermissionDenied(_("Chỉ lãnh đạo được phân công xử lý đơn."))
    allowed = {Role.INSPECTOR} if case.kind == CaseKind.DENUNCIATION else set(CASE_STAFF)
    if assignee.role not in allowed or not can_see_unit(assignee, case.unit) or not assignee.is_active:
        raise CaseInvalid(_("Người được phân công không phù hợp với đơn này."), fields={"assignee": "invalid"})
    now = at or timezone.now()
    assignment, created = CaseAssignment.objects.get_or_create(
        case=case, user=assignee, defaults={"assigned_at": now, "assigned_by": actor}
    )
    if created:
        case.revision += 1
        case.save(update_fields=["revision", "updated_at"])
        _event(
            case,
            actor=actor,
            action="assign",
            from_state=case.state,
            at=now,
            note=assignee.display_name,
            data={"assignee": assignee.username},
        )
        audit_record(
            action="complaints.assign",
            actor=actor,
            object_type="complaints.case",
            object_id=case.code,
            data={"assignee": assignee.username},
        )
    return assignment


def case_identity_read(*, case: Case, actor: User, ip_address: str | None = None, purpose: str = "") -> Identity:
    """The clear identity of a case's sender, for an assigned handler only; every read is in the audit log
    (Art. 9(1)(b) Law on Denunciations 2018)."""
    if not can_read_case_identity(actor, case):
        raise IdentityForbidden(_("Bạn không được xem thông tin người gửi đơn này."))
    with transaction.atomic():
        audit_record(
            action=IDENTITY_READ,
            actor=actor,
            object_type="complaints.case",
            object_id=case.code,
            ip_address=ip_address,
            data={"kind": case.kind, "purpose": purpose[:200]},
        )
    return unseal_identity(case.identity_token)


# --- Reception book -----------------------------------------------------------------------------------------
@transaction.atomic
def reception_session_plan(
    *, unit: AdminUnit, on: dt.date, host_kind: str, host_name: str, actor: User, place: str = ""
) -> ReceptionSession:
    """Put a reception day on the schedule (chairman weekly, office heads monthly: Art. 15, 18 Law on Citizen
    Reception 2013)."""
    if not (is_staff_member(actor) and can_see_unit(actor, unit)):
        raise PermissionDenied(_("Bạn không lập lịch tiếp công dân cho đơn vị này."))
    if host_kind not in HostKind.values:
        raise CaseInvalid(_("Người tiếp không hợp lệ."), fields={"host_kind": "invalid"})
    if not host_name.strip():
        raise CaseInvalid(_("Cần họ tên người tiếp."), fields={"host_name": "required"})
    return ReceptionSession.objects.create(
        unit=unit, on=on, host_kind=host_kind, host_name=host_name.strip()[:120], place=place.strip()[:200]
    )


@transaction.atomic
def visit_record(
    *,
    unit: AdminUnit,
    channel: str,
    classification: str,
    content: str,
    identity: Identity,
    actor: User,
    at: dt.datetime | None = None,
    group_size: int = 1,
    representatives: list[str] | None = None,
    session: ReceptionSession | None = None,
) -> ReceptionVisit:
    """Write one visit in the reception book; the answer is due within 10 working days (Art. 28(1) Law on
    Citizen Reception 2013). A group of five or more speaks through representatives (Art. 30)."""
    if not (can_receive_cases(actor) and can_see_unit(actor, unit)):
        raise PermissionDenied(_("Bạn không tiếp công dân cho đơn vị này."))
    errors = {}
    if channel not in (CaseChannel.IN_PERSON, CaseChannel.ONLINE):
        errors["channel"] = _("Hình thức tiếp phải là trực tiếp hoặc trực tuyến.")
    if classification not in CaseKind.values:
        errors["classification"] = _("Phân loại không hợp lệ.")
    if not (content or "").strip():
        errors["content"] = _("Cần ghi nội dung trình bày.")
    if group_size < 1:
        errors["group_size"] = _("Số người phải từ 1 trở lên.")
    names = [name.strip() for name in representatives or [] if name.strip()]
    if group_size >= 5 and not names:
        errors["representatives"] = _("Đoàn từ 5 người trở lên cần cử người đại diện (Điều 30 Luật Tiếp công dân).")
    if errors:
        raise CaseInvalid(next(iter(errors.values())), fields=errors)
    now = at or timezone.now()
    rule = selectors.deadline_rule_get(key="reception.answer", on=_local_date(now))
    visit = ReceptionVisit.objects.create(
        code=f"TCD-{_local_date(now).year % 100:02d}{sequence_next(scope=f'complaints:visit:{now.year}'):06d}",
        unit=unit,
        session=session,
        at=now,
        channel=channel,
        classification=classification,
        identity_token=seal(identity),
        masked_name=_masked(classification, identity, identity.is_empty()),
        group_size=group_size,
        representatives_token=seal({"names": names}) if names else "",
        content=content.strip(),
        received_by=actor,
        answer_due_at=due_from(now, amount=rule.amount, unit=rule.unit, calendar=calendar_get()),
    )
    audit_record(action="complaints.visit_record", actor=actor, object_type="complaints.visit", object_id=visit.code)
    return visit


@transaction.atomic
def visit_answer(
    *, code: str, actor: User, answer: str, note: str = "", case: Case | None = None, at: dt.datetime | None = None
) -> ReceptionVisit:
    """Answer the visitor: accepted, needs more time, refused with grounds, or transferred (Art. 28(1))."""
    visit = ReceptionVisit.objects.select_for_update(of=("self",)).select_related("unit").filter(code=code).first()
    if visit is None or not can_see_unit(actor, visit.unit):
        raise CaseNotFound(_("Không tìm thấy lượt tiếp %(code)s.") % {"code": code})
    if answer not in VisitAnswer.values:
        raise CaseInvalid(_("Nội dung trả lời không hợp lệ."), fields={"answer": "invalid"})
    if visit.answered_at is not None and visit.answer != VisitAnswer.NEEDS_TIME:
        raise TransitionNotAllowed(_("Lượt tiếp này đã được trả lời."))
    note = (note or "").strip()
    if answer in (VisitAnswer.REFUSED, VisitAnswer.TRANSFERRED, VisitAnswer.NEEDS_TIME) and not note:
        raise CaseInvalid(_("Cần ghi rõ lý do hoặc cơ quan được chuyển đến."), fields={"note": "required"})
    now = at or timezone.now()
    visit.answer, visit.answer_note, visit.answered_at, visit.answered_by = answer, note, now, actor
    if case is not None:
        visit.case = case
    visit.save()
    audit_record(
        action="complaints.visit_answer",
        actor=actor,
        object_type="complaints.visit",
        object_id=visit.code,
        data={"answer": answer, "on_time": now <= visit.answer_due_at},
    )
    return visit


@transaction.atomic
def visit_open_case(
    *, code: str, actor: User, decision_known_on: dt.date | None = None, at: dt.datetime | None = None
) -> Case:
    """Open the case a visit brings (its classification, content and visitor) and answer the visit "accepted"
    (Art. 28(1) Law on Citizen Reception 2013). The identity is copied sealed to sealed, read by no one."""
    visit = ReceptionVisit.objects.select_for_update(of=("self",)).select_related("unit").filter(code=code).first()
    if visit is None or not can_see_unit(actor, visit.unit):
        raise CaseNotFound(_("Không tìm thấy lượt tiếp %(code)s.") % {"code": code})
    if visit.case_id is not None:
        raise TransitionNotAllowed(_("Lượt tiếp này đã có đơn %(code)s.") % {"code": visit.case.code})
    now = at or timezone.now()
    case = case_receive(
        kind=visit.classification,
        unit=visit.unit,
        channel=visit.channel,
        subject=visit.content[:300],
        content=visit.content,
        identity=unseal_identity(visit.identity_token),
        actor=actor,
        received_at=visit.at,  # received when the visitor came: the legal clocks run from then
        decision_known_on=decision_known_on,
    )
    visit.case = case
    if not visit.answered_at or visit.answer == VisitAnswer.NEEDS_TIME:
        visit.answer, visit.answered_at, visit.answered_by = VisitAnswer.ACCEPTED, now, actor
    visit.save()
    audit_record(
        action="complaints.visit_open_case",
        actor=actor,
        object_type="complaints.visit",
        object_id=visit.code,
        data={"case": case.code},
    )
    return case


def visit_identity_read(*, visit: ReceptionVisit, actor: User, ip_address: str | None = None) -> dict:
    """The visitor's identity and the group's representatives, for the receiving officer or an assigned handler;
    every read is in the audit log."""
    if not can_read_visit_identity(actor, visit):
        raise IdentityForbidden(_("Bạn không được xem thông tin người đến tiếp công dân này."))
    with transaction.atomic():
        audit_record(
            action=IDENTITY_READ,
            actor=actor,
            object_type="complaints.visit",
            object_id=visit.code,
            ip_address=ip_address,
        )
    return {
        "identity": unseal_identity(visit.identity_token),
        "representatives": unseal(visit.representatives_token).get("names", []),
    }
