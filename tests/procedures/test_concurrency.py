"""Two desks receiving at the same moment, two officers acting on the same dossier at once."""

import threading

import pytest
from django.db import connection

from chinhquyenso.core.errors import DomainError
from chinhquyenso.procedures.models import Dossier, DossierEvent
from chinhquyenso.procedures.services import TransitionRequest, dossier_transition
from tests.procedures.conftest import at, receive

pytestmark = pytest.mark.django_db(transaction=True)


def run_in_threads(count, target):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker(index):
        try:
            barrier.wait()
            results.append(target(index))
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def test_concurrent_intakes_get_unique_gap_free_codes(world):
    # given 8 desks receiving 10 dossiers each at the same moment of the same day
    def intake_ten(index):
        return [receive(world, when=at(2026, 3, 2, 9, index)).code for _ in range(10)]

    results, errors = run_in_threads(8, intake_ten)
    # then every intake succeeded and the daily sequence is exactly 0001..0080
    assert errors == []
    codes = sorted(code for batch in results for code in batch)
    assert codes == [f"T.KL.UB-260302-{n:04d}" for n in range(1, 81)]
    assert Dossier.objects.count() == 80


def test_two_officers_forwarding_the_same_dossier_at_once_make_exactly_one_event(world):
    dossier = receive(world, when=at(2026, 3, 2, 9))
    seen_revision = dossier.revision

    def forward(index):
        return dossier_transition(
            code=dossier.code,
            actor=world.desk,
            request=TransitionRequest(action="forward", expected_revision=seen_revision),
            at=at(2026, 3, 2, 10),
        )

    results, errors = run_in_threads(4, forward)
    assert len(results) == 1
    assert len(errors) == 3 and all(isinstance(e, DomainError) and e.status == 409 for e in errors)
    assert DossierEvent.objects.filter(dossier=dossier, action="forward").count() == 1
    dossier.refresh_from_db()
    assert dossier.revision == seen_revision + 1
