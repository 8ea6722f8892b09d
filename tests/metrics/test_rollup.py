"""The summaries equal a recomputation from the events: after random transitions on the demo data, with a
planted difference found by verify_metrics, and with two refreshes running at once."""

import datetime as dt
import io
import random
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum

from chinhquyenso.core.errors import DomainError
from chinhquyenso.core.models import Role, User
from chinhquyenso.metrics.models import DailyFigures
from chinhquyenso.metrics.selectors import rollup_differences
from chinhquyenso.metrics.services import metrics_refresh
from chinhquyenso.procedures.models import Dossier
from chinhquyenso.procedures.services import TransitionRequest, dossier_transition
from chinhquyenso.procedures.workflow import OPEN, STEP_ROLE, allowed_actions, transitions_from
from tests.procedures.conftest import at, receive


def _actor_for(dossier, action, staff):
    roles = set()
    for t in transitions_from(dossier.state, action):
        roles |= {dossier.current_step.role if r == STEP_ROLE and dossier.current_step else r for r in t.roles}
    for user in staff:
        if user.role in roles and (
            dossier.resolving_unit.path.startswith(user.scope.path)
            or dossier.receiving_unit.path.startswith(user.scope.path)
        ):
            return user
    return None


@pytest.mark.django_db
def test_summaries_equal_recomputation_after_random_transitions_on_the_demo_data(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    metrics_refresh()
    assert rollup_differences() == []
    rng = random.Random(766)
    staff = list(User.objects.filter(scope__isnull=False).select_related("scope").exclude(role=Role.ADMINISTRATOR))
    open_dossiers = list(
        Dossier.objects.filter(state__in=OPEN).select_related("current_step", "resolving_unit", "receiving_unit")
    )
    done = 0
    for i in range(120):
        dossier = rng.choice(open_dossiers)
        dossier.refresh_from_db()
        actions = allowed_actions(dossier.state)
        if not actions:
            continue
        action = rng.choice(actions)
        actor = _actor_for(dossier, action, staff)
        if actor is None:
            continue
        try:
            dossier_transition(code=dossier.code, actor=actor, request=TransitionRequest(action=action, note="thử"))
            done += 1
        except DomainError:
            pass  # a refused transition changes nothing
        if i % 17 == 0:
            metrics_refresh()
    assert done >= 20
    metrics_refresh()
    assert rollup_differences() == []
    # and the receipts summed from the summaries equal a count of the dossiers themselves
    received = DailyFigures.objects.aggregate(n=Sum("received"))["n"]
    assert received == Dossier.objects.filter(received_at__isnull=False).count()


@pytest.mark.django_db
def test_verify_metrics_reports_a_planted_difference_and_exits_non_zero(world):
    receive(world, when=at(2026, 3, 2, 9))
    receive(world, when=at(2026, 3, 3, 9))
    metrics_refresh()
    out = io.StringIO()
    call_command("verify_metrics", stdout=out)
    assert "match" in out.getvalue()
    # when a summary row is altered behind the refresh's back
    row = DailyFigures.objects.get(day="2026-03-03")
    row.received += 5
    row.save()
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_metrics", stdout=out, stderr=err)
    assert exit_info.value.code == 1
    assert "2026-03-03" in out.getvalue() and "received: expected 1, stored 6" in out.getvalue()


@pytest.mark.django_db
def test_refresh_metrics_command_folds_everything_new(world):
    receive(world, when=at(2026, 3, 2, 9))
    out = io.StringIO()
    call_command("refresh_metrics", stdout=out)
    assert out.getvalue().startswith("1 dossier")
    assert rollup_differences() == []


@pytest.mark.django_db(transaction=True)
def test_two_refreshes_at_once_count_every_dossier_once(world):
    for minute in range(6):
        receive(world, when=at(2026, 3, 2, 9, minute))
    barrier = threading.Barrier(2)
    errors = []

    def refresh():
        try:
            barrier.wait()
            metrics_refresh()
        except Exception as exc:  # asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=refresh) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert DailyFigures.objects.aggregate(n=Sum("received"))["n"] == 6
    assert rollup_differences() == []


@pytest.mark.django_db
def test_a_scan_or_an_e_result_without_an_event_reaches_the_summaries_at_the_next_refresh(world):
    from django.utils import timezone

    from chinhquyenso.procedures.models import DossierDocument

    now = timezone.now()
    dossier = receive(world, when=now - dt.timedelta(days=2))
    DossierDocument.objects.filter(dossier=dossier).update(digitised=False)
    Dossier.objects.filter(pk=dossier.pk).update(revision=dossier.revision)  # no event, no revision change
    metrics_refresh()
    # when the desk attaches a scan and the office issues an e-result (neither writes a dossier event)
    DossierDocument.objects.filter(dossier=dossier).update(digitised=True)
    Dossier.objects.filter(pk=dossier.pk).update(result_code="KQ-1")
    assert rollup_differences() != []
    metrics_refresh()
    assert rollup_differences() == []
