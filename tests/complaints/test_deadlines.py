"""The deadline table walked with real dates across Tết 2026 (14–22/02/2026 off), the time bar, extensions,
and rules judged as at the receipt date."""

import datetime as dt

import pytest

from chinhquyenso.complaints import selectors
from chinhquyenso.complaints.errors import ExtensionLimitReached, SecondWindowClosed, TimeBarred
from chinhquyenso.complaints.models import CaseKind, DeadlineRule
from chinhquyenso.complaints.rules import RULES
from chinhquyenso.complaints.services import CaseAction, case_transition
from chinhquyenso.complaints.workflow import State
from tests.complaints.conftest import COMPLAINANT, receive
from tests.procedures.conftest import at

pytestmark = pytest.mark.django_db


def close_of(year, month, day):
    return at(year, month, day, 17)


def test_every_statutory_limit_is_a_row_with_unit_validity_and_legal_basis(cw):
    rows = DeadlineRule.objects.select_related("legal_basis")
    assert rows.count() == len(RULES)
    for row in rows:
        assert row.unit in ("working_days", "calendar_days")
        assert row.valid_from is not None and row.legal_basis.number and row.article
    table = {(r.key, r.variant): (r.amount, r.unit) for r in rows}
    assert table[("reception.answer", "")] == (10, "working_days")
    assert table[("complaint.time_bar", "")] == (90, "calendar_days")
    assert table[("complaint.acceptance", "")] == (10, "working_days")
    assert table[("complaint.first_instance", "remote_complex")][0] == 60
    assert table[("complaint.second_window", "remote")] == (45, "calendar_days")
    assert table[("complaint.second_instance", "remote_complex")][0] == 70
    assert table[("denunciation.initial", "")] == (7, "working_days")
    assert table[("denunciation.initial", "complex")] == (10, "working_days")
    assert table[("denunciation.transfer", "")] == (5, "working_days")
    assert table[("denunciation.resolution", "")] == (30, "calendar_days")
    assert DeadlineRule.objects.get(key="denunciation.extension").max_times == 2
    assert [table[("pakn." + k, "")][0] for k in ("reject", "supplement", "handle", "publish")] == [2, 5, 15, 2]


def test_complaint_acceptance_skips_the_nine_days_of_tet_2026(cw):
    case = receive(
        cw,
        kind=CaseKind.COMPLAINT,
        identity=COMPLAINANT,
        when=at(2026, 2, 11, 9),
        decision_known_on=dt.date(2026, 2, 1),
    )
    # Thu 12, Fri 13, then Mon 23/02 ... Wed 04/03 is the 10th working day
    assert case.due_at == close_of(2026, 3, 4)
    assert case.due_rule == "complaint.acceptance"
    assert case.time_barred is False


def test_denunciation_initial_handling_is_seven_working_days_and_ten_when_complex(cw):
    plain = receive(cw, when=at(2026, 2, 13, 10))
    assert plain.due_at == close_of(2026, 3, 3)
    complex_case = receive(cw, when=at(2026, 2, 13, 10), complex_case=True)
    assert complex_case.due_at == close_of(2026, 3, 6)


def test_feedback_is_handled_within_fifteen_working_days(cw):
    case = receive(cw, kind=CaseKind.FEEDBACK, when=at(2026, 2, 12, 15))
    assert case.due_at == close_of(2026, 3, 12)


def test_complaint_time_bar_is_ninety_days_moved_past_a_sunday(cw):
    # 10/11/2025 + 90 days = Sunday 08/02/2026: the period ends at the close of Monday 09/02
    on_time = receive(
        cw,
        kind=CaseKind.COMPLAINT,
        identity=COMPLAINANT,
        when=at(2026, 2, 9, 16),
        decision_known_on=dt.date(2025, 11, 10),
    )
    assert on_time.time_bar_ends_at == close_of(2026, 2, 9)
    assert on_time.time_barred is False
    late = receive(
        cw,
        kind=CaseKind.COMPLAINT,
        identity=COMPLAINANT,
        when=at(2026, 2, 10, 9),
        decision_known_on=dt.date(2025, 11, 10),
    )
    assert late.time_barred is True
    excused = receive(
        cw,
        kind=CaseKind.COMPLAINT,
        identity=COMPLAINANT,
        when=at(2026, 2, 10, 9),
        decision_known_on=dt.date(2025, 11, 10),
        excused_days=5,
    )
    assert excused.time_barred is False


def test_a_time_barred_complaint_can_only_be_refused(cw):
    case = receive(
        cw,
        kind=CaseKind.COMPLAINT,
        identity=COMPLAINANT,
        when=at(2026, 2, 10, 9),
        decision_known_on=dt.date(2025, 11, 10),
    )
    with pytest.raises(TimeBarred):
        case_transition(code=case.code, actor=cw.inspector, request=CaseAction("accept"), at=at(2026, 2, 11))
    refused = case_transition(
        code=case.code, actor=cw.inspector, request=CaseAction("refuse", note="Quá thời hiệu"), at=at(2026, 2, 11)
    )
    assert refused.state == State.NOT_ACCEPTED


def test_complaint_walk_first_instance_window_second_instance(cw):
    case = receive(
        cw,
        kind=CaseKind.COMPLAINT,
        identity=COMPLAINANT,
        when=at(2026, 2, 11, 9),
        decision_known_on=dt.date(2026, 2, 1),
    )
    case = case_transition(code=case.code, actor=cw.inspector, request=CaseAction("accept"), at=at(2026, 2, 24, 9))
    # 30 working days from Wed 25/02: 25, 26, 27/02, March 2–6 ... Giỗ Tổ (Sun 26/04) is after the end
    assert case.state == State.ACCEPTED and case.due_at == close_of(2026, 4, 7)
    case = case_transition(
        code=case.code, actor=cw.head, request=CaseAction("decide", note="QĐ 12/QĐ-UBND"), at=at(2026, 3, 20, 10)
    )
    assert case.state == State.DECIDED_FIRST and case.due_at is None
    assert case.second_window_ends_at == close_of(2026, 4, 20)  # 30 days: Sun 19/04 -> Mon 20/04
    case = case_transition(
        code=case.code, actor=cw.inspector, request=CaseAction("file_second"), at=at(2026, 4, 20, 16)
    )
    assert case.state == State.SECOND_RECEIVED and case.due_rule == "complaint.acceptance"
    case = case_transition(code=case.code, actor=cw.inspector, request=CaseAction("accept"), at=at(2026, 4, 21, 9))
    assert case.state == State.SECOND_ACCEPTED and case.due_rule == "complaint.second_instance"
    case = case_transition(
        code=case.code, actor=cw.head, request=CaseAction("decide", note="QĐ lần hai"), at=at(2026, 5, 5)
    )
    assert case.state == State.DECIDED_SECOND and case.finished_at is not None
    assert [e.action for e in case.events.all()] == ["receive", "accept", "decide", "file_second", "accept", "decide"]


def test_remote_complex_first_instance_is_sixty_working_days(cw):
    case = receive(
        cw,
        kind=CaseKind.COMPLAINT,
        identity=COMPLAINANT,
        when=at(2026, 3, 2, 9),
        decision_known_on=dt.date(2026, 2, 1),
        remote_area=True,
        complex_case=True,
    )
    case = case_transition(code=case.code, actor=cw.inspector, request=CaseAction("accept"), at=at(2026, 3, 2, 10))
    rule = selectors.deadline_rule_get(
        key="complaint.first_instance", on=dt.date(2026, 3, 2), remote=True, complex_case=True
    )
    assert rule.amount == 60 and rule.variant == "remote_complex"


def test_a_second_complaint_after_the_window_is_refused(cw):
    case = receive(
        cw,
        kind=CaseKind.COMPLAINT,
        identity=COMPLAINANT,
        when=at(2026, 2, 11, 9),
        decision_known_on=dt.date(2026, 2, 1),
    )
    case_transition(code=case.code, actor=cw.inspector, request=CaseAction("accept"), at=at(2026, 2, 24, 9))
    case_transition(code=case.code, actor=cw.head, request=CaseAction("decide", note="QĐ"), at=at(2026, 3, 20, 10))
    with pytest.raises(SecondWindowClosed):
        case_transition(code=case.code, actor=cw.inspector, request=CaseAction("file_second"), at=at(2026, 4, 21, 8))


def test_denunciation_resolution_allows_two_extensions_and_refuses_a_third(cw):
    case = receive(cw, when=at(2026, 2, 13, 10))
    case = case_transition(code=case.code, actor=cw.inspector, request=CaseAction("accept"), at=at(2026, 3, 3, 10))
    assert case.due_at == close_of(2026, 4, 2)  # 30 days
    case = case_transition(
        code=case.code, actor=cw.head, request=CaseAction("extend", note="QĐ gia hạn 01"), at=at(2026, 3, 30)
    )
    # +30 days from 02/04 = Sat 02/05 (30/4 and 1/5 off too): the close of Mon 04/05
    assert case.extensions == 1 and case.due_at == close_of(2026, 5, 4)
    case = case_transition(
        code=case.code, actor=cw.head, request=CaseAction("extend", note="QĐ gia hạn 02"), at=at(2026, 4, 28)
    )
    assert case.extensions == 2 and case.due_at == close_of(2026, 6, 3)
    with pytest.raises(ExtensionLimitReached):
        case_transition(code=case.code, actor=cw.head, request=CaseAction("extend", note="QĐ 03"), at=at(2026, 5, 30))
    events = list(case.events.filter(action="extend"))
    assert [e.data["decision"] for e in events] == ["QĐ gia hạn 01", "QĐ gia hạn 02"]
    assert case.events.get(action="extend", seq=events[0].seq).due_before == close_of(2026, 4, 2)


def test_an_extension_needs_a_recorded_decision(cw):
    from chinhquyenso.complaints.errors import CaseInvalid

    case = receive(cw)
    case_transition(code=case.code, actor=cw.inspector, request=CaseAction("accept"), at=at(2026, 3, 3, 10))
    with pytest.raises(CaseInvalid):
        case_transition(code=case.code, actor=cw.head, request=CaseAction("extend"), at=at(2026, 3, 30))


def test_a_case_is_judged_under_the_rules_in_force_on_its_receipt_date(cw):
    old = DeadlineRule.objects.get(key="complaint.acceptance")
    old.valid_to = dt.date(2026, 6, 30)
    old.save()
    DeadlineRule.objects.create(
        key="complaint.acceptance",
        variant="",
        name="Thụ lý (luật mới, giả định)",
        amount=15,
        unit="working_days",
        valid_from=dt.date(2026, 7, 1),
        legal_basis=old.legal_basis,
        article="giả định cho kiểm thử",
    )
    before = receive(
        cw,
        kind=CaseKind.COMPLAINT,
        identity=COMPLAINANT,
        when=at(2026, 6, 30, 9),
        decision_known_on=dt.date(2026, 6, 1),
    )
    after = receive(
        cw, kind=CaseKind.COMPLAINT, identity=COMPLAINANT, when=at(2026, 7, 1, 9), decision_known_on=dt.date(2026, 6, 1)
    )
    assert before.due_at == close_of(2026, 7, 14)  # 10 working days after Tue 30/06
    assert after.due_at == close_of(2026, 7, 22)  # 15 working days after Wed 01/07


def test_a_transfer_of_a_denunciation_is_judged_against_five_working_days(cw):
    on_time = receive(cw, when=at(2026, 2, 13, 10))
    late = receive(cw, when=at(2026, 2, 13, 10))
    # five working days after Fri 13/02 across Tết: Mon 23 ... Fri 27/02
    for case, when, expected in ((on_time, at(2026, 2, 27, 16), True), (late, at(2026, 3, 2, 9), False)):
        case_transition(
            code=case.code, actor=cw.inspector, request=CaseAction("transfer", note="Công an quận"), at=when
        )
        event = case.events.get(action="transfer")
        assert event.data["limit_rule"] == "denunciation.transfer" and event.data["on_time"] is expected


def test_refusing_a_report_is_due_within_two_working_days(cw):
    case = receive(cw, kind=CaseKind.FEEDBACK, when=at(2026, 2, 12, 9))
    case_transition(
        code=case.code,
        actor=cw.inspector,
        request=CaseAction("refuse", note="Không thuộc phạm vi"),
        at=at(2026, 2, 23, 9),
    )
    event = case.events.get(action="refuse")
    assert event.data["limit_rule"] == "pakn.reject" and event.data["on_time"] is True  # Fri 13, Mon 23/02


def test_with_no_first_decision_the_second_complaint_window_opens_when_the_limit_runs_out(cw):
    from chinhquyenso.complaints.errors import FirstInstanceRunning

    def accepted():
        case = receive(
            cw,
            kind=CaseKind.COMPLAINT,
            identity=COMPLAINANT,
            when=at(2026, 2, 11, 9),
            decision_known_on=dt.date(2026, 2, 1),
        )
        return case_transition(code=case.code, actor=cw.inspector, request=CaseAction("accept"), at=at(2026, 2, 24, 9))

    running = accepted()
    assert running.due_at == close_of(2026, 4, 7)
    with pytest.raises(FirstInstanceRunning):
        case_transition(code=running.code, actor=cw.inspector, request=CaseAction("file_second"), at=at(2026, 4, 7, 16))
    filed = case_transition(
        code=running.code, actor=cw.inspector, request=CaseAction("file_second"), at=at(2026, 4, 8, 9)
    )
    assert filed.state == State.SECOND_RECEIVED and filed.second_window_ends_at == close_of(2026, 5, 7)
    late = accepted()
    with pytest.raises(SecondWindowClosed):
        case_transition(code=late.code, actor=cw.inspector, request=CaseAction("file_second"), at=at(2026, 5, 8, 9))
