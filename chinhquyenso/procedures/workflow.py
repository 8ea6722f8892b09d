"""The dossier lifecycle: states (national status codes 1–10, RULES.md §1.7) and the allowed transitions.

Pure Python, no queries: a lawyer can review the whole table on one screen. Services apply it
(`services.dossier_transition`); the procedure's internal steps (catalog rows) say who acts inside state 4.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from chinhquyenso.core.models import Role


class State(models.IntegerChoices):
    SUBMITTED = 1, _("Mới đăng ký")
    RECEIVED = 2, _("Được tiếp nhận")
    NOT_ACCEPTED = 3, _("Không được tiếp nhận")
    PROCESSING = 4, _("Đang xử lý")
    SUPPLEMENT_REQUESTED = 5, _("Yêu cầu bổ sung giấy tờ")
    AWAITING_PAYMENT = 6, _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = 7, _("Công dân yêu cầu rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý")
    RESULT_READY = 9, _("Đã xử lý xong")
    RETURNED = 10, _("Đã trả kết quả")


class Action(models.TextChoices):
    ACCEPT = "accept", _("Tiếp nhận hồ sơ")
    REFUSE = "refuse", _("Từ chối tiếp nhận")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung, hoàn thiện hồ sơ")
    COMPLETE_SUPPLEMENT = "complete_supplement", _("Nhận hồ sơ đã bổ sung")
    FORWARD = "forward", _("Chuyển xử lý")
    COMPLETE_STEP = "complete_step", _("Hoàn thành bước, chuyển bước sau")
    SEND_BACK = "send_back", _("Trả lại bước trước")
    REQUEST_PAYMENT = "request_payment", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    CONFIRM_PAYMENT = "confirm_payment", _("Xác nhận đã thực hiện nghĩa vụ tài chính")
    RESCHEDULE = "reschedule", _("Xin lỗi và hẹn lại ngày trả kết quả")
    STOP = "stop", _("Dừng xử lý hồ sơ")
    WITHDRAW = "withdraw", _("Rút hồ sơ theo yêu cầu của công dân")
    RETURN_RESULT = "return_result", _("Trả kết quả")


class Clock(enum.StrEnum):
    """What the action does to the legal clock."""

    KEEP = "keep"
    START = "start"  # the complete dossier is received: the legal time limit starts
    PAUSE = "pause"  # waiting for the applicant (supplement): excluded from the time limit
    RESUME = "resume"
    FINISH = "finish"  # result ready, stopped, withdrawn or refused: the clock ends


STEP_ROLE = "step"  # the role of the dossier's current internal step
DESK = frozenset({Role.DESK_OFFICER})
HEADS = frozenset({Role.OFFICE_LEADER, Role.UNIT_LEADER})


@dataclass(frozen=True)
class Transition:
    source: State
    action: Action
    target: State
    roles: frozenset[str]
    clock: Clock = Clock.KEEP
    note_required: bool = False


S = State
A = Action
TABLE: tuple[Transition, ...] = (
    # intake of an online dossier
    Transition(S.SUBMITTED, A.ACCEPT, S.RECEIVED, DESK, Clock.START),
    Transition(S.SUBMITTED, A.REFUSE, S.NOT_ACCEPTED, DESK, Clock.FINISH, note_required=True),
    Transition(S.SUBMITTED, A.REQUEST_SUPPLEMENT, S.SUPPLEMENT_REQUESTED, DESK, note_required=True),
    # supplement: asked once; before receipt the clock has not started, during processing it pauses
    Transition(S.SUPPLEMENT_REQUESTED, A.COMPLETE_SUPPLEMENT, S.RECEIVED, DESK, Clock.START),
    Transition(S.SUPPLEMENT_REQUESTED, A.COMPLETE_SUPPLEMENT, S.PROCESSING, DESK, Clock.RESUME),
    Transition(
        S.PROCESSING,
        A.REQUEST_SUPPLEMENT,
        S.SUPPLEMENT_REQUESTED,
        frozenset({STEP_ROLE}),
        Clock.PAUSE,
        note_required=True,
    ),
    # processing through the procedure's internal steps
    Transition(S.RECEIVED, A.FORWARD, S.PROCESSING, DESK),
    Transition(S.PROCESSING, A.COMPLETE_STEP, S.PROCESSING, frozenset({STEP_ROLE})),
    Transition(S.PROCESSING, A.COMPLETE_STEP, S.RESULT_READY, frozenset({STEP_ROLE}), Clock.FINISH),
    Transition(S.PROCESSING, A.SEND_BACK, S.PROCESSING, frozenset({STEP_ROLE}), note_required=True),
    Transition(S.PROCESSING, A.REQUEST_PAYMENT, S.AWAITING_PAYMENT, frozenset({STEP_ROLE}), note_required=True),
    Transition(S.AWAITING_PAYMENT, A.CONFIRM_PAYMENT, S.PROCESSING, DESK | frozenset({STEP_ROLE})),
    # apology letter with a new return date: once, at least 1 working day before the due time, by the head
    Transition(S.PROCESSING, A.RESCHEDULE, S.PROCESSING, HEADS, note_required=True),
    # stop before a decision (TT 03/2025 Art. 7); withdrawal at the applicant's request
    Transition(S.PROCESSING, A.STOP, S.STOPPED, HEADS, Clock.FINISH, note_required=True),
    *(
        Transition(source, A.WITHDRAW, S.WITHDRAWN, DESK, Clock.FINISH, note_required=True)
        for source in (S.SUBMITTED, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT)
    ),
    # return of the result
    Transition(S.RESULT_READY, A.RETURN_RESULT, S.RETURNED, DESK),
)

TERMINAL = frozenset({S.NOT_ACCEPTED, S.WITHDRAWN, S.STOPPED, S.RETURNED})
OPEN = frozenset(State) - TERMINAL - {S.RESULT_READY}


def transitions_from(state: State, action: Action) -> list[Transition]:
    return [t for t in TABLE if t.source == state and t.action == action]


def allowed_actions(state: State) -> list[Action]:
    seen: list[Action] = []
    for t in TABLE:
        if t.source == state and t.action not in seen:
            seen.append(t.action)
    return seen


def choose_transition(state: State, action: Action, *, received: bool, has_next_step: bool) -> Transition | None:
    """The single transition that applies, resolving the two choices the table leaves to the dossier:
    a completed supplement goes back to processing only if the dossier had been received, and completing
    the last internal step makes the result ready."""
    options = transitions_from(state, action)
    if action == A.COMPLETE_SUPPLEMENT:
        wanted = S.PROCESSING if received else S.RECEIVED
        options = [t for t in options if t.target == wanted]
    elif action == A.COMPLETE_STEP:
        wanted = S.PROCESSING if has_next_step else S.RESULT_READY
        options = [t for t in options if t.target == wanted]
    return options[0] if options else None
