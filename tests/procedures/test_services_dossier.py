"""Deadlines, the clock, the one-supplement and one-reschedule rules, scope and intake checks."""

import datetime as dt

import pytest

from chinhquyenso.procedures.errors import (
    ActionForbidden,
    DossierNotFound,
    IntakeInvalid,
    RescheduleRefused,
    StaleDossier,
    SupplementAlreadyRequested,
)
from chinhquyenso.procedures.models import ClockStop, DossierEvent
from chinhquyenso.procedures.services import (
    Applicant,
    ReceivedDocument,
    TransitionRequest,
    dossier_intake,
    dossier_transition,
)
from chinhquyenso.procedures.workflow import State
from tests.procedures.conftest import at, receive

pytestmark = pytest.mark.django_db


def do(world, dossier, action, actor, when, **extra):
    extra.setdefault("note", "ghi chú")
    return dossier_transition(
        code=dossier.code, actor=actor, request=TransitionRequest(action=action, **extra), at=when
    )


def to_specialist(world, dossier, when):
    do(world, dossier, "forward", world.desk, when)
    return do(world, dossier, "complete_step", world.office_leader, when)


def test_receipt_gets_a_circular_03_code_and_a_due_time_in_working_days(world):
    # given a Monday-morning receipt of a 3-working-day procedure
    dossier = receive(world, when=at(2026, 3, 2, 9))
    # then the code is <agency>-<YYMMDD>-<0001> and the appointment is Thursday 09:00
    assert dossier.code == "T.KL.UB-260302-0001"
    assert dossier.state == State.RECEIVED
    assert dossier.appointment_at == at(2026, 3, 5, 9)
    assert dossier.legal_due_at == dossier.appointment_at


def test_due_time_skips_the_tet_holidays(world):
    # Friday 13/02/2026 10:00 + 3 working days: 16–20/02 are Tết holidays → Wednesday 25/02 10:00
    dossier = receive(world, when=at(2026, 2, 13, 10))
    assert dossier.appointment_at == at(2026, 2, 25, 10)


def test_due_time_counts_a_makeup_saturday_and_skips_the_swapped_monday(world):
    # Friday 21/08/2026 09:00 + 3 WD: Saturday 22/08 is worked in exchange for Monday 31/08 → Tuesday 25/08
    dossier = receive(world, when=at(2026, 8, 21, 9))
    assert dossier.appointment_at == at(2026, 8, 25, 9)
    # Thursday 27/08 09:00 + 3 WD: Mon 31/08 (swapped) and 01–02/09 (National Day) are off → Friday 04/09
    dossier = receive(world, when=at(2026, 8, 27, 9))
    assert dossier.appointment_at == at(2026, 9, 4, 9)


def test_receipt_after_office_hours_counts_from_the_next_working_morning(world):
    dossier = receive(world, when=at(2026, 3, 6, 18))  # Friday 18:00
    assert dossier.appointment_at == at(2026, 3, 11, 17)  # Mon 08:00 + 3 WD = the close of Wednesday


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (at(2026, 3, 3, 14, 59), at(2026, 3, 3, 17)),  # before the 15:00 cut-off: the same day
        (at(2026, 3, 3, 15, 1), at(2026, 3, 4, 17)),  # after it: the next working day
        (at(2026, 3, 6, 16), at(2026, 3, 9, 17)),  # Friday after the cut-off: Monday
    ],
)
def test_same_day_procedures_use_the_15h_cut_off(world, received, due):
    dossier = receive(world, when=received, version=world.same_day)
    assert dossier.appointment_at == due


def test_supplement_request_stops_the_clock_and_the_wait_is_added_to_the_due_time(world):
    # given a dossier at the specialist's step, due Thursday 05/03 09:00
    dossier = receive(world, when=at(2026, 3, 2, 9))
    to_specialist(world, dossier, at(2026, 3, 2, 14))
    # when the specialist asks for a supplement on Tuesday 09:00 and it arrives Friday 09:00 (3 working days later)
    do(world, dossier, "request_supplement", world.specialist, at(2026, 3, 3, 9), note="Bổ sung bản sao giấy khai sinh")
    dossier = do(world, dossier, "complete_supplement", world.desk, at(2026, 3, 6, 9))
    # then the due time moves by exactly the 3 working days of waiting
    assert dossier.state == State.PROCESSING
    assert dossier.appointment_at == at(2026, 3, 10, 9)
    stop = ClockStop.objects.get(dossier=dossier)
    assert stop.started_at == at(2026, 3, 3, 9) and stop.ended_at == at(2026, 3, 6, 9)
    event = DossierEvent.objects.get(dossier=dossier, action="complete_supplement")
    assert event.due_before == at(2026, 3, 5, 9) and event.due_after == at(2026, 3, 10, 9)
    assert event.data["paused_minutes"] == 3 * 8 * 60


def test_a_second_supplement_request_is_refused(world):
    dossier = receive(world)
    to_specialist(world, dossier, at(2026, 3, 2, 10))
    do(world, dossier, "request_supplement", world.specialist, at(2026, 3, 2, 11))
    do(world, dossier, "complete_supplement", world.desk, at(2026, 3, 2, 15))
    with pytest.raises(SupplementAlreadyRequested):
        do(world, dossier, "request_supplement", world.specialist, at(2026, 3, 3, 9))


def test_reschedule_with_apology_is_allowed_once_and_stays_counted_late(world):
    dossier = receive(world, when=at(2026, 3, 2, 9))  # due Thu 05/03 09:00
    to_specialist(world, dossier, at(2026, 3, 2, 10))
    # the head signs the apology two working days before the due time
    dossier = do(
        world,
        dossier,
        "reschedule",
        world.head,
        at(2026, 3, 3, 9),
        note="Cần xác minh thêm",
        new_appointment_at=at(2026, 3, 10, 9),
    )
    assert dossier.appointment_at == at(2026, 3, 10, 9)
    assert dossier.legal_due_at == at(2026, 3, 5, 9)
    with pytest.raises(RescheduleRefused):
        do(world, dossier, "reschedule", world.head, at(2026, 3, 3, 10), new_appointment_at=at(2026, 3, 12, 9))
    # finishing after the legal due time counts as late even though the citizen was given a new date
    do(world, dossier, "complete_step", world.specialist, at(2026, 3, 6, 9))
    dossier = do(world, dossier, "complete_step", world.head, at(2026, 3, 6, 10))
    assert dossier.state == State.RESULT_READY
    assert dossier.is_late is True


def test_reschedule_less_than_one_working_day_before_due_is_refused(world):
    dossier = receive(world, when=at(2026, 3, 2, 9))  # due Thu 05/03 09:00
    to_specialist(world, dossier, at(2026, 3, 2, 10))
    with pytest.raises(RescheduleRefused):
        do(world, dossier, "reschedule", world.head, at(2026, 3, 4, 10), new_appointment_at=at(2026, 3, 10, 9))


def test_only_the_head_may_sign_the_apology(world):
    dossier = receive(world)
    to_specialist(world, dossier, at(2026, 3, 2, 10))
    with pytest.raises(ActionForbidden):
        do(world, dossier, "reschedule", world.specialist, at(2026, 3, 2, 11), new_appointment_at=at(2026, 3, 10, 9))


def test_a_step_of_another_role_is_forbidden(world):
    dossier = receive(world)
    do(world, dossier, "forward", world.desk, at(2026, 3, 2, 10))
    with pytest.raises(ActionForbidden):  # the leader's "assign" step, attempted by a specialist
        do(world, dossier, "complete_step", world.specialist, at(2026, 3, 2, 11))


def test_an_assigned_dossier_is_only_completed_by_its_assignee(world):
    dossier = receive(world)
    do(world, dossier, "forward", world.desk, at(2026, 3, 2, 10))
    do(world, dossier, "complete_step", world.office_leader, at(2026, 3, 2, 11), assignee=world.specialist2)
    with pytest.raises(ActionForbidden):
        do(world, dossier, "complete_step", world.specialist, at(2026, 3, 2, 14))
    dossier = do(world, dossier, "complete_step", world.specialist2, at(2026, 3, 2, 15))
    assert dossier.current_step.role == "unit_leader"


def test_another_wards_officer_gets_not_found(world):
    dossier = receive(world)
    with pytest.raises(DossierNotFound):
        do(world, dossier, "forward", world.lang_staff, at(2026, 3, 2, 10))


def test_stale_revision_is_refused(world):
    dossier = receive(world)
    with pytest.raises(StaleDossier):
        do(world, dossier, "forward", world.desk, at(2026, 3, 2, 10), expected_revision=dossier.revision + 5)


def test_each_step_records_its_timeliness_against_its_quota(world):
    dossier = receive(world, when=at(2026, 3, 2, 9))
    do(world, dossier, "forward", world.desk, at(2026, 3, 2, 10))  # ½ day quota, 1 h used: on time, same day
    do(world, dossier, "complete_step", world.office_leader, at(2026, 3, 3, 14))  # ½ day quota: late
    events = {e.action: e for e in DossierEvent.objects.filter(dossier=dossier)}
    assert events["forward"].step_timeliness == "on_time"
    assert events["forward"].step_used_minutes == 60 and events["forward"].step_quota_minutes == 240
    assert events["complete_step"].step_timeliness == "late"


def test_full_walk_from_receipt_to_returned_result_on_time(world):
    dossier = receive(world, when=at(2026, 3, 2, 9))
    do(world, dossier, "forward", world.desk, at(2026, 3, 2, 10))
    do(world, dossier, "complete_step", world.office_leader, at(2026, 3, 2, 11))
    do(world, dossier, "complete_step", world.specialist, at(2026, 3, 3, 11))
    do(world, dossier, "complete_step", world.head, at(2026, 3, 3, 14))
    dossier = do(world, dossier, "return_result", world.desk, at(2026, 3, 4, 9))
    assert dossier.state == State.RETURNED
    assert dossier.is_late is False
    assert dossier.returned_at == at(2026, 3, 4, 9)
    assert list(DossierEvent.objects.filter(dossier=dossier).values_list("seq", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_receipt_with_a_missing_mandatory_document_is_refused_and_names_it(world):
    with pytest.raises(IntakeInvalid) as error:
        dossier_intake(
            actor=world.desk,
            version=world.version,
            receiving_office=world.desk_office,
            resolving_office=world.ubnd,
            applicant=Applicant(name="Lê Văn Cường"),
            documents=[],
            at=at(2026, 3, 2, 9),
        )
    assert "Tờ khai" in error.value.message
    assert error.value.fields == {"documents": "missing"}


def test_incomplete_dossier_gets_a_supplement_request_without_starting_the_clock(world):
    dossier = receive(world, outcome="supplement", note="Thiếu tờ khai có chữ ký")
    assert dossier.state == State.SUPPLEMENT_REQUESTED
    assert dossier.received_at is None and dossier.appointment_at is None
    # when the applicant comes back with the papers, the clock starts then
    dossier = do(world, dossier, "complete_supplement", world.desk, at(2026, 3, 4, 9))
    assert dossier.state == State.RECEIVED
    assert dossier.appointment_at == at(2026, 3, 9, 9)


def test_invalid_citizen_id_blocks_and_inconsistent_birth_year_only_warns(world):
    applicant = Applicant(name="Phạm Thị Dung", id_number="12345")
    with pytest.raises(IntakeInvalid) as error:
        dossier_intake(
            actor=world.desk,
            version=world.version,
            receiving_office=world.desk_office,
            resolving_office=world.ubnd,
            applicant=applicant,
            documents=[ReceivedDocument(d.pk) for d in world.version.documents.all()],
        )
    assert "applicant.id_number" in error.value.fields
    # 001 = Hà Nội, 1 = female born 1900–1999, 85 ≠ 1990: accepted with a warning
    applicant = Applicant(name="Phạm Thị Dung", id_number="001185012345", birth_date=dt.date(1990, 1, 1), female=True)
    result = dossier_intake(
        actor=world.desk,
        version=world.version,
        receiving_office=world.desk_office,
        resolving_office=world.ubnd,
        applicant=applicant,
        documents=[ReceivedDocument(d.pk) for d in world.version.documents.all()],
    )
    assert result.dossier.state == State.RECEIVED
    assert any("1990" in w for w in result.warnings)


def test_another_wards_desk_cannot_receive_here(world):
    with pytest.raises(IntakeInvalid):
        dossier_intake(
            actor=world.lang_staff,
            version=world.version,
            receiving_office=world.desk_office,
            resolving_office=world.ubnd,
            applicant=Applicant(name="Lê Văn Cường"),
            documents=[ReceivedDocument(d.pk) for d in world.version.documents.all()],
        )


def test_dossiers_due_within_a_working_day_are_warned_once(world):
    from chinhquyenso.procedures.services import dossier_warn_due_soon

    soon = receive(world, when=at(2026, 3, 2, 9))  # due Thu 05/03 09:00
    later = receive(world, when=at(2026, 3, 4, 9))  # due Mon 09/03 09:00
    assert dossier_warn_due_soon(now=at(2026, 3, 4, 10)) == [soon.code]
    assert dossier_warn_due_soon(now=at(2026, 3, 4, 11)) == []
    soon.refresh_from_db()
    assert soon.due_warning_at == at(2026, 3, 4, 10)
    assert later.code in dossier_warn_due_soon(now=at(2026, 3, 6, 10))


def test_run_periodic_runs_the_warning_task(world, capsys):
    from django.core.management import call_command

    call_command("run_periodic")
    assert "procedures.warn_due_soon:" in capsys.readouterr().out
