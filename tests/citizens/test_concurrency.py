"""Simultaneous requests: wrong codes tried at once are all counted, a code signs in once, and two callbacks of
the same payment record it once."""

import pytest

from chinhquyenso.citizens import services
from chinhquyenso.citizens.adapters import PaymentOutcome
from chinhquyenso.citizens.errors import CodeExpired, CodeInvalid
from chinhquyenso.citizens.models import OtpChallenge, PaymentTransaction
from chinhquyenso.procedures.models import Dossier
from tests.citizens.conftest import file_online, last_code, sign_in_by_code
from tests.procedures.test_concurrency import run_in_threads

pytestmark = pytest.mark.django_db(transaction=True)


def test_wrong_codes_tried_at_once_are_each_counted_and_close_the_code(world):
    services.otp_request(address="0912345678", client="10.0.0.1")
    wrong = f"{(int(last_code('0912345678')) + 1) % 1_000_000:06d}"

    _results, errors = run_in_threads(6, lambda i: services.otp_verify(address="0912345678", code=wrong))

    assert len(errors) == 6 and all(isinstance(e, CodeInvalid) for e in errors)
    challenge = OtpChallenge.objects.get()
    assert challenge.attempts == 5 and challenge.closed


def test_the_right_code_sent_twice_at_once_signs_in_once(world):
    services.otp_request(address="0912345678", client="10.0.0.1")
    code = last_code("0912345678")

    results, errors = run_in_threads(2, lambda i: services.otp_verify(address="0912345678", code=code))

    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], CodeExpired)


def test_two_callbacks_of_one_payment_at_once_record_it_once(world):
    citizen = sign_in_by_code()
    dossier = file_online(world, citizen)
    row, _url = services.payment_start(citizen=citizen, code=dossier.code, return_url="/")
    outcome = PaymentOutcome(reference=row.reference, succeeded=True, amount=row.amount, gateway_reference="G")

    results, errors = run_in_threads(2, lambda i: services.payment_complete(outcome=outcome))

    assert not errors and {r.status for r in results} == {"succeeded"}
    assert PaymentTransaction.objects.get().status == "succeeded"
    assert Dossier.objects.get(pk=dossier.pk).paid_online == 2


def test_two_desk_officers_returning_the_same_result_at_once_make_one_electronic_result(world):
    from chinhquyenso.citizens.errors import ResultRefused
    from chinhquyenso.citizens.models import ElectronicResult
    from tests.citizens.conftest import pdf
    from tests.citizens.test_filing import walk_to_result_ready

    dossier = file_online(world, sign_in_by_code())
    walk_to_result_ready(world, dossier.code)

    results, errors = run_in_threads(
        2, lambda i: services.electronic_result_issue(code=dossier.code, actor=world.desk, upload=pdf(f"kq{i}.pdf"))
    )

    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], ResultRefused)
    assert ElectronicResult.objects.count() == 1 and Dossier.objects.get(pk=dossier.pk).state == 10
