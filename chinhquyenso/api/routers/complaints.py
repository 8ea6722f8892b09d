"""The complaints API at /api/v1/complaints/: cases, their actions and assignments, the reception book, the
deadline rules. Senders are always masked here: the clear identity is read only on the staff case page."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from chinhquyenso.api.auth import StaffBearer
from chinhquyenso.api.schemas import ErrorOut
from chinhquyenso.complaints import selectors, services
from chinhquyenso.complaints.identity import Identity
from chinhquyenso.complaints.models import Case, ReceptionVisit
from chinhquyenso.complaints.workflow import allowed_actions
from chinhquyenso.core.errors import InvalidInput, NotFound
from chinhquyenso.core.models import User
from chinhquyenso.core.selectors import admin_unit_get

router = Router(tags=["complaints"], auth=StaffBearer())


class CaseOut(Schema):
    code: str
    kind: str
    channel: str
    unit: str
    state: str
    revision: int
    subject: str
    sender: str = Field(description="Người gửi, luôn được che (không bao giờ là họ tên đầy đủ)")
    anonymous: bool
    received_at: dt.datetime
    due_at: dt.datetime | None
    due_rule: str
    time_barred: bool
    extensions: int
    second_window_ends_at: dt.datetime | None
    actions: list[str]


class EventOut(Schema):
    seq: int
    at: dt.datetime
    actor: str
    action: str
    from_state: str
    to_state: str
    note: str
    due_before: dt.datetime | None
    due_after: dt.datetime | None


class CaseDetailOut(CaseOut):
    content: str
    outcome: str
    events: list[EventOut]


def case_out(case: Case) -> dict:
    return {
        "code": case.code,
        "kind": case.kind,
        "channel": case.channel,
        "unit": case.unit.code,
        "state": case.state,
        "revision": case.revision,
        "subject": case.subject,
        "sender": case.masked_name,
        "anonymous": case.anonymous,
        "received_at": case.received_at,
        "due_at": case.due_at,
        "due_rule": case.due_rule,
        "time_barred": case.time_barred,
        "extensions": case.extensions,
        "second_window_ends_at": case.second_window_ends_at,
        "actions": [str(a) for a in allowed_actions(case.kind, case.state)],
    }


def case_detail_out(case: Case) -> dict:
    return {
        **case_out(case),
        "content": case.content,
        "outcome": case.outcome,
        "events": [
            {
                "seq": e.seq,
                "at": e.at,
                "actor": e.actor_label,
                "action": e.action,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "note": e.note,
                "due_before": e.due_before,
                "due_after": e.due_after,
            }
            for e in case.events.all()
        ],
    }


class CaseQuery(Schema):
    kind: str = ""
    state: str = ""
    due: str = Field("", description="soon | overdue")
    q: str = ""
    limit: int = Field(100, ge=1, le=500)


class CaseIn(Schema):
    kind: str
    unit: str = Field(description="Mã đơn vị hành chính nhận đơn")
    channel: str = "in_person"
    subject: str = Field(max_length=300)
    content: str
    name: str = ""
    address: str = ""
    contact: str = ""
    decision_known_on: dt.date | None = None
    excused_days: int = Field(0, ge=0)
    remote_area: bool = False
    complex_case: bool = False


class ActionIn(Schema):
    action: str
    note: str = ""
    expected_revision: int | None = None


class AssignIn(Schema):
    username: str


class RuleOut(Schema):
    key: str
    variant: str
    name: str
    amount: int
    unit: str
    max_times: int | None
    valid_from: dt.date
    valid_to: dt.date | None
    legal_basis: str
    article: str


class VisitIn(Schema):
    unit: str
    channel: str = "in_person"
    classification: str
    content: str
    name: str = ""
    address: str = ""
    contact: str = ""
    group_size: int = Field(1, ge=1)
    representatives: list[str] = []


class VisitOut(Schema):
    code: str
    at: dt.datetime
    channel: str
    classification: str
    visitor: str
    group_size: int
    answer_due_at: dt.datetime
    answer: str
    answered_at: dt.datetime | None
    case: str | None


class VisitAnswerIn(Schema):
    answer: str
    note: str = ""
    case: str = ""


def visit_out(visit: ReceptionVisit) -> dict:
    return {
        "code": visit.code,
        "at": visit.at,
        "channel": visit.channel,
        "classification": visit.classification,
        "visitor": visit.masked_name,
        "group_size": visit.group_size,
        "answer_due_at": visit.answer_due_at,
        "answer": visit.answer,
        "answered_at": visit.answered_at,
        "case": visit.case.code if visit.case_id else None,
    }


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get("/complaints/cases", response={200: list[CaseOut], **ERRORS})
def case_list(request, query: Query[CaseQuery]):
    cases = selectors.case_filter(
        selectors.case_list_for_user(request.auth), kind=query.kind, state=query.state, due=query.due, query=query.q
    )
    return [case_out(c) for c in cases.order_by("-received_at")[: query.limit]]


@router.post("/complaints/cases", response={201: CaseDetailOut, **ERRORS})
def case_create(request, payload: CaseIn):
    unit = admin_unit_get(code=payload.unit, field="unit")
    case = services.case_receive(
        kind=payload.kind,
        unit=unit,
        channel=payload.channel,
        subject=payload.subject,
        content=payload.content,
        identity=Identity(name=payload.name, address=payload.address, contact=payload.contact),
        actor=request.auth,
        decision_known_on=payload.decision_known_on,
        excused_days=payload.excused_days,
        remote_area=payload.remote_area,
        complex_case=payload.complex_case,
    )
    return Status(201, case_detail_out(case))


@router.get("/complaints/cases/{code}", response={200: CaseDetailOut, **ERRORS})
def case_detail(request, code: str):
    return case_detail_out(selectors.case_get_for_user(user=request.auth, code=code))


@router.post("/complaints/cases/{code}/actions", response={200: CaseDetailOut, **ERRORS})
def case_action(request, code: str, payload: ActionIn):
    case = services.case_transition(
        code=code,
        actor=request.auth,
        request=services.CaseAction(payload.action, payload.note, payload.expected_revision),
    )
    return case_detail_out(case)


@router.post("/complaints/cases/{code}/assignees", response={200: CaseDetailOut, **ERRORS})
def case_assign(request, code: str, payload: AssignIn):
    assignee = User.objects.filter(username=payload.username, is_active=True).first()
    if assignee is None:
        raise InvalidInput(_("Không có cán bộ %(u)s.") % {"u": payload.username}, fields={"username": "unknown"})
    services.case_assign(code=code, actor=request.auth, assignee=assignee)
    return case_detail_out(selectors.case_get_for_user(user=request.auth, code=code))


@router.get("/complaints/rules", response={200: list[RuleOut], **ERRORS})
def rule_list(request, on: dt.date | None = None):
    return [
        {
            "key": r.key,
            "variant": r.variant,
            "name": r.name,
            "amount": r.amount,
            "unit": r.unit,
            "max_times": r.max_times,
            "valid_from": r.valid_from,
            "valid_to": r.valid_to,
            "legal_basis": r.legal_basis.number,
            "article": r.article,
        }
        for r in selectors.deadline_rule_list(on=on)
    ]


@router.post("/complaints/visits", response={201: VisitOut, **ERRORS})
def visit_create(request, payload: VisitIn):
    visit = services.visit_record(
        unit=admin_unit_get(code=payload.unit, field="unit"),
        channel=payload.channel,
        classification=payload.classification,
        content=payload.content,
        identity=Identity(name=payload.name, address=payload.address, contact=payload.contact),
        actor=request.auth,
        group_size=payload.group_size,
        representatives=payload.representatives,
    )
    return Status(201, visit_out(visit))


@router.post("/complaints/visits/{code}/answer", response={200: VisitOut, **ERRORS})
def visit_answer(request, code: str, payload: VisitAnswerIn):
    case = selectors.case_get_for_user(user=request.auth, code=payload.case) if payload.case else None
    visit = services.visit_answer(code=code, actor=request.auth, answer=payload.answer, note=payload.note, case=case)
    return visit_out(visit)


class OpenCaseIn(Schema):
    decision_known_on: dt.date | None = None


@router.post("/complaints/visits/{code}/case", response={201: CaseDetailOut, **ERRORS})
def visit_open_case(request, code: str, payload: OpenCaseIn):
    case = services.visit_open_case(code=code, actor=request.auth, decision_known_on=payload.decision_known_on)
    return Status(201, case_detail_out(case))


@router.get("/complaints/visits/{code}", response={200: VisitOut, **ERRORS})
def visit_detail(request, code: str):
    visit = selectors.reception_visit_list_for_user(request.auth).filter(code=code).first()
    if visit is None:
        raise NotFound(_("Không tìm thấy lượt tiếp %(code)s.") % {"code": code})
    return visit_out(visit)
