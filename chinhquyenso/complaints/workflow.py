"""The lifecycles of complaints, denunciations, petitions and public reports (RULES.md §3), one table per kind.

Pure Python, no queries: `services.case_transition` applies the tables. Each transition names the deadline
rule (rules.py keys) that sets the clock of the state it leads to, or None to stop the clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from chinhquyenso.complaints.models import CaseKind
from chinhquyenso.core.models import Role


class State(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    ACCEPTED = "accepted", _("Đã thụ lý")
    NOT_ACCEPTED = "not_accepted", _("Không thụ lý")
    TRANSFERRED = "transferred", _("Đã chuyển cơ quan có thẩm quyền")
    WITHDRAWN = "withdrawn", _("Đã rút đơn")
    # complaints
    DECIDED_FIRST = "decided_first", _("Đã giải quyết lần đầu")
    SECOND_RECEIVED = "second_received", _("Đã nhận khiếu nại lần hai")
    SECOND_ACCEPTED = "second_accepted", _("Đã thụ lý khiếu nại lần hai")
    DECIDED_SECOND = "decided_second", _("Đã giải quyết lần hai")
    CLOSED = "closed", _("Đã kết thúc")
    # denunciations
    CONCLUDED = "concluded", _("Đã kết luận nội dung tố cáo")
    # petitions and public reports
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Chờ bổ sung thông tin")
    PROCESSING = "processing", _("Đang xử lý")
    RESOLVED = "resolved", _("Đã xử lý xong")
    PUBLISHED = "published", _("Đã công khai kết quả")


class Action(models.TextChoices):
    ACCEPT = "accept", _("Thụ lý")
    REFUSE = "refuse", _("Không thụ lý (nêu lý do)")
    TRANSFER = "transfer", _("Chuyển cơ quan có thẩm quyền")
    WITHDRAW = "withdraw", _("Rút đơn theo đơn của người gửi")
    DECIDE = "decide", _("Ban hành quyết định giải quyết")
    FILE_SECOND = "file_second", _("Nhận khiếu nại lần hai")
    CLOSE = "close", _("Kết thúc (hết hạn khiếu nại lần hai hoặc khởi kiện)")
    EXTEND = "extend", _("Gia hạn giải quyết tố cáo")
    CONCLUDE = "conclude", _("Kết luận nội dung tố cáo")
    REQUEST_SUPPLEMENT = "request_supplement", _("Đề nghị bổ sung thông tin")
    COMPLETE_SUPPLEMENT = "complete_supplement", _("Nhận thông tin bổ sung")
    RESOLVE = "resolve", _("Trả lời, xử lý xong")
    PUBLISH = "publish", _("Công khai kết quả")


HANDLERS = frozenset({Role.INSPECTOR, Role.OFFICE_LEADER, Role.UNIT_LEADER})
DECIDERS = frozenset({Role.UNIT_LEADER})
SAME = "same"  # the clock keeps running against the current deadline


@dataclass(frozen=True)
class Transition:
    source: State
    action: Action
    target: State
    roles: frozenset[str] = HANDLERS
    deadline: str | None = None  # rule key from which the new due date is computed, SAME, or None (no clock)
    note_required: bool = False


S, A = State, Action

COMPLAINT: tuple[Transition, ...] = (
    # acceptance within 10 working days of receipt, with a notice (Art. 27; TT 07/2013 Art. 5)
    Transition(S.RECEIVED, A.ACCEPT, S.ACCEPTED, deadline="complaint.first_instance"),
    Transition(S.RECEIVED, A.REFUSE, S.NOT_ACCEPTED, note_required=True),
    Transition(S.RECEIVED, A.TRANSFER, S.TRANSFERRED, note_required=True),
    # first-instance decision within 30/45 days (remote 45/60) of acceptance (Art. 28)
    Transition(S.ACCEPTED, A.DECIDE, S.DECIDED_FIRST, DECIDERS, deadline="complaint.second_window", note_required=True),
    # a second complaint within 30 (remote 45) days of the first decision (Art. 33)
    Transition(S.DECIDED_FIRST, A.FILE_SECOND, S.SECOND_RECEIVED, deadline="complaint.acceptance"),
    # ... or within that window after the first-instance limit ran out with no decision (Art. 33)
    Transition(S.ACCEPTED, A.FILE_SECOND, S.SECOND_RECEIVED, deadline="complaint.acceptance"),
    Transition(S.DECIDED_FIRST, A.CLOSE, S.CLOSED, note_required=True),
    Transition(S.SECOND_RECEIVED, A.ACCEPT, S.SECOND_ACCEPTED, deadline="complaint.second_instance"),
    Transition(S.SECOND_RECEIVED, A.REFUSE, S.NOT_ACCEPTED, note_required=True),
    # second-instance decision within 45/60 days (remote 60/70) of acceptance (Art. 37)
    Transition(S.SECOND_ACCEPTED, A.DECIDE, S.DECIDED_SECOND, DECIDERS, note_required=True),
    # withdrawal at any time before the decision, by a signed letter (Art. 10)
    *(
        Transition(source, A.WITHDRAW, S.WITHDRAWN, note_required=True)
        for source in (S.RECEIVED, S.ACCEPTED, S.SECOND_RECEIVED, S.SECOND_ACCEPTED)
    ),
)

DENUNCIATION: tuple[Transition, ...] = (
    # initial handling within 7 (10) working days; accept, refuse or transfer (Art. 24, 29)
    Transition(S.RECEIVED, A.ACCEPT, S.ACCEPTED, deadline="denunciation.resolution"),
    Transition(S.RECEIVED, A.REFUSE, S.NOT_ACCEPTED, note_required=True),
    Transition(S.RECEIVED, A.TRANSFER, S.TRANSFERRED, note_required=True),
    # resolution within 30 days; at most two extensions of 30 days, each a written decision (Art. 30)
    Transition(S.ACCEPTED, A.EXTEND, S.ACCEPTED, DECIDERS, deadline="denunciation.extension", note_required=True),
    Transition(S.ACCEPTED, A.CONCLUDE, S.CONCLUDED, DECIDERS, note_required=True),
    *(Transition(source, A.WITHDRAW, S.WITHDRAWN, note_required=True) for source in (S.RECEIVED, S.ACCEPTED)),
)

# petitions and public reports on the national PAKN rules: reject ≤ 2, ask for more ≤ 5, handle ≤ 15,
# publish ≤ 2 working days (RULES.md §3.4)
PAKN: tuple[Transition, ...] = (
    Transition(S.RECEIVED, A.ACCEPT, S.PROCESSING, deadline=SAME),
    Transition(S.RECEIVED, A.REFUSE, S.NOT_ACCEPTED, note_required=True),
    Transition(S.RECEIVED, A.REQUEST_SUPPLEMENT, S.AWAITING_SUPPLEMENT, note_required=True),
    Transition(S.RECEIVED, A.TRANSFER, S.TRANSFERRED, note_required=True),
    Transition(S.AWAITING_SUPPLEMENT, A.COMPLETE_SUPPLEMENT, S.RECEIVED, deadline="pakn.handle"),
    Transition(S.PROCESSING, A.RESOLVE, S.RESOLVED, deadline="pakn.publish", note_required=True),
    Transition(S.RESOLVED, A.PUBLISH, S.PUBLISHED),
)

TABLES: dict[str, tuple[Transition, ...]] = {
    CaseKind.COMPLAINT: COMPLAINT,
    CaseKind.DENUNCIATION: DENUNCIATION,
    CaseKind.PETITION: PAKN,
    CaseKind.FEEDBACK: PAKN,
}

# limits counted from receipt that an action must meet, besides the running clock: transfer of a denunciation
# (Art. 24(2) Law on Denunciations 2018), refusal of and request for more on a petition or report (PAKN)
ACTION_LIMITS = {
    (CaseKind.DENUNCIATION, Action.TRANSFER): "denunciation.transfer",
    (CaseKind.PETITION, Action.TRANSFER): "pakn.transfer",
    (CaseKind.FEEDBACK, Action.TRANSFER): "pakn.transfer",
    (CaseKind.PETITION, Action.REFUSE): "pakn.reject",
    (CaseKind.FEEDBACK, Action.REFUSE): "pakn.reject",
    (CaseKind.PETITION, Action.REQUEST_SUPPLEMENT): "pakn.supplement",
    (CaseKind.FEEDBACK, Action.REQUEST_SUPPLEMENT): "pakn.supplement",
}

# the deadline that starts when a case is received, per kind
RECEIPT_DEADLINE = {
    CaseKind.COMPLAINT: "complaint.acceptance",
    CaseKind.DENUNCIATION: "denunciation.initial",
    CaseKind.PETITION: "pakn.handle",
    CaseKind.FEEDBACK: "pakn.handle",
}

TERMINAL = frozenset({S.NOT_ACCEPTED, S.TRANSFERRED, S.WITHDRAWN, S.DECIDED_SECOND, S.CLOSED, S.CONCLUDED, S.PUBLISHED})
# states where nobody owes the sender anything until they act (the second-complaint window is theirs)
WAITING_FOR_SENDER = frozenset({S.DECIDED_FIRST, S.AWAITING_SUPPLEMENT})


EVENT_LABELS = {
    "receive": _("Tiếp nhận đơn"),
    "assign": _("Phân công xử lý"),
    **{action.value: action.label for action in Action},
}


def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))


def transition_for(kind: str, state: str, action: str) -> Transition | None:
    for transition in TABLES[kind]:
        if transition.source == state and transition.action == action:
            return transition
    return None


def allowed_actions(kind: str, state: str) -> list[Action]:
    return [t.action for t in TABLES[kind] if t.source == state]


def is_open(state: str) -> bool:
    return state not in TERMINAL
