"""Every (kind, state, action) pair: the table's transitions are allowed, everything else is refused (409)."""

import pytest

from chinhquyenso.complaints import workflow
from chinhquyenso.complaints.errors import TransitionNotAllowed
from chinhquyenso.complaints.models import Case, CaseKind
from chinhquyenso.complaints.services import CaseAction, case_transition
from tests.complaints.conftest import COMPLAINANT, receive
from tests.procedures.conftest import at

KINDS = [CaseKind.COMPLAINT, CaseKind.DENUNCIATION, CaseKind.PETITION, CaseKind.FEEDBACK]


def test_each_kind_has_a_table_and_terminal_states_have_no_way_out():
    for kind in KINDS:
        table = workflow.TABLES[kind]
        assert table
        for transition in table:
            assert transition.source not in workflow.TERMINAL
    assert workflow.allowed_actions(CaseKind.COMPLAINT, workflow.State.DECIDED_SECOND) == []


def test_withdrawal_is_possible_at_every_open_stage_of_a_complaint_before_a_decision():
    sources = {t.source for t in workflow.COMPLAINT if t.action == workflow.Action.WITHDRAW}
    assert sources == {"received", "accepted", "second_received", "second_accepted"}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("action", list(workflow.Action))
def test_actions_on_a_received_case_follow_the_table(cw, kind, action):
    extra = {"decision_known_on": at(2026, 2, 1).date(), "identity": COMPLAINANT} if kind == CaseKind.COMPLAINT else {}
    case = receive(cw, kind=kind, when=at(2026, 3, 2, 9), **extra)
    transition = workflow.transition_for(kind, case.state, action)
    actor = cw.head
    if transition is None:
        with pytest.raises(TransitionNotAllowed):
            case_transition(code=case.code, actor=actor, request=CaseAction(action, note="x"), at=at(2026, 3, 3))
        assert Case.objects.get(pk=case.pk).revision == 1
    else:
        done = case_transition(code=case.code, actor=actor, request=CaseAction(action, note="x"), at=at(2026, 3, 3))
        assert done.state == transition.target and done.events.count() == 2


@pytest.mark.django_db
def test_an_inspector_may_not_decide_only_the_chairman(cw):
    from chinhquyenso.core.errors import PermissionDenied

    case = receive(cw, kind=CaseKind.COMPLAINT, identity=COMPLAINANT, decision_known_on=at(2026, 2, 1).date())
    case_transition(code=case.code, actor=cw.inspector, request=CaseAction("accept"), at=at(2026, 2, 16))
    with pytest.raises(PermissionDenied):
        case_transition(code=case.code, actor=cw.inspector, request=CaseAction("decide", note="QĐ"), at=at(2026, 3, 1))
