"""Every (state, action) pair of the lifecycle: allowed pairs succeed for the right actor, all others are
refused with 409 and leave the dossier untouched."""

import itertools

import pytest

from chinhquyenso.procedures.errors import TransitionNotAllowed
from chinhquyenso.procedures.models import Dossier, DossierEvent
from chinhquyenso.procedures.services import (
    Applicant,
    TransitionRequest,
    dossier_submit_online,
    dossier_transition,
)
from chinhquyenso.procedures.workflow import TABLE, Action, State, allowed_actions
from tests.procedures.conftest import all_documents, at, receive

pytestmark = pytest.mark.django_db

T0 = at(2026, 3, 2, 9)


def act(world, dossier, action, *, actor=None, when=None, **extra):
    actor = actor or actor_for(world, dossier, Action(action))
    note = extra.pop("note", "lý do")
    return dossier_transition(
        code=dossier.code, actor=actor, request=TransitionRequest(action=action, note=note, **extra), at=when or T0
    )


def actor_for(world, dossier, action):
    dossier.refresh_from_db()
    if action in (Action.RESCHEDULE, Action.STOP):
        return world.head
    desk_actions = {
        Action.ACCEPT,
        Action.REFUSE,
        Action.COMPLETE_SUPPLEMENT,
        Action.FORWARD,
        Action.WITHDRAW,
        Action.RETURN_RESULT,
        Action.CONFIRM_PAYMENT,
    }
    if action in desk_actions or dossier.state in (State.SUBMITTED, State.RECEIVED):
        return world.desk
    role = dossier.current_step.role if dossier.current_step else "desk_officer"
    return {
        "desk_officer": world.desk,
        "specialist": world.specialist,
        "office_leader": world.office_leader,
        "unit_leader": world.head,
    }[role]


def dossier_in(world, state):
    """Drive a fresh dossier into `state` through the services only."""
    if state in (State.SUBMITTED, State.NOT_ACCEPTED) or state == State.SUPPLEMENT_REQUESTED:
        d = dossier_submit_online(
            version=world.version,
            receiving_office=world.desk_office,
            resolving_office=world.ubnd,
            applicant=Applicant(name="Trần Thị Bình"),
            documents=all_documents(world.version),
            at=T0,
        )
        if state == State.NOT_ACCEPTED:
            act(world, d, "refuse")
        if state == State.SUPPLEMENT_REQUESTED:
            d = receive(world, when=T0)
            act(world, d, "forward")
            act(world, d, "complete_step")  # leader assigns → specialist
            act(world, d, "request_supplement")
        return Dossier.objects.get(pk=d.pk)
    d = receive(world, when=T0)
    if state == State.RECEIVED:
        return d
    act(world, d, "forward")
    act(world, d, "complete_step")  # the leader assigns; the dossier is at the specialist's step
    if state == State.PROCESSING:
        return Dossier.objects.get(pk=d.pk)
    if state == State.AWAITING_PAYMENT:
        act(world, d, "request_payment")
    elif state == State.WITHDRAWN:
        act(world, d, "withdraw")
    elif state == State.STOPPED:
        act(world, d, "stop")
    elif state in (State.RESULT_READY, State.RETURNED):
        for _ in range(2):
            act(world, d, "complete_step")
        if state == State.RETURNED:
            act(world, d, "return_result")
    return Dossier.objects.get(pk=d.pk)


ALLOWED = {(t.source, t.action) for t in TABLE}


@pytest.mark.parametrize(
    ("state", "action"), list(itertools.product(State, Action)), ids=lambda v: getattr(v, "name", str(v))
)
def test_every_state_action_pair_is_allowed_or_refused_as_the_table_says(world, state, action):
    # given a dossier in `state`
    dossier = dossier_in(world, state)
    assert dossier.state == state
    events_before = DossierEvent.objects.filter(dossier=dossier).count()
    extra = {}
    if action == Action.RESCHEDULE:
        extra["new_appointment_at"] = at(2026, 3, 20, 9)
    # when the action is applied by the actor who would be entitled to it
    if (state, action) in ALLOWED:
        if state == State.SUPPLEMENT_REQUESTED and action == Action.REQUEST_SUPPLEMENT:
            pytest.fail("the table must not allow a second supplement request")
        updated = act(world, dossier, action, **extra)
        # then the dossier moved to a state the table allows, with one more event
        targets = {t.target for t in TABLE if t.source == state and t.action == action}
        assert updated.state in targets
        assert DossierEvent.objects.filter(dossier=dossier).count() == events_before + 1
    else:
        with pytest.raises(TransitionNotAllowed):
            act(world, dossier, action, **extra)
        dossier.refresh_from_db()
        assert dossier.state == state
        assert DossierEvent.objects.filter(dossier=dossier).count() == events_before


def test_terminal_states_allow_nothing():
    for state in (State.NOT_ACCEPTED, State.WITHDRAWN, State.STOPPED, State.RETURNED):
        assert allowed_actions(state) == []
