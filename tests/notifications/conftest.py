"""The dossier world of tests/procedures, an applicant who gave an e-mail address and a phone number, and
adapters that fail or count, for the delivery tests."""

import datetime as dt
import threading

import pytest

from chinhquyenso.notifications.channels import SmsGateway, SmsRefused
from chinhquyenso.procedures.services import Applicant, TransitionRequest, dossier_intake, dossier_transition
from tests.procedures.conftest import all_documents, at, world  # noqa: F401 - the fixture is used by the tests

EMAIL = "an.nguyen@example.vn"
PHONE = "0912 345 678"


def intake(world, *, email=EMAIL, phone=PHONE, outcome="receive", note="", when=None):  # noqa: F811
    return dossier_intake(
        actor=world.desk,
        version=world.version,
        receiving_office=world.desk_office,
        resolving_office=world.ubnd,
        applicant=Applicant(
            name="Nguyễn Văn An",
            id_number="001090012345",
            birth_date=dt.date(1990, 5, 1),
            female=False,
            phone=phone,
            email=email,
            unit=world.kim_lien,
        ),
        documents=all_documents(world.version),
        outcome=outcome,
        note=note,
        at=when or at(2026, 3, 2, 9),
    ).dossier


def act(dossier, action, actor, when, **extra):
    return dossier_transition(
        code=dossier.code, actor=actor, request=TransitionRequest(action=action, **extra), at=when
    )


class BrokenGateway(SmsGateway):
    def send(self, *, phone, text, reference):
        raise SmsRefused("gateway answered 503 Service Unavailable")


class CountingGateway(SmsGateway):
    sent: list = []
    lock = threading.Lock()

    def send(self, *, phone, text, reference):
        with self.lock:
            CountingGateway.sent.append(reference)


@pytest.fixture
def counting_gateway(settings):
    settings.SMS_GATEWAY = "tests.notifications.conftest.CountingGateway"
    CountingGateway.sent = []
    return CountingGateway


@pytest.fixture
def broken_gateway(settings):
    settings.SMS_GATEWAY = "tests.notifications.conftest.BrokenGateway"
    return BrokenGateway
