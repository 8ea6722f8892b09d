"""Numbering sequences: under concurrent transactions every number is taken once, none is skipped."""

import threading

import pytest
from django.db import connections, transaction

from chinhquyenso.core.models import NumberSequence
from chinhquyenso.core.numbering import sequence_next

pytestmark = pytest.mark.django_db(transaction=True)

SCOPE = "000.00.31.H01-260213"


def take(scope: str = SCOPE) -> int:
    with transaction.atomic():
        return sequence_next(scope=scope)


def test_eight_clerks_taking_numbers_at_once_get_1_to_200_exactly_once():
    clerks, per_clerk = 8, 25
    start = threading.Barrier(clerks)
    taken: list[int] = []
    failures: list[Exception] = []

    def clerk() -> None:
        try:
            start.wait()  # all begin together, before the scope's row exists
            numbers = [take() for _ in range(per_clerk)]
            taken.extend(numbers)
        except Exception as error:  # reported by the main thread
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk) for _ in range(clerks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert sorted(taken) == list(range(1, clerks * per_clerk + 1))
    assert NumberSequence.objects.get(scope=SCOPE).last_value == clerks * per_clerk


def test_a_rolled_back_transaction_gives_its_number_back():
    assert take() == 1

    with pytest.raises(RuntimeError), transaction.atomic():
        assert sequence_next(scope=SCOPE) == 2
        raise RuntimeError("the dossier could not be saved")

    assert take() == 2


def test_each_scope_counts_on_its_own():
    assert [take("A"), take("B"), take("A"), take("A"), take("B")] == [1, 1, 2, 3, 2]


def test_a_number_taken_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="transaction"):
        sequence_next(scope=SCOPE)
    assert not NumberSequence.objects.exists()
