"""766 indicator 2.1 from the summaries: supplement time excluded, two supplement requests late,
open dossiers judged at the end of the period."""

import datetime as dt

import pytest

from chinhquyenso.metrics.models import DossierFact
from chinhquyenso.metrics.selectors import Period, index_figures
from chinhquyenso.metrics.services import metrics_refresh
from chinhquyenso.procedures.models import DossierEvent
from chinhquyenso.procedures.services import TransitionRequest, dossier_transition
from chinhquyenso.procedures.workflow import State
from tests.procedures.conftest import at, receive

pytestmark = pytest.mark.django_db
MARCH = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def do(dossier, action, actor, when, **extra):
    extra.setdefault("note", "ghi chú")
    return dossier_transition(
        code=dossier.code, actor=actor, request=TransitionRequest(action=action, **extra), at=when
    )


def finish(world, dossier, when):
    do(dossier, "complete_step", world.specialist, when)
    return do(dossier, "complete_step", world.head, when)


def progress(world, period=MARCH):
    metrics_refresh()
    figure = index_figures(unit=world.kim_lien, period=period).on_time
    return figure.numerator, figure.denominator


def test_supplement_time_is_excluded_from_the_time_limit(world):
    # given a dossier received Monday 02/03 09:00, due Thursday 05/03 09:00
    dossier = receive(world, when=at(2026, 3, 2, 9))
    do(dossier, "forward", world.desk, at(2026, 3, 2, 10))
    do(dossier, "complete_step", world.office_leader, at(2026, 3, 2, 11))
    # when the specialist waits three working days for a supplement and the result is ready Monday 09/03
    do(dossier, "request_supplement", world.specialist, at(2026, 3, 3, 9))
    do(dossier, "complete_supplement", world.desk, at(2026, 3, 6, 9))
    dossier = finish(world, dossier, at(2026, 3, 9, 9))
    assert dossier.state == State.RESULT_READY
    # then it ended within the limit (after the original due time, before the one that excludes the wait)
    assert progress(world) == (1, 1)
    assert DossierFact.objects.get(dossier=dossier).timeliness != "late"


def test_a_pending_supplement_ends_the_count_at_the_request_date(world):
    dossier = receive(world, when=at(2026, 3, 2, 9))
    do(dossier, "forward", world.desk, at(2026, 3, 2, 10))
    do(dossier, "complete_step", world.office_leader, at(2026, 3, 2, 11))
    do(dossier, "request_supplement", world.specialist, at(2026, 3, 3, 9))
    # still waiting for the applicant at the end of March: judged at the request date, on time
    assert progress(world) == (1, 1)
    assert DossierFact.objects.get(dossier=dossier).end_at == at(2026, 3, 3, 9)


def test_more_than_one_supplement_request_counts_late(world):
    # given a dossier finished well within its time limit
    dossier = receive(world, when=at(2026, 3, 2, 9))
    do(dossier, "forward", world.desk, at(2026, 3, 2, 10))
    do(dossier, "complete_step", world.office_leader, at(2026, 3, 2, 11))
    dossier = finish(world, dossier, at(2026, 3, 3, 9))
    assert progress(world) == (1, 1)
    # when its record shows a second supplement request (imported data: the desk refuses a second one)
    seq = dossier.revision + 1
    for n, when in enumerate((at(2026, 3, 2, 12), at(2026, 3, 2, 14))):
        DossierEvent.objects.create(
            dossier=dossier, seq=seq + n, at=when, action="request_supplement", from_state=4, to_state=5
        )
    type(dossier).objects.filter(pk=dossier.pk).update(revision=seq + 1)
    # then 2.1 counts it late
    assert progress(world) == (0, 1)
    assert DossierFact.objects.get(dossier=dossier).timeliness == "late"


def test_an_open_dossier_past_its_due_time_at_the_end_of_the_period_is_late(world):
    # received 30/03, due 02/04: on time at the end of March, late at the end of April
    receive(world, when=at(2026, 3, 30, 9))
    assert progress(world) == (1, 1)
    assert progress(world, Period(dt.date(2026, 4, 1), dt.date(2026, 4, 30))) == (0, 1)


def test_a_late_result_counts_late_in_the_month_it_ended(world):
    dossier = receive(world, when=at(2026, 3, 25, 9))  # due 30/03 09:00
    do(dossier, "forward", world.desk, at(2026, 3, 25, 10))
    do(dossier, "complete_step", world.office_leader, at(2026, 3, 25, 11))
    finish(world, dossier, at(2026, 4, 2, 9))
    assert progress(world) == (0, 1)  # open and overdue at the end of March
    figures = index_figures(unit=world.kim_lien, period=Period(dt.date(2026, 4, 1), dt.date(2026, 4, 30)))
    assert figures.counters["ended_late"] == 1 and figures.on_time.denominator == 1


def test_refresh_is_idempotent(world):
    receive(world, when=at(2026, 3, 2, 9))
    assert metrics_refresh() == 1
    assert metrics_refresh() == 0
    # still open after its due time (05/03) at the end of March: late, counted once
    assert progress(world) == (0, 1)
    assert index_figures(unit=world.kim_lien, period=MARCH).counters["received"] == 1


def test_satisfaction_subtracts_late_dossiers_and_not_satisfied_ratings(world):
    from chinhquyenso.desk.models import Rating, RatingChannel, RatingValue

    # two dossiers finished on time in March
    dossiers = []
    for day in (2, 3):
        dossier = receive(world, when=at(2026, 3, day, 9))
        do(dossier, "forward", world.desk, at(2026, 3, day, 10))
        do(dossier, "complete_step", world.office_leader, at(2026, 3, day, 11))
        dossiers.append(finish(world, dossier, at(2026, 3, day, 15)))
    metrics_refresh()

    def satisfaction():
        figure = next(i for i in index_figures(unit=world.kim_lien, period=MARCH).indicators if i.code == "5.4")
        return figure.numerator, figure.denominator, figure.points

    assert satisfaction() == (2, 2, 6)
    # when one applicant rates the handling "not satisfied": 100% − 50% = 50% against the 90% target
    Rating.objects.create(
        dossier=dossiers[0],
        value=RatingValue.NOT_SATISFIED,
        channel=RatingChannel.TRACKING,
        procedure=world.version.procedure,
        unit=world.kim_lien,
        rated_at=at(2026, 3, 4, 9),
    )
    numerator, denominator, points = satisfaction()
    assert (numerator, denominator) == (1, 2)
    assert str(points) == "3.33"
