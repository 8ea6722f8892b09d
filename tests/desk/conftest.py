"""The dossier tests' small world (wards T-KL and T-LANG, their desks and staff, the real calendar), plus the
desk set-up: Kim Liên has counter 1 for Hộ tịch (2 places per 30-minute slot) and kiosk letter A."""

import pytest

from chinhquyenso.desk.models import Counter, DeskSettings, TicketPrefix
from chinhquyenso.procedures.models import ProcedureVersion
from chinhquyenso.procedures.services import TransitionRequest, dossier_transition
from tests.procedures.conftest import at, receive, world  # noqa: F401 (world is a fixture, used by name)


@pytest.fixture
def desk(world):  # noqa: F811
    field = world.version.procedure.field
    # published "today" by the fixture; tests travel back to March 2026, so let the versions apply from always
    ProcedureVersion.objects.update(valid_from=None)
    for office in (world.desk_office, world.lang_desk):
        DeskSettings.objects.create(office=office, slot_minutes=30, per_counter_capacity=2, horizon_days=14)
        counter = Counter.objects.create(office=office, number=1, name="Hộ tịch")
        counter.fields.set([field])
        TicketPrefix.objects.create(office=office, field=field, letter="A")
    world.field = field
    world.procedure = world.version.procedure
    return world


def returned_dossier(world, *, phone="0912345678"):  # noqa: F811
    """A dossier of Kim Liên walked to state 10, returned by the desk officer on 04/03/2026."""
    dossier = receive(world, when=at(2026, 3, 2, 9))
    for action, actor, when in [
        ("forward", world.desk, at(2026, 3, 2, 10)),
        ("complete_step", world.office_leader, at(2026, 3, 2, 11)),
        ("complete_step", world.specialist, at(2026, 3, 3, 11)),
        ("complete_step", world.head, at(2026, 3, 3, 14)),
        ("return_result", world.desk, at(2026, 3, 4, 9)),
    ]:
        dossier = dossier_transition(
            code=dossier.code, actor=actor, request=TransitionRequest(action=action, note="ghi chú"), at=when
        )
    return dossier
