"""The demo cases load once on top of the demo accounts, through the services."""

import pytest

from chinhquyenso.complaints.demo import complaints_demo_seed
from chinhquyenso.complaints.models import Case, CaseKind, ReceptionSession, ReceptionVisit
from chinhquyenso.core.models import Role
from chinhquyenso.core.services import staff_upsert

pytestmark = pytest.mark.django_db


def test_the_demo_loads_cases_of_every_kind_once(cw):
    staff_upsert(username="thanhtra", full_name="Thanh tra Demo", role=Role.INSPECTOR, scope=cw.kim_lien)
    staff_upsert(username="lanhdao_kimlien", full_name="Lãnh đạo Demo", role=Role.UNIT_LEADER, scope=cw.kim_lien)
    assert complaints_demo_seed() == 10
    assert set(Case.objects.values_list("kind", flat=True)) == set(CaseKind.values)
    assert Case.objects.filter(from_anonymous_denunciation=True).count() == 1
    assert Case.objects.get(subject__startswith="Tố cáo cán bộ").extensions == 1
    assert ReceptionSession.objects.count() == 7 and ReceptionVisit.objects.count() == 2
    assert complaints_demo_seed() == 0
