"""Two inspectors acting on one case at once, two leaders extending one denunciation at once."""

import pytest

from chinhquyenso.complaints.models import Case, CaseEvent
from chinhquyenso.complaints.services import CaseAction, case_transition
from chinhquyenso.core.errors import DomainError
from tests.complaints.conftest import receive
from tests.procedures.conftest import at
from tests.procedures.test_concurrency import run_in_threads

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_inspectors_accepting_the_same_case_at_once_make_exactly_one_event(cw):
    case = receive(cw)

    def accept(index):
        return case_transition(
            code=case.code, actor=cw.inspector, request=CaseAction("accept", expected_revision=1), at=at(2026, 2, 16)
        )

    results, errors = run_in_threads(4, accept)
    assert len(results) == 1 and len(errors) == 3
    assert all(isinstance(error, DomainError) and error.status == 409 for error in errors)
    assert CaseEvent.objects.filter(case=case, action="accept").count() == 1


def test_simultaneous_extensions_never_exceed_two(cw):
    case = receive(cw)
    case_transition(code=case.code, actor=cw.inspector, request=CaseAction("accept"), at=at(2026, 3, 3, 10))

    def extend(index):
        return case_transition(
            code=case.code, actor=cw.head, request=CaseAction("extend", note=f"QĐ {index}"), at=at(2026, 3, 20)
        )

    results, errors = run_in_threads(4, extend)
    assert len(results) == 2 and len(errors) == 2
    assert {error.code for error in errors} == {"extension_limit"}
    assert Case.objects.get(pk=case.pk).extensions == 2
    assert CaseEvent.objects.filter(case=case, action="extend").count() == 2


def test_simultaneous_receipts_get_unique_gap_free_numbers(cw):
    from chinhquyenso.complaints.models import CaseKind

    def receive_five(index):
        return [receive(cw, kind=CaseKind.FEEDBACK, when=at(2026, 3, 2, 9, index)).code for _ in range(5)]

    results, errors = run_in_threads(6, receive_five)
    assert errors == []
    numbers = sorted(int(code.split("-")[1][2:]) for batch in results for code in batch)
    assert numbers == list(range(1, 31))
